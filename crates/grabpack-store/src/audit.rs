//! The audit log: append-only and hash-chained.
//!
//! Inspectors and courts ask who saw and changed a child's record. Triggers refuse UPDATE and
//! DELETE, and each row carries the SHA-256 of the previous row's hash and its own content, so an
//! edit made behind the app's back (with the key, straight in SQL) breaks the chain at that row and
//! `verify` says where.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::Result;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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

/// What `verify` found.
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

/// Walk the whole chain from the start.
pub fn verify(conn: &Connection) -> Result<ChainReport> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, child_id, detail, prev_hash, hash FROM audit ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let at: String = r.get(1)?;
        let actor: String = r.get(2)?;
        let action: String = r.get(3)?;
        let child: Option<String> = r.get(4)?;
        let detail: String = r.get(5)?;
        let prev_hash: String = r.get(6)?;
        let hash: String = r.get(7)?;
        n += 1;
        let computed = row_hash(&prev, seq, &at, &actor, &action, child.as_deref(), &detail);
        if seq != expected_seq || prev_hash != prev || hash != computed {
            return Ok(ChainReport {
                entries: n,
                broken_at: Some(seq),
            });
        }
        prev = hash;
        expected_seq += 1;
    }
    Ok(ChainReport {
        entries: n,
        broken_at: None,
    })
}

/// Newest first, optionally for one child or one action.
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
