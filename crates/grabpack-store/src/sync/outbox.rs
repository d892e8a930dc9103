//! What was sent about a missing child, on every device of the home: the night worker's laptop
//! shows that the police intake has the pack the day worker sent from the office, and an update
//! or "the child is back" sent from either device goes to everyone who had the pack.
//!
//! Why one device sends each delivery: a second sender would mean a second copy at the police.
//! The device that queued a message sends it, and keeps the hub's lease on each of its deliveries
//! still to go while it syncs. A message travels as a record of who it went to; the bytes each
//! recipient gets (the email, or the intake's manifest and PDF) travel beside it, sealed like
//! everything else, so that when the sending device goes quiet (its lease runs out: a laptop shut
//! with a pack in its outbox) another device of the home takes the delivery over and sends **the
//! same bytes**: the same Message-ID and idempotency key, so a copy that did get through is known
//! at the other end as the same message, never a second, different pack.
//!
//! Each change of a delivery's state (sending, delivered, failed, given up, retried) travels as a
//! record numbered by the device that made it (`delivery_versions`) within the lease term it
//! sends under, and a device keeps the highest (term, number) it has seen: an older state
//! arriving late never wins, and the word of the device that sends the delivery now outranks the
//! one before it. One exception, because it is a fact: a delivery a server took stays delivered,
//! whichever term said so. A delivery another device sends is never claimed, retried or given up
//! from here.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::{Outcome, RECORD_FORMAT, SyncRecord, exists, invalid, not_sent};
use crate::error::Result;
use crate::ids::DeliveryId;
use crate::outbox::{
    Channel, DELIVERY_COLUMNS, Delivery, DeliveryState, Purpose, SENT_HERE, audit_delivery,
    delivery_from_row, load_delivery, sha256_hex,
};
use crate::store::{Store, now, to_json};
use grabpack_core::audience::Audience;

/// A message queued on one device: who it went to, without the bytes.
pub const RECORD_OUTBOX_MESSAGE: &str = "outbox_message";
/// One delivery's state at one of its changes.
pub const RECORD_DELIVERY_STATE: &str = "delivery_state";
/// The bytes the device that queued a delivery will send: what another device sends if it takes
/// the delivery over.
pub const RECORD_DELIVERY_PAYLOAD: &str = "delivery_payload";

/// The largest delivery payload sent to the other devices (an email with its PDF, or a manifest
/// and PDF): inside the hub's default envelope limit (8 MiB) with room for the seal. A larger one
/// stays on its device, which alone can then send it.
const MAX_PAYLOAD_BYTES: i64 = 6 * 1024 * 1024;
/// Payload records sealed per batch: each can be megabytes.
const PAYLOADS_PER_BATCH: i64 = 4;

/// A state record's id: the delivery, the lease term it was recorded in (none before the first
/// lease) and the number of the change. [`STATE_RECORD_ID`] is the same in SQL.
fn state_record_id(delivery_id: &str, term: i64, version: i64) -> String {
    if term == 0 {
        format!("{delivery_id}@{version}")
    } else {
        format!("{delivery_id}@{term}.{version}")
    }
}
const STATE_RECORD_ID: &str = "v.delivery_id || '@' || CASE WHEN v.term = 0 THEN v.version ELSE v.term || '.' || v.version END";

/// This device's deliveries whose bytes the hub does not hold yet, small enough to travel; a
/// delivery already delivered needs none (nobody will take it over).
fn payloads_unsent_where() -> String {
    format!(
        "d.state IN ('queued', 'sending', 'failed', 'given_up')
         AND NOT {QUEUED_ELSEWHERE}
         AND {}
         AND length(d.payload) + CASE WHEN d.channel = 'https'
             THEN coalesce(length(d.pdf), (SELECT length(m.pdf) FROM outbox_messages m WHERE m.id = d.message_id), 0)
             ELSE 0 END <= {MAX_PAYLOAD_BYTES}",
        not_sent(RECORD_DELIVERY_PAYLOAD, "d.id")
    )
}

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
    /// The hub's lease term it was recorded in: 0 before its sender first held a lease (and in
    /// records from before take-over).
    #[serde(default)]
    term: i64,
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
        &format!(
            "SELECT (SELECT count(*) FROM outbox_messages m
                   WHERE NOT EXISTS (SELECT 1 FROM outbox_elsewhere e WHERE e.message_id = m.id)
                   AND NOT EXISTS (SELECT 1 FROM sync_known k
                       WHERE k.record_kind = 'outbox_message' AND k.record_id = m.id))
              + (SELECT count(*) FROM delivery_versions v WHERE {})
              + (SELECT count(*) FROM outbox_deliveries d WHERE {})",
            not_sent(RECORD_DELIVERY_STATE, STATE_RECORD_ID),
            payloads_unsent_where()
        ),
        [],
        |r| r.get(0),
    )?)
}

/// A payload record: a 4-byte big-endian length, the header's JSON, then the payload and the
/// PDF (an intake's only: an email carries its PDF inside), as a photo travels.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PayloadHeader {
    format: u32,
    delivery_id: String,
    payload_bytes: u64,
    pdf_bytes: Option<u64>,
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
        "SELECT d.id, v.term, v.version, d.state, d.attempts, d.last_error_code, d.last_error,
                d.receipt, d.delivered_at, d.given_up_by, d.given_up_at, d.given_up_reason
         FROM delivery_versions v JOIN outbox_deliveries d ON d.id = v.delivery_id
         WHERE {}
         ORDER BY v.rowid LIMIT ?1",
        not_sent(RECORD_DELIVERY_STATE, STATE_RECORD_ID)
    ))?;
    let states: Vec<StateRecord> = stmt
        .query_map([left], |r| {
            Ok(StateRecord {
                format: RECORD_FORMAT,
                delivery_id: r.get(0)?,
                term: r.get(1)?,
                version: r.get(2)?,
                state: r.get(3)?,
                attempts: r.get(4)?,
                last_error_code: r.get(5)?,
                last_error: r.get(6)?,
                receipt: r.get(7)?,
                delivered_at: r.get(8)?,
                given_up_by: r.get(9)?,
                given_up_at: r.get(10)?,
                given_up_reason: r.get(11)?,
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    for s in states {
        out.push(SyncRecord {
            kind: RECORD_DELIVERY_STATE.into(),
            record_id: state_record_id(&s.delivery_id, s.term, s.version),
            body: to_json(&s)?.into_bytes(),
        });
    }
    // The bytes last, a few at a time: the states above say more, sooner, in far fewer bytes.
    let left = (limit - i64::try_from(out.len()).unwrap_or(0)).min(PAYLOADS_PER_BATCH);
    if left <= 0 {
        return Ok(out);
    }
    let ids: Vec<String> = {
        let mut stmt = conn.prepare(&format!(
            "SELECT d.id FROM outbox_deliveries d WHERE {} ORDER BY d.rowid LIMIT ?1",
            payloads_unsent_where()
        ))?;
        stmt.query_map([left], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?
    };
    for id in ids {
        let (payload, pdf): (Vec<u8>, Option<Vec<u8>>) = conn.query_row(
            "SELECT d.payload, CASE WHEN d.channel = 'https' THEN coalesce(d.pdf, m.pdf) END
             FROM outbox_deliveries d JOIN outbox_messages m ON m.id = d.message_id
             WHERE d.id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let header = PayloadHeader {
            format: RECORD_FORMAT,
            delivery_id: id.clone(),
            payload_bytes: payload.len() as u64,
            pdf_bytes: pdf.as_ref().map(|p| p.len() as u64),
        };
        let head = to_json(&header)?.into_bytes();
        let len = u32::try_from(head.len()).map_err(|_| invalid("payload header too long"))?;
        let mut body =
            Vec::with_capacity(4 + head.len() + payload.len() + pdf.as_ref().map_or(0, Vec::len));
        body.extend_from_slice(&len.to_be_bytes());
        body.extend_from_slice(&head);
        body.extend_from_slice(&payload);
        if let Some(pdf) = &pdf {
            body.extend_from_slice(pdf);
        }
        out.push(SyncRecord {
            kind: RECORD_DELIVERY_PAYLOAD.into(),
            record_id: id,
            body,
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

/// A delivery's state from another device: applied when it outranks what is here (a later term,
/// or a later change in the same term), or when it says a server took the delivery. A state
/// from a later term than any seen also says which device sends the delivery now: if that was
/// this device, it stops.
pub(super) fn receive_state(conn: &Connection, body: &[u8], device_id: &str) -> Result<Outcome> {
    let r: StateRecord =
        serde_json::from_slice(body).map_err(|e| invalid(format!("a delivery's state: {e}")))?;
    if r.format != RECORD_FORMAT {
        return Err(invalid(format!("delivery state format {}", r.format)));
    }
    if DeliveryState::parse(&r.state).is_none() {
        return Err(invalid(format!("delivery state '{}'", r.state)));
    }
    if r.term < 0 || r.version < 1 {
        return Err(invalid("a delivery state's term or number out of range"));
    }
    let here: Option<(i64, i64, String, String, i64)> = conn
        .query_row(
            "SELECT coalesce(v.term, 0), coalesce(v.version, 0), m.child_id, d.state,
                    coalesce((SELECT s.term FROM delivery_senders s WHERE s.delivery_id = d.id), 0)
             FROM outbox_deliveries d JOIN outbox_messages m ON m.id = d.message_id
                  LEFT JOIN delivery_versions v ON v.delivery_id = d.id
             WHERE d.id = ?1",
            [&r.delivery_id],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            },
        )
        .optional()?;
    let Some((term, version, child_id, state, sender_term)) = here else {
        return Ok(Outcome::Wait);
    };
    if my_device(conn)?.as_deref() == Some(device_id) {
        // This device's own record, back from the hub.
        return Ok(Outcome::AlreadyHere);
    }
    if r.term > sender_term {
        set_sender(conn, &r.delivery_id, device_id, r.term, false)?;
    }
    let delivered = |s: &str| s == DeliveryState::Delivered.as_str();
    let newer = (r.term, r.version) > (term, version);
    if delivered(&state) || !(newer || delivered(&r.state)) {
        return Ok(Outcome::AlreadyHere);
    }
    let sent_here: bool = conn.query_row(
        &format!("SELECT {SENT_HERE} FROM outbox_deliveries d WHERE d.id = ?1"),
        [&r.delivery_id],
        |row| row.get(0),
    )?;
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
    // Still this device's to send (an earlier sender's "delivered", taken in): the trigger
    // numbered the change in this device's term, and it goes on to the others from here.
    if !sent_here && newer {
        conn.execute(
            "INSERT INTO delivery_versions (delivery_id, version, term) VALUES (?1, ?2, ?3)
             ON CONFLICT (delivery_id) DO UPDATE SET version = excluded.version, term = excluded.term",
            params![r.delivery_id, r.version, r.term],
        )?;
    }
    Ok(Outcome::Outbox { child_id })
}

/// The bytes another device queued for one of its deliveries, kept for a take-over once they
/// are exactly what its message said (the SHA-256 of each).
pub(super) fn receive_payload(conn: &Connection, body: &[u8]) -> Result<Outcome> {
    let (header, rest) = split_payload(body)?;
    let found: Option<(String, Option<String>, String, bool, String)> = conn
        .query_row(
            &format!(
                "SELECT d.payload_sha256, COALESCE(d.pdf_sha256, m.pdf_sha256), d.channel,
                        {QUEUED_ELSEWHERE}, m.child_id
                 FROM outbox_deliveries d JOIN outbox_messages m ON m.id = d.message_id
                 WHERE d.id = ?1"
            ),
            [&header.delivery_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((payload_sha256, pdf_sha256, channel, elsewhere, child_id)) = found else {
        return Ok(Outcome::Wait);
    };
    // Queued here: the bytes are here already.
    if !elsewhere
        || exists(
            conn,
            "delivery_payloads",
            "delivery_id",
            &header.delivery_id,
        )?
    {
        return Ok(Outcome::AlreadyHere);
    }
    let payload_len = usize::try_from(header.payload_bytes)
        .map_err(|_| invalid("a delivery payload's length"))?;
    if payload_len > rest.len() {
        return Err(invalid("a delivery payload shorter than its header says"));
    }
    let (payload, pdf) = rest.split_at(payload_len);
    match header.pdf_bytes {
        None if pdf.is_empty() => {}
        Some(n) if u64::try_from(pdf.len()).ok() == Some(n) => {}
        _ => {
            return Err(invalid(
                "a delivery payload's PDF is not the length its header says",
            ));
        }
    }
    if sha256_hex(payload) != payload_sha256 {
        return Err(invalid(
            "a delivery payload that is not the one its message queued (SHA-256 differs)",
        ));
    }
    let pdf = match (channel == Channel::Https.as_str(), header.pdf_bytes) {
        (true, Some(_)) => {
            if pdf_sha256.as_deref() != Some(sha256_hex(pdf).as_str()) {
                return Err(invalid(
                    "a delivery's PDF that is not the one its message queued (SHA-256 differs)",
                ));
            }
            Some(pdf)
        }
        (true, None) => return Err(invalid("an intake delivery's payload without its PDF")),
        (false, Some(_)) => {
            return Err(invalid("an email delivery's payload with a PDF beside it"));
        }
        (false, None) => None,
    };
    conn.execute(
        "INSERT INTO delivery_payloads (delivery_id, payload, pdf) VALUES (?1, ?2, ?3)",
        params![header.delivery_id, payload, pdf],
    )?;
    Ok(Outcome::Outbox { child_id })
}

fn split_payload(body: &[u8]) -> Result<(PayloadHeader, &[u8])> {
    let bad = || invalid("a delivery payload record cut short");
    let (len, rest) = body.split_first_chunk::<4>().ok_or_else(bad)?;
    let len = usize::try_from(u32::from_be_bytes(*len)).map_err(|_| bad())?;
    if len > rest.len() {
        return Err(bad());
    }
    let (head, rest) = rest.split_at(len);
    let header: PayloadHeader = serde_json::from_slice(head)
        .map_err(|e| invalid(format!("a delivery payload's header: {e}")))?;
    if header.format != RECORD_FORMAT {
        return Err(invalid(format!(
            "delivery payload format {}",
            header.format
        )));
    }
    Ok((header, rest))
}

/// Whether delivery `d` was queued on another device (its message kept as that device's).
macro_rules! queued_elsewhere {
    () => {
        "EXISTS (SELECT 1 FROM outbox_elsewhere e WHERE e.message_id = d.message_id)"
    };
}
const QUEUED_ELSEWHERE: &str = queued_elsewhere!();

/// Whether delivery `d`'s bytes are on this device: it queued it, or they came for a take-over.
const BYTES_HERE: &str = concat!(
    "(NOT ",
    queued_elsewhere!(),
    " OR EXISTS (SELECT 1 FROM delivery_payloads p WHERE p.delivery_id = d.id))"
);

/// This device's id at the hub, when it has joined a home.
fn my_device(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT device_id FROM sync_device WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Record which device sends a delivery now, in which term (never going back to an earlier one).
/// Returns whether anything changed.
fn set_sender(
    conn: &Connection,
    delivery_id: &str,
    device_id: &str,
    term: i64,
    here: bool,
) -> Result<bool> {
    Ok(conn.execute(
        "INSERT INTO delivery_senders (delivery_id, device_id, term, here, since)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (delivery_id) DO UPDATE SET device_id = excluded.device_id,
             term = excluded.term, here = excluded.here, since = excluded.since
         WHERE delivery_senders.term < excluded.term",
        params![delivery_id, device_id, term, here, now()],
    )? > 0)
}

/// The device a delivery was sent by before `here` took it: the last that took it over, else
/// the one that queued it.
fn previous_sender(conn: &Connection, delivery_id: &str) -> Result<String> {
    Ok(conn.query_row(
        "SELECT coalesce(
             (SELECT s.device_id FROM delivery_senders s WHERE s.delivery_id = d.id),
             (SELECT e.device_id FROM outbox_elsewhere e WHERE e.message_id = d.message_id),
             'this device')
         FROM outbox_deliveries d WHERE d.id = ?1",
        [delivery_id],
        |r| r.get(0),
    )?)
}

impl Store {
    /// This device's deliveries still to go (queued, or being sent): while it syncs, it holds
    /// the hub's lease on each, so no other device takes them over.
    /// Each with the lease term this device last held it in (0: never yet).
    pub fn sync_deliveries_to_hold(&self) -> Result<Vec<(DeliveryId, i64)>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT d.id, coalesce((SELECT s.term FROM delivery_senders s WHERE s.delivery_id = d.id), 0)
             FROM outbox_deliveries d
             WHERE d.state IN ('queued', 'sending') AND {SENT_HERE} ORDER BY d.rowid"
        ))?;
        Ok(stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<_, _>>()?)
    }

    /// The hub refused these deliveries' bytes as larger than it takes: they stay on this
    /// device (which alone can then send them) and are not offered again; the audit says so.
    pub fn sync_keep_payloads_here(&mut self, delivery_ids: &[String]) -> Result<()> {
        let at = now();
        let actor = self.actor().id();
        let tx = self.conn_mut().transaction()?;
        for id in delivery_ids {
            tx.execute(
                "DELETE FROM sync_sealed WHERE record_kind = ?1 AND record_id = ?2",
                params![RECORD_DELIVERY_PAYLOAD, id],
            )?;
            // Known with no envelope: never offered again, and never counted as waiting.
            tx.execute(
                "INSERT INTO sync_known (record_kind, record_id, envelope_id) VALUES (?1, ?2, '')
                 ON CONFLICT DO NOTHING",
                params![RECORD_DELIVERY_PAYLOAD, id],
            )?;
            let d = load_delivery(&tx, &DeliveryId::from(id.clone()))?;
            audit_delivery(
                &tx,
                &at,
                &actor,
                "delivery_bytes_kept_here",
                &d,
                "the hub refused this delivery's bytes as too large: only this device can send it",
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The hub says this device holds the lease on `id` in `term`: its next states carry it.
    pub fn sync_delivery_held(&mut self, id: &DeliveryId, term: i64) -> Result<()> {
        let Some(me) = my_device(self.conn())? else {
            return Ok(());
        };
        set_sender(self.conn(), id.as_str(), &me, term, true)?;
        Ok(())
    }

    /// The hub says another device held the lease on `id` in `term`, later than this device's:
    /// it took the delivery over while this device was quiet; this device stops sending it, and
    /// shows that device's states. `holder` is `None` when the hub gave the lease back to this
    /// device in a later term still (the other device let it go): which device it was, and
    /// whether it sent it, its states say.
    pub fn sync_delivery_taken_elsewhere(
        &mut self,
        id: &DeliveryId,
        holder: Option<&str>,
        term: i64,
    ) -> Result<()> {
        let at = now();
        let actor = self.actor().id();
        let tx = self.conn_mut().transaction()?;
        let who = holder.unwrap_or("another device");
        if set_sender(&tx, id.as_str(), who, term, false)? {
            let d = load_delivery(&tx, id)?;
            audit_delivery(
                &tx,
                &at,
                &actor,
                "delivery_taken_over_elsewhere",
                &d,
                &format!(
                    "{who} took this delivery over (lease term {term}) while this device was not syncing; its states show here, and this device sends it only if it takes it back"
                ),
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Deliveries another device sends (it queued them, or took them over, from here too) that
    /// are still to go and whose bytes are here: what this device could take over if their
    /// sender's lease has run out (the hub decides that). Whether this device can send each as queued is the sender's rule.
    pub fn sync_take_over_candidates(&self) -> Result<Vec<Delivery>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM outbox_deliveries d JOIN outbox_messages m ON m.id = d.message_id
             WHERE d.state IN ('queued', 'sending') AND NOT {SENT_HERE} AND {BYTES_HERE}
             ORDER BY d.rowid"
        ))?;
        Ok(stmt
            .query_map([], delivery_from_row)?
            .collect::<std::result::Result<_, _>>()?)
    }

    /// The hub gave this device the lease on another device's delivery, in `term`: this device
    /// sends it from now on, the same bytes, due at once. `None` when it no longer needs taking
    /// (a state that arrived meanwhile says it went).
    pub fn sync_take_over(&mut self, id: &DeliveryId, term: i64) -> Result<Option<Delivery>> {
        let at = now();
        let actor = self.actor().id();
        let now_ms = jiff::Timestamp::now().as_millisecond();
        let tx = self.conn_mut().transaction()?;
        let Some(me) = my_device(&tx)? else {
            return Ok(None);
        };
        let still: bool = tx.query_row(
            &format!(
                "SELECT d.state IN ('queued', 'sending') AND NOT {SENT_HERE} AND {BYTES_HERE}
                 FROM outbox_deliveries d WHERE d.id = ?1"
            ),
            [id],
            |r| r.get(0),
        )?;
        if !still {
            return Ok(None);
        }
        let before = previous_sender(&tx, id.as_str())?;
        if !set_sender(&tx, id.as_str(), &me, term, true)? {
            return Ok(None);
        }
        tx.execute(
            "UPDATE outbox_deliveries SET state = 'queued', next_attempt_ms = ?2, claimed_ms = NULL,
                    claimed_by = NULL
             WHERE id = ?1",
            params![id, now_ms],
        )?;
        let d = load_delivery(&tx, id)?;
        audit_delivery(
            &tx,
            &at,
            &actor,
            "delivery_taken_over",
            &d,
            &format!(
                "state queued; taken over from device {before}, which had not renewed its lease (term {term}); the bytes it queued are sent from here"
            ),
        )?;
        tx.commit()?;
        Ok(Some(d))
    }
}
