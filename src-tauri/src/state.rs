//! The app's state: the data folder, the keychain, and at most one unlocked store behind a mutex,
//! with the time of the last activity so an idle app locks itself.
//!
//! Locking drops the `Store`, which closes the SQLCipher connection: once locked, nothing in this
//! process can read a child's record until someone unlocks again.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use grabpack_store::{Actor, DeviceKeychain, HomeSettings, Store};

use crate::error::UiError;
use crate::models::SessionView;

/// An unlocked store and when it was last used.
#[derive(Debug)]
pub struct Session {
    pub store: Store,
    pub last_activity: Instant,
    pub auto_lock: Duration,
    pub home_name: String,
}

impl Session {
    pub fn new(store: Store, idle_override: Option<Duration>) -> Self {
        let settings = store.settings().unwrap_or_else(|_| HomeSettings::default());
        let mut session = Self {
            store,
            last_activity: Instant::now(),
            auto_lock: Duration::ZERO,
            home_name: String::new(),
        };
        session.apply_settings(&settings, idle_override);
        session
    }

    /// The home's auto-lock time (at least a minute) and name, unless a test override is set.
    pub fn apply_settings(&mut self, settings: &HomeSettings, idle_override: Option<Duration>) {
        self.auto_lock = idle_override.unwrap_or_else(|| {
            Duration::from_secs(u64::from(settings.auto_lock_minutes.max(1)) * 60)
        });
        self.home_name = settings.home_name.clone();
    }

    pub fn idle_expired(&self, now: Instant) -> bool {
        now.duration_since(self.last_activity) >= self.auto_lock
    }

    pub fn view(&self) -> SessionView {
        let actor = self.store.actor();
        SessionView {
            actor_name: actor.display_name(),
            actor_kind: match actor {
                Actor::Staff { .. } => "staff",
                Actor::Passphrase => "passphrase",
                Actor::RecoveryKey => "recovery_key",
            }
            .into(),
            can_administer: actor.can_administer(),
            home_name: self.home_name.clone(),
            auto_lock_seconds: self.auto_lock.as_secs(),
        }
    }
}

pub struct AppState {
    pub data_dir: PathBuf,
    pub keychain: Option<Arc<dyn DeviceKeychain>>,
    pub session: Mutex<Option<Session>>,
    /// GRABPACK_IDLE_LOCK_SECONDS: a shorter idle lock for tests and shared kiosks; the home's
    /// setting applies otherwise.
    pub idle_override: Option<Duration>,
    pub demo: bool,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("data_dir", &self.data_dir)
            .field("keychain", &self.keychain.is_some())
            .field("demo", &self.demo)
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub fn new(
        data_dir: PathBuf,
        keychain: Option<Arc<dyn DeviceKeychain>>,
        idle_override: Option<Duration>,
        demo: bool,
    ) -> Self {
        Self {
            data_dir,
            keychain,
            session: Mutex::new(None),
            idle_override,
            demo,
        }
    }

    /// The session slot. A panic while holding the lock must not leave the app unusable, so a
    /// poisoned mutex is taken over (the store inside is still consistent: SQLite transactions).
    pub fn slot(&self) -> MutexGuard<'_, Option<Session>> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run `f` on the unlocked store, counting it as activity. Locked, or idle for too long
    /// (the store is dropped then): `app.locked`.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, UiError>,
    ) -> Result<T, UiError> {
        let mut slot = self.slot();
        let now = Instant::now();
        if slot.as_ref().is_some_and(|s| s.idle_expired(now)) {
            *slot = None;
        }
        let session = slot.as_mut().ok_or_else(UiError::locked)?;
        session.last_activity = now;
        f(&mut session.store)
    }

    /// Lock when idle for too long; true when this call locked it.
    pub fn lock_if_idle(&self) -> bool {
        let mut slot = self.slot();
        if slot
            .as_ref()
            .is_some_and(|s| s.idle_expired(Instant::now()))
        {
            *slot = None;
            return true;
        }
        false
    }

    pub fn lock(&self) {
        *self.slot() = None;
    }
}
