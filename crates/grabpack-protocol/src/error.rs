//! The protocol's errors: the JSON error body every refusal carries, and this crate's own refusals
//! (an intake address the protocol does not allow).

use serde::{Deserialize, Serialize};

/// Every error response's body: `{"error": {"code": "...", "message": "..."}}`. Software branches
/// on `code` (stable, `intake.*`); `message` is English for a person and may change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    /// May be left out by a receiver; reads as empty.
    #[serde(default)]
    pub message: String,
}

impl ErrorBody {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code: code.into(),
                message: message.into(),
            },
        }
    }
}

/// What this crate's rules refuse, each with a stable code. Callers with codes of their own (the
/// sender's `send.*`) map these with an exhaustive match.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    #[error("'{url}' is not a usable address: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("'{0}' is not an encrypted (https) address; the intake protocol runs over TLS only.")]
    TlsRequired(String),
}

impl ProtocolError {
    /// Stable across releases and languages.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadUrl { .. } => "protocol.bad_url",
            Self::TlsRequired(_) => "protocol.tls_required",
        }
    }
}
