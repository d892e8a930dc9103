//! The audit log: append-only and hash-chained, one implementation for every database that keeps one.
//!
//! Inspectors and courts ask who saw and changed a child's record; a police force asks who read a
//! pack and when it was acknowledged. The home's store and the police intake keep their logs in
//! their own encrypted databases, but the chain must be the *same* chain, so an auditor's
//! `verify` means one thing everywhere: this crate owns the table's DDL, the row hash, append,
//! verify and list, and knows nothing else about either side (no store, no keys, no clock: the
//! caller passes `at`).
//!
//! Triggers refuse UPDATE and DELETE, and each row carries the SHA-256 of the previous row's hash
//! and its own content, so an edit made behind the app's back (with the key, straight in SQL)
//! breaks the chain at that row and [`verify`] says where. The `child_id` column holds the entry's
//! subject: a child's id in the store, a receipt id at the intake.

mod error;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use error::{AuditError, Result};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The audit table and its append-only triggers, as a string literal, so a caller can splice it
/// into a migration with `concat!` and keep its migration list a list of plain SQL strings (a
/// migration, once shipped, must never change its text; splicing keeps it byte for byte).
#[macro_export]
macro_rules! schema_sql {
    () => {
        "CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    child_id TEXT,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"
    };
}

/// [`schema_sql!`] as a constant, for callers that run it on its own.
pub const SCHEMA_SQL: &str = schema_sql!();

/// One entry, as the audit screens show it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub child_id: Option<String>,
    pub detail: String,
    pub hash: String,
}

/// What [`verify`] found.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    pub entries: i64,
    /// The first row whose hash does not follow from the rows before it.
    pub broken_at: Option<i64>,
}

impl ChainReport {
    pub fn intact(&self) -> bool {
        self.broken_at.is_none()
    }
}

/// Each part is length-prefixed, so moving text from one field to the next changes the hash.
fn row_hash(
    prev: &str,
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    child: Option<&str>,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &seq.to_string(),
        at,
        actor,
        action,
        child.unwrap_or(""),
        detail,
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Append one entry inside the caller's transaction, so the entry and the change it records
/// commit together or not at all.
pub fn append(
    conn: &Connection,
    at: &str,
    actor: &str,
    action: &str,
    child: Option<&str>,
    detail: &str,
) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let hash = row_hash(&prev, seq, at, actor, action, child, detail);
    conn.execute(
        "INSERT INTO audit (seq, at, actor, action, child_id, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![seq, at, actor, action, child, detail, prev, hash],
    )?;
    Ok(())
}

/// The chain's newest entry: its number and hash. Sent with every pack (the intake manifest's
/// `audit_head`, the email's `X-Grabpack-Audit-Head`), so a copy of where the chain stood lives
/// outside the device: anyone holding the database key can drop the triggers and rewrite the
/// tail so that [`verify`] passes, but not change the hashes the police already hold.
pub fn head(conn: &Connection) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// What the chain says about a head recorded elsewhere (see [`head`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnchorFinding {
    /// Entry `seq` still has that hash and the chain up to it is intact.
    Holds,
    /// Entry `seq` has another hash now, or the chain before it is broken: the log was
    /// rewritten after that head was sent.
    Rewritten,
    /// There is no entry `seq` any more: the log was cut back.
    Missing,
}

/// Check a head recorded outside the device against the chain as it is now.
pub fn check_anchor(conn: &Connection, seq: i64, hash: &str) -> Result<AnchorFinding> {
    let now: Option<String> = conn
        .query_row("SELECT hash FROM audit WHERE seq = ?1", [seq], |r| r.get(0))
        .optional()?;
    let Some(now) = now else {
        return Ok(AnchorFinding::Missing);
    };
    let report = verify(conn)?;
    if now != hash || report.broken_at.is_some_and(|b| b <= seq) {
        return Ok(AnchorFinding::Rewritten);
    }
    Ok(AnchorFinding::Holds)
}

/// Walk the whole chain from the start.
pub fn verify(conn: &Connection) -> Result<ChainReport> {
    let mut stmt = conn.prepare(&format!("{CHAIN_SELECT} ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let (mut last_seq, mut prev) = (0, GENESIS.to_string());
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let row = chain_row(r)?;
        n += 1;
        if !follows(last_seq, &prev, &row) {
            return Ok(ChainReport {
                entries: n,
                broken_at: Some(row.seq),
            });
        }
        last_seq = row.seq;
        prev = row.hash;
    }
    Ok(ChainReport {
        entries: n,
        broken_at: None,
    })
}

/// One row of a chain as it is stored, hashes included: how a chain is carried to another
/// database that keeps a copy of it (a home's other devices) and checked there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub child_id: Option<String>,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The columns of a chain's row, in [`chain_row`]'s order.
pub const CHAIN_COLUMNS: &str = "seq, at, actor, action, child_id, detail, prev_hash, hash";
const CHAIN_SELECT: &str =
    "SELECT seq, at, actor, action, child_id, detail, prev_hash, hash FROM audit";

/// A row selected as [`CHAIN_COLUMNS`], read: one reading for this table and for a copy of
/// another database's chain (a home's other devices, `sync_audit`).
pub fn chain_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChainRow> {
    Ok(ChainRow {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        child_id: r.get(4)?,
        detail: r.get(5)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
    })
}

/// Up to `limit` rows of this database's chain after entry `after`, oldest first.
pub fn rows_after(conn: &Connection, after: i64, limit: i64) -> Result<Vec<ChainRow>> {
    let mut stmt = conn.prepare(&format!(
        "{CHAIN_SELECT} WHERE seq > ?1 ORDER BY seq LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![after, limit], chain_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Whether `row` follows the entry numbered `last_seq` whose hash is `prev`: numbered next,
/// naming that hash, and hashing to its own. The one rule of [`verify`] and [`continues`].
fn follows(last_seq: i64, prev: &str, row: &ChainRow) -> bool {
    let computed = row_hash(
        prev,
        row.seq,
        &row.at,
        &row.actor,
        &row.action,
        row.child_id.as_deref(),
        &row.detail,
    );
    row.seq == last_seq + 1 && row.prev_hash == prev && row.hash == computed
}

/// Whether `rows` carry on a chain whose last entry is `last` (number and hash; `None` for a
/// chain not begun): each row numbered next, naming the hash before it, and hashing to its own.
/// The first row that does not is returned. The same rule as [`verify`], for a copy of a chain
/// kept elsewhere.
pub fn continues(last: Option<(i64, &str)>, rows: &[ChainRow]) -> Option<i64> {
    let (mut seq, mut prev) = match last {
        Some((s, h)) => (s, h.to_string()),
        None => (0, GENESIS.to_string()),
    };
    for r in rows {
        if !follows(seq, &prev, r) {
            return Some(r.seq);
        }
        seq = r.seq;
        prev = r.hash.clone();
    }
    None
}

/// Newest first, optionally for one subject (`child_id`) or one action.
pub fn list(
    conn: &Connection,
    child: Option<&str>,
    action: Option<&str>,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, child_id, detail, hash FROM audit
         WHERE (?1 IS NULL OR child_id = ?1) AND (?2 IS NULL OR action = ?2)
         ORDER BY seq DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![child, action, limit], |r| {
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            child_id: r.get(4)?,
            detail: r.get(5)?,
            hash: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

#[cfg(test)]
mod chain_copy_tests {
    #![allow(clippy::unwrap_used)] // a test fails by panicking

    use super::*;

    fn chain(n: usize) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA_SQL).unwrap();
        for i in 0..n {
            append(
                &conn,
                "2026-12-02T10:00:00Z",
                "staff:1",
                "edited",
                None,
                &format!("entry {i}"),
            )
            .unwrap();
        }
        conn
    }

    #[test]
    fn a_copy_of_a_chain_carries_on_only_from_where_it_stands_and_unaltered() {
        let conn = chain(5);
        let first = rows_after(&conn, 0, 3).unwrap();
        let rest = rows_after(&conn, 3, 100).unwrap();
        assert_eq!((first.len(), rest.len()), (3, 2));
        assert_eq!(continues(None, &first), None);
        let last = first.last().unwrap();
        assert_eq!(continues(Some((last.seq, &last.hash)), &rest), None);
        // Out of order, skipping a row, or altered: refused at that row.
        assert_eq!(continues(None, &rest), Some(4));
        assert_eq!(continues(Some((last.seq, &last.hash)), &rest[1..]), Some(5));
        let mut altered = rest.clone();
        altered[1].detail = "entry changed".into();
        assert_eq!(continues(Some((last.seq, &last.hash)), &altered), Some(5));
    }
}
