//! Crash safety of the key operations: `keys rotate` and `keys recover` are killed (SIGKILL) at
//! each of their steps in turn. Afterwards the passphrase, every staff PIN and the old recovery
//! key (the one in the home's safe) still open the store with every record (the PINs of a
//! recovery from the moment their slots have moved to the new device secret: before that they
//! were already lost with the keychain entry). Running the operation again completes; then both
//! the old and the new recovery key open the store until the new one is typed back, and after
//! that only the new one does.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use common::{MANAGER, MANAGER_PIN, PASSPHRASE};
use grabpack_core::StaffRole;
use grabpack_store::{Credential, DeviceKeychain, Sensitive, Setup, Store};

const BEN: &str = "Ben Keyworker (fictional)";
const BEN_PIN: &str = "135790";

const ROTATE_STEPS: &[&str] = &[
    "rotate: re-keyed copy written",
    "rotate: both generations written",
    "rotate: database swapped",
    "rotate: old generation removed",
    "rotate: audited",
];
const RECOVER_STEPS: &[&str] = &[
    "recover: new device secret saved",
    "recover: PIN slots moved to the new secret",
];

/// A keychain that outlives the process (files in a folder), so the killed child and the test
/// share it as two runs of the app share the system keychain.
struct FileKeychain(PathBuf);

impl DeviceKeychain for FileKeychain {
    fn load(&self, account: &str) -> grabpack_store::Result<Option<Sensitive<Vec<u8>>>> {
        match std::fs::read(self.0.join(account)) {
            Ok(b) => Ok(Some(Sensitive::new(b))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
    fn save(&self, account: &str, secret: &[u8]) -> grabpack_store::Result<()> {
        let tmp = self.0.join(format!("{account}.tmp"));
        std::fs::write(&tmp, secret)?;
        std::fs::rename(tmp, self.0.join(account))?;
        Ok(())
    }
    fn remove(&self, account: &str) -> grabpack_store::Result<()> {
        let _ = std::fs::remove_file(self.0.join(account));
        Ok(())
    }
}

fn keychain(dir: &Path) -> Arc<dyn DeviceKeychain> {
    Arc::new(FileKeychain(dir.to_path_buf()))
}

/// The key operation: only runs when the crash test starts this binary as a child process.
#[test]
#[ignore = "run as a child process by the key crash tests"]
fn key_operation_child_process() {
    let dir = PathBuf::from(std::env::var("GRABPACK_KEYS_DIR").expect("started by the test"));
    let kc = keychain(&dir.join("keychain"));
    let op = std::env::var("GRABPACK_KEYS_OP").unwrap();
    let mut store = Store::unlock(
        &dir.join("home"),
        Credential::Passphrase(&PASSPHRASE.into()),
        Some(kc),
    )
    .unwrap();
    let new_key = if op == "recover" {
        store.recover_device(Some(&PASSPHRASE.into()), false)
    } else {
        store.rotate(Some(&PASSPHRASE.into()), false)
    }
    .unwrap();
    println!("new recovery key {}", new_key.expose());
}

struct Home {
    root: tempfile::TempDir,
    recovery: String,
    child: grabpack_store::ChildId,
}

impl Home {
    fn new() -> Home {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("keychain")).unwrap();
        let (mut store, recovery) = Store::create(
            &root.path().join("home"),
            Setup {
                home_name: "Maple House (fictional)".into(),
                manager_name: MANAGER.into(),
                manager_pin: Some(MANAGER_PIN.into()),
                passphrase: Some(PASSPHRASE.into()),
            },
            Some(keychain(&root.path().join("keychain"))),
        )
        .unwrap();
        store
            .add_staff(BEN, StaffRole::Keyworker, Some(&BEN_PIN.into()))
            .unwrap();
        let child = store.create_child(&Default::default(), "").unwrap();
        Home {
            recovery: recovery.expose().clone(),
            root,
            child,
        }
    }

    fn unlock(&self, credential: Credential<'_>) -> grabpack_store::Result<Store> {
        Store::unlock(
            &self.root.path().join("home"),
            credential,
            Some(keychain(&self.root.path().join("keychain"))),
        )
    }

    fn lose_the_keychain(&self) {
        for e in std::fs::read_dir(self.root.path().join("keychain")).unwrap() {
            std::fs::remove_file(e.unwrap().path()).unwrap();
        }
    }

    /// Runs the operation in a child process, killed once it reaches `step`. The new recovery key
    /// when it finished first (a step past the last one).
    fn run_and_kill_at(&self, op: &str, step: &str) -> Option<String> {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "key_operation_child_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("GRABPACK_KEYS_DIR", self.root.path())
            .env("GRABPACK_KEYS_OP", op)
            .env("GRABPACK_PAUSE_AT_STEP", step)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("paused at ") {
                    let _ = tx.send(None);
                }
                if let Some(pos) = line.find("new recovery key ") {
                    let _ = tx.send(Some(
                        line[pos + "new recovery key ".len()..].trim().to_string(),
                    ));
                }
            }
        });
        let outcome = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("the child reached the step");
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        outcome
    }

    /// Every secret the home holds opens the store with every record.
    fn assert_every_secret_opens(&self, at: &str, pins: bool, recoveries: &[&str]) {
        for (i, key) in recoveries.iter().enumerate() {
            let store = self
                .unlock(Credential::RecoveryKey(&(*key).into()))
                .unwrap_or_else(|e| {
                    panic!("killed at '{at}': recovery key {i} no longer opens: {e}")
                });
            assert_eq!(
                store.history(&self.child).unwrap().len(),
                1,
                "{at}: recovery key {i}"
            );
            assert!(store.integrity_check().unwrap().is_empty(), "{at}");
        }
        let mut ways = vec![];
        for (what, credential) in [
            ("passphrase", Credential::Passphrase(&PASSPHRASE.into())),
            (
                "manager's PIN",
                Credential::Pin {
                    staff_name: MANAGER,
                    pin: &MANAGER_PIN.into(),
                },
            ),
            (
                "keyworker's PIN",
                Credential::Pin {
                    staff_name: BEN,
                    pin: &BEN_PIN.into(),
                },
            ),
        ] {
            if what.contains("PIN") && !pins {
                continue;
            }
            ways.push(what);
            let store = self
                .unlock(credential)
                .unwrap_or_else(|e| panic!("killed at '{at}': the {what} no longer opens: {e}"));
            assert_eq!(store.history(&self.child).unwrap().len(), 1, "{at}: {what}");
            assert!(store.integrity_check().unwrap().is_empty(), "{at}");
        }
        assert!(ways.contains(&"passphrase"));
    }
}

fn kill_at_every_step(op: &str, steps: &[&str]) {
    for step in steps {
        let home = Home::new();
        if op == "recover" {
            home.lose_the_keychain();
        }
        let finished = home.run_and_kill_at(op, step);
        assert!(finished.is_none(), "the child paused at '{step}'");
        let pins = *step != "recover: new device secret saved";
        // The key in the safe opens the store at every step, before and after the swap.
        home.assert_every_secret_opens(step, pins, &[&home.recovery]);
        // And the interrupted operation can be run again to the end, from the passphrase.
        let new_recovery = home
            .run_and_kill_at(op, "never")
            .expect("the operation completes after the crash");
        let at = format!("{step}, then run again");
        home.assert_every_secret_opens(&at, true, &[&home.recovery, &new_recovery]);
        home.confirm(&at, &new_recovery);
    }
}

impl Home {
    /// Typing back anything but the new key changes nothing; the new key retires the old one,
    /// audited once.
    fn confirm(&self, at: &str, new_recovery: &str) {
        let mut store = self
            .unlock(Credential::Passphrase(&PASSPHRASE.into()))
            .unwrap();
        assert!(store.recovery_key_unconfirmed().unwrap(), "{at}");
        let refused = store
            .confirm_recovery_key(&self.recovery.clone().into())
            .unwrap_err();
        assert_eq!(refused.code(), "store.wrong_secret", "{at}");
        assert!(store.recovery_key_unconfirmed().unwrap(), "{at}");
        assert!(
            store.confirm_recovery_key(&new_recovery.into()).unwrap(),
            "{at}"
        );
        assert!(!store.recovery_key_unconfirmed().unwrap(), "{at}");
        let confirmed = store
            .audit_list(None, Some("recovery_key_confirmed"), 10)
            .unwrap();
        assert_eq!(confirmed.len(), 1, "{at}");
        drop(store);
        let old = self
            .unlock(Credential::RecoveryKey(&self.recovery.clone().into()))
            .err()
            .map(|e| e.code());
        assert_eq!(
            old,
            Some("store.wrong_secret"),
            "{at}: the old key is retired"
        );
        self.assert_every_secret_opens(&format!("{at}, confirmed"), true, &[new_recovery]);
    }
}

/// Two rotations before anyone confirms: the key in the safe still opens the store (the first
/// rotation's key, never confirmed, is dropped), and confirming the latest retires it.
#[test]
fn the_key_in_the_safe_opens_the_store_through_rotations_until_a_new_one_is_confirmed() {
    let home = Home::new();
    let first = home.run_and_kill_at("rotate", "never").unwrap();
    let second = home.run_and_kill_at("rotate", "never").unwrap();
    home.assert_every_secret_opens("two rotations", true, &[&home.recovery, &second]);
    assert!(
        home.unlock(Credential::RecoveryKey(&first.clone().into()))
            .is_err(),
        "an unconfirmed key replaced by a later rotation opens nothing"
    );
    home.confirm("two rotations", &second);
}

#[test]
fn a_rotation_killed_at_any_step_leaves_every_secret_opening_the_store() {
    kill_at_every_step("rotate", ROTATE_STEPS);
}

#[test]
fn a_device_recovery_killed_at_any_step_leaves_every_secret_opening_the_store() {
    let steps: Vec<&str> = RECOVER_STEPS.iter().chain(ROTATE_STEPS).copied().collect();
    kill_at_every_step("recover", &steps);
}
