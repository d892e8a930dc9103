//! `grabpack init` and `grabpack demo`: a new store. `init` makes an empty one for a real home
//! (the recovery key is shown once, to print); `demo` fills one with fictional children.

use std::path::Path;

use clap::Args;
use grabpack_store::{Sensitive, Setup, Store};

use crate::error::{CliError, Result, send_error};
use crate::output::{dashboard_text, print_recovery_key};
use crate::session::{keychain, secret, today};

#[derive(Args, Debug)]
pub struct InitArgs {
    #[arg(long)]
    home: String,
    #[arg(long)]
    manager: String,
    /// Also give the manager a PIN on this device (needs the system keychain).
    #[arg(long)]
    with_pin: bool,
}

pub fn init(json: bool, dir: &Path, args: &InitArgs) -> Result<()> {
    let InitArgs {
        home,
        manager,
        with_pin,
    } = args;
    let pin = if *with_pin {
        Some(secret("GRABPACK_PIN", "New PIN (4-12 digits): ")?)
    } else {
        None
    };
    let passphrase = std::env::var("GRABPACK_PASSPHRASE")
        .ok()
        .map(Sensitive::from);
    if pin.is_none() && passphrase.is_none() {
        return Err(CliError::input(
            "cli.secret_needed",
            "Give the store a passphrase (GRABPACK_PASSPHRASE) or a manager PIN (--with-pin).",
        ));
    }
    let (_store, recovery) = Store::create(
        dir,
        Setup {
            home_name: home.clone(),
            manager_name: manager.clone(),
            manager_pin: pin,
            passphrase,
        },
        keychain(),
    )?;
    print_recovery_key(json, dir, &recovery);
    Ok(())
}

pub fn demo(json: bool, dir: &Path) -> Result<()> {
    let passphrase = secret("GRABPACK_PASSPHRASE", "Passphrase for the demo store: ")?;
    let demo = grabpack_send::demo::create(
        dir,
        grabpack_send::demo::DemoSecrets {
            passphrase,
            manager_pin: None,
        },
        None,
        today(),
    )
    .map_err(send_error)?;
    let (ids, recovery) = (&demo.children, &demo.recovery_key);
    if json {
        println!(
            "{}",
            serde_json::json!({ "data_dir": dir, "children": ids, "recovery_key": recovery.expose() })
        );
    } else {
        println!(
            "Demo store created in {} with {} fictional children.",
            dir.display(),
            ids.len()
        );
        println!(
            "Recovery key (fictional demo store): {}\n",
            recovery.expose()
        );
        println!("{}", dashboard_text(&demo.store.dashboard(today())?));
    }
    Ok(())
}
