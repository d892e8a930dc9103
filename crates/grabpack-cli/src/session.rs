//! Where the store is and how it is opened: the data folder (the app's own by default), the
//! secret (from the environment, or asked for on a terminal, never echoed) and today's date in
//! UK local time.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use grabpack_store::{Credential, DeviceKeychain, KeyringKeychain, Sensitive, Store};
use jiff::civil::Date;

use crate::Cli;
use crate::error::{CliError, Result};

pub fn data_dir(cli: &Cli) -> Result<PathBuf> {
    if let Some(d) = &cli.data_dir {
        return Ok(d.clone());
    }
    // The Tauri app keeps its data in <platform data dir>/<bundle identifier>; so do we.
    directories::BaseDirs::new()
        .map(|b| b.data_dir().join("uk.grabpack.app"))
        .ok_or_else(|| {
            CliError::input(
                "cli.no_data_dir",
                "No app-data folder on this machine: pass --data-dir.",
            )
        })
}

pub fn keychain() -> Option<Arc<dyn DeviceKeychain>> {
    KeyringKeychain::platform()
        .ok()
        .map(|k| Arc::new(k) as Arc<dyn DeviceKeychain>)
}

/// A secret from the environment, or asked for on the terminal (never echoed).
pub fn secret(var: &str, prompt: &str) -> Result<Sensitive<String>> {
    if let Ok(v) = std::env::var(var) {
        return Ok(v.into());
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt)
            .map(Sensitive::from)
            .map_err(|e| CliError::input("cli.prompt_failed", e.to_string()));
    }
    Err(CliError::input(
        "cli.secret_needed",
        format!("Set {var} or run in a terminal to be asked for it."),
    ))
}

pub fn unlock(cli: &Cli, dir: &Path) -> Result<Store> {
    let store = unlock_with_pin_or_passphrase(cli, dir)?;
    if store.recovery_key_unconfirmed().unwrap_or(false) {
        eprintln!("{}", crate::keys::CONFIRM_REMINDER);
    }
    Ok(store)
}

fn unlock_with_pin_or_passphrase(cli: &Cli, dir: &Path) -> Result<Store> {
    if let Some(staff) = &cli.staff {
        let pin = secret("GRABPACK_PIN", &format!("PIN for {staff}: "))?;
        let store = Store::unlock(
            dir,
            Credential::Pin {
                staff_name: staff,
                pin: &pin,
            },
            keychain(),
        )?;
        if store.pin_change_due() {
            // On stderr: standard output stays the command's answer (and its JSON).
            eprintln!(
                "Your PIN is shorter than PINs now must be. Choose a new one of 6 to 12 digits: \
                 grabpack --staff \"{staff}\" staff set-pin \"{staff}\""
            );
        }
        return Ok(store);
    }
    let passphrase = secret("GRABPACK_PASSPHRASE", "Passphrase: ")?;
    Ok(Store::unlock(
        dir,
        Credential::Passphrase(&passphrase),
        keychain(),
    )?)
}

pub fn today() -> Date {
    jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC))
        .date()
}
