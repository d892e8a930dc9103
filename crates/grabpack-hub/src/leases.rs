//! Who sends a delivery: one lease per delivery id in PostgreSQL, one holder at a time.
//!
//! A device takes the lease before it sends a queued pack and renews it while it works; if it
//! goes offline the lease runs out and another device of the home takes the delivery over. The
//! rule is one statement each, on PostgreSQL's clock (every hub instance agrees on it): take
//! when free, expired or already ours; renew only ours and unexpired; release only ours.
//!
//! Each lease carries a term that rises whenever the delivery passes to another device: the
//! devices number their delivery states by it, so a state from the device that sends the
//! delivery now outranks anything the device before it says later. A release expires the lease
//! rather than deleting it, so the term carries on when the delivery is next taken.

use deadpool_postgres::Pool;
use grabpack_sync_protocol::{Lease, is_valid_id};

use crate::auth::Caller;
use crate::error::{HubError, Result};

fn check_id(delivery_id: &str) -> Result<()> {
    if is_valid_id(delivery_id) {
        Ok(())
    } else {
        Err(HubError::Malformed(
            "a delivery id is 1-128 of A-Z a-z 0-9 . _ : - and does not start with a dot".into(),
        ))
    }
}

/// Take (or renew) the lease for `ttl_secs` (at most `max_secs`).
pub async fn acquire(
    pool: &Pool,
    caller: &Caller,
    delivery_id: &str,
    ttl_secs: u32,
    max_secs: u32,
) -> Result<Lease> {
    check_id(delivery_id)?;
    if ttl_secs == 0 || ttl_secs > max_secs {
        return Err(HubError::Malformed(format!("ttl_secs is 1 to {max_secs}")));
    }
    let ttl = f64::from(ttl_secs);
    let client = pool.get().await?;
    let taken = client
        .query_opt(
            "INSERT INTO leases (home_id, delivery_id, holder, expires_at, term)
             VALUES ($1, $2, $3, now() + make_interval(secs => $4), 1)
             ON CONFLICT (home_id, delivery_id) DO UPDATE
                 SET holder = excluded.holder, expires_at = excluded.expires_at,
                     term = CASE WHEN leases.holder = excluded.holder THEN leases.term
                                 ELSE leases.term + 1 END
                 WHERE leases.holder = excluded.holder OR leases.expires_at <= now()
             RETURNING holder, extract(epoch FROM expires_at)::bigint, term",
            &[&caller.home_id, &delivery_id, &caller.device_id, &ttl],
        )
        .await?;
    if let Some(r) = taken {
        return Ok(Lease {
            delivery_id: delivery_id.to_string(),
            holder: r.get(0),
            expires_at: r.get(1),
            term: r.get(2),
        });
    }
    let held = client
        .query_opt(
            "SELECT holder, extract(epoch FROM expires_at)::bigint, term FROM leases
             WHERE home_id = $1 AND delivery_id = $2",
            &[&caller.home_id, &delivery_id],
        )
        .await?;
    match held {
        Some(r) => Err(HubError::LeaseHeld(Lease {
            delivery_id: delivery_id.to_string(),
            holder: r.get(0),
            expires_at: r.get(1),
            term: r.get(2),
        })),
        // Released between the two statements: the caller may simply ask again.
        None => Err(HubError::LeaseNotHeld),
    }
}

/// Give the lease back; only its holder can. Kept, expired, so its term carries on.
pub async fn release(pool: &Pool, caller: &Caller, delivery_id: &str) -> Result<()> {
    check_id(delivery_id)?;
    let client = pool.get().await?;
    let n = client
        .execute(
            "UPDATE leases SET expires_at = now()
             WHERE home_id = $1 AND delivery_id = $2 AND holder = $3 AND expires_at > now()",
            &[&caller.home_id, &delivery_id, &caller.device_id],
        )
        .await?;
    if n == 0 {
        return Err(HubError::LeaseNotHeld);
    }
    Ok(())
}
