//! The Grab Pack app shell: a Tauri 2 window over the domain crates.
//!
//! Deliberately thin: [`commands`] (one file per area) parse, call one
//! domain function and map errors; [`state`] holds the one unlocked store and the idle lock;
//! [`sender`] sends what the outbox holds on its own thread; [`platform`] keeps the desktop/phone
//! differences behind `cfg`. No rule about children, forms or readiness lives here, and the
//! webview gets no file-system, shell or network access beyond these commands.

pub mod bindings;
/// The app's command names, shared with build.rs (which cannot link the library).
pub mod command_names;
pub mod commands;
pub mod error;
pub mod models;
pub mod platform;
pub mod sender;
pub mod state;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use grabpack_store::{DeviceKeychain, Sensitive, Setup, Store};
use tauri::{Emitter, Manager};

use crate::state::AppState;

/// The event the window hears when the app locks itself after idle time.
pub const LOCKED_EVENT: &str = "grabpack://locked";

/// The demo store's passphrase (fictional, printed on the demo unlock screen) unless
/// GRABPACK_PASSPHRASE says otherwise.
pub const DEMO_PASSPHRASE: &str = "maple house demo";
/// The demo manager's PIN, when this device has a keychain.
pub const DEMO_PIN: &str = "2468";
pub const DEMO_MANAGER: &str = "Demo Manager (fictional)";

/// Create the demo store in `dir` (five fictional children covering every readiness state).
pub fn create_demo_store(
    dir: &Path,
    keychain: Option<Arc<dyn DeviceKeychain>>,
) -> Result<Vec<String>, grabpack_send::SendError> {
    let passphrase =
        std::env::var("GRABPACK_PASSPHRASE").unwrap_or_else(|_| DEMO_PASSPHRASE.to_owned());
    let (mut store, _recovery) = Store::create(
        dir,
        Setup {
            home_name: "Maple House Children's Home (fictional demo)".into(),
            manager_name: DEMO_MANAGER.into(),
            manager_pin: keychain
                .as_ref()
                .map(|_| Sensitive::from(DEMO_PIN.to_owned())),
            passphrase: Some(Sensitive::from(passphrase)),
        },
        keychain,
    )?;
    let mut settings = store.settings()?;
    settings.home_name = "Maple House Children's Home (fictional demo)".into();
    store.set_settings(&settings)?;
    // A mail account at a host that does not exist: in the demo a sent pack waits in the outbox
    // and retries, as it would with no network, and Settings shows what a manager fills in.
    let send = grabpack_send::SendSettings {
        home_police_unit: Some("met-central-south".into()),
        smtp: Some(grabpack_send::SmtpSettings {
            host: "smtp.maple-house.invalid".into(),
            port: Some(587),
            security: grabpack_send::SmtpSecurity::Starttls,
            username: "grabpack@maple-house.invalid".into(),
            password: "demo-password-fictional".into(),
            from: "grabpack@maple-house.invalid".into(),
            from_name: "Maple House (fictional demo)".into(),
            timeout_seconds: Some(10),
        }),
        ..Default::default()
    };
    send.save(&mut store)?;
    Ok(grabpack_store::demo::populate(
        &mut store,
        jiff::Zoned::now().date(),
    )?)
}

fn data_dir(app: &tauri::App, options: &platform::LaunchOptions) -> tauri::Result<PathBuf> {
    match &options.data_dir {
        Some(d) => Ok(d.clone()),
        // <platform data dir>/uk.grabpack.app: the same folder the `grabpack` command uses.
        None => app.path().app_data_dir(),
    }
}

fn setup(app: &mut tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    let options = platform::launch_options();
    let dir = data_dir(app, &options)?;
    std::fs::create_dir_all(&dir)?;
    let keychain = platform::keychain();
    if options.demo
        && !grabpack_store::exists(&dir)
        && let Err(e) = create_demo_store(&dir, keychain.clone())
    {
        // The app still opens (on the set-up screen); the reason goes to the terminal only.
        eprintln!(
            "grabpack: the demo store could not be created: {} ({e})",
            e.code()
        );
    }
    let idle = options.idle_lock_seconds.map(Duration::from_secs);
    app.manage(AppState::new(dir, keychain, idle, options.demo));

    // The idle lock: checked every second, so a locked screen follows within a second of the limit.
    let handle = app.handle().clone();
    std::thread::Builder::new()
        .name("idle-lock".into())
        .spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(1));
                let state = handle.state::<AppState>();
                if state.lock_if_idle() {
                    let _ = handle.emit(LOCKED_EVENT, ());
                }
            }
        })?;
    sender::spawn(app.handle().clone())?;
    Ok(())
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let result = tauri::Builder::default()
        .setup(setup)
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("grabpack: the app could not start: {e}");
        std::process::exit(1);
    }
}
