//! The inbox's own SQLCipher database: packs (PDF included), acknowledgements, officer accounts,
//! sessions and the hash-chained audit log.
//!
//! Everything a sender supplies is stored here and nowhere else: no file is ever created from a
//! client-supplied name, so path tricks in ids or filenames cannot reach the filesystem. The key
//! is a raw 256-bit key (no KDF on open). The audit table and its chain are grabpack-audit's, the
//! same code that guards the home's store; here its `child_id` column holds the subject of the
//! entry (a receipt id), since the inbox never learns a child's real identity beyond what the
//! home sent.
//!
//! rusqlite connections are not `Sync`, and SQLite has one writer at a time anyway, so one
//! connection sits behind a mutex and every call runs on tokio's blocking pool.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use crate::error::{InboxError, Result};

const MIGRATIONS: &[&str] = &[
    concat!(
        r#"
CREATE TABLE packs (
    receipt_id TEXT PRIMARY KEY,
    home_id TEXT NOT NULL,
    home_name TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    received_at TEXT NOT NULL,
    manifest TEXT NOT NULL,
    child_ref TEXT NOT NULL,
    child_display_name TEXT NOT NULL,
    episode_id TEXT,
    recipient_id TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    marking TEXT NOT NULL,
    readout TEXT NOT NULL,
    pdf_sha256 TEXT NOT NULL,
    pdf_bytes INTEGER NOT NULL,
    pdf BLOB NOT NULL,
    first_opened_at TEXT,
    first_opened_by TEXT,
    UNIQUE (home_id, idempotency_key)
) STRICT;
CREATE INDEX packs_received ON packs (received_at DESC);
CREATE TABLE acks (
    cursor INTEGER PRIMARY KEY AUTOINCREMENT,
    receipt_id TEXT NOT NULL REFERENCES packs (receipt_id),
    status TEXT NOT NULL CHECK (status IN ('accepted', 'not_accepted')),
    officer_name TEXT NOT NULL,
    collar_number TEXT,
    police_reference TEXT,
    risk_grading TEXT CHECK (risk_grading IS NULL OR risk_grading IN ('no_apparent_risk', 'low', 'medium', 'high')),
    note TEXT,
    reason TEXT,
    at TEXT NOT NULL,
    by_user TEXT NOT NULL,
    delivered_at TEXT
) STRICT;
CREATE INDEX acks_receipt ON acks (receipt_id);
CREATE TABLE users (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE sessions (
    token_sha256 TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name),
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_unix INTEGER NOT NULL
) STRICT;
CREATE TABLE login_failures (
    user_name TEXT NOT NULL,
    at_unix INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failures_user ON login_failures (user_name, at_unix);
"#,
        // The hash-chained audit log: grabpack-audit's table, the same chain as the home's store.
        grabpack_audit::schema_sql!(),
        r#"CREATE TRIGGER packs_no_delete BEFORE DELETE ON packs
BEGIN SELECT RAISE(ABORT, 'received packs are kept'); END;
CREATE TRIGGER packs_content_fixed BEFORE UPDATE OF receipt_id, home_id, idempotency_key, received_at, manifest, pdf, pdf_sha256 ON packs
BEGIN SELECT RAISE(ABORT, 'a received pack never changes'); END;
CREATE TRIGGER acks_no_change BEFORE UPDATE OF status, officer_name, collar_number, police_reference, risk_grading, note, reason, at, by_user ON acks
BEGIN SELECT RAISE(ABORT, 'an acknowledgement never changes'); END;
"#
    ),
    r#"
-- Units, roles and disabled accounts. Accounts made before units existed saw every pack; they
-- become supervisors with no unit, who see the packs addressed to no unit any account holds
-- (every pack received so far, until units are given out).
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'supervisor'
    CHECK (role IN ('officer', 'supervisor', 'administrator'));
ALTER TABLE users ADD COLUMN disabled_at TEXT;
CREATE TABLE user_units (
    user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    unit TEXT NOT NULL,
    PRIMARY KEY (user_name, unit)
) STRICT;
CREATE INDEX user_units_unit ON user_units (unit);
CREATE INDEX packs_recipient ON packs (recipient_id);
-- The idle timeout: a session unused for the configured time ends. Sessions opened before this
-- column existed count as idle and end at once.
ALTER TABLE sessions ADD COLUMN last_seen_unix INTEGER NOT NULL DEFAULT 0;
-- Retention: a pack may be deleted only once its deletion is recorded here (in the same
-- transaction), so nothing but the retention sweep can remove one and each removal leaves a
-- tombstone saying what went and when.
CREATE TABLE pack_deletions (
    receipt_id TEXT PRIMARY KEY,
    home_id TEXT NOT NULL,
    episode_id TEXT,
    pdf_sha256 TEXT NOT NULL,
    received_at TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    reason TEXT NOT NULL
) STRICT;
CREATE TRIGGER pack_deletions_fixed BEFORE UPDATE ON pack_deletions
BEGIN SELECT RAISE(ABORT, 'a deletion record never changes'); END;
CREATE TRIGGER pack_deletions_kept BEFORE DELETE ON pack_deletions
BEGIN SELECT RAISE(ABORT, 'a deletion record is kept'); END;
DROP TRIGGER packs_no_delete;
CREATE TRIGGER packs_no_delete BEFORE DELETE ON packs
WHEN NOT EXISTS (SELECT 1 FROM pack_deletions WHERE receipt_id = OLD.receipt_id)
BEGIN SELECT RAISE(ABORT, 'received packs are kept until retention deletes them'); END;
CREATE TRIGGER acks_no_delete BEFORE DELETE ON acks
WHEN NOT EXISTS (SELECT 1 FROM pack_deletions WHERE receipt_id = OLD.receipt_id)
BEGIN SELECT RAISE(ABORT, 'acknowledgements are kept with their pack'); END;
"#,
];

/// SQLite marks itself initialised before SQLCipher has finished its own set-up (SQLCipher 4.20's
/// `SQLITE_EXTRA_INIT` runs after `isInit` is set, outside the lock), so when a process's first
/// connections open at once, all but one can be refused "PRAGMA key" with a generic error. The
/// process's first connection is therefore opened here, once, while every other opener waits.
fn sqlcipher_ready() {
    static READY: std::sync::Once = std::sync::Once::new();
    READY.call_once(|| {
        // A failure here shows again, with its reason, at the caller's own open.
        let _ = Connection::open_in_memory();
    });
}

/// Open (and, with `create`, create) the database with a raw key, then bring the schema up to date.
pub fn open(path: &Path, key: &[u8; 32], create: bool) -> Result<Connection> {
    if !create && !path.exists() {
        return Err(InboxError::Config(format!(
            "no database at {}: run `grabpack-inbox init --config FILE` first",
            path.display()
        )));
    }
    sqlcipher_ready();
    let conn = Connection::open(path)?;
    let key_hex = zeroize::Zeroizing::new(format!("x'{}'", hex::encode(key)));
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    conn.pragma_update(None, "key", key_hex.as_str())?;
    // A wrong key only shows at the first read.
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                InboxError::Key("the key does not open this database (or it is damaged)".into())
            }
            other => InboxError::Database(other),
        })?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // A receipt promises the pack is kept: commit durably before answering.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // A pack removed by retention leaves no bytes in free pages (see `retention`).
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    let target = MIGRATIONS.len() as i64;
    if version > target {
        return Err(InboxError::Config(format!(
            "the database was written by a newer grabpack-inbox (schema {version})"
        )));
    }
    // Retention frees pages that `incremental_vacuum` hands back to the file system; that needs
    // auto_vacuum = INCREMENTAL, which an existing database takes on with one VACUUM.
    let auto_vacuum: i64 = conn.query_row("PRAGMA auto_vacuum", [], |r| r.get(0))?;
    if auto_vacuum != 2 {
        conn.execute_batch("PRAGMA auto_vacuum = INCREMENTAL; VACUUM;")?;
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(conn)
}

/// The shared connection. Cloning shares it.
#[derive(Clone, Debug)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    pub fn new(conn: Connection) -> Self {
        Self {
            conn: Arc::new(Mutex::new(conn)),
        }
    }

    /// Run `f` with the connection on the blocking pool.
    pub async fn call<F, R>(&self, f: F) -> Result<R>
    where
        F: FnOnce(&mut Connection) -> Result<R> + Send + 'static,
        R: Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn
                .lock()
                .map_err(|_| InboxError::Internal("database lock poisoned".into()))?;
            f(&mut guard)
        })
        .await
        .map_err(|e| InboxError::Internal(format!("database task failed: {e}")))?
    }

    /// Synchronous access, for commands run outside the server.
    pub fn with<R>(&self, f: impl FnOnce(&mut Connection) -> Result<R>) -> Result<R> {
        let mut guard = self
            .conn
            .lock()
            .map_err(|_| InboxError::Internal("database lock poisoned".into()))?;
        f(&mut guard)
    }
}

/// Now, as RFC 3339 UTC with millisecond precision.
pub fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// Append to the hash-chained audit log (inside the caller's transaction when there is one).
pub fn audit(
    conn: &Connection,
    actor: &str,
    action: &str,
    subject: Option<&str>,
    detail: &str,
) -> Result<()> {
    grabpack_audit::append(conn, &now_rfc3339(), actor, action, subject, detail)?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A database as the first release left it: schema 1, an account, a session, a pack.
    fn first_release_database(path: &Path, key: &[u8; 32]) {
        let conn = Connection::open(path).unwrap();
        conn.pragma_update(None, "key", format!("x'{}'", hex::encode(key)))
            .unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO users (name, password_hash, created_at) VALUES ('duty-sergeant', 'x', '2026-11-01T00:00:00Z');
             INSERT INTO packs (receipt_id, home_id, home_name, idempotency_key, received_at, manifest,
                child_ref, child_display_name, episode_id, recipient_id, sent_at, marking, readout,
                pdf_sha256, pdf_bytes, pdf)
             VALUES ('r1', 'home-a', 'A (fictional)', 'k1', '2026-11-01T00:00:00Z', '{}', 'c', 'Sam Example',
                NULL, 'met-bcu-north', '2026-11-01T00:00:00Z', 'OFFICIAL-SENSITIVE', 'fictional', 'h', 1, x'00');",
        )
        .unwrap();
        use sha2::Digest;
        let token = hex::encode(sha2::Sha256::digest(b"old-session"));
        conn.execute(
            "INSERT INTO sessions (token_sha256, user_name, csrf, created_at, expires_unix)
             VALUES (?1, 'duty-sergeant', 'c', '2026-11-01T00:00:00Z', 99999999999)",
            [token],
        )
        .unwrap();
    }

    #[test]
    fn a_first_release_database_upgrades_with_its_accounts_as_supervisors_and_packs_still_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inbox.db");
        let key = [9u8; 32];
        first_release_database(&path, &key);
        let conn = open(&path, &key, false).unwrap();
        let role: String = conn
            .query_row(
                "SELECT role FROM users WHERE name = 'duty-sergeant'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            role, "supervisor",
            "an existing account keeps seeing what it saw"
        );
        // Its old session has no last use, so the idle timeout ends it.
        assert!(
            crate::auth::session(&conn, "old-session", 30)
                .unwrap()
                .is_none()
        );
        let kept: i64 = conn
            .query_row("SELECT COUNT(*) FROM sessions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 1, "the old session row was there to be ended");
        let auto_vacuum: i64 = conn
            .query_row("PRAGMA auto_vacuum", [], |r| r.get(0))
            .unwrap();
        assert_eq!(auto_vacuum, 2);
        // Still no deleting a pack except through retention's tombstone.
        assert!(
            conn.execute("DELETE FROM packs WHERE receipt_id = 'r1'", [])
                .is_err()
        );
        let packs: i64 = conn
            .query_row("SELECT COUNT(*) FROM packs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(packs, 1);
        drop(conn);
        // Opening again changes nothing.
        assert!(open(&path, &key, false).is_ok());
    }
}
