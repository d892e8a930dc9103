//! `grabpack keys rotate|add-passphrase|recover|confirm-recovery`: the database key and the
//! secrets that unwrap it (docs/keys.md). Rotation and recovery end by showing a new recovery key
//! to print; the previous one keeps working until `confirm-recovery` is given the new one back.

use std::path::Path;

use clap::Subcommand;
use grabpack_store::{Credential, Sensitive, Store};

use crate::Cli;
use crate::error::Result;
use crate::output::{print, print_recovery_key};
use crate::session::{keychain, secret, unlock};

#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// New database key, every page re-encrypted, a new recovery key to print.
    Rotate {
        /// Drop the passphrase instead of keeping it under the new key.
        #[arg(long)]
        drop_passphrase: bool,
    },
    /// Add or replace the passphrase (GRABPACK_NEW_PASSPHRASE, or asked for).
    AddPassphrase,
    /// Unlock with the recovery key (GRABPACK_RECOVERY_KEY, or asked for), set this device up
    /// again so PINs work, and issue a new recovery key.
    Recover {
        #[arg(long)]
        drop_passphrase: bool,
    },
    /// Type back the recovery key the last rotation or recovery showed
    /// (GRABPACK_NEW_RECOVERY_KEY, or asked for): once it is checked, the previous recovery key
    /// stops opening the store.
    ConfirmRecovery,
}

/// Said after a new recovery key is shown, and after every unlock until it is confirmed.
pub const CONFIRM_REMINDER: &str = "Record the new recovery key, then run `grabpack keys confirm-recovery` and type it back: until then the previous recovery key also opens this store.";

pub fn run(cli: &Cli, dir: &Path, k: &KeysCommand) -> Result<()> {
    let json = cli.json;
    match k {
        KeysCommand::Rotate { drop_passphrase } => {
            let mut store = unlock(cli, dir)?;
            let keep = if *drop_passphrase {
                None
            } else {
                std::env::var("GRABPACK_PASSPHRASE")
                    .ok()
                    .map(Sensitive::from)
            };
            let recovery = store.rotate(keep.as_ref(), *drop_passphrase)?;
            print_recovery_key(json, dir, &recovery);
            eprintln!("{CONFIRM_REMINDER}");
        }
        KeysCommand::AddPassphrase => {
            let mut store = unlock(cli, dir)?;
            let p = secret(
                "GRABPACK_NEW_PASSPHRASE",
                "New passphrase (12+ characters): ",
            )?;
            store.set_passphrase(&p)?;
            print(json, &serde_json::json!({ "passphrase": "set" }), |_| {
                "Passphrase set.".into()
            });
        }
        KeysCommand::Recover { drop_passphrase } => {
            let key = secret("GRABPACK_RECOVERY_KEY", "Recovery key: ")?;
            let mut store = Store::unlock(dir, Credential::RecoveryKey(&key), keychain())?;
            let keep = if *drop_passphrase {
                None
            } else {
                std::env::var("GRABPACK_PASSPHRASE")
                    .ok()
                    .map(Sensitive::from)
            };
            let recovery = store.recover_device(keep.as_ref(), *drop_passphrase)?;
            print_recovery_key(json, dir, &recovery);
            eprintln!("{CONFIRM_REMINDER}");
        }
        KeysCommand::ConfirmRecovery => {
            let mut store = unlock(cli, dir)?;
            let typed = secret(
                "GRABPACK_NEW_RECOVERY_KEY",
                "The new recovery key, as recorded: ",
            )?;
            let retired = store.confirm_recovery_key(&typed)?;
            print(
                json,
                &serde_json::json!({ "confirmed": true, "previous_key_retired": retired }),
                |_| {
                    if retired {
                        "Recovery key confirmed. The previous recovery key no longer opens this store: destroy it.".into()
                    } else {
                        "That is this store's recovery key; there was no previous one waiting."
                            .into()
                    }
                },
            );
        }
    }
    Ok(())
}
