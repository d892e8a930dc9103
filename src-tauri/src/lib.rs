//! The Grab Pack app shell: a Tauri 2 window over the domain crates.
//!
//! Deliberately thin: [`commands`] (one file per area) parse, call one
//! domain function and map errors; [`state`] holds the one unlocked store and the idle lock;
//! [`sender`] sends what the outbox holds on its own thread; [`syncer`] syncs the store through the
//! home's hub on another; [`platform`] keeps the desktop/phone differences behind `cfg`. No rule about children, forms or readiness lives here, and the
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
pub mod syncer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use grabpack_store::{DeviceKeychain, Sensitive};
use tauri::{Emitter, Manager};

use crate::state::AppState;

/// The event the window hears when the app locks itself after idle time.
pub const LOCKED_EVENT: &str = "grabpack://locked";

/// The demo store's passphrase (fictional, printed on the demo unlock screen) unless
/// GRABPACK_PASSPHRASE says otherwise.
pub const DEMO_PASSPHRASE: &str = "maple house demo";
/// The demo manager's PIN, when this device has a keychain.
pub const DEMO_PIN: &str = "246810";
pub const DEMO_MANAGER: &str = grabpack_send::demo::MANAGER;

/// Create the demo store in `dir` (grabpack-send's demo home, as `grabpack demo` makes it; here
/// with the demo manager's PIN when the device has a keychain).
pub fn create_demo_store(
    dir: &Path,
    keychain: Option<Arc<dyn DeviceKeychain>>,
) -> Result<Vec<grabpack_store::ChildId>, grabpack_send::SendError> {
    let passphrase =
        std::env::var("GRABPACK_PASSPHRASE").unwrap_or_else(|_| DEMO_PASSPHRASE.to_owned());
    let secrets = grabpack_send::demo::DemoSecrets {
        passphrase: Sensitive::from(passphrase),
        manager_pin: keychain
            .as_ref()
            .map(|_| Sensitive::from(DEMO_PIN.to_owned())),
    };
    let demo = grabpack_send::demo::create(dir, secrets, keychain, jiff::Zoned::now().date())?;
    Ok(demo.children)
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
    syncer::spawn(app.handle().clone())?;
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
