//! The app's background sync: while the app is unlocked and this device belongs to a home, it
//! sends what was saved here and takes in what the home's other devices saved, so the night
//! worker's laptop shows the keyworker's afternoon edit without anyone pressing anything.
//!
//! Why a loop of long polls on its own thread: the hub holds each request open until another
//! device pushes (or [`LONG_POLL_SECS`] pass), which is how a change on one device shows on
//! another within seconds without polling the hub hard. A save here wakes it at once
//! (`AppState::wake_sync`, which also cuts a waiting request short). The store is taken only
//! between the hub's answers (`SyncAccess`), so the window never waits on the network; while the
//! app is locked nothing syncs (the store is closed), and the first look after an unlock (within
//! [`IDLE`]) starts again: not at the unlock itself, whose first screenful, and the Missing
//! button on it, come first. A hub that
//! cannot be reached is tried again after a growing pause, up to [`MAX_PAUSE`]; the dashboard says
//! "offline: N changes waiting" meanwhile. After every pass the window hears [`SYNC_EVENT`].

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use grabpack_store::sync::SyncState;
use grabpack_sync::{SyncError, device};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};

use crate::state::{AppState, SyncAccess};

/// The event the window hears after a sync pass: it redraws the sync line, and the records
/// when anything arrived.
pub const SYNC_EVENT: &str = "grabpack://sync";

/// How long one request waits at the hub for another device's change.
pub const LONG_POLL_SECS: u32 = 25;

/// How often a device that is locked, does not sync, or waits for approval looks again.
pub const IDLE: Duration = Duration::from_secs(3);

/// The longest pause between tries while the hub cannot be reached.
pub const MAX_PAUSE: Duration = Duration::from_secs(60);

/// What the window is told after a pass.
#[derive(Debug, Clone, Serialize)]
pub struct SyncEventPayload {
    /// Revisions, photos, episodes and episode entries taken in from other devices: the screens
    /// showing records reload.
    pub received: usize,
    /// Records this device sent.
    pub sent: usize,
    /// Whether the pass failed (the sync line then says why).
    pub failed: bool,
}

/// Start the sync thread. It runs for the life of the app.
pub fn spawn(handle: AppHandle) -> std::io::Result<()> {
    let Some(wakes) = handle.state::<AppState>().take_syncer_wakes() else {
        return Ok(());
    };
    std::thread::Builder::new()
        .name("background-sync".into())
        .spawn(move || run(&handle, &wakes))?;
    Ok(())
}

/// The pause after `failures` failed passes in a row: 2 s, 4 s, 8 s, ... up to [`MAX_PAUSE`].
pub fn pause_after(failures: u32) -> Duration {
    Duration::from_secs(2u64.saturating_pow(failures.min(10))).min(MAX_PAUSE)
}

fn run(handle: &AppHandle, wakes: &Receiver<()>) {
    let mut failures = 0u32;
    let mut pause = Duration::ZERO;
    loop {
        match wakes.recv_timeout(pause) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        while wakes.try_recv().is_ok() {}
        let state = handle.state::<AppState>();
        let mut access = SyncAccess(&state);
        let joined =
            grabpack_sync::StoreAccess::with_store(&mut access, |store| Ok(store.sync_device()?));
        let device = match joined {
            Ok(Some(device)) => device,
            // Locked, or this device does not sync: look again later (an unlock or a join
            // wakes this thread at once).
            Ok(None) | Err(_) => {
                pause = IDLE;
                continue;
            }
        };
        // Wait at the hub only when the last pass reached it: after a failure, try again
        // plainly so the line says "up to date" as soon as the hub is back.
        let wait = if device.state == SyncState::Paired && failures == 0 {
            LONG_POLL_SECS
        } else {
            0
        };
        let outcome = device::sync_until(&mut access, wait, Some(&state.sync_wake));
        if matches!(&outcome, Ok(r) if r.state == SyncState::Paired) {
            take_over(&state, &mut access);
        }
        let payload = match outcome {
            Ok(report) => {
                failures = 0;
                pause = if report.state == SyncState::WaitingForApproval {
                    IDLE
                } else {
                    // Straight into the next wait; a short breath so a hub that answers at
                    // once every time cannot spin this thread.
                    Duration::from_millis(250)
                };
                SyncEventPayload {
                    received: report.received.revisions
                        + report.received.photos
                        + report.received.episodes
                        + report.received.episode_entries
                        + report.received.outbox
                        + report.received.home,
                    sent: report.sent,
                    failed: false,
                }
            }
            Err(SyncError::StoreLocked) => {
                pause = IDLE;
                continue;
            }
            Err(_) => {
                failures = failures.saturating_add(1);
                pause = pause_after(failures);
                SyncEventPayload {
                    received: 0,
                    sent: 0,
                    failed: true,
                }
            }
        };
        let _ = handle.emit(SYNC_EVENT, payload);
    }
}

/// The deliveries of devices gone quiet that this device can send as queued: taken over, and
/// the sender woken for them at once (and the sync, to tell the others). A failure here is the
/// next pass's to retry; the sync's own outcome is what the line shows.
fn take_over(state: &AppState, access: &mut SyncAccess<'_>) {
    let taken = device::take_over_deliveries(access, |store, delivery| {
        grabpack_send::SendSettings::load(store)
            .is_ok_and(|settings| grabpack_send::can_send_as_queued(store, &settings, delivery))
    });
    if matches!(&taken, Ok(t) if !t.is_empty()) {
        state.wake_sender();
        state.wake_sync();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hub_that_stays_away_is_tried_less_often_but_at_least_every_minute() {
        assert_eq!(pause_after(1), Duration::from_secs(2));
        assert_eq!(pause_after(2), Duration::from_secs(4));
        assert_eq!(pause_after(5), Duration::from_secs(32));
        assert_eq!(pause_after(6), MAX_PAUSE);
        assert_eq!(pause_after(u32::MAX), MAX_PAUSE);
    }
}
