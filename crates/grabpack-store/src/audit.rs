//! The store's audit log: grabpack-audit's hash chain, answering in the store's own errors.
//!
//! The chain itself (table, row hash, append, verify, list) lives in grabpack-audit so the police
//! intake keeps the very same chain without depending on the store. This module only adapts it:
//! every store operation appends inside its own transaction and reports one `StoreError`, and
//! callers keep using `grabpack_store::audit::{AuditEntry, ChainReport, ...}` as before.

use rusqlite::Connection;

use crate::error::Result;

pub use grabpack_audit::{AnchorFinding, AuditEntry, AuditError, ChainReport, GENESIS, SCHEMA_SQL};

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
    Ok(grabpack_audit::append(
        conn, at, actor, action, child, detail,
    )?)
}

/// Walk the whole chain from the start.
pub fn verify(conn: &Connection) -> Result<ChainReport> {
    Ok(grabpack_audit::verify(conn)?)
}

/// The chain's newest entry (number, hash).
pub fn head(conn: &Connection) -> Result<Option<(i64, String)>> {
    Ok(grabpack_audit::head(conn)?)
}

/// A head recorded outside the device, checked against the chain as it is now.
pub fn check_anchor(conn: &Connection, seq: i64, hash: &str) -> Result<AnchorFinding> {
    Ok(grabpack_audit::check_anchor(conn, seq, hash)?)
}

/// Newest first, optionally for one child or one action.
pub fn list(
    conn: &Connection,
    child: Option<&str>,
    action: Option<&str>,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    Ok(grabpack_audit::list(conn, child, action, limit)?)
}
