//! Where this device keeps its device secret: the operating system's keychain.
//!
//! A small trait so the store never calls the keychain directly: tests use keyring-core's mock
//! store (never the real keychain), the app and command line use the platform's store. Only the
//! device secret lives here, never the database key: losing the keychain entry (a reinstall, a
//! wiped profile) costs the PIN shortcut on this device, never a record.

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};

use crate::error::{Result, StoreError};
use crate::secret::Sensitive;

/// The keychain service name under which device secrets are kept, one entry per store.
pub const SERVICE: &str = "uk.grabpack.device-secret";

pub trait DeviceKeychain: Send + Sync {
    /// The device secret for this store, or None when the entry does not exist.
    fn load(&self, store_id: &str) -> Result<Option<Sensitive<Vec<u8>>>>;
    fn save(&self, store_id: &str, secret: &[u8]) -> Result<()>;
    fn remove(&self, store_id: &str) -> Result<()>;
}

/// Any keyring-core credential store: the platform's, or the mock in tests.
pub struct KeyringKeychain {
    store: Arc<CredentialStore>,
}

impl std::fmt::Debug for KeyringKeychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyringKeychain").finish_non_exhaustive()
    }
}

impl KeyringKeychain {
    pub fn new(store: Arc<CredentialStore>) -> Self {
        Self { store }
    }

    /// The platform's own keychain: Secret Service on Linux, Keychain on macOS and iOS, Credential
    /// Manager on Windows, the Android keystore on Android.
    pub fn platform() -> Result<Self> {
        Ok(Self::new(platform_store()?))
    }

    fn entry(&self, store_id: &str) -> Result<Entry> {
        Entry::new_in_store(&self.store, SERVICE, store_id).map_err(unavailable)
    }
}

fn unavailable(e: keyring_core::Error) -> StoreError {
    StoreError::KeychainUnavailable(e.to_string())
}

impl DeviceKeychain for KeyringKeychain {
    fn load(&self, store_id: &str) -> Result<Option<Sensitive<Vec<u8>>>> {
        match self.entry(store_id)?.get_secret() {
            Ok(s) => Ok(Some(Sensitive::new(s))),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn save(&self, store_id: &str, secret: &[u8]) -> Result<()> {
        self.entry(store_id)?
            .set_secret(secret)
            .map_err(unavailable)
    }

    fn remove(&self, store_id: &str) -> Result<()> {
        match self.entry(store_id)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}

#[cfg(target_os = "linux")]
fn platform_store() -> Result<Arc<CredentialStore>> {
    let s = dbus_secret_service_keyring_store::Store::new().map_err(unavailable)?;
    Ok(s)
}

#[cfg(any(target_os = "macos", target_os = "ios"))]
fn platform_store() -> Result<Arc<CredentialStore>> {
    let s = apple_native_keyring_store::keychain::Store::new().map_err(unavailable)?;
    Ok(s)
}

#[cfg(target_os = "windows")]
fn platform_store() -> Result<Arc<CredentialStore>> {
    let s = windows_native_keyring_store::Store::new().map_err(unavailable)?;
    Ok(s)
}

#[cfg(target_os = "android")]
fn platform_store() -> Result<Arc<CredentialStore>> {
    let s = android_native_keyring_store::Store::new().map_err(unavailable)?;
    Ok(s)
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "macos",
    target_os = "ios",
    target_os = "windows",
    target_os = "android"
)))]
fn platform_store() -> Result<Arc<CredentialStore>> {
    Err(StoreError::KeychainUnavailable(
        "no keychain is supported on this platform".into(),
    ))
}
