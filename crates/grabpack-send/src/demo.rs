//! The demo store, built one way for `grabpack demo` and the app's demo mode.
//!
//! Why here and not in grabpack-store's `demo`: a demo home also needs its sending settings (its
//! police area and a mail account), and those are this crate's type. The children themselves
//! still come from `grabpack_store::demo::populate`.
//!
//! The mail account points at a host that does not exist (`.invalid`): in the demo a sent pack
//! waits in the outbox and retries, as it would with no network, and Settings shows what a
//! manager fills in. Nothing here is about a real person.

use std::path::Path;
use std::sync::Arc;

use grabpack_store::{DeviceKeychain, Sensitive, Setup, Store};
use jiff::civil::Date;

use crate::error::Result;
use crate::settings::{SendSettings, SmtpSecurity, SmtpSettings};

pub const HOME_NAME: &str = "Maple House Children's Home (fictional demo)";
pub const MANAGER: &str = "Demo Manager (fictional)";
/// The demo home's police area (a Met BCU, so the demo's Lambeth child is proposed to it).
pub const HOME_POLICE_UNIT: &str = "met-central-south";

/// How the demo store is opened: a passphrase, and a manager PIN when the device has a keychain.
#[derive(Debug)]
pub struct DemoSecrets {
    pub passphrase: Sensitive<String>,
    pub manager_pin: Option<Sensitive<String>>,
}

/// A new demo store in `dir`.
#[derive(Debug)]
pub struct Demo {
    pub store: Store,
    pub recovery_key: Sensitive<String>,
    /// The fictional children, in the order added.
    pub children: Vec<grabpack_store::ChildId>,
}

/// Create the demo store in `dir`: the fictional home, its police area and placeholder mail
/// account, and the fictional children covering every readiness state.
pub fn create(
    dir: &Path,
    secrets: DemoSecrets,
    keychain: Option<Arc<dyn DeviceKeychain>>,
    today: Date,
) -> Result<Demo> {
    let (mut store, recovery_key) = Store::create(
        dir,
        Setup {
            home_name: HOME_NAME.into(),
            manager_name: MANAGER.into(),
            manager_pin: secrets.manager_pin,
            passphrase: Some(secrets.passphrase),
        },
        keychain,
    )?;
    let mut home = store.settings()?;
    home.home_name = HOME_NAME.into();
    store.set_settings(&home)?;
    let send = SendSettings {
        home_police_unit: Some(HOME_POLICE_UNIT.into()),
        smtp: Some(SmtpSettings {
            host: "smtp.maple-house.invalid".into(),
            port: Some(587),
            security: SmtpSecurity::Starttls,
            username: "grabpack@maple-house.invalid".into(),
            password: "demo-password-fictional".into(),
            from: "grabpack@maple-house.invalid".into(),
            from_name: "Maple House (fictional demo)".into(),
            timeout_seconds: Some(10),
        }),
        ..Default::default()
    };
    send.save(&mut store)?;
    let children = grabpack_store::demo::populate(&mut store, today)?;
    Ok(Demo {
        store,
        recovery_key,
        children,
    })
}
