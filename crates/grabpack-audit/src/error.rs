//! The one way the audit log can fail: the database under it refused. Tampering is not an error
//! here; it is a finding, reported by [`crate::verify`] as [`crate::ChainReport::broken_at`].

/// Every way the audit log can refuse, each with a stable code.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("The audit log could not be written or read: {0}")]
    Database(#[from] rusqlite::Error),
}

impl AuditError {
    /// Stable across releases and languages. Callers that publish their own codes (the store's
    /// `store.*`, the intake's `intake.*`) map this with an exhaustive match rather than leak it.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Database(_) => "audit.database",
        }
    }
}

pub type Result<T, E = AuditError> = std::result::Result<T, E>;
