//! What differs between the desktop and the phones, kept behind `cfg` so the rest of the app is one
//! code path. Desktop reads command-line flags as well as the environment; phones have no command
//! line. Both use the platform keychain for the device secret behind staff PINs.

use std::path::PathBuf;
use std::sync::Arc;

use grabpack_store::{DeviceKeychain, KeyringKeychain};

/// How the app was asked to start.
#[derive(Debug, Clone, Default)]
pub struct LaunchOptions {
    /// GRABPACK_DEMO=1 or --demo: create the demo store when there is none.
    pub demo: bool,
    /// GRABPACK_DATA_DIR or --data-dir: a data folder other than the app's own (tests, benchmarks).
    pub data_dir: Option<PathBuf>,
    /// GRABPACK_IDLE_LOCK_SECONDS: a shorter idle lock than the home's setting (tests, kiosks).
    pub idle_lock_seconds: Option<u64>,
}

fn from_env() -> LaunchOptions {
    LaunchOptions {
        demo: std::env::var("GRABPACK_DEMO").is_ok_and(|v| v == "1"),
        data_dir: std::env::var_os("GRABPACK_DATA_DIR").map(PathBuf::from),
        idle_lock_seconds: std::env::var("GRABPACK_IDLE_LOCK_SECONDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|s| *s > 0),
    }
}

#[cfg(desktop)]
pub fn launch_options() -> LaunchOptions {
    parse_args(from_env(), std::env::args().skip(1))
}

#[cfg(mobile)]
pub fn launch_options() -> LaunchOptions {
    from_env()
}

/// `--demo` and `--data-dir DIR` (or `--data-dir=DIR`); anything else is ignored.
pub fn parse_args(mut options: LaunchOptions, args: impl Iterator<Item = String>) -> LaunchOptions {
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        if arg == "--demo" {
            options.demo = true;
        } else if arg == "--data-dir" {
            if let Some(dir) = args.next() {
                options.data_dir = Some(PathBuf::from(dir));
            }
        } else if let Some(dir) = arg.strip_prefix("--data-dir=") {
            options.data_dir = Some(PathBuf::from(dir));
        }
    }
    options
}

/// The device keychain, or None where it cannot be used (a desktop with no Secret Service running):
/// PINs are then unavailable and the unlock screen offers the passphrase and recovery key.
///
/// Opening the platform store does not talk to it, so a harmless look-up (an entry that never
/// exists) proves it answers before PINs are offered.
pub fn keychain() -> Option<Arc<dyn DeviceKeychain>> {
    let k = KeyringKeychain::platform().ok()?;
    k.load("uk.grabpack.probe").ok()?;
    Some(Arc::new(k) as Arc<dyn DeviceKeychain>)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_and_data_dir_flags_are_read_from_the_command_line() {
        let o = parse_args(
            LaunchOptions::default(),
            ["--demo", "--data-dir", "x"].into_iter().map(String::from),
        );
        assert!(o.demo);
        assert_eq!(o.data_dir, Some(PathBuf::from("x")));
        let o = parse_args(
            LaunchOptions::default(),
            ["--data-dir=y"].into_iter().map(String::from),
        );
        assert_eq!(o.data_dir, Some(PathBuf::from("y")));
        assert!(!o.demo);
    }
}
