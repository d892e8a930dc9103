//! Every way syncing can fail on the device, each with a stable `sync.*` code.
//!
//! The app and the command line will branch on the code (a refused pairing is not a network
//! outage); a refusal from the hub keeps the hub's own `hub.*` code beside ours.

pub type Result<T, E = SyncError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(
        "This record could not be opened with the home's key: it was changed, moved to another home or device, or sealed under a key this device does not hold."
    )]
    CannotOpen,
    #[error("This device does not hold the home key of epoch {epoch}; sync its keys first.")]
    UnknownEpoch { epoch: u32 },
    #[error(
        "The home key sent to this device could not be opened, or was meant for another home, device or epoch."
    )]
    CannotUnwrap,
    #[error("The data is not in the expected form: {0}")]
    Malformed(String),
    #[error("The hub refused the request ({code}): {message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    #[error(
        "The hub could not be reached: {0}. Changes wait on this device and go when it is back."
    )]
    Network(String),
    #[error("No secure random numbers are available on this device: {0}")]
    Random(String),
    #[error(
        "No device is waiting to join with the code {0}: check the code on the new device's screen, or ask it to try again."
    )]
    NoSuchPairing(String),
    #[error(
        "The fingerprint typed is not the one of the device waiting with that code: do not approve it. Check both screens again; if they really differ, someone else may be trying to join."
    )]
    FingerprintMismatch,
    #[error(
        "The app was locked while it synced: what was done is kept, and the sync carries on once someone unlocks it."
    )]
    StoreLocked,
    /// This device's own store refused (its codes are the store's).
    #[error(transparent)]
    Store(#[from] grabpack_store::StoreError),
}

impl SyncError {
    /// Every code this crate's own variants carry.
    pub const CODES: &'static [&'static str] = &[
        "sync.cannot_open",
        "sync.unknown_epoch",
        "sync.cannot_unwrap",
        "sync.malformed",
        "sync.refused",
        "sync.network",
        "sync.random",
        "sync.no_such_pairing",
        "sync.fingerprint_mismatch",
        "sync.store_locked",
    ];

    /// Stable across releases and languages: callers and tests match on this (a store failure
    /// keeps the store's own `store.*` code).
    pub fn code(&self) -> &'static str {
        match self {
            Self::CannotOpen => "sync.cannot_open",
            Self::UnknownEpoch { .. } => "sync.unknown_epoch",
            Self::CannotUnwrap => "sync.cannot_unwrap",
            Self::Malformed(_) => "sync.malformed",
            Self::Refused { .. } => "sync.refused",
            Self::Network(_) => "sync.network",
            Self::Random(_) => "sync.random",
            Self::NoSuchPairing(_) => "sync.no_such_pairing",
            Self::FingerprintMismatch => "sync.fingerprint_mismatch",
            Self::StoreLocked => "sync.store_locked",
            Self::Store(e) => e.code(),
        }
    }

    /// The hub's own code when the hub refused (`hub.replay`, `hub.device_revoked`, ...).
    pub fn hub_code(&self) -> Option<&str> {
        match self {
            Self::Refused { code, .. } => Some(code),
            _ => None,
        }
    }
}

#[cfg(test)]
mod codes_tests {
    use super::*;

    /// Which variant this is. No `_` arm, so a new variant does not compile until it is
    /// numbered here, and the test below fails until it has a sample.
    fn variant(e: &SyncError) -> Option<usize> {
        Some(match e {
            SyncError::CannotOpen => 0,
            SyncError::UnknownEpoch { .. } => 1,
            SyncError::CannotUnwrap => 2,
            SyncError::Malformed(_) => 3,
            SyncError::Refused { .. } => 4,
            SyncError::Network(_) => 5,
            SyncError::Random(_) => 6,
            SyncError::NoSuchPairing(_) => 7,
            SyncError::FingerprintMismatch => 8,
            SyncError::StoreLocked => 9,
            SyncError::Store(_) => return None,
        })
    }

    fn one_of_each() -> Vec<SyncError> {
        vec![
            SyncError::CannotOpen,
            SyncError::UnknownEpoch { epoch: 2 },
            SyncError::CannotUnwrap,
            SyncError::Malformed(String::new()),
            SyncError::Refused {
                status: 409,
                code: "hub.replay".into(),
                message: String::new(),
            },
            SyncError::Network(String::new()),
            SyncError::Random(String::new()),
            SyncError::NoSuchPairing(String::new()),
            SyncError::FingerprintMismatch,
            SyncError::StoreLocked,
        ]
    }

    #[test]
    fn codes_lists_the_code_of_every_variant_and_nothing_else() {
        let samples = one_of_each();
        let mut seen: Vec<usize> = samples.iter().filter_map(variant).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(
            seen,
            (0..10).collect::<Vec<_>>(),
            "one sample of every variant"
        );
        let mut from_variants: Vec<&str> = samples.iter().map(SyncError::code).collect();
        from_variants.sort_unstable();
        let mut listed = SyncError::CODES.to_vec();
        listed.sort_unstable();
        let before = listed.len();
        listed.dedup();
        assert_eq!(before, listed.len(), "a code listed twice");
        assert_eq!(from_variants, listed);
    }
}
