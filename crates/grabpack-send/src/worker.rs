//! The outbox worker: claim what is due, send it, record what happened.
//!
//! Why this order: a delivery is marked `sending` (committed, audited with the SHA-256 of its
//! bytes) before a byte leaves, and its result is committed after. A crash in between leaves it
//! `sending`; on restart [`recover`] puts it back in the queue and the same bytes go again: the
//! intake sees the same idempotency key and answers with the first receipt, a mail server sees
//! the same Message-ID. Attempts for different recipients run in parallel, so one slow or broken
//! server never holds up the others.
//!
//! The same holds when another device of the home takes a delivery over from a device gone
//! quiet: it sends the bytes that device queued, so this device takes over only what it can send
//! exactly as queued ([`can_send_as_queued`]).

use grabpack_protocol::{AckPage, AckStatus};
use grabpack_store::Store;
use grabpack_store::outbox::{Channel, Claimed, Delivery};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::error::{Result, SendError};
use crate::settings::SendSettings;
use crate::transport::{Outcome, Transports};
use crate::wire;

/// A `sending` row older than this is taken back even when this device cannot tell whether its
/// sender still runs (a sender that died is recognised at once, `grabpack_store::sender_process`).
/// Longer than any one attempt can take: the transports time out well within it.
pub const LEASE_MS: i64 = 5 * 60 * 1000;

/// Retry schedule: 15 s, 30 s, 1 min, 2 min, 4 min, 8 min, then every 15 min until delivered or a
/// person gives up.
pub fn backoff(attempts: i64) -> SignedDuration {
    let n = attempts.clamp(1, 7) as u32 - 1;
    let secs = 15i64.saturating_mul(1 << n).min(15 * 60);
    SignedDuration::from_secs(secs)
}

/// What one pass of the worker did, per delivery.
#[derive(Debug, Clone, Serialize)]
pub struct SendReport {
    pub attempted: Vec<Delivery>,
}

impl SendReport {
    pub fn delivered(&self) -> usize {
        self.attempted
            .iter()
            .filter(|d| d.state == grabpack_store::outbox::DeliveryState::Delivered)
            .count()
    }
}

/// Whether this device can send another device's delivery exactly as it was queued: an email
/// from the same mailbox (its From is the account it must be sent from), or a manifest to an
/// intake this device holds a token for. A delivery that fails this test is left for a device
/// that can (or for its own device, when it comes back).
pub fn can_send_as_queued(store: &Store, settings: &SendSettings, delivery: &Delivery) -> bool {
    match delivery.channel {
        Channel::Email => {
            let Some(smtp) = &settings.smtp else {
                return false;
            };
            let Ok(payload) = store.delivery_payload(&delivery.id) else {
                return false;
            };
            crate::transport::queued_from(&payload)
                .is_some_and(|from| from.to_string().eq_ignore_ascii_case(smtp.from.trim()))
        }
        Channel::Https => settings
            .intake_tokens
            .contains_key(delivery.address.as_str()),
    }
}

/// Call once when the app or command starts: deliveries left `sending` by a sender that is no
/// longer running (or whose lease ran out) go back to the queue, due now. Claims of a sender that
/// still runs on this store (the app while the command line sends) stay with it.
pub fn recover(store: &mut Store, now: Timestamp) -> Result<usize> {
    Ok(store.recover_interrupted(now, LEASE_MS)?)
}

/// At most this many attempts run at once (connections to servers, threads).
pub const MAX_PARALLEL: usize = 8;

/// Send every delivery that is due at `now`, up to [`MAX_PARALLEL`] at a time, holding the store
/// throughout (the command line). The app uses the three steps below so its window never waits on
/// a slow server.
pub fn send_due(store: &mut Store, transports: &Transports, now: Timestamp) -> Result<SendReport> {
    let due = store.due_deliveries(now, LEASE_MS)?;
    let mut attempted = Vec::new();
    for batch in due.chunks(MAX_PARALLEL) {
        let mut claimed: Vec<Claimed> = Vec::new();
        for d in batch {
            if let Some(c) = store.claim_delivery(&d.id, now, LEASE_MS)? {
                claimed.push(c);
            }
        }
        let outcomes = deliver_all(transports, &claimed);
        attempted.extend(record_outcomes(store, &claimed, outcomes, now)?);
    }
    Ok(SendReport { attempted })
}

/// Step 1 of 3: claim every delivery due at `now` (each committed as `sending`, audited, before a
/// byte leaves).
pub fn claim_due(store: &mut Store, now: Timestamp) -> Result<Vec<Claimed>> {
    let mut claimed = Vec::new();
    for d in store.due_deliveries(now, LEASE_MS)? {
        if let Some(c) = store.claim_delivery(&d.id, now, LEASE_MS)? {
            claimed.push(c);
        }
    }
    Ok(claimed)
}

/// Step 2 of 3: deliver claimed messages, [`MAX_PARALLEL`] at a time, without the store: the
/// outcome of each, in order.
pub fn deliver_all(transports: &Transports, claimed: &[Claimed]) -> Vec<Outcome> {
    let mut outcomes = Vec::with_capacity(claimed.len());
    for batch in claimed.chunks(MAX_PARALLEL) {
        std::thread::scope(|s| {
            let handles: Vec<_> = batch
                .iter()
                .map(|c| s.spawn(move || transports.deliver(c)))
                .collect();
            for h in handles {
                outcomes.push(h.join().unwrap_or_else(|_| {
                    Outcome::Failed(crate::SendError::Compose(
                        "the sending thread stopped".into(),
                    ))
                }));
            }
        });
    }
    outcomes
}

/// Step 3 of 3: commit what happened to each claimed delivery: delivered with the server's
/// receipt, due again after [`backoff`], or failed until a person acts.
pub fn record_outcomes(
    store: &mut Store,
    claimed: &[Claimed],
    outcomes: Vec<Outcome>,
    now: Timestamp,
) -> Result<Vec<Delivery>> {
    let mut rows = Vec::with_capacity(claimed.len());
    for (c, outcome) in claimed.iter().zip(outcomes) {
        let id = &c.delivery.id;
        let row = match outcome {
            Outcome::Delivered(receipt) => store.mark_delivered(id, c.attempt, &receipt),
            Outcome::Failed(e) if e.is_retryable() => {
                let next = now.checked_add(backoff(c.attempt)).unwrap_or(now);
                store.mark_retry(id, c.attempt, e.code(), &e.to_string(), next)
            }
            Outcome::Failed(e) => store.mark_failed(id, c.attempt, e.code(), &e.to_string()),
        };
        match row {
            Ok(row) => rows.push(row),
            // Another sender took the delivery over after this claim's lease ran out: the outcome
            // is its to record; the others of this batch are still ours.
            Err(grabpack_store::StoreError::DeliveryClaimLost(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(rows)
}

/// Read every configured intake's acknowledgements and record each on its episode (audited).
/// Returns how many were new. Holds the store while it reads the network (the command line); the
/// app fetches with [`Transports::fetch_acknowledgements`] unlocked and records with
/// [`record_acknowledgements`].
pub fn poll_acknowledgements(store: &mut Store, transports: &Transports) -> Result<usize> {
    let mut recorded = 0;
    let intakes: Vec<String> = transports.intakes().map(str::to_string).collect();
    for base in intakes {
        let mut cursor = store.intake_cursor(&base)?;
        loop {
            let page = transports.fetch_acknowledgements(&base, cursor.as_deref())?;
            let (new, next) = record_acknowledgements(store, &base, &page, cursor.as_deref())?;
            recorded += new;
            match next {
                Some(n) => cursor = Some(n),
                None => break,
            }
        }
    }
    Ok(recorded)
}

/// Record one page of an intake's acknowledgements on their episodes and move the intake's
/// cursor. Returns how many were new, and the cursor to read after when there may be more.
pub fn record_acknowledgements(
    store: &mut Store,
    base: &str,
    page: &AckPage,
    cursor: Option<&str>,
) -> Result<(usize, Option<String>)> {
    let mut recorded = 0;
    if page.acknowledgements.is_empty() {
        return Ok((0, None));
    }
    // The whole page is read before any of it is recorded: one unreadable time leaves the cursor
    // where it was, as an unreadable page always has.
    let mut timed = Vec::with_capacity(page.acknowledgements.len());
    for a in &page.acknowledgements {
        let at: Timestamp = a.at.parse().map_err(|e| {
            SendError::AckFeed(
                base.into(),
                format!("acknowledgement {} has no usable time: {e}", a.cursor),
            )
        })?;
        timed.push((a, at));
    }
    for (a, at) in timed {
        // An acknowledgement counts only for a pack this intake received from us: the delivery
        // with that idempotency key went to this very intake. Another intake cannot acknowledge
        // (or refuse) a pack it never had, and an episode id in the feed is never trusted on its
        // own. Anything else (a pack from another store, one sent outside an episode, an episode
        // since closed or gone) is skipped and the cursor moves on: one unknown item used to
        // stop this intake's feed for good.
        let Some(delivery) = store.delivery_by_idempotency_key(&a.idempotency_key)? else {
            continue;
        };
        if delivery.channel != grabpack_store::outbox::Channel::Https || delivery.address != base {
            continue;
        }
        // A pack another device of the home sent is that device's to follow: it reads the same
        // feed, records the acknowledgement (and, for a refusal, queues the one notice), and the
        // record reaches this device through sync. Recorded here too, the history would hold it
        // twice and a refusal would tell the social worker twice.
        if delivery.sent_from_another_device {
            continue;
        }
        let Some(episode) = delivery.episode_id.clone() else {
            continue;
        };
        let ack = wire::recorded_acknowledgement(base, a);
        let fresh = match store.record_acknowledgement(&episode, at, &ack) {
            Ok(fresh) => fresh,
            Err(
                grabpack_store::StoreError::EpisodeClosed
                | grabpack_store::StoreError::EpisodeNotFound(_),
            ) => continue,
            Err(e) => return Err(e.into()),
        };
        if fresh.is_some() {
            recorded += 1;
            // A refusal is also the episode's own "police would not accept" record, recorded
            // and told exactly as when staff record it by hand (one function for both): the
            // notice to the social worker and out-of-hours team is queued now. Only a new
            // acknowledgement gets here, so a repeated poll never queues it twice. With nobody
            // to send it to, no mail account, or the episode closed, the refusal still stands on
            // the episode and its view says nobody was sent the notice.
            if a.status == AckStatus::NotAccepted {
                let refusal = grabpack_store::episodes::NotAccepted {
                    reason: ack.reason.clone(),
                    officer_name: ack.officer_name.clone(),
                    collar_number: ack.collar_number.clone(),
                    reference: ack.police_reference.clone(),
                };
                match crate::episode::record_not_accepted(
                    store,
                    &episode,
                    at,
                    &refusal,
                    Timestamp::now(),
                ) {
                    Ok(_)
                    | Err(SendError::SmtpNotConfigured)
                    | Err(SendError::Store(
                        grabpack_store::StoreError::EpisodeClosed
                        | grabpack_store::StoreError::NoRecipients,
                    )) => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
    let next = Some(page.next_cursor.clone())
        .filter(|c| !c.is_empty())
        .or_else(|| page.acknowledgements.last().map(|a| a.cursor.clone()));
    match next {
        Some(n) if Some(n.as_str()) != cursor => {
            store.set_intake_cursor(base, &n)?;
            Ok((recorded, Some(n)))
        }
        _ => Ok((recorded, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_then_hold_at_fifteen_minutes() {
        let secs: Vec<i64> = (1..=9).map(|a| backoff(a).as_secs()).collect();
        assert_eq!(secs, [15, 30, 60, 120, 240, 480, 900, 900, 900]);
    }
}
