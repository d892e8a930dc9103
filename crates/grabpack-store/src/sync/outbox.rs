//! What was sent about a missing child, on every device of the home: the night worker's laptop
//! shows that the police intake has the pack the day worker sent from the office, and an update
//! or "the child is back" sent from either device goes to everyone who had the pack.
//!
//! Why the sending device stays the only sender: only it holds the bytes each recipient gets
//! (the signed email, the intake's manifest and PDF), and a second sender would mean a second
//! copy at the police. So a message travels without them, as a record of who it went to; each
//! change of a delivery's state (sending, delivered, failed, given up, retried) travels as a
//! record of its own, numbered by the sending device (`delivery_versions`), and a device keeps the
//! highest number it has seen. A message kept here from another device is never claimed,
//! retried or given up from here (`outbox_elsewhere`; `delivery_versions` counts this device's
//! own changes).

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::{Outcome, RECORD_FORMAT, SyncRecord, exists, invalid, not_sent};
use crate::error::Result;
use crate::outbox::{Channel, DeliveryState, Purpose};
use crate::store::to_json;
use grabpack_core::audience::Audience;

/// A message queued on one device: who it went to, without the bytes.
pub const RECORD_OUTBOX_MESSAGE: &str = "outbox_message";
/// One delivery's state at one of its changes.
pub const RECORD_DELIVERY_STATE: &str = "delivery_state";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageRecord {
    format: u32,
    id: String,
    episode_id: Option<String>,
    child_id: String,
    purpose: String,
    created_at: String,
    created_by: String,
    pdf_sha256: Option<String>,
    readout: String,
    cover_note: String,
    deliveries: Vec<DeliveryRecord>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeliveryRecord {
    id: String,
    recipient_id: String,
    recipient_name: String,
    recipient_role: String,
    channel: String,
    address: String,
    payload_sha256: String,
    pdf_sha256: Option<String>,
    audience: Option<String>,
    idempotency_key: String,
    email_message_id: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateRecord {
    format: u32,
    delivery_id: String,
    version: i64,
    state: String,
    attempts: i64,
    last_error_code: Option<String>,
    last_error: Option<String>,
    receipt: Option<String>,
    delivered_at: Option<String>,
    given_up_by: Option<String>,
    given_up_at: Option<String>,
    given_up_reason: Option<String>,
}

/// How many of this device's messages and delivery states the hub does not hold yet.
pub(super) fn unsent(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM outbox_messages m
                   WHERE NOT EXISTS (SELECT 1 FROM outbox_elsewhere e WHERE e.message_id = m.id)
                   AND NOT EXISTS (SELECT 1 FROM sync_known k
                       WHERE k.record_kind = 'outbox_message' AND k.record_id = m.id))
              + (SELECT count(*) FROM delivery_versions v
                   WHERE NOT EXISTS (SELECT 1 FROM sync_known k
                       WHERE k.record_kind = 'delivery_state'
                         AND k.record_id = v.delivery_id || '@' || v.version))",
        [],
        |r| r.get(0),
    )?)
}

/// Up to `limit` of this device's messages the hub does not hold, then the newest state of each
/// delivery it does not hold (a message always before its deliveries' states).
pub(super) fn outgoing(conn: &Connection, limit: i64) -> Result<Vec<SyncRecord>> {
    let mut out = Vec::new();
    let ids: Vec<String> = {
        let mut stmt = conn.prepare(&format!(
            "SELECT m.id FROM outbox_messages m
             WHERE NOT EXISTS (SELECT 1 FROM outbox_elsewhere e WHERE e.message_id = m.id)
               AND {}
             ORDER BY m.rowid LIMIT ?1",
            not_sent(RECORD_OUTBOX_MESSAGE, "m.id")
        ))?;
        stmt.query_map([limit], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?
    };
    for id in ids {
        let mut record = conn.query_row(
            "SELECT id, episode_id, child_id, purpose, created_at, created_by, pdf_sha256, readout, cover_note
             FROM outbox_messages WHERE id = ?1",
            [&id],
            |r| {
                Ok(MessageRecord {
                    format: RECORD_FORMAT,
                    id: r.get(0)?,
                    episode_id: r.get(1)?,
                    child_id: r.get(2)?,
                    purpose: r.get(3)?,
                    created_at: r.get(4)?,
                    created_by: r.get(5)?,
                    pdf_sha256: r.get(6)?,
                    readout: r.get(7)?,
                    cover_note: r.get(8)?,
                    deliveries: Vec::new(),
                })
            },
        )?;
        let mut stmt = conn.prepare(
            "SELECT id, recipient_id, recipient_name, recipient_role, channel, address, payload_sha256,
                    pdf_sha256, audience, idempotency_key, email_message_id
             FROM outbox_deliveries WHERE message_id = ?1 ORDER BY rowid",
        )?;
        record.deliveries = stmt
            .query_map([&id], |r| {
                Ok(DeliveryRecord {
                    id: r.get(0)?,
                    recipient_id: r.get(1)?,
                    recipient_name: r.get(2)?,
                    recipient_role: r.get(3)?,
                    channel: r.get(4)?,
                    address: r.get(5)?,
                    payload_sha256: r.get(6)?,
                    pdf_sha256: r.get(7)?,
                    audience: r.get(8)?,
                    idempotency_key: r.get(9)?,
                    email_message_id: r.get(10)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        out.push(SyncRecord {
            kind: RECORD_OUTBOX_MESSAGE.into(),
            record_id: id,
            body: to_json(&record)?.into_bytes(),
        });
    }
    let left = limit - i64::try_from(out.len()).unwrap_or(0);
    if left <= 0 {
        return Ok(out);
    }
    // Only deliveries whose state changed since it last went (the versions table is small; a
    // delivery's row is read only when it has something to send). A delivery never changed is
    // queued, which its message already says.
    let mut stmt = conn.prepare(&format!(
        "SELECT d.id, v.version, d.state, d.attempts, d.last_error_code, d.last_error,
                d.receipt, d.delivered_at, d.given_up_by, d.given_up_at, d.given_up_reason
         FROM delivery_versions v JOIN outbox_deliveries d ON d.id = v.delivery_id
         WHERE {}
         ORDER BY v.rowid LIMIT ?1",
        not_sent(RECORD_DELIVERY_STATE, "v.delivery_id || '@' || v.version")
    ))?;
    let states: Vec<StateRecord> = stmt
        .query_map([left], |r| {
            Ok(StateRecord {
                format: RECORD_FORMAT,
                delivery_id: r.get(0)?,
                version: r.get(1)?,
                state: r.get(2)?,
                attempts: r.get(3)?,
                last_error_code: r.get(4)?,
                last_error: r.get(5)?,
                receipt: r.get(6)?,
                delivered_at: r.get(7)?,
                given_up_by: r.get(8)?,
                given_up_at: r.get(9)?,
                given_up_reason: r.get(10)?,
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    for s in states {
        out.push(SyncRecord {
            kind: RECORD_DELIVERY_STATE.into(),
            record_id: format!("{}@{}", s.delivery_id, s.version),
            body: to_json(&s)?.into_bytes(),
        });
    }
    Ok(out)
}

/// A message queued on another device: kept as that device's, its deliveries without bytes.
/// Waits for its child and its episode.
pub(super) fn receive_message(conn: &Connection, body: &[u8], device_id: &str) -> Result<Outcome> {
    let r: MessageRecord =
        serde_json::from_slice(body).map_err(|e| invalid(format!("an outbox message: {e}")))?;
    if r.format != RECORD_FORMAT {
        return Err(invalid(format!("outbox message format {}", r.format)));
    }
    if Purpose::parse(&r.purpose).is_none() {
        return Err(invalid(format!("outbox message purpose '{}'", r.purpose)));
    }
    if r.deliveries.is_empty() {
        return Err(invalid("an outbox message with no recipients"));
    }
    for d in &r.deliveries {
        if Channel::parse(&d.channel).is_none() {
            return Err(invalid(format!("delivery channel '{}'", d.channel)));
        }
        if let Some(a) = &d.audience
            && Audience::parse(a).is_none()
        {
            return Err(invalid(format!("delivery audience '{a}'")));
        }
    }
    let here = exists(conn, "outbox_messages", "id", &r.id)?;
    if here {
        return Ok(Outcome::AlreadyHere);
    }
    let child_known = exists(conn, "children", "id", &r.child_id)?;
    let episode_known = match &r.episode_id {
        None => true,
        Some(e) => exists(conn, "episodes", "id", e)?,
    };
    if !child_known || !episode_known {
        return Ok(Outcome::Wait);
    }
    conn.execute(
        "INSERT INTO outbox_messages (id, episode_id, child_id, purpose, created_at, created_by, pdf, pdf_sha256, readout, cover_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8, ?9)",
        params![
            r.id,
            r.episode_id,
            r.child_id,
            r.purpose,
            r.created_at,
            r.created_by,
            r.pdf_sha256,
            r.readout,
            r.cover_note
        ],
    )?;
    conn.execute(
        "INSERT INTO outbox_elsewhere (message_id, device_id) VALUES (?1, ?2)",
        params![r.id, device_id],
    )?;
    for d in &r.deliveries {
        // The bytes stay on the sending device: an empty payload here, never sent from here.
        conn.execute(
            "INSERT INTO outbox_deliveries (id, message_id, recipient_id, recipient_name, recipient_role, channel, address, payload, payload_sha256, idempotency_key, email_message_id, state, audience, pdf_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, x'', ?8, ?9, ?10, 'queued', ?11, ?12)",
            params![
                d.id,
                r.id,
                d.recipient_id,
                d.recipient_name,
                d.recipient_role,
                d.channel,
                d.address,
                d.payload_sha256,
                d.idempotency_key,
                d.email_message_id,
                d.audience,
                d.pdf_sha256
            ],
        )?;
    }
    Ok(Outcome::Outbox {
        child_id: r.child_id,
    })
}

/// A delivery's state from the device that sends it: applied when newer than what is here.
pub(super) fn receive_state(conn: &Connection, body: &[u8]) -> Result<Outcome> {
    let r: StateRecord =
        serde_json::from_slice(body).map_err(|e| invalid(format!("a delivery's state: {e}")))?;
    if r.format != RECORD_FORMAT {
        return Err(invalid(format!("delivery state format {}", r.format)));
    }
    if DeliveryState::parse(&r.state).is_none() {
        return Err(invalid(format!("delivery state '{}'", r.state)));
    }
    let here: Option<(i64, bool, String)> = conn
        .query_row(
            "SELECT coalesce((SELECT version FROM delivery_versions WHERE delivery_id = d.id), 0),
                    NOT EXISTS (SELECT 1 FROM outbox_elsewhere e WHERE e.message_id = d.message_id),
                    m.child_id
             FROM outbox_deliveries d JOIN outbox_messages m ON m.id = d.message_id WHERE d.id = ?1",
            [&r.delivery_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let Some((version, own, child_id)) = here else {
        return Ok(Outcome::Wait);
    };
    if own {
        return Err(invalid(
            "another device sent a state for a delivery this device sends",
        ));
    }
    if r.version <= version {
        return Ok(Outcome::AlreadyHere);
    }
    conn.execute(
        "UPDATE outbox_deliveries SET state = ?2, attempts = ?3, last_error_code = ?4, last_error = ?5,
                receipt = ?6, delivered_at = ?7, given_up_by = ?8, given_up_at = ?9,
                given_up_reason = ?10, next_attempt_ms = NULL
         WHERE id = ?1",
        params![
            r.delivery_id,
            r.state,
            r.attempts,
            r.last_error_code,
            r.last_error,
            r.receipt,
            r.delivered_at,
            r.given_up_by,
            r.given_up_at,
            r.given_up_reason
        ],
    )?;
    conn.execute(
        "INSERT INTO delivery_versions (delivery_id, version) VALUES (?1, ?2)
         ON CONFLICT (delivery_id) DO UPDATE SET version = excluded.version",
        params![r.delivery_id, r.version],
    )?;
    Ok(Outcome::Outbox { child_id })
}
