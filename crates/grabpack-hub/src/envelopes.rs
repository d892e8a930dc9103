//! Storing pushed envelopes once each, and handing a home's envelopes out in order.
//!
//! A push is one transaction holding the home's row lock: the home's sequence numbers are
//! handed out and committed in order, so a pull that has seen sequence N has seen everything
//! before N (a global sequence would commit out of order under concurrent pushes and a pull
//! could skip an envelope for good). The envelope id is the device's: the same id with the same
//! bytes again is a replay and stores nothing; the same id with other bytes, or an id another
//! home used, refuses the whole push. Every check on the body is made before anything is
//! written. The `NOTIFY` in the transaction wakes pulls on every instance once it commits.

use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::Pool;
use grabpack_sync_protocol::{
    B64, NONCE_BYTES, PullResponse, PushRequest, PushResponse, PushResult, StoredEnvelope,
};

use crate::auth::Caller;
use crate::config::Config;
use crate::error::{HubError, Result};
use crate::notify::{CHANNEL, Notifier};

/// The most envelopes one pull returns.
pub const MAX_PULL: u32 = 1000;

fn check(config: &Config, push: &PushRequest) -> Result<()> {
    if push.envelopes.is_empty() {
        return Err(HubError::Malformed(
            "a push carries at least one envelope".into(),
        ));
    }
    if push.envelopes.len() > config.max_envelopes_per_push {
        return Err(HubError::TooLarge {
            limit: config.max_envelopes_per_push,
        });
    }
    let mut ids = std::collections::HashSet::new();
    for e in &push.envelopes {
        if uuid::Uuid::parse_str(&e.id).is_err() || e.id.len() != 36 {
            return Err(HubError::Malformed(format!(
                "envelope id {:?} is not a UUID",
                e.id
            )));
        }
        if !ids.insert(e.id.to_ascii_lowercase()) {
            return Err(HubError::Malformed(format!(
                "envelope id {} appears twice",
                e.id
            )));
        }
        if e.nonce.0.len() != NONCE_BYTES {
            return Err(HubError::Malformed(format!(
                "an envelope's nonce is {NONCE_BYTES} bytes"
            )));
        }
        // The smallest sealed record is its 16-byte tag and a format byte.
        if e.ciphertext.0.len() < 17 {
            return Err(HubError::Malformed(
                "an envelope's ciphertext is too short".into(),
            ));
        }
        if e.ciphertext.0.len() > config.max_envelope_bytes {
            return Err(HubError::TooLarge {
                limit: config.max_envelope_bytes,
            });
        }
        if e.epoch == 0 {
            return Err(HubError::Malformed("epochs start at 1".into()));
        }
    }
    Ok(())
}

pub async fn push(
    pool: &Pool,
    config: &Config,
    caller: &Caller,
    push: &PushRequest,
) -> Result<PushResponse> {
    check(config, push)?;
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let row = tx
        .query_one(
            "SELECT epoch, last_seq FROM homes WHERE id = $1 FOR UPDATE",
            &[&caller.home_id],
        )
        .await?;
    let current = row.get::<_, i32>(0) as u32;
    let mut seq: i64 = row.get(1);
    let mut results = Vec::with_capacity(push.envelopes.len());
    let mut stored_any = false;
    for e in &push.envelopes {
        let id = e.id.to_ascii_lowercase();
        let existing = tx
            .query_opt(
                "SELECT home_id, device_id, epoch, nonce, ciphertext, seq FROM envelopes WHERE id = $1",
                &[&id],
            )
            .await?;
        if let Some(r) = existing {
            let home: String = r.get(0);
            if home != caller.home_id {
                return Err(HubError::ForeignId);
            }
            let same = r.get::<_, String>(1) == caller.device_id
                && r.get::<_, i32>(2) as u32 == e.epoch
                && r.get::<_, Vec<u8>>(3) == e.nonce.0
                && r.get::<_, Vec<u8>>(4) == e.ciphertext.0;
            if !same {
                return Err(HubError::EnvelopeConflict);
            }
            results.push(PushResult {
                id,
                seq: r.get(5),
                stored: false,
            });
            continue;
        }
        // A new envelope must be sealed under the home's current key.
        if e.epoch != current {
            return Err(HubError::StaleEpoch {
                sent: e.epoch,
                current,
            });
        }
        seq += 1;
        let inserted = tx
            .execute(
                "INSERT INTO envelopes (id, home_id, seq, device_id, epoch, nonce, ciphertext, size)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
                &[
                    &id,
                    &caller.home_id,
                    &seq,
                    &caller.device_id,
                    &(e.epoch as i32),
                    &e.nonce.0,
                    &e.ciphertext.0,
                    &(e.ciphertext.0.len() as i32),
                ],
            )
            .await?;
        if inserted == 0 {
            // Another home's push took this id at the same instant (this home's are serialised
            // by the row lock).
            return Err(HubError::ForeignId);
        }
        stored_any = true;
        results.push(PushResult {
            id,
            seq,
            stored: true,
        });
    }
    if stored_any {
        tx.execute(
            "UPDATE homes SET last_seq = $2 WHERE id = $1",
            &[&caller.home_id, &seq],
        )
        .await?;
        tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &caller.home_id])
            .await?;
    }
    tx.commit().await?;
    Ok(PushResponse { results })
}

async fn read_after(pool: &Pool, home_id: &str, after: i64, limit: u32) -> Result<PullResponse> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT seq, id, device_id, epoch, nonce, ciphertext, extract(epoch FROM received_at)::bigint
             FROM envelopes WHERE home_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            &[&home_id, &after, &(i64::from(limit) + 1)],
        )
        .await?;
    let more = rows.len() > limit as usize;
    let envelopes: Vec<StoredEnvelope> = rows
        .iter()
        .take(limit as usize)
        .map(|r| StoredEnvelope {
            seq: r.get(0),
            id: r.get(1),
            device_id: r.get(2),
            epoch: r.get::<_, i32>(3) as u32,
            nonce: B64(r.get(4)),
            ciphertext: B64(r.get(5)),
            received_at: r.get(6),
        })
        .collect();
    let cursor = envelopes.last().map(|e| e.seq).unwrap_or(after);
    Ok(PullResponse {
        envelopes,
        cursor,
        more,
    })
}

/// The home's envelopes after `after`; when there are none and `wait` > 0, wait (at most the
/// configured maximum) for a push to this home on any instance.
pub async fn pull(
    pool: &Pool,
    notifier: &Arc<Notifier>,
    config: &Config,
    caller: &Caller,
    after: i64,
    limit: u32,
    wait_secs: u32,
) -> Result<PullResponse> {
    if after < 0 {
        return Err(HubError::Malformed("the cursor is never negative".into()));
    }
    let limit = limit.clamp(1, MAX_PULL);
    let wait = Duration::from_secs(u64::from(wait_secs.min(config.max_long_poll_secs)));
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let wake = notifier.for_home(&caller.home_id);
        let notified = wake.notify.notified();
        tokio::pin!(notified);
        // Registered before looking: a push committed after this look still wakes us.
        notified.as_mut().enable();
        let page = read_after(pool, &caller.home_id, after, limit).await?;
        if !page.envelopes.is_empty() || tokio::time::Instant::now() >= deadline {
            return Ok(page);
        }
        let _waiting = wake.waiting();
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            return read_after(pool, &caller.home_id, after, limit).await;
        }
    }
}
