//! Retention: packs are deleted a configured number of days after their episode ended, so the
//! intake does not keep a child's most sensitive details for ever.
//!
//! The protocol carries no "episode closed" notice, so the intake counts from what it does see:
//! an episode's packs are deleted together, `retention_days_after_episode` days after the last
//! pack of that episode (same home, same `episode_id`) arrived; a pack sent outside an episode
//! counts from its own arrival. A home that sends a fresh pack (an update, a new episode) starts
//! the clock again for that episode. When the protocol gains a "returned" notice, the clock can
//! start from that instead, without changing what is deleted.
//!
//! A deletion leaves a tombstone (`pack_deletions`: receipt, home, episode, hash, when and why)
//! and an audit entry; the database's triggers refuse to delete a pack without its tombstone.
//! With `secure_delete` on, SQLite zeroes the freed cells and pages; the sweep then returns the
//! free pages to the file system (`incremental_vacuum`) and empties the write-ahead log, so no
//! copy of the PDF is left in the database's files.

use rusqlite::{Connection, params};

use crate::db;
use crate::error::Result;

/// What one sweep deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Swept {
    pub receipt_ids: Vec<String>,
}

/// Delete every pack whose episode's last pack arrived more than `days` days before `now`, with
/// its acknowledgements, in one transaction; then give the freed space back.
pub fn sweep(conn: &mut Connection, days: u32, now: jiff::Timestamp) -> Result<Swept> {
    let cutoff = now
        .checked_sub(jiff::SignedDuration::from_hours(i64::from(days) * 24))
        .map_err(|e| crate::InboxError::Internal(format!("retention cut-off: {e}")))?
        .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string();
    let tx = conn.transaction()?;
    let due: Vec<(String, String, Option<String>, String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT p.receipt_id, p.home_id, p.episode_id, p.pdf_sha256, p.received_at
             FROM packs p
             WHERE (CASE WHEN p.episode_id IS NULL THEN p.received_at
                    ELSE (SELECT MAX(q.received_at) FROM packs q
                          WHERE q.home_id = p.home_id AND q.episode_id = p.episode_id) END) < ?1
             ORDER BY p.received_at",
        )?;
        stmt.query_map([&cutoff], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?
    };
    let at = db::now_rfc3339();
    let reason = format!("retention: {days} days after the episode's last pack");
    for (receipt_id, home_id, episode_id, sha, received_at) in &due {
        tx.execute(
            "INSERT INTO pack_deletions (receipt_id, home_id, episode_id, pdf_sha256, received_at, deleted_at, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![receipt_id, home_id, episode_id, sha, received_at, at, reason],
        )?;
        tx.execute("DELETE FROM acks WHERE receipt_id = ?1", [receipt_id])?;
        tx.execute("DELETE FROM packs WHERE receipt_id = ?1", [receipt_id])?;
        let detail = serde_json::json!({"home_id": home_id, "episode_id": episode_id,
            "pdf_sha256": sha, "received_at": received_at, "retention_days": days})
        .to_string();
        db::audit(&tx, "retention", "pack.deleted", Some(receipt_id), &detail)?;
    }
    tx.commit()?;
    if !due.is_empty() {
        // Freed pages (already zeroed by secure_delete) go back to the file system, and the
        // write-ahead log, which still holds the pages as they were written, is emptied.
        let mut vacuum = conn.prepare("PRAGMA incremental_vacuum")?;
        let mut rows = vacuum.query([])?;
        while rows.next()?.is_some() {}
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    Ok(Swept {
        receipt_ids: due.into_iter().map(|d| d.0).collect(),
    })
}
