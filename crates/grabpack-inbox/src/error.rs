//! Every way the inbox can refuse, each with a stable `intake.*` code.
//!
//! Senders (the care home's app and any other implementation of the protocol) branch on the code,
//! never on the English message, so codes never change once published in
//! `docs/intake-protocol.md`. Messages are written for the person who has to act: the home's
//! keyworker reading a send failure, or the administrator reading the service's output.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use grabpack_protocol::ErrorBody;

pub type Result<T, E = InboxError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    #[error(
        "The bearer token is missing or not recognised. Check the token configured for this home."
    )]
    Unauthorised,
    #[error("The manifest is not acceptable: {0}")]
    MalformedManifest(String),
    #[error("The PDF received does not match the manifest's pdf_sha256 / pdf_bytes: {0}")]
    HashMismatch(String),
    #[error("The upload ended early: {0}. Nothing was stored; send it again.")]
    Truncated(String),
    #[error("The upload is larger than this service accepts ({limit} bytes). Nothing was stored.")]
    TooLarge { limit: u64 },
    #[error(
        "This idempotency key was already used for a different PDF. Use a new key for a new pack."
    )]
    IdempotencyConflict,
    #[error("The upload took too long and was abandoned. Nothing was stored; send it again.")]
    Timeout,
    #[error(
        "This home is sending more packs at once, or in a minute, than this service allows it. Nothing was stored; send it again shortly with the same key."
    )]
    RateLimited,
    #[error("The cursor is not one this service issued.")]
    BadCursor,
    #[error("Not found.")]
    NotFound,
    #[error("The user name or password is not right.")]
    LoginFailed,
    #[error(
        "Too many failed sign-ins for this user name. Wait 15 minutes, or ask an administrator to set a new password."
    )]
    LoginThrottled,
    #[error("Your session has ended. Please sign in again.")]
    SessionExpired,
    #[error("The form was out of date. Reload the page and try again.")]
    Csrf,
    #[error("Some fields need attention: {0}")]
    InvalidForm(String),
    #[error("The configuration is not usable: {0}")]
    Config(String),
    #[error("The database key is missing or not usable: {0}")]
    Key(String),
    #[error("The database could not be opened or read: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("The audit log could not be written or read: {0}")]
    Audit(#[from] grabpack_audit::AuditError),
    #[error("Internal error: {0}")]
    Internal(String),
}

impl InboxError {
    /// Stable across releases and languages: senders and tests match on this.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthorised => "intake.unauthorised",
            Self::MalformedManifest(_) => "intake.malformed_manifest",
            Self::HashMismatch(_) => "intake.hash_mismatch",
            Self::Truncated(_) => "intake.truncated",
            Self::TooLarge { .. } => "intake.too_large",
            Self::IdempotencyConflict => "intake.idempotency_conflict",
            Self::Timeout => "intake.timeout",
            Self::RateLimited => "intake.rate_limited",
            Self::BadCursor => "intake.bad_cursor",
            Self::NotFound => "intake.not_found",
            Self::LoginFailed => "intake.login_failed",
            Self::LoginThrottled => "intake.login_throttled",
            Self::SessionExpired => "intake.session_expired",
            Self::Csrf => "intake.csrf",
            Self::InvalidForm(_) => "intake.invalid_form",
            Self::Config(_) => "intake.config",
            Self::Key(_) => "intake.key",
            Self::Database(_) => "intake.storage",
            Self::Audit(_) => "intake.storage",
            Self::Internal(_) => "intake.internal",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::Unauthorised | Self::LoginFailed | Self::SessionExpired => {
                StatusCode::UNAUTHORIZED
            }
            Self::MalformedManifest(_)
            | Self::HashMismatch(_)
            | Self::Truncated(_)
            | Self::BadCursor
            | Self::InvalidForm(_) => StatusCode::BAD_REQUEST,
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::LoginThrottled | Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::IdempotencyConflict => StatusCode::CONFLICT,
            Self::Timeout => StatusCode::REQUEST_TIMEOUT,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Csrf => StatusCode::FORBIDDEN,
            Self::Config(_)
            | Self::Key(_)
            | Self::Database(_)
            | Self::Audit(_)
            | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// One line on stderr for the operator (never a panic if stderr is closed). Messages never
    /// carry the database key, tokens or passwords.
    pub fn log(&self) {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "grabpack-inbox: {} ({})",
            self.code(),
            self
        );
    }

    /// What goes over the wire: internal details (SQL errors, paths) stay in the server's log.
    pub fn public_message(&self) -> String {
        match self {
            Self::Database(_) | Self::Audit(_) | Self::Internal(_) | Self::Key(_) | Self::Config(_) => {
                "The service could not store or read this right now. Nothing was stored; try again shortly.".to_string()
            }
            other => other.to_string(),
        }
    }
}

/// The machine-facing form: `{"error":{"code","message"}}`.
impl IntoResponse for InboxError {
    fn into_response(self) -> Response {
        if self.status().is_server_error() {
            self.log();
        }
        let body = ErrorBody::new(self.code(), self.public_message());
        let mut resp = (self.status(), Json(body)).into_response();
        if matches!(self, Self::RateLimited) {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
        }
        if matches!(self, Self::Unauthorised) {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"grabpack-intake\""),
            );
        }
        resp
    }
}
