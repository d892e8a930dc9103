//! Every way the hub can refuse, each with a stable `hub.*` code.
//!
//! Devices branch on the code, never on the words; the codes are listed in `docs/sync.md` and
//! never change once published. Every refusal of a request stores nothing (the request's nonce
//! aside, which is what makes a replay a replay).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use grabpack_sync_protocol::{ErrorBody, Lease};

pub type Result<T, E = HubError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("The request is not signed: the device, time, nonce and signature headers are needed.")]
    Unsigned,
    #[error("No device with this id is known to the hub.")]
    UnknownDevice,
    #[error("The request's signature does not match the device's key.")]
    BadSignature,
    #[error("This device has been revoked from its home and can no longer sync.")]
    DeviceRevoked,
    #[error("This device is waiting to be approved by a paired device of the home.")]
    NotPaired,
    #[error("This exact request was already received; a request is accepted once.")]
    Replay,
    #[error(
        "The request's time is too far from the hub's clock (more than {window} seconds): check the device's clock."
    )]
    StaleRequest { window: i64 },
    #[error("The request is larger than the hub accepts ({limit} bytes). Nothing was stored.")]
    TooLarge { limit: usize },
    #[error("The request is not in the expected form: {0}. Nothing was stored.")]
    Malformed(String),
    #[error("This envelope id belongs to another home. Nothing was stored.")]
    ForeignId,
    #[error(
        "An envelope with this id was already stored with different contents. Nothing was stored."
    )]
    EnvelopeConflict,
    #[error(
        "The envelope was sealed under key epoch {sent}, but the home is at epoch {current}: fetch the keys and seal it again."
    )]
    StaleEpoch { sent: u32, current: u32 },
    #[error("Not found in this home.")]
    NotFound,
    #[error("The enrolment token is not recognised or was already used.")]
    BadToken,
    #[error(
        "Too many devices of this home are waiting to be paired; approve or wait for them first."
    )]
    TooManyPairings,
    #[error("Another device of the home is sending this delivery.")]
    LeaseHeld(Lease),
    #[error("This device does not hold the lease on this delivery.")]
    LeaseNotHeld,
    #[error("The configuration is not usable: {0}")]
    Config(String),
    #[error("The hub's database is not ready: {0}")]
    Schema(String),
    #[error("The hub's database could not be reached or refused the request: {0}")]
    Database(String),
    #[error("Internal error: {0}")]
    Internal(String),
}

impl From<tokio_postgres::Error> for HubError {
    fn from(e: tokio_postgres::Error) -> Self {
        Self::Database(e.to_string())
    }
}

impl From<deadpool_postgres::PoolError> for HubError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        Self::Database(e.to_string())
    }
}

impl HubError {
    /// Every code this crate's variants carry.
    pub const CODES: &'static [&'static str] = &[
        "hub.unsigned",
        "hub.unknown_device",
        "hub.bad_signature",
        "hub.device_revoked",
        "hub.not_paired",
        "hub.replay",
        "hub.stale_request",
        "hub.too_large",
        "hub.malformed",
        "hub.foreign_id",
        "hub.envelope_conflict",
        "hub.stale_epoch",
        "hub.not_found",
        "hub.bad_token",
        "hub.too_many_pairings",
        "hub.lease_held",
        "hub.lease_not_held",
        "hub.config",
        "hub.schema",
        "hub.database",
        "hub.internal",
    ];

    /// Stable across releases and languages: devices and tests match on this.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unsigned => "hub.unsigned",
            Self::UnknownDevice => "hub.unknown_device",
            Self::BadSignature => "hub.bad_signature",
            Self::DeviceRevoked => "hub.device_revoked",
            Self::NotPaired => "hub.not_paired",
            Self::Replay => "hub.replay",
            Self::StaleRequest { .. } => "hub.stale_request",
            Self::TooLarge { .. } => "hub.too_large",
            Self::Malformed(_) => "hub.malformed",
            Self::ForeignId => "hub.foreign_id",
            Self::EnvelopeConflict => "hub.envelope_conflict",
            Self::StaleEpoch { .. } => "hub.stale_epoch",
            Self::NotFound => "hub.not_found",
            Self::BadToken => "hub.bad_token",
            Self::TooManyPairings => "hub.too_many_pairings",
            Self::LeaseHeld(_) => "hub.lease_held",
            Self::LeaseNotHeld => "hub.lease_not_held",
            Self::Config(_) => "hub.config",
            Self::Schema(_) => "hub.schema",
            Self::Database(_) => "hub.database",
            Self::Internal(_) => "hub.internal",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::Unsigned
            | Self::UnknownDevice
            | Self::BadSignature
            | Self::Replay
            | Self::StaleRequest { .. }
            | Self::BadToken => StatusCode::UNAUTHORIZED,
            Self::DeviceRevoked | Self::NotPaired => StatusCode::FORBIDDEN,
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Malformed(_) => StatusCode::BAD_REQUEST,
            Self::ForeignId
            | Self::EnvelopeConflict
            | Self::StaleEpoch { .. }
            | Self::LeaseHeld(_)
            | Self::LeaseNotHeld => StatusCode::CONFLICT,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::TooManyPairings => StatusCode::TOO_MANY_REQUESTS,
            Self::Config(_) | Self::Schema(_) | Self::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            Self::Database(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            eprintln!("grabpack-hub: error [{}]: {self}", self.code());
        }
        // A held lease says who holds it and until when, so the device can wait or take over.
        if let Self::LeaseHeld(lease) = &self {
            let body = serde_json::json!({
                "code": self.code(),
                "message": self.to_string(),
                "lease": lease,
            });
            return (status, Json(body)).into_response();
        }
        // Database details stay in the hub's log, not in the answer.
        let message = match &self {
            Self::Database(_) | Self::Internal(_) | Self::Schema(_) | Self::Config(_) => {
                "The hub could not complete the request; try again later.".to_string()
            }
            other => other.to_string(),
        };
        (
            status,
            Json(ErrorBody {
                code: self.code().to_string(),
                message,
            }),
        )
            .into_response()
    }
}

#[cfg(test)]
mod codes_tests {
    use super::*;

    /// Which variant this is. No `_` arm, so a new variant does not compile until it is
    /// numbered here, and the test below fails until it has a sample.
    fn variant(e: &HubError) -> usize {
        match e {
            HubError::Unsigned => 0,
            HubError::UnknownDevice => 1,
            HubError::BadSignature => 2,
            HubError::DeviceRevoked => 3,
            HubError::NotPaired => 4,
            HubError::Replay => 5,
            HubError::StaleRequest { .. } => 6,
            HubError::TooLarge { .. } => 7,
            HubError::Malformed(_) => 8,
            HubError::ForeignId => 9,
            HubError::EnvelopeConflict => 10,
            HubError::StaleEpoch { .. } => 11,
            HubError::NotFound => 12,
            HubError::BadToken => 13,
            HubError::TooManyPairings => 14,
            HubError::LeaseHeld(_) => 15,
            HubError::LeaseNotHeld => 16,
            HubError::Config(_) => 17,
            HubError::Schema(_) => 18,
            HubError::Database(_) => 19,
            HubError::Internal(_) => 20,
        }
    }

    fn one_of_each() -> Vec<HubError> {
        vec![
            HubError::Unsigned,
            HubError::UnknownDevice,
            HubError::BadSignature,
            HubError::DeviceRevoked,
            HubError::NotPaired,
            HubError::Replay,
            HubError::StaleRequest { window: 1 },
            HubError::TooLarge { limit: 1 },
            HubError::Malformed(String::new()),
            HubError::ForeignId,
            HubError::EnvelopeConflict,
            HubError::StaleEpoch {
                sent: 1,
                current: 2,
            },
            HubError::NotFound,
            HubError::BadToken,
            HubError::TooManyPairings,
            HubError::LeaseHeld(Lease {
                delivery_id: "d".into(),
                holder: "h".into(),
                expires_at: 0,
                term: 1,
            }),
            HubError::LeaseNotHeld,
            HubError::Config(String::new()),
            HubError::Schema(String::new()),
            HubError::Database(String::new()),
            HubError::Internal(String::new()),
        ]
    }

    #[test]
    fn codes_lists_the_code_of_every_variant_and_nothing_else() {
        let samples = one_of_each();
        let mut seen: Vec<usize> = samples.iter().map(variant).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(
            seen,
            (0..21).collect::<Vec<_>>(),
            "one sample of every variant"
        );
        let mut from_variants: Vec<&str> = samples.iter().map(HubError::code).collect();
        from_variants.sort_unstable();
        let mut listed = HubError::CODES.to_vec();
        listed.sort_unstable();
        let before = listed.len();
        listed.dedup();
        assert_eq!(before, listed.len(), "a code listed twice");
        assert_eq!(from_variants, listed);
    }
}
