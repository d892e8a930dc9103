//! The app's state: the data folder, the keychain, and at most one unlocked store behind a mutex,
//! with the time of the last activity so an idle app locks itself.
//!
//! Locking takes the `Store` away from the window: once locked, no command can read a child's
//! record until someone unlocks again. One deliberate exception, for a child's safety: when the
//! outbox still holds undelivered packs, the store is handed to the sender ("outbox keeper"), which
//! only sends what is already queued and lets go of the store (closing the SQLCipher connection)
//! as soon as the last delivery is done, given up or failed. Locking never stops a pack going to
//! the police.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
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
            pin_change_due: self.store.pin_change_due(),
            recovery_key_unconfirmed: self.store.recovery_key_unconfirmed().unwrap_or(false),
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
    /// The store while locked with deliveries still to go: used by the sender only.
    outbox_keeper: Mutex<Option<Store>>,
    wake_sender: Mutex<Sender<()>>,
    sender_wakes: Mutex<Option<Receiver<()>>>,
    /// Cuts the background sync's wait on the hub short, so a change here goes at once.
    pub sync_wake: grabpack_sync::SyncWake,
    wake_syncer: Mutex<Sender<()>>,
    syncer_wakes: Mutex<Option<Receiver<()>>>,
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
        let (wake, wakes) = channel();
        let (wake_sync, sync_wakes) = channel();
        Self {
            data_dir,
            keychain,
            session: Mutex::new(None),
            idle_override,
            demo,
            outbox_keeper: Mutex::new(None),
            wake_sender: Mutex::new(wake),
            sender_wakes: Mutex::new(Some(wakes)),
            sync_wake: grabpack_sync::SyncWake::new(),
            wake_syncer: Mutex::new(wake_sync),
            syncer_wakes: Mutex::new(Some(sync_wakes)),
        }
    }

    /// A new session starts: the window's store serves the sender again.
    pub fn begin_session(&self, session: Session) {
        *self.slot() = Some(session);
        *self.keeper() = None;
        self.wake_sender();
    }

    fn keeper(&self) -> MutexGuard<'_, Option<Store>> {
        self.outbox_keeper.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A session ends: keep its store for the sender only while deliveries are still to go.
    fn retire(&self, session: Option<Session>) {
        let Some(session) = session else { return };
        // When the count cannot be read, keep the store: a pack left unsent is the worse failure.
        if session.store.undelivered_count().map_or(true, |n| n > 0) {
            *self.keeper() = Some(session.store);
            self.wake_sender();
        }
    }

    /// The sender's access to the store: the window's session if unlocked (not counted as
    /// activity, so sending never keeps the app unlocked), else the outbox keeper.
    pub fn with_outbox_store<T>(&self, f: impl FnOnce(&mut Store) -> T) -> Option<T> {
        {
            let mut slot = self.slot();
            if let Some(session) = slot.as_mut() {
                return Some(f(&mut session.store));
            }
        }
        self.keeper().as_mut().map(f)
    }

    /// Let go of the keeper's store once nothing is left to deliver.
    pub fn release_keeper_if_done(&self) {
        let mut keeper = self.keeper();
        if keeper
            .as_ref()
            .is_some_and(|s| s.undelivered_count().is_ok_and(|n| n == 0))
        {
            *keeper = None;
        }
    }

    /// Whether a store is held only for sending.
    pub fn keeper_active(&self) -> bool {
        self.keeper().is_some()
    }

    /// How many deliveries the keeper still has to send (0 when it holds nothing): the unlock
    /// screen says so, so nobody thinks locking stopped the pack.
    pub fn keeper_undelivered(&self) -> i64 {
        self.keeper()
            .as_ref()
            .and_then(|s| s.undelivered_count().ok())
            .unwrap_or(0)
    }

    /// Wake the sender at once (after a pack is queued or a retry asked for).
    pub fn wake_sender(&self) {
        let _ = self
            .wake_sender
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(());
    }

    /// The sender's end of the wake-up channel (taken once, by the sender thread).
    pub fn take_sender_wakes(&self) -> Option<Receiver<()>> {
        self.sender_wakes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }

    /// Wake the background sync at once: something was saved here, or sync was set up.
    pub fn wake_sync(&self) {
        self.sync_wake.wake();
        let _ = self
            .wake_syncer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(());
    }

    /// The background sync's end of its wake-up channel (taken once, by the sync thread).
    pub fn take_syncer_wakes(&self) -> Option<Receiver<()>> {
        self.syncer_wakes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
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
            let session = slot.take();
            drop(slot);
            self.retire(session);
            return Err(UiError::locked());
        }
        let session = slot.as_mut().ok_or_else(UiError::locked)?;
        session.last_activity = now;
        f(&mut session.store)
    }

    /// [`Self::with_store`] for a command that changes what the home's other devices take in
    /// (an episode, a pack queued, a staff member, the settings): the background sync is woken
    /// once it succeeded, so the change leaves now rather than after the next long poll.
    pub fn with_store_saving<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, UiError>,
    ) -> Result<T, UiError> {
        let out = self.with_store(f)?;
        self.wake_sync();
        Ok(out)
    }

    /// Run `f` on the unlocked store **without** counting it as activity: for what the window
    /// reads on its own (the sync line redrawn after every background pass), which must never
    /// keep an unattended app unlocked. Locked or idle too long: `app.locked`, as `with_store`.
    pub fn with_store_passive<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, UiError>,
    ) -> Result<T, UiError> {
        self.unattended(f).unwrap_or_else(|| Err(UiError::locked()))
    }

    /// `f` on the store while unlocked and not idle too long, not counted as activity; `None`
    /// otherwise. The one rule for the window's own reads and the background sync.
    fn unattended<T>(&self, f: impl FnOnce(&mut Store) -> T) -> Option<T> {
        let mut slot = self.slot();
        match slot.as_mut() {
            Some(session) if !session.idle_expired(Instant::now()) => Some(f(&mut session.store)),
            _ => None,
        }
    }

    /// Lock when idle for too long; true when this call locked it.
    pub fn lock_if_idle(&self) -> bool {
        let mut slot = self.slot();
        if slot
            .as_ref()
            .is_some_and(|s| s.idle_expired(Instant::now()))
        {
            let session = slot.take();
            drop(slot);
            self.retire(session);
            return true;
        }
        false
    }

    pub fn lock(&self) {
        let session = self.slot().take();
        self.retire(session);
    }
}

/// A sync's way to the window's store: only while unlocked, and never counted as activity (a
/// sync in the background must not keep the app unlocked). Locked: `sync.store_locked`, and the
/// sync carries on after the next unlock.
#[derive(Debug)]
pub struct SyncAccess<'a>(pub &'a AppState);

impl grabpack_sync::StoreAccess for SyncAccess<'_> {
    fn with_store<T>(
        &mut self,
        f: impl FnOnce(&mut Store) -> grabpack_sync::Result<T>,
    ) -> grabpack_sync::Result<T> {
        self.0
            .unattended(f)
            .unwrap_or(Err(grabpack_sync::SyncError::StoreLocked))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use grabpack_store::outbox::{Channel, NewDelivery, NewMessage};
    use grabpack_store::{Sensitive, Setup};

    use super::*;

    /// A fictional home with one child and, when `queued`, one pack waiting in the outbox.
    fn home(dir: &std::path::Path, queued: bool) -> Store {
        let (mut store, _recovery) = Store::create(
            dir,
            Setup {
                home_name: "Birch House (fictional)".into(),
                manager_name: "Kim Manager (fictional)".into(),
                manager_pin: None,
                passphrase: Some(Sensitive::from("a fictional passphrase".to_owned())),
            },
            None,
        )
        .unwrap();
        let mut form = grabpack_core::ChildForm::default();
        form.identity.legal_name = "Test Child (fictional)".into();
        let child_id = store.create_child(&form, "").unwrap();
        if queued {
            store
                .enqueue(
                    &NewMessage {
                        id: "message-1".into(),
                        episode_id: None,
                        child_id,
                        purpose: grabpack_store::outbox::Purpose::Pack,
                        pdf: Some(b"%PDF-1.7 fictional".to_vec()),
                        readout: String::new(),
                        cover_note: String::new(),
                        deliveries: vec![NewDelivery {
                            recipient_id: "police:kent".into(),
                            recipient_name: "Kent Police (fictional)".into(),
                            recipient_role: "police".into(),
                            channel: Channel::Https,
                            address: "https://intake.kent.police.example/".into(),
                            payload: b"{}".to_vec(),
                            idempotency_key: "key-1".into(),
                            email_message_id: None,
                            audience: None,
                            pdf: None,
                        }],
                    },
                    jiff::Timestamp::now(),
                )
                .unwrap();
        }
        store
    }

    #[test]
    fn locking_with_a_pack_still_to_send_keeps_the_store_for_the_sender_only() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::new(dir.path().into(), None, None, false);
        state.begin_session(Session::new(home(dir.path(), true), None));
        state.lock();
        // The window is locked...
        assert_eq!(state.with_store(|_| Ok(())).unwrap_err().code, "app.locked");
        // ...but the sender can still reach the outbox, and the unlock screen can say so.
        assert!(state.keeper_active());
        assert_eq!(state.keeper_undelivered(), 1);
        assert_eq!(
            state.with_outbox_store(|s| s.undelivered_count().unwrap()),
            Some(1)
        );
        // Once nothing is left to deliver, the store is let go.
        state.with_outbox_store(|s| {
            let id = s.outbox(None, None).unwrap()[0].deliveries[0].id.clone();
            s.give_up_delivery(&id, "phoned the unit; they have it (fictional)")
                .unwrap();
        });
        state.release_keeper_if_done();
        assert!(!state.keeper_active());
        assert_eq!(state.keeper_undelivered(), 0);
        assert!(state.with_outbox_store(|_| ()).is_none());
    }

    #[test]
    fn locking_with_nothing_to_send_closes_the_store_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::new(dir.path().into(), None, None, false);
        state.begin_session(Session::new(home(dir.path(), false), None));
        state.lock();
        assert!(!state.keeper_active());
        assert!(state.with_outbox_store(|_| ()).is_none());
    }

    /// An unlocked app that locks itself after `idle`.
    fn unlocked_locking_after(idle: Duration) -> (tempfile::TempDir, AppState) {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::new(dir.path().into(), None, Some(idle), false);
        state.begin_session(Session::new(home(dir.path(), false), Some(idle)));
        (dir, state)
    }

    #[test]
    fn what_the_window_reads_on_its_own_never_keeps_the_app_unlocked() {
        let (_dir, state) = unlocked_locking_after(Duration::from_millis(300));
        // The sync line redrawn again and again: the idle time still runs out.
        for _ in 0..4 {
            assert!(state.with_store_passive(|_| Ok(())).is_ok());
            std::thread::sleep(Duration::from_millis(60));
        }
        std::thread::sleep(Duration::from_millis(100));
        assert!(state.lock_if_idle(), "passive reads are not activity");
        assert_eq!(
            state.with_store_passive(|_| Ok(())).unwrap_err().code,
            "app.locked"
        );
        // A person's command is activity, as before.
        let (_dir, state) = unlocked_locking_after(Duration::from_millis(300));
        for _ in 0..5 {
            assert!(state.with_store(|_| Ok(())).is_ok());
            std::thread::sleep(Duration::from_millis(80));
        }
        assert!(!state.lock_if_idle());
    }

    #[test]
    fn unlocking_again_hands_the_outbox_back_to_the_window_store() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::new(dir.path().into(), None, None, false);
        state.begin_session(Session::new(home(dir.path(), true), None));
        state.lock();
        assert!(state.keeper_active());
        let again = Store::unlock(
            dir.path(),
            grabpack_store::Credential::Passphrase(&Sensitive::from(
                "a fictional passphrase".to_owned(),
            )),
            None,
        )
        .unwrap();
        state.begin_session(Session::new(again, None));
        assert!(!state.keeper_active());
        assert_eq!(
            state.with_outbox_store(|s| s.undelivered_count().unwrap()),
            Some(1)
        );
    }

    /// A store rotated from the command line: the window keeps saying a new recovery key waits to
    /// be confirmed, and stops once it is.
    #[test]
    fn the_session_says_so_while_a_new_recovery_key_is_unconfirmed() {
        let dir = tempfile::tempdir().unwrap();
        let session = Session::new(home(dir.path(), false), None);
        assert!(!session.view().recovery_key_unconfirmed);
        let mut store = session.store;
        let passphrase = Sensitive::from("a fictional passphrase".to_owned());
        let new_key = store.rotate(Some(&passphrase), false).unwrap();
        let session = Session::new(store, None);
        assert!(session.view().recovery_key_unconfirmed);
        let mut store = session.store;
        store.confirm_recovery_key(&new_key).unwrap();
        assert!(!Session::new(store, None).view().recovery_key_unconfirmed);
    }
}
