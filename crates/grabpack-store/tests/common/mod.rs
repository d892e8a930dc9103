//! A fictional home in a temporary folder, with a mock keychain: tests never touch the real one.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use grabpack_store::{DeviceKeychain, KeyringKeychain, Sensitive, Setup, Store};

pub const PASSPHRASE: &str = "correct horse battery staple";
pub const MANAGER: &str = "Amira Test (fictional)";
pub const MANAGER_PIN: &str = "2468";

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
