//! A fictional home in a temporary folder, with a mock keychain: tests never touch the real one.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use grabpack_store::{DeviceKeychain, KeyringKeychain, Sensitive, Setup, Store};

pub const PASSPHRASE: &str = "correct horse battery staple";
pub const MANAGER: &str = "Amira Test (fictional)";
pub const MANAGER_PIN: &str = "246810";

pub struct TestHome {
    pub dir: tempfile::TempDir,
    pub keychain: Arc<dyn DeviceKeychain>,
    pub recovery_key: Sensitive<String>,
}

pub fn mock_keychain() -> Arc<dyn DeviceKeychain> {
    let store = keyring_core::mock::Store::new().unwrap();
    Arc::new(KeyringKeychain::new(store))
}

impl TestHome {
    /// A store with a manager PIN (mock keychain), a passphrase and a recovery key.
    pub fn new() -> (TestHome, Store) {
        let dir = tempfile::tempdir().unwrap();
        let keychain = mock_keychain();
        let (store, recovery_key) = Store::create(
            dir.path(),
            Setup {
                home_name: "Maple House (fictional)".into(),
                manager_name: MANAGER.into(),
                manager_pin: Some(MANAGER_PIN.into()),
                passphrase: Some(PASSPHRASE.into()),
            },
            Some(keychain.clone()),
        )
        .unwrap();
        (
            TestHome {
                dir,
                keychain,
                recovery_key,
            },
            store,
        )
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn unlock_passphrase(&self, p: &str) -> grabpack_store::Result<Store> {
        Store::unlock(
            self.path(),
            grabpack_store::Credential::Passphrase(&p.into()),
            Some(self.keychain.clone()),
        )
    }

    pub fn unlock_pin(&self, staff: &str, pin: &str) -> grabpack_store::Result<Store> {
        Store::unlock(
            self.path(),
            grabpack_store::Credential::Pin {
                staff_name: staff,
                pin: &pin.into(),
            },
            Some(self.keychain.clone()),
        )
    }

    pub fn unlock_recovery(&self, key: &str) -> grabpack_store::Result<Store> {
        Store::unlock(
            self.path(),
            grabpack_store::Credential::RecoveryKey(&key.into()),
            Some(self.keychain.clone()),
        )
    }

    /// SHA-256 of the database and key slot files (the files a refused unlock must not change).
    pub fn file_hashes(&self) -> BTreeMap<PathBuf, String> {
        use sha2::Digest;
        ["grabpack.db", "keyslots.json"]
            .iter()
            .map(|n| {
                let p = self.path().join(n);
                let bytes = std::fs::read(&p).unwrap();
                (p, hex::encode(sha2::Sha256::digest(bytes)))
            })
            .collect()
    }
}

/// The database key, as only someone holding the recovery key could get it: for tests that look
/// inside the database the way a colleague with the key could.
pub fn db_key_via_recovery(home: &TestHome) -> grabpack_store::Sensitive<[u8; 32]> {
    let file = grabpack_store::keyslots::SlotFile::read(home.path()).unwrap();
    let recovery = grabpack_store::secret::parse_recovery_key(home.recovery_key.expose()).unwrap();
    grabpack_store::keyslots::open_slot(
        &file.store_id,
        &file.generations[0],
        &grabpack_store::keyslots::SlotSecret::Recovery(recovery.expose()),
    )
    .unwrap()
    .unwrap()
}

/// The database opened directly with its key (no unlock, nothing audited).
pub fn open_db(home: &TestHome) -> rusqlite::Connection {
    let key = db_key_via_recovery(home);
    grabpack_store::db::open(&home.path().join("grabpack.db"), key.expose(), false).unwrap()
}

/// Turns the manager's PIN into a store of the version before member keys: a 4-digit PIN whose
/// Argon2id output is kept in the database and a `device_pin` slot beside it.
pub fn make_version_1_manager_pin(home: &TestHome, pin: &str) {
    use grabpack_store::keyslots::{
        self, LEGACY_PIN_COST, PinInput, SlotFile, SlotKind, SlotSecret,
    };
    let mut file = SlotFile::read(home.path()).unwrap();
    let member = file.members.remove(0);
    let device_secret = home.keychain.load(&file.store_id).unwrap().unwrap();
    let salt = [7u8; 16];
    let stretched = keyslots::stretch_pin(pin, &salt, LEGACY_PIN_COST).unwrap();
    let key = db_key_via_recovery(home);
    let mut slot = keyslots::make_slot(
        &file.store_id,
        key.expose(),
        &SlotSecret::DevicePin {
            staff_id: &member.staff_id,
            device_secret: device_secret.expose(),
            pin: PinInput::Key {
                pin_key: stretched.expose(),
                pin_salt: &salt,
            },
        },
    )
    .unwrap();
    slot.staff_name = Some(member.staff_name.clone());
    let g = &mut file.generations[0];
    g.slots.retain(|s| s.kind != SlotKind::Staff);
    g.slots.push(slot);
    file.write(home.path()).unwrap();
    let conn = open_db(home);
    conn.execute(
        "UPDATE staff SET pin_salt = ?1, pin_key = ?2, member_key = NULL WHERE id = ?3",
        rusqlite::params![&salt[..], &stretched.expose()[..], member.staff_id],
    )
    .unwrap();
}
