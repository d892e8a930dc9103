//! The unlocked store: one encrypted database and the key slots beside it.
//!
//! Every change is one SQLite transaction that also appends its audit row, so a crash at any
//! instant leaves either the whole change with its audit entry or neither. Forms are never
//! updated in place: each save is a new immutable revision (triggers refuse UPDATE and DELETE).
//!
//! This file holds what every topic shares: the [`Store`] handle, who is acting, the audit
//! entry point and the connection. Each topic is its own `impl Store` block in its own file
//! (`keys`, `staff`, `children`, `photos`, `dashboard`, `settings`, `episodes`, `outbox`), so a
//! change to one topic is read and reviewed in one place.

use crate::ids::ChildId;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use grabpack_core::StaffRole;
use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::Connection;
use serde::Serialize;

use crate::audit::{self, AuditEntry, ChainReport};
use crate::audit_action::AuditAction;
use crate::db;
use crate::error::{Result, StoreError};
use crate::keychain::DeviceKeychain;
use crate::secret::Sensitive;

/// Who is acting: every revision and audit row names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    Staff {
        id: String,
        name: String,
        role: StaffRole,
    },
    /// Unlocked with the passphrase (a headless machine or an administrator).
    Passphrase,
    /// Unlocked with the recovery key from the home's safe.
    RecoveryKey,
}

impl Actor {
    /// The id kept in revisions and the audit log.
    pub fn id(&self) -> String {
        match self {
            Self::Staff { id, .. } => format!("staff:{id}"),
            Self::Passphrase => "passphrase".into(),
            Self::RecoveryKey => "recovery-key".into(),
        }
    }

    pub fn display_name(&self) -> String {
        match self {
            Self::Staff { name, .. } => name.clone(),
            Self::Passphrase => "Passphrase holder".into(),
            Self::RecoveryKey => "Recovery key holder".into(),
        }
    }

    /// Managers, and whoever holds the passphrase or the recovery key, administer the store.
    pub fn can_administer(&self) -> bool {
        !matches!(
            self,
            Self::Staff {
                role: StaffRole::Keyworker | StaffRole::Agency { .. },
                ..
            }
        )
    }
}

/// An open, unlocked store.
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) dir: PathBuf,
    pub(crate) store_id: String,
    pub(crate) actor: Actor,
    pub(crate) keychain: Option<Arc<dyn DeviceKeychain>>,
    pub(crate) db_key: Sensitive<[u8; 32]>,
    /// Unlocked with a PIN shorter than new PINs may be (see `Store::pin_change_due`).
    pub(crate) pin_change_due: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .field("actor", &self.actor)
            .finish_non_exhaustive()
    }
}

pub(crate) fn now() -> String {
    Timestamp::now().to_string()
}

/// The JSON of something about to be stored. Never an empty string in its place: a record that
/// cannot be written down is refused, not stored blank.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(StoreError::Unencodable)
}

/// A value read back from the database that this build cannot understand: `store.damaged`,
/// never skipped or replaced by a default.
pub(crate) fn damaged(what: impl std::fmt::Display) -> StoreError {
    StoreError::DamagedRecord(what.to_string())
}

pub(crate) fn today() -> Date {
    Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// True when a store exists in `dir`.
pub fn exists(dir: &Path) -> bool {
    dir.join(db::FILE_NAME).exists()
}

impl Store {
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn store_id(&self) -> &str {
        &self.store_id
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn require_admin(&self) -> Result<()> {
        if self.actor.can_administer() {
            Ok(())
        } else {
            Err(StoreError::NotPermitted)
        }
    }

    /// Append an audit entry on its own (for actions outside the store, such as rendering a pack).
    pub fn record(
        &mut self,
        action: AuditAction,
        child_id: Option<&ChildId>,
        detail: &str,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        audit::append(
            &tx,
            &now(),
            &self.actor.id(),
            action.as_str(),
            child_id.map(ChildId::as_str),
            detail,
        )?;
        tx.commit()?;
        Ok(())
    }

    // ----- audit -----

    pub fn audit_list(
        &self,
        child_id: Option<&ChildId>,
        action: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        audit::list(&self.conn, child_id.map(ChildId::as_str), action, limit)
    }

    pub fn audit_verify(&self) -> Result<ChainReport> {
        audit::verify(&self.conn)
    }

    /// The audit chain's newest entry (number, hash): what every pack carries out of the device.
    pub fn audit_head(&self) -> Result<Option<(i64, String)>> {
        audit::head(&self.conn)
    }

    /// Check a head that left the device with a pack (the intake's manifest, an email's
    /// `X-Grabpack-Audit-Head`) against the chain as it is now.
    pub fn audit_check_anchor(&self, seq: i64, hash: &str) -> Result<audit::AnchorFinding> {
        audit::check_anchor(&self.conn, seq, hash)
    }

    /// SQLCipher's page-by-page integrity check (HMAC of every page); empty when all is well.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA cipher_integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut problems: Vec<String> = rows.collect::<std::result::Result<_, _>>()?;
        let quick: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if quick != "ok" {
            problems.push(quick);
        }
        Ok(problems)
    }

    /// The connection, for the store's own episode and outbox modules.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// For tests and tools that must reach below the API (for example to prove tampering is seen).
    pub fn connection_for_tests(&self) -> &Connection {
        &self.conn
    }
}
