//! The durable outbox: every pack is committed here before the first attempt to send it.
//!
//! Why: the emergency path must never wait on the network, and nothing sent may be lost or sent
//! twice by accident. A message (the PDF, the read-out, the cover note) and one delivery row per
//! recipient are written in one transaction. Each delivery row carries the exact bytes that will go
//! out (the whole RFC 5322 email, or the HTTPS manifest), its SHA-256, its idempotency key and its
//! email Message-ID, and a trigger refuses any change to them: a retry after a crash sends the
//! very same bytes, so an intake sees the same idempotency key and a mail server the same
//! Message-ID. Delivery state moves `queued -> sending -> delivered | queued (retry) | failed`,
//! or `given_up` by a named person; every move is one transaction with its audit entry, which
//! names the SHA-256 of what went out. This module stores and moves state; the transports and
//! the worker live in grabpack-send.

use crate::ids::{ChildId, DeliveryId, EpisodeId, OutboxMessageId};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit;
use crate::audit_action::AuditAction;
use crate::episodes::now_string;
use crate::error::{Result, StoreError};
use crate::store::Store;
use grabpack_core::audience::Audience;

/// How a recipient is reached.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Https,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Https => "https",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Email, Self::Https]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// A delivery's state.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    Queued,
    Sending,
    Delivered,
    Failed,
    GivenUp,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::GivenUp => "given_up",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Queued,
            Self::Sending,
            Self::Delivered,
            Self::Failed,
            Self::GivenUp,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

impl std::fmt::Display for DeliveryState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a message was queued. Stored as `as_str()`; unknown is `store.damaged`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// The grab pack itself, to police and the people around the child.
    Pack,
    /// "Police would not accept the report": to the social worker and out-of-hours team only.
    NotAcceptedNotice,
    /// A new pack after Part 2 changed, to everyone who had the pack, threaded to the first.
    Update,
    /// "The child is back": to everyone who had the pack, threaded to the first, so no one goes
    /// on searching.
    ReturnedNotice,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pack => "pack",
            Self::NotAcceptedNotice => "not_accepted_notice",
            Self::Update => "update",
            Self::ReturnedNotice => "returned_notice",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Pack,
            Self::NotAcceptedNotice,
            Self::Update,
            Self::ReturnedNotice,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

// The outbox's words travel as their stored text (`crate::db::stored_as_text`): a delivery is
// never quietly "queued" or "email" when its word cannot be read.
crate::db::stored_as_text!(Channel);
crate::db::stored_as_text!(DeliveryState);
crate::db::stored_as_text!(Purpose);

impl std::fmt::Display for Purpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// One recipient of a new message, with exactly the bytes that will go to them.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub recipient_id: String,
    pub recipient_name: String,
    /// police, social_worker, out_of_hours, manager, other.
    pub recipient_role: String,
    pub channel: Channel,
    /// An email address, or the intake's base URL.
    pub address: String,
    /// The whole email (RFC 5322) or the HTTPS manifest (JSON).
    pub payload: Vec<u8>,
    pub idempotency_key: String,
    pub email_message_id: Option<String>,
    /// Which version of the pack this recipient gets (`None` for a message with one version).
    pub audience: Option<Audience>,
    /// This recipient's version of the PDF, when it differs from the message's own.
    pub pdf: Option<Vec<u8>>,
}

/// A message to queue: committed with all its deliveries before any attempt.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub id: OutboxMessageId,
    pub episode_id: Option<EpisodeId>,
    pub child_id: ChildId,
    /// pack, not_accepted_notice, update, returned_notice.
    pub purpose: Purpose,
    pub pdf: Option<Vec<u8>>,
    pub readout: String,
    pub cover_note: String,
    pub deliveries: Vec<NewDelivery>,
}

/// A delivery row (without its payload bytes).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    pub id: DeliveryId,
    pub message_id: OutboxMessageId,
    pub episode_id: Option<EpisodeId>,
    pub child_id: ChildId,
    pub recipient_id: String,
    pub recipient_name: String,
    pub recipient_role: String,
    pub channel: Channel,
    pub address: String,
    pub payload_sha256: String,
    /// The SHA-256 of the PDF this recipient got (their version's, else the message's).
    pub pdf_sha256: Option<String>,
    /// Which version of the pack this recipient got; `None` on deliveries queued before
    /// versions existed (they had the message's one PDF).
    pub audience: Option<Audience>,
    pub idempotency_key: String,
    pub email_message_id: Option<String>,
    pub state: DeliveryState,
    pub attempts: i64,
    pub next_attempt_at: Option<Timestamp>,
    pub last_error_code: Option<String>,
    pub last_error: Option<String>,
    /// What the server said when it took the message (SMTP reply or intake receipt).
    pub receipt: Option<String>,
    pub delivered_at: Option<String>,
    pub given_up_by: Option<String>,
    pub given_up_reason: Option<String>,
    /// Sent by another of the home's devices (the one that queued it, or the one that took it
    /// over): shown here, never sent from here.
    pub sent_from_another_device: bool,
}

/// A delivery the worker has claimed, with the bytes to send.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub delivery: Delivery,
    pub attempt: i64,
    pub payload: Vec<u8>,
    pub pdf: Option<Vec<u8>>,
}

/// A message in the outbox, with each recipient's state.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxMessage {
    pub id: OutboxMessageId,
    pub episode_id: Option<EpisodeId>,
    pub child_id: ChildId,
    pub purpose: Purpose,
    pub created_at: String,
    pub created_by: String,
    pub pdf_sha256: Option<String>,
    pub cover_note: String,
    pub deliveries: Vec<Delivery>,
    /// Queued on another of the home's devices, which sends it (its deliveries' states arrive
    /// from there).
    pub sent_from_another_device: bool,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether this device sends the delivery whose row is `$d` now: the device that took it over
/// (`delivery_senders`), else the one that queued it (a message from another device is kept in
/// `outbox_elsewhere`). The one rule for the sender's queries, the shown state and the trigger
/// that numbers this device's changes (migration 18 spells the same out with `NEW`).
macro_rules! sent_here {
    ($d:literal) => {
        concat!(
            "coalesce((SELECT s.here FROM delivery_senders s WHERE s.delivery_id = ",
            $d,
            ".id), NOT EXISTS (SELECT 1 FROM outbox_elsewhere e WHERE e.message_id = ",
            $d,
            ".message_id))"
        )
    };
}

/// [`sent_here`] for a delivery row named `d`.
pub(crate) const SENT_HERE: &str = sent_here!("d");

pub(crate) const DELIVERY_COLUMNS: &str = concat!(
    "d.id, d.message_id, m.episode_id, m.child_id, d.recipient_id, d.recipient_name, d.recipient_role, d.channel, d.address, d.payload_sha256, COALESCE(d.pdf_sha256, m.pdf_sha256), d.idempotency_key, d.email_message_id, d.state, d.attempts, d.next_attempt_ms, d.last_error_code, d.last_error, d.receipt, d.delivered_at, d.given_up_by, d.given_up_reason, d.audience, NOT ",
    sent_here!("d")
);

/// A stored audience word, read back through [`Audience::parse`]: an unknown word is
/// `store.damaged`, never a default.
fn audience_at(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<Audience>> {
    let word: Option<String> = r.get(i)?;
    word.map(|w| {
        Audience::parse(&w).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                i,
                rusqlite::types::Type::Text,
                format!("unknown audience '{w}'").into(),
            )
        })
    })
    .transpose()
}

pub(crate) fn delivery_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Delivery> {
    let next: Option<i64> = r.get(15)?;
    Ok(Delivery {
        id: r.get(0)?,
        message_id: r.get(1)?,
        episode_id: r.get(2)?,
        child_id: r.get(3)?,
        recipient_id: r.get(4)?,
        recipient_name: r.get(5)?,
        recipient_role: r.get(6)?,
        channel: r.get(7)?,
        address: r.get(8)?,
        payload_sha256: r.get(9)?,
        pdf_sha256: r.get(10)?,
        idempotency_key: r.get(11)?,
        email_message_id: r.get(12)?,
        state: r.get(13)?,
        attempts: r.get(14)?,
        next_attempt_at: next.and_then(|ms| Timestamp::from_millisecond(ms).ok()),
        last_error_code: r.get(16)?,
        last_error: r.get(17)?,
        receipt: r.get(18)?,
        delivered_at: r.get(19)?,
        given_up_by: r.get(20)?,
        given_up_reason: r.get(21)?,
        audience: audience_at(r, 22)?,
        sent_from_another_device: r.get(23)?,
    })
}

pub(crate) fn load_delivery(conn: &Connection, id: &DeliveryId) -> Result<Delivery> {
    conn.query_row(
        &format!(
            "SELECT {DELIVERY_COLUMNS} FROM outbox_deliveries d JOIN outbox_messages m ON m.id = d.message_id WHERE d.id = ?1"
        ),
        [id],
        delivery_from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::DeliveryNotFound(id.to_string()))
}

pub(crate) fn audit_delivery(
    conn: &Connection,
    at: &str,
    actor: &str,
    action: &str,
    d: &Delivery,
    extra: &str,
) -> Result<()> {
    audit::append(
        conn,
        at,
        actor,
        action,
        Some(d.child_id.as_str()),
        &format!(
            "delivery {}; message {}; to {} ({}{}) by {} {}; sha256 {}; pdf_sha256 {}; {}",
            d.id,
            d.message_id,
            d.recipient_name,
            d.recipient_role,
            d.audience
                .map(|a| format!(", version {}", a.as_str()))
                .unwrap_or_default(),
            d.channel.as_str(),
            d.address,
            d.payload_sha256,
            d.pdf_sha256.as_deref().unwrap_or("-"),
            extra
        ),
    )
}

impl Store {
    /// Commit a message and one delivery per recipient, all queued and due now.
    pub fn enqueue(&mut self, msg: &NewMessage, now: Timestamp) -> Result<OutboxMessage> {
        self.enqueue_with_recipients(msg, None, now)
    }

    /// [`Store::enqueue`], and on the message's episode who the rules proposed and who the sender
    /// chose, in the same transaction: the episode never shows a pack without its recipients, nor
    /// recipients of a pack that was not queued.
    pub fn enqueue_with_recipients(
        &mut self,
        msg: &NewMessage,
        recipients: Option<&crate::episodes::RecipientChoice>,
        now: Timestamp,
    ) -> Result<OutboxMessage> {
        if msg.deliveries.is_empty() {
            return Err(StoreError::NoRecipients);
        }
        let at = now_string();
        let actor_full = self.actor().clone();
        let actor = actor_full.id();
        let pdf_sha = msg.pdf.as_deref().map(sha256_hex);
        let tx = self.conn_mut().transaction()?;
        tx.execute(
            "INSERT INTO outbox_messages (id, episode_id, child_id, purpose, created_at, created_by, pdf, pdf_sha256, readout, cover_note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![msg.id, msg.episode_id, msg.child_id, msg.purpose, at, actor, msg.pdf, pdf_sha, msg.readout, msg.cover_note],
        )?;
        audit::append(
            &tx,
            &at,
            &actor,
            AuditAction::OutboxQueued.as_str(),
            Some(msg.child_id.as_str()),
            &format!(
                "message {}; purpose {}; pdf_sha256 {}; {} recipients",
                msg.id,
                msg.purpose.as_str(),
                pdf_sha.as_deref().unwrap_or("-"),
                msg.deliveries.len()
            ),
        )?;
        for d in &msg.deliveries {
            let id = DeliveryId::new_random();
            // The message's own PDF is not stored twice: a delivery keeps only a version of
            // its own, and always that version's hash.
            let own_pdf = d.pdf.as_ref().filter(|p| msg.pdf.as_ref() != Some(*p));
            let version_sha = d.pdf.as_deref().map(sha256_hex).or_else(|| pdf_sha.clone());
            tx.execute(
                "INSERT INTO outbox_deliveries (id, message_id, recipient_id, recipient_name, recipient_role, channel, address, payload, payload_sha256, idempotency_key, email_message_id, state, next_attempt_ms, audience, pdf_sha256, pdf)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'queued', ?12, ?13, ?14, ?15)",
                params![id, msg.id, d.recipient_id, d.recipient_name, d.recipient_role, d.channel.as_str(), d.address, d.payload, sha256_hex(&d.payload), d.idempotency_key, d.email_message_id, now.as_millisecond(), d.audience.map(Audience::as_str), version_sha, own_pdf],
            )?;
            let row = load_delivery(&tx, &id)?;
            audit_delivery(&tx, &at, &actor, "delivery_queued", &row, "state queued")?;
        }
        if let (Some(choice), Some(episode_id)) = (recipients, msg.episode_id.as_ref()) {
            let key = crate::episodes::record::recipients_key(msg.id.as_str());
            crate::episodes::record::insert_event(
                &tx,
                &actor_full,
                &at,
                crate::episodes::record::EventRow {
                    episode_id,
                    kind: crate::episodes::EventKind::Recipients,
                    item_key: &key,
                    at: now,
                },
                choice,
            )?;
        }
        tx.commit()?;
        self.outbox_message(&msg.id)
    }

    /// Deliveries due at `now`: queued and due, or left `sending` by a process that died longer
    /// than `lease_ms` ago.
    pub fn due_deliveries(&self, now: Timestamp, lease_ms: i64) -> Result<Vec<Delivery>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM outbox_deliveries d JOIN outbox_messages m ON m.id = d.message_id
             WHERE {SENT_HERE}
               AND ((d.state = 'queued' AND coalesce(d.next_attempt_ms, 0) <= ?1)
                OR (d.state = 'sending' AND coalesce(d.claimed_ms, 0) <= ?1 - ?2))
             ORDER BY coalesce(d.next_attempt_ms, 0), d.rowid"
        ))?;
        let rows = stmt.query_map(params![now.as_millisecond(), lease_ms], delivery_from_row)?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// How many deliveries are still to go (queued, waiting to retry, or being sent): while this
    /// is above zero the app keeps its sender running, even behind the lock screen.
    pub fn undelivered_count(&self) -> Result<i64> {
        Ok(self.conn().query_row(
            // Found through the state index; only those rows' first columns are read.
            &format!(
                "SELECT count(*) FROM outbox_deliveries d
                 WHERE d.state IN ('queued', 'sending') AND {SENT_HERE}"
            ),
            [],
            |r| r.get(0),
        )?)
    }

    /// Before a sender starts: every delivery left `sending` by a sender that is no longer running
    /// (or whose claim is older than `lease_ms`, when this device cannot tell) goes back to
    /// `queued`, due now. A claim held by a sender that still runs, the app beside the command
    /// line say, is left alone. The retry sends the same bytes (same idempotency key, same
    /// Message-ID).
    pub fn recover_interrupted(&mut self, now: Timestamp, lease_ms: i64) -> Result<usize> {
        let at = now_string();
        let actor = self.actor().id();
        let tx = self
            .conn_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let claims: Vec<(DeliveryId, Option<String>, Option<i64>)> = {
            let mut stmt = tx.prepare(&format!(
                "SELECT d.id, d.claimed_by, d.claimed_ms FROM outbox_deliveries d
                 WHERE d.state = 'sending' AND {SENT_HERE}"
            ))?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<std::result::Result<_, _>>()?
        };
        let mut recovered = 0;
        for (id, claimant, claimed_ms) in claims {
            let expired = claimed_ms.unwrap_or(0) <= now.as_millisecond() - lease_ms;
            let ended = match claimant.as_deref() {
                // Claimed before claims named their sender: nothing can still be holding it.
                None => true,
                Some(c) => crate::sender_process::is_running(c) == Some(false),
            };
            if !(expired || ended) {
                continue;
            }
            tx.execute(
                "UPDATE outbox_deliveries SET state = 'queued', next_attempt_ms = ?2, claimed_ms = NULL, claimed_by = NULL WHERE id = ?1",
                params![id, now.as_millisecond()],
            )?;
            let d = load_delivery(&tx, &id)?;
            audit_delivery(
                &tx,
                &at,
                &actor,
                "delivery_interrupted",
                &d,
                "state queued; the last attempt was cut short and will be repeated with the same bytes",
            )?;
            recovered += 1;
        }
        tx.commit()?;
        Ok(recovered)
    }

    /// Claim a due delivery for one attempt (`sending`), committed before any byte goes out.
    /// Returns `None` if another worker took it or it is no longer due.
    pub fn claim_delivery(
        &mut self,
        id: &DeliveryId,
        now: Timestamp,
        lease_ms: i64,
    ) -> Result<Option<Claimed>> {
        let at = now_string();
        let actor = self.actor().id();
        let tx = self
            .conn_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            concat!(
                "UPDATE outbox_deliveries SET state = 'sending', attempts = attempts + 1, claimed_ms = ?2, claimed_by = ?4
                 WHERE id = ?1 AND ((state = 'queued' AND coalesce(next_attempt_ms, 0) <= ?2)
                     OR (state = 'sending' AND coalesce(claimed_ms, 0) <= ?2 - ?3))
                   AND ",
                sent_here!("outbox_deliveries")
            ),
            params![
                id,
                now.as_millisecond(),
                lease_ms,
                crate::sender_process::current()
            ],
        )?;
        if changed == 0 {
            return Ok(None);
        }
        let d = load_delivery(&tx, id)?;
        tx.execute(
            "INSERT INTO delivery_attempts (delivery_id, attempt, at, outcome) VALUES (?1, ?2, ?3, 'started')",
            params![id, d.attempts, at],
        )?;
        audit_delivery(
            &tx,
            &at,
            &actor,
            "delivery_sending",
            &d,
            &format!("state sending; attempt {}", d.attempts),
        )?;
        // A delivery taken over from another device sends the bytes that device queued.
        let (payload, pdf): (Vec<u8>, Option<Vec<u8>>) = tx.query_row(
            "SELECT coalesce(p.payload, d.payload), COALESCE(d.pdf, p.pdf, m.pdf)
             FROM outbox_deliveries d JOIN outbox_messages m ON m.id = d.message_id
                  LEFT JOIN delivery_payloads p ON p.delivery_id = d.id
             WHERE d.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        tx.commit()?;
        Ok(Some(Claimed {
            attempt: d.attempts,
            delivery: d,
            payload,
            pdf,
        }))
    }

    /// The server took it: store its receipt.
    pub fn mark_delivered(
        &mut self,
        id: &DeliveryId,
        attempt: i64,
        receipt: &str,
    ) -> Result<Delivery> {
        self.finish(id, attempt, DeliveryState::Delivered, None, receipt, None)
    }

    /// A failure worth retrying (offline, timeout, server busy): back to `queued`, due at `next`.
    pub fn mark_retry(
        &mut self,
        id: &DeliveryId,
        attempt: i64,
        code: &str,
        reason: &str,
        next: Timestamp,
    ) -> Result<Delivery> {
        self.finish(
            id,
            attempt,
            DeliveryState::Queued,
            Some((code, reason)),
            "",
            Some(next),
        )
    }

    /// A failure a person must fix (wrong password, untrusted certificate, refused size).
    pub fn mark_failed(
        &mut self,
        id: &DeliveryId,
        attempt: i64,
        code: &str,
        reason: &str,
    ) -> Result<Delivery> {
        self.finish(
            id,
            attempt,
            DeliveryState::Failed,
            Some((code, reason)),
            "",
            None,
        )
    }

    fn finish(
        &mut self,
        id: &DeliveryId,
        attempt: i64,
        state: DeliveryState,
        error: Option<(&str, &str)>,
        receipt: &str,
        next: Option<Timestamp>,
    ) -> Result<Delivery> {
        let at = now_string();
        let actor = self.actor().id();
        let tx = self.conn_mut().transaction()?;
        let current = load_delivery(&tx, id)?;
        if current.state != DeliveryState::Sending {
            return Err(StoreError::DeliveryState {
                state: current.state.as_str().into(),
                wanted: "finished (it is not being sent)",
            });
        }
        // Only the attempt that holds the claim may say how it ended: after a lease ran out,
        // another sender may have claimed it again and be sending it now.
        let claimant: Option<String> = tx.query_row(
            "SELECT claimed_by FROM outbox_deliveries WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        if current.attempts != attempt
            || claimant.as_deref() != Some(crate::sender_process::current())
        {
            return Err(StoreError::DeliveryClaimLost(id.to_string()));
        }
        match state {
            DeliveryState::Delivered => tx.execute(
                "UPDATE outbox_deliveries SET state = 'delivered', receipt = ?2, delivered_at = ?3, claimed_ms = NULL, claimed_by = NULL, next_attempt_ms = NULL, last_error_code = NULL, last_error = NULL WHERE id = ?1",
                params![id, receipt, at],
            )?,
            _ => tx.execute(
                "UPDATE outbox_deliveries SET state = ?2, last_error_code = ?3, last_error = ?4, next_attempt_ms = ?5, claimed_ms = NULL, claimed_by = NULL WHERE id = ?1",
                params![id, state, error.map(|e| e.0), error.map(|e| e.1), next.map(|n| n.as_millisecond())],
            )?,
        };
        let (code, detail) = error.unwrap_or(("", receipt));
        tx.execute(
            "INSERT INTO delivery_attempts (delivery_id, attempt, at, outcome, code, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, attempt, at, state, code, detail],
        )?;
        let d = load_delivery(&tx, id)?;
        let extra = match (state, error) {
            (DeliveryState::Delivered, _) => {
                format!("state delivered; attempt {attempt}; receipt: {receipt}")
            }
            (_, Some((c, r))) => format!(
                "state {state}; attempt {attempt}; {c}: {r}{}",
                next.map(|n| format!("; next attempt {n}"))
                    .unwrap_or_default()
            ),
            _ => format!("state {state}"),
        };
        audit_delivery(
            &tx,
            &at,
            &actor,
            &format!("delivery_{}", state.as_str()),
            &d,
            &extra,
        )?;
        tx.commit()?;
        Ok(d)
    }

    /// A person asks for another attempt now (after fixing the settings, say).
    pub fn retry_delivery(&mut self, id: &DeliveryId, now: Timestamp) -> Result<Delivery> {
        self.person_moves(
            id,
            now,
            DeliveryState::Queued,
            "",
            &[
                DeliveryState::Failed,
                DeliveryState::Queued,
                DeliveryState::GivenUp,
            ],
        )
    }

    /// A person decides this delivery will not be attempted again, and why.
    pub fn give_up_delivery(&mut self, id: &DeliveryId, reason: &str) -> Result<Delivery> {
        self.person_moves(
            id,
            Timestamp::now(),
            DeliveryState::GivenUp,
            reason,
            &[DeliveryState::Failed, DeliveryState::Queued],
        )
    }

    fn person_moves(
        &mut self,
        id: &DeliveryId,
        now: Timestamp,
        to: DeliveryState,
        reason: &str,
        from: &[DeliveryState],
    ) -> Result<Delivery> {
        let at = now_string();
        let actor = self.actor().clone();
        let tx = self.conn_mut().transaction()?;
        let current = load_delivery(&tx, id)?;
        if current.sent_from_another_device {
            return Err(StoreError::DeliveryOnAnotherDevice(id.to_string()));
        }
        if !from.contains(&current.state) {
            return Err(StoreError::DeliveryState {
                state: current.state.as_str().into(),
                wanted: if to == DeliveryState::Queued {
                    "retried"
                } else {
                    "abandoned"
                },
            });
        }
        if to == DeliveryState::Queued {
            tx.execute(
                "UPDATE outbox_deliveries SET state = 'queued', next_attempt_ms = ?2 WHERE id = ?1",
                params![id, now.as_millisecond()],
            )?;
        } else {
            tx.execute(
                "UPDATE outbox_deliveries SET state = 'given_up', given_up_by = ?2, given_up_at = ?3, given_up_reason = ?4, next_attempt_ms = NULL WHERE id = ?1",
                params![id, actor.display_name(), at, reason],
            )?;
        }
        let d = load_delivery(&tx, id)?;
        audit_delivery(
            &tx,
            &at,
            &actor.id(),
            if to == DeliveryState::Queued {
                "delivery_retry_requested"
            } else {
                "delivery_given_up"
            },
            &d,
            &format!(
                "state {}; by {}; {reason}",
                to.as_str(),
                actor.display_name()
            ),
        )?;
        tx.commit()?;
        Ok(d)
    }

    pub fn delivery(&self, id: &DeliveryId) -> Result<Delivery> {
        load_delivery(self.conn(), id)
    }

    /// Find a delivery by id or unique prefix.
    pub fn find_delivery(&self, query: &str) -> Result<DeliveryId> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id FROM outbox_deliveries WHERE id LIKE ?1 || '%' LIMIT 2")?;
        let ids: Vec<DeliveryId> = stmt
            .query_map([query], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        match ids.as_slice() {
            [one] if !query.is_empty() => Ok(one.clone()),
            _ => Err(StoreError::DeliveryNotFound(query.to_string())),
        }
    }

    /// The delivery whose idempotency key an intake acknowledged.
    pub fn delivery_by_idempotency_key(&self, key: &str) -> Result<Option<Delivery>> {
        Ok(self
            .conn()
            .query_row(
                &format!(
                    "SELECT {DELIVERY_COLUMNS} FROM outbox_deliveries d JOIN outbox_messages m ON m.id = d.message_id WHERE d.idempotency_key = ?1"
                ),
                [key],
                delivery_from_row,
            )
            .optional()?)
    }

    /// The exact bytes queued for one delivery, on whichever device of the home queued it (empty
    /// when they have not arrived here).
    pub fn delivery_payload(&self, id: &DeliveryId) -> Result<Vec<u8>> {
        self.conn()
            .query_row(
                "SELECT coalesce(p.payload, d.payload) FROM outbox_deliveries d
                 LEFT JOIN delivery_payloads p ON p.delivery_id = d.id WHERE d.id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::DeliveryNotFound(id.to_string()))
    }

    /// The pack PDF of a message (for saving or printing as a fallback).
    pub fn message_pdf(&self, message_id: &OutboxMessageId) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT pdf FROM outbox_messages WHERE id = ?1",
                [message_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    pub fn outbox_message(&self, id: &OutboxMessageId) -> Result<OutboxMessage> {
        let mut msgs = self.outbox(Some(id), None)?;
        msgs.pop()
            .ok_or_else(|| StoreError::DeliveryNotFound(id.to_string()))
    }

    /// Messages newest first, each with its deliveries; optionally one message or one episode.
    pub fn outbox(
        &self,
        message_id: Option<&OutboxMessageId>,
        episode_id: Option<&EpisodeId>,
    ) -> Result<Vec<OutboxMessage>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, episode_id, child_id, purpose, created_at, created_by, pdf_sha256, cover_note, EXISTS (SELECT 1 FROM outbox_elsewhere e WHERE e.message_id = outbox_messages.id) FROM outbox_messages
             WHERE (?1 IS NULL OR id = ?1) AND (?2 IS NULL OR episode_id = ?2) ORDER BY rowid DESC",
        )?;
        let mut msgs: Vec<OutboxMessage> = stmt
            .query_map(params![message_id, episode_id], |r| {
                Ok(OutboxMessage {
                    id: r.get(0)?,
                    episode_id: r.get(1)?,
                    child_id: r.get(2)?,
                    purpose: r.get(3)?,
                    created_at: r.get(4)?,
                    created_by: r.get(5)?,
                    pdf_sha256: r.get(6)?,
                    cover_note: r.get(7)?,
                    deliveries: vec![],
                    sent_from_another_device: r.get(8)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        let mut dstmt = conn.prepare(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM outbox_deliveries d JOIN outbox_messages m ON m.id = d.message_id WHERE d.message_id = ?1 ORDER BY d.rowid"
        ))?;
        for m in &mut msgs {
            m.deliveries = dstmt
                .query_map([&m.id], delivery_from_row)?
                .collect::<std::result::Result<_, _>>()?;
        }
        Ok(msgs)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::{Sensitive, Setup};

    fn home() -> (tempfile::TempDir, Store, ChildId) {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = Store::create(
            dir.path(),
            Setup {
                home_name: "Maple House (fictional)".into(),
                manager_name: "Amira Test (fictional)".into(),
                manager_pin: None,
                passphrase: Some(Sensitive::from("correct horse battery staple")),
            },
            None,
        )
        .unwrap();
        let child = store.create_child(&Default::default(), "").unwrap();
        (dir, store, child)
    }

    fn message(child: &ChildId) -> NewMessage {
        NewMessage {
            id: OutboxMessageId::new_random(),
            episode_id: None,
            child_id: child.clone(),
            purpose: Purpose::Pack,
            pdf: Some(b"%PDF-1.7 test (fictional)".to_vec()),
            readout: "read-out".into(),
            cover_note: "cover".into(),
            deliveries: vec![NewDelivery {
                recipient_id: "social_worker".into(),
                recipient_name: "Sam (fictional)".into(),
                recipient_role: "social_worker".into(),
                channel: Channel::Email,
                address: "sw@council.example".into(),
                payload: b"From: a@b.example\r\n\r\nbody".to_vec(),
                idempotency_key: uuid::Uuid::new_v4().to_string(),
                email_message_id: Some("<x@b.example>".into()),
                audience: Some(Audience::SocialCare),
                pdf: None,
            }],
        }
    }

    #[test]
    fn a_message_is_committed_queued_and_due_before_any_attempt() {
        let (_d, mut store, child) = home();
        let now = Timestamp::now();
        let m = store.enqueue(&message(&child), now).unwrap();
        assert_eq!(m.deliveries[0].state, DeliveryState::Queued);
        assert_eq!(store.due_deliveries(now, 60_000).unwrap().len(), 1);
    }

    #[test]
    fn each_delivery_keeps_its_version_of_the_pack_its_hash_and_its_audience() {
        let (_d, mut store, child) = home();
        let now = Timestamp::now();
        let mut msg = message(&child);
        let own = b"%PDF-1.7 page 1 and Part 2 only (fictional)".to_vec();
        let mut extra = msg.deliveries[0].clone();
        extra.recipient_id = "other:friend@example.org".into();
        extra.idempotency_key = uuid::Uuid::new_v4().to_string();
        extra.audience = Some(Audience::ExtraAddress);
        extra.pdf = Some(own.clone());
        msg.deliveries[0].pdf = msg.pdf.clone();
        msg.deliveries.push(extra);
        let m = store.enqueue(&msg, now).unwrap();
        let message_sha = sha256_hex(msg.pdf.as_deref().unwrap());
        assert_eq!(m.deliveries[0].audience, Some(Audience::SocialCare));
        assert_eq!(
            m.deliveries[0].pdf_sha256.as_deref(),
            Some(message_sha.as_str())
        );
        assert_eq!(m.deliveries[1].audience, Some(Audience::ExtraAddress));
        assert_eq!(m.deliveries[1].pdf_sha256, Some(sha256_hex(&own)));
        // The message's own PDF is not kept twice; a version of its own is, and is what a
        // claim hands the sender.
        let kept: Vec<Option<Vec<u8>>> = store
            .connection_for_tests()
            .prepare("SELECT pdf FROM outbox_deliveries ORDER BY rowid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(kept, [None, Some(own.clone())]);
        let claimed = store
            .claim_delivery(&m.deliveries[1].id, now, 60_000)
            .unwrap()
            .unwrap();
        assert_eq!(claimed.pdf, Some(own));
        let refused = store.connection_for_tests().execute(
            "UPDATE outbox_deliveries SET audience = 'police' WHERE id = ?1",
            [&m.deliveries[1].id],
        );
        assert!(refused.is_err(), "the version sent never changes");
    }

    #[test]
    fn an_audience_this_build_does_not_know_is_a_damaged_store() {
        let (_d, mut store, child) = home();
        let m = store.enqueue(&message(&child), Timestamp::now()).unwrap();
        let conn = store.connection_for_tests();
        // Damage from outside the store (the trigger is the store's own guard).
        conn.execute_batch("DROP TRIGGER outbox_payload_fixed")
            .unwrap();
        conn.execute(
            "UPDATE outbox_deliveries SET audience = 'everyone' WHERE id = ?1",
            [&m.deliveries[0].id],
        )
        .unwrap();
        let err = store.outbox_message(&m.id).unwrap_err();
        assert_eq!(err.code(), "store.damaged", "{err}");
    }

    #[test]
    fn what_will_be_sent_cannot_change_after_it_is_queued() {
        let (_d, mut store, child) = home();
        let m = store.enqueue(&message(&child), Timestamp::now()).unwrap();
        let refused = store.connection_for_tests().execute(
            "UPDATE outbox_deliveries SET payload = x'00' WHERE id = ?1",
            [&m.deliveries[0].id],
        );
        assert!(refused.is_err());
    }

    #[test]
    fn a_delivery_cut_short_by_a_crash_goes_back_to_the_queue_with_the_same_bytes() {
        let (_d, mut store, child) = home();
        let now = Timestamp::now();
        let m = store.enqueue(&message(&child), now).unwrap();
        let id = &m.deliveries[0].id;
        let claimed = store.claim_delivery(id, now, 60_000).unwrap().unwrap();
        assert_eq!(claimed.attempt, 1);
        assert!(
            store.claim_delivery(id, now, 60_000).unwrap().is_none(),
            "claimed once"
        );
        assert_eq!(
            store.recover_interrupted(now, 60_000).unwrap(),
            0,
            "a claim whose sender still runs is left alone"
        );
        // The sender is killed: its claim now names a process that no longer runs.
        store
            .conn()
            .execute(
                "UPDATE outbox_deliveries SET claimed_by = ?1 WHERE id = ?2",
                params![format!("{}:1", std::process::id()), id],
            )
            .unwrap();
        assert_eq!(store.recover_interrupted(now, 60_000).unwrap(), 1);
        let again = store.claim_delivery(id, now, 60_000).unwrap().unwrap();
        assert_eq!(again.payload, claimed.payload);
        assert_eq!(
            again.delivery.idempotency_key,
            claimed.delivery.idempotency_key
        );
        assert_eq!(again.attempt, 2);
        let d = store.mark_delivered(id, 2, "250 ok").unwrap();
        assert_eq!(d.state, DeliveryState::Delivered);
        assert!(store.audit_verify().unwrap().intact());
    }

    #[test]
    fn a_claim_held_by_a_running_sender_is_only_freed_by_its_lease_and_a_stale_attempt_cannot_finish()
     {
        let (_d, mut store, child) = home();
        let now = Timestamp::now();
        let m = store.enqueue(&message(&child), now).unwrap();
        let id = &m.deliveries[0].id;
        let first = store.claim_delivery(id, now, 60_000).unwrap().unwrap();
        // Another sender starting within the lease leaves the claim alone ...
        assert_eq!(store.recover_interrupted(now, 60_000).unwrap(), 0);
        // ... and one starting after the lease ran out takes the delivery back.
        let later = now
            .checked_add(jiff::SignedDuration::from_secs(61))
            .unwrap();
        assert_eq!(store.recover_interrupted(later, 60_000).unwrap(), 1);
        let second = store.claim_delivery(id, later, 60_000).unwrap().unwrap();
        assert_eq!(second.attempt, first.attempt + 1);
        // The first attempt, finishing late, may not say how the delivery ended.
        let late = store.mark_delivered(id, first.attempt, "250 late");
        assert!(
            matches!(late, Err(StoreError::DeliveryClaimLost(_))),
            "{late:?}"
        );
        assert_eq!(store.delivery(id).unwrap().state, DeliveryState::Sending);
        // A claim made by another process cannot be finished by this one either.
        store
            .conn()
            .execute(
                "UPDATE outbox_deliveries SET claimed_by = '1:1' WHERE id = ?1",
                params![id],
            )
            .unwrap();
        assert!(matches!(
            store.mark_delivered(id, second.attempt, "250 ok"),
            Err(StoreError::DeliveryClaimLost(_))
        ));
    }

    #[test]
    fn a_message_with_no_recipient_is_refused() {
        let (_d, mut store, child) = home();
        let mut m = message(&child);
        m.deliveries.clear();
        assert_eq!(
            store.enqueue(&m, Timestamp::now()).unwrap_err().code(),
            "store.no_recipients"
        );
    }
}
