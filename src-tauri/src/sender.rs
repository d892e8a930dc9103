//! The app's sender: a background thread that sends what the outbox holds, so the window never
//! waits on the network.
//!
//! Why three steps with the store released in between: a mail server that is down can take the
//! full connection timeout to fail, and the window must stay usable (print, read-out, the next
//! child) throughout. So each pass claims due deliveries under the store (committed `sending`),
//! lets go of it, delivers in parallel, then takes it again to commit each outcome. Acknowledgements
//! from police intakes are read the same way. After every pass that changed something the window
//! hears [`OUTBOX_EVENT`] and redraws the recipients' states.
//!
//! It wakes when a pack is queued or a retry is asked for, and every [`TICK`] otherwise, which is
//! what retries with backoff and reads new acknowledgements.

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use grabpack_send::{
    Outcome, SendError, SendSettings, Transports, claim_due, deliver_all, record_acknowledgements,
    record_outcomes,
};
use grabpack_store::outbox::Claimed;
use jiff::Timestamp;
use tauri::{AppHandle, Emitter, Manager};

use crate::state::AppState;

/// The event the window hears after the sender changed a delivery or recorded an acknowledgement.
pub const OUTBOX_EVENT: &str = "grabpack://outbox";

/// How often the sender looks for due retries when nobody wakes it.
pub const TICK: Duration = Duration::from_secs(3);

/// How often intakes' acknowledgement feeds are read while an episode is open.
pub const ACK_POLL: Duration = Duration::from_secs(20);

/// What one pass found to do while it held the store.
struct Work {
    claimed: Vec<Claimed>,
    transports: Result<Transports, String>,
    /// Intake base URL and the cursor to read after.
    feeds: Vec<(String, Option<String>)>,
}

#[derive(Debug, Default)]
struct SenderState {
    recovered: bool,
    last_ack_poll: Option<Instant>,
}

/// Start the sender thread. It runs for the life of the app.
pub fn spawn(handle: AppHandle) -> std::io::Result<()> {
    let Some(wakes) = handle.state::<AppState>().take_sender_wakes() else {
        return Ok(());
    };
    std::thread::Builder::new()
        .name("outbox-sender".into())
        .spawn(move || run(&handle, &wakes))?;
    Ok(())
}

fn run(handle: &AppHandle, wakes: &Receiver<()>) {
    let mut me = SenderState::default();
    loop {
        match wakes.recv_timeout(TICK) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        while wakes.try_recv().is_ok() {}
        let state = handle.state::<AppState>();
        if pass(&state, &mut me) {
            let _ = handle.emit(OUTBOX_EVENT, ());
            // A delivery's new state is what the home's other devices show: it leaves now.
            state.wake_sync();
        }
        state.release_keeper_if_done();
    }
}

/// One pass: claim, deliver, record; read acknowledgements when due. True when anything changed.
fn pass(state: &AppState, me: &mut SenderState) -> bool {
    let poll_acks = me.last_ack_poll.is_none_or(|t| t.elapsed() >= ACK_POLL);
    let Some(Ok(work)) = state.with_outbox_store(|store| prepare(store, me, poll_acks)) else {
        return false;
    };
    let Some(work) = work else { return false };
    if !work.feeds.is_empty() {
        me.last_ack_poll = Some(Instant::now());
    }
    let outcomes: Vec<Outcome> = match &work.transports {
        Ok(t) => deliver_all(t, &work.claimed),
        // A broken setting (an unreadable certificate, say) is each recipient's own failure,
        // shown on the screen, rather than a pack that silently never goes.
        Err(e) => work
            .claimed
            .iter()
            .map(|_| Outcome::Failed(SendError::Settings(e.clone())))
            .collect(),
    };
    let pages: Vec<_> = match &work.transports {
        Ok(t) => work
            .feeds
            .iter()
            .filter_map(|(base, cursor)| {
                t.fetch_acknowledgements(base, cursor.as_deref())
                    .ok()
                    .map(|page| (base.clone(), cursor.clone(), page))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    let claimed_any = !work.claimed.is_empty();
    let recorded = state.with_outbox_store(|store| {
        let mut changed = false;
        if claimed_any {
            if let Err(e) = record_outcomes(store, &work.claimed, outcomes, Timestamp::now()) {
                // What was not recorded stays `sending`: due again once its lease ends
                // (`LEASE_MS`), or at once on the next start.
                eprintln!(
                    "grabpack: a delivery outcome could not be recorded ({})",
                    e.code()
                );
            }
            changed = true;
        }
        for (base, cursor, page) in &pages {
            if let Ok((n, _)) = record_acknowledgements(store, base, page, cursor.as_deref()) {
                changed |= n > 0;
            }
        }
        changed
    });
    recorded.unwrap_or(false)
}

/// Under the store: recover after a restart (once), claim what is due, and note which intake
/// feeds to read. `None` when there is nothing to do.
fn prepare(
    store: &mut grabpack_store::Store,
    me: &mut SenderState,
    poll_acks: bool,
) -> Result<Option<Work>, SendError> {
    let now = Timestamp::now();
    if !me.recovered {
        grabpack_send::recover(store, now)?;
        me.recovered = true;
    }
    // Settings that cannot be read must not strand what is claimed: each delivery then fails
    // with that reason, on screen, for a manager to mend and retry.
    let settings = SendSettings::load(store);
    let claimed = claim_due(store, now)?;
    let mut feeds = Vec::new();
    if let Ok(settings) = &settings
        && poll_acks
        && !store.list_episodes(None, true)?.is_empty()
    {
        for base in settings.intake_tokens.keys() {
            feeds.push((base.clone(), store.intake_cursor(base)?));
        }
    }
    if claimed.is_empty() && feeds.is_empty() {
        return Ok(None);
    }
    let transports = settings
        .and_then(|s| Transports::from_settings(&s))
        .map_err(|e| e.to_string());
    Ok(Some(Work {
        claimed,
        transports,
        feeds,
    }))
}
