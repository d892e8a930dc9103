//! Every way the store can refuse, each with a stable code and words a care worker can act on.

use grabpack_core::CoreError;
use grabpack_core::validate::FieldError;
use grabpack_photo::PhotoError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("That PIN, passphrase or recovery key is not right. Nothing was changed.")]
    WrongSecret,
    #[error("There is no staff member called '{0}' in this store.")]
    NoSuchStaff(String),
    #[error(
        "'{0}' has been disabled and can no longer unlock the store. A manager can re-add them."
    )]
    StaffDisabled(String),
    #[error("{0}'s agency engagement ended on {1}; a manager can extend it by re-adding them.")]
    EngagementEnded(String, String),
    #[error("{0}'s PIN cannot be used on this device; unlock with the passphrase or recovery key.")]
    NoPinSlot(String),
    #[error(
        "This device's key is missing from the system keychain, so PINs cannot work here. Unlock with the recovery key or passphrase (`grabpack keys recover`) to set up this device again; no record is lost."
    )]
    DeviceSecretMissing,
    #[error("The system keychain could not be used: {0}. Use the passphrase instead.")]
    KeychainUnavailable(String),
    #[error(
        "The key slots file (keyslots.json) is missing beside the database. Restore it from a backup; without it the database cannot be opened."
    )]
    KeySlotsMissing,
    #[error("The key slots file is damaged ({0}). Restore keyslots.json from a backup.")]
    KeySlotsDamaged(String),
    #[error("There is no Grab Pack store in this folder yet. Create one with `grabpack init`.")]
    NotInitialised,
    #[error("A Grab Pack store already exists in this folder; nothing was changed.")]
    AlreadyInitialised,
    #[error(
        "This data was written by a newer version of Grab Pack (schema {found}, this app reads up to {supported}). Update the app to open it; nothing was changed."
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error(
        "The database could not be read: it may be damaged. Restore from a backup; the key itself was right."
    )]
    Damaged(#[source] rusqlite::Error),
    #[error(
        "Part of the database could not be read ({0}): it may be damaged. Nothing was changed; restore from a backup."
    )]
    DamagedRecord(String),
    #[error("The change could not be written down ({0}); nothing was saved.")]
    Unencodable(#[source] serde_json::Error),
    #[error("The database refused the change: {0}")]
    Database(rusqlite::Error),
    #[error("A file in the store folder could not be read or written: {0}")]
    Io(#[from] std::io::Error),
    #[error("No child matches '{0}'.")]
    ChildNotFound(String),
    #[error("'{0}' matches more than one child; use more of the name or the id.")]
    ChildAmbiguous(String),
    #[error("This child is archived: their record is kept read-only.")]
    ChildArchived,
    #[error("There is no revision {0} for this child.")]
    RevisionNotFound(i64),
    #[error("The form was not saved: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    FormInvalid(Vec<FieldError>),
    #[error(transparent)]
    Photo(#[from] PhotoError),
    #[error(transparent)]
    Import(#[from] CoreError),
    #[error("A PIN must be 4 to 12 digits.")]
    PinFormat,
    #[error("A passphrase must be at least 12 characters.")]
    PassphraseTooShort,
    #[error("That recovery key is not in the right form: it is 13 groups of 4 letters and digits.")]
    RecoveryKeyFormat,
    #[error("A staff member called '{0}' already exists.")]
    StaffExists(String),
    #[error("'{0}' is the last active manager; add another manager before disabling them.")]
    LastManager(String),
    #[error("Only a manager (or the passphrase or recovery key holder) can do that.")]
    NotPermitted,
    #[error("This store has no passphrase; unlock with a PIN or the recovery key.")]
    NoPassphraseSlot,
    #[error(
        "This store has a passphrase: give it (GRABPACK_PASSPHRASE) so it is kept under the new key, or choose to drop it."
    )]
    PassphraseNeeded,
    #[error("Too many wrong attempts: wait {seconds} seconds before trying again.")]
    TooManyAttempts { seconds: u64 },
    #[error("There is no missing episode '{0}'.")]
    EpisodeNotFound(String),
    #[error("This episode is closed; record a new episode if the child is missing again.")]
    EpisodeClosed,
    #[error(
        "This child already has an open missing episode ({episode_id}): carry on with that one. A new episode can be opened once it is closed."
    )]
    EpisodeAlreadyOpen { episode_id: crate::EpisodeId },
    #[error("That episode belongs to another child. Go back to the children and start again.")]
    EpisodeOtherChild { episode_id: crate::EpisodeId },
    #[error("There is no episode entry {0} to amend.")]
    EventNotFound(i64),
    #[error(
        "A strategy meeting rule of {episodes} episodes in {within_days} days cannot be set: use at least 2 episodes (up to 50) within 1 to 365 days."
    )]
    BadStrategyRule { episodes: u32, within_days: u32 },
    #[error("There is no outbox delivery '{0}'.")]
    DeliveryNotFound(String),
    #[error("That delivery is {state}; it cannot be {wanted}.")]
    DeliveryState { state: String, wanted: &'static str },
    #[error("An outbox message needs at least one recipient.")]
    NoRecipients,
    #[error(
        "Delivery '{0}' is no longer this sender's to finish: another sender took it over after this attempt's claim ran out."
    )]
    DeliveryClaimLost(String),
    #[error(
        "This device is not part of a home's sync yet: set it up as the home's first device (grabpack sync enrol) or ask to join (grabpack sync pair)."
    )]
    SyncNotJoined,
    #[error("This device already belongs to home {home_id} at {hub_url}; it cannot join another.")]
    SyncAlreadyJoined { home_id: String, hub_url: String },
    #[error(
        "A record from another device of the home could not be read ({0}); nothing was changed."
    )]
    SyncRecordInvalid(String),
    #[error("No two edits of this child disagree on '{0}'.")]
    NoDisagreement(String),
    #[error(
        "Delivery '{0}' is being sent by another of the home's devices: retry it or stop it there. This device shows its state only."
    )]
    DeliveryOnAnotherDevice(String),
}

impl StoreError {
    /// Every code [`StoreError::code`] returns for this crate's own failures (wrapped errors keep
    /// their own crate's codes). The app exports them to the UI as the `ErrorCode` type.
    pub const CODES: &'static [&'static str] = &[
        "store.wrong_secret",
        "store.no_such_staff",
        "store.staff_disabled",
        "store.engagement_ended",
        "store.no_pin_slot",
        "store.device_secret_missing",
        "store.keychain_unavailable",
        "store.keyslots_missing",
        "store.keyslots_damaged",
        "store.not_initialised",
        "store.already_initialised",
        "store.newer_schema",
        "store.damaged",
        "store.database",
        "store.io",
        "store.child_not_found",
        "store.child_ambiguous",
        "store.child_archived",
        "store.revision_not_found",
        "form.invalid",
        "store.pin_format",
        "store.passphrase_too_short",
        "store.recovery_key_format",
        "store.staff_exists",
        "store.last_manager",
        "store.not_permitted",
        "store.no_passphrase_slot",
        "store.passphrase_needed",
        "store.too_many_attempts",
        "store.episode_not_found",
        "store.episode_closed",
        "store.event_not_found",
        "store.delivery_not_found",
        "store.delivery_state",
        "store.no_recipients",
        "store.delivery_claim_lost",
        "store.unencodable",
        "store.episode_already_open",
        "store.episode_other_child",
        "store.bad_strategy_rule",
        "store.sync_not_joined",
        "store.sync_already_joined",
        "store.sync_record_invalid",
        "store.no_disagreement",
        "store.delivery_on_another_device",
    ];

    /// Stable across releases and languages: the UI and tests match on this, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongSecret => "store.wrong_secret",
            Self::NoSuchStaff(_) => "store.no_such_staff",
            Self::StaffDisabled(_) => "store.staff_disabled",
            Self::EngagementEnded(..) => "store.engagement_ended",
            Self::NoPinSlot(_) => "store.no_pin_slot",
            Self::DeviceSecretMissing => "store.device_secret_missing",
            Self::KeychainUnavailable(_) => "store.keychain_unavailable",
            Self::KeySlotsMissing => "store.keyslots_missing",
            Self::KeySlotsDamaged(_) => "store.keyslots_damaged",
            Self::NotInitialised => "store.not_initialised",
            Self::AlreadyInitialised => "store.already_initialised",
            Self::NewerSchema { .. } => "store.newer_schema",
            Self::Damaged(_) | Self::DamagedRecord(_) => "store.damaged",
            Self::Unencodable(_) => "store.unencodable",
            Self::Database(_) => "store.database",
            Self::Io(_) => "store.io",
            Self::ChildNotFound(_) => "store.child_not_found",
            Self::ChildAmbiguous(_) => "store.child_ambiguous",
            Self::ChildArchived => "store.child_archived",
            Self::RevisionNotFound(_) => "store.revision_not_found",
            Self::FormInvalid(_) => "form.invalid",
            Self::Photo(e) => e.code(),
            Self::Import(e) => e.code(),
            Self::PinFormat => "store.pin_format",
            Self::PassphraseTooShort => "store.passphrase_too_short",
            Self::RecoveryKeyFormat => "store.recovery_key_format",
            Self::StaffExists(_) => "store.staff_exists",
            Self::LastManager(_) => "store.last_manager",
            Self::NotPermitted => "store.not_permitted",
            Self::NoPassphraseSlot => "store.no_passphrase_slot",
            Self::PassphraseNeeded => "store.passphrase_needed",
            Self::TooManyAttempts { .. } => "store.too_many_attempts",
            Self::EpisodeNotFound(_) => "store.episode_not_found",
            Self::EpisodeClosed => "store.episode_closed",
            Self::EpisodeAlreadyOpen { .. } => "store.episode_already_open",
            Self::EpisodeOtherChild { .. } => "store.episode_other_child",
            Self::EventNotFound(_) => "store.event_not_found",
            Self::BadStrategyRule { .. } => "store.bad_strategy_rule",
            Self::SyncNotJoined => "store.sync_not_joined",
            Self::SyncAlreadyJoined { .. } => "store.sync_already_joined",
            Self::SyncRecordInvalid(_) => "store.sync_record_invalid",
            Self::NoDisagreement(_) => "store.no_disagreement",
            Self::DeliveryOnAnotherDevice(_) => "store.delivery_on_another_device",
            Self::DeliveryNotFound(_) => "store.delivery_not_found",
            Self::DeliveryState { .. } => "store.delivery_state",
            Self::NoRecipients => "store.no_recipients",
            Self::DeliveryClaimLost(_) => "store.delivery_claim_lost",
        }
    }
}

/// The audit chain lives inside the store's own database and commits in the same transaction as
/// the change it records, so its failure *is* the database's: it becomes [`StoreError::Database`]
/// (through `From<rusqlite::Error>` below: `store.database`, or `store.damaged` for a value that
/// does not convert).
/// An exhaustive match, so a new kind of audit failure has to be given its store meaning here.
impl From<grabpack_audit::AuditError> for StoreError {
    fn from(e: grabpack_audit::AuditError) -> Self {
        match e {
            grabpack_audit::AuditError::Database(e) => Self::from(e),
        }
    }
}

/// A value in the database that does not convert to what this build expects (an unknown event
/// kind, a date that does not parse, a column of the wrong type) is damage, `store.damaged`; any
/// other database error is `store.database`.
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::IntegralValueOutOfRange(..) => Self::Damaged(e),
            e => Self::Database(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod codes_tests {
    use super::*;

    /// Which variant this is: `Some(n)` for a failure of this crate's own, `None` for a wrapped
    /// error of another crate (its codes are listed there). No `_` arm, so a new variant does not
    /// compile until it is numbered here, and the test below fails until it has a sample.
    fn variant(e: &StoreError) -> Option<usize> {
        match e {
            StoreError::WrongSecret => Some(0),
            StoreError::NoSuchStaff { .. } => Some(1),
            StoreError::StaffDisabled { .. } => Some(2),
            StoreError::EngagementEnded { .. } => Some(3),
            StoreError::NoPinSlot { .. } => Some(4),
            StoreError::DeviceSecretMissing => Some(5),
            StoreError::KeychainUnavailable { .. } => Some(6),
            StoreError::KeySlotsMissing => Some(7),
            StoreError::KeySlotsDamaged { .. } => Some(8),
            StoreError::NotInitialised => Some(9),
            StoreError::AlreadyInitialised => Some(10),
            StoreError::NewerSchema { .. } => Some(11),
            StoreError::Damaged { .. } => Some(12),
            StoreError::Database { .. } => Some(13),
            StoreError::Io { .. } => Some(14),
            StoreError::ChildNotFound { .. } => Some(15),
            StoreError::ChildAmbiguous { .. } => Some(16),
            StoreError::ChildArchived => Some(17),
            StoreError::RevisionNotFound { .. } => Some(18),
            StoreError::FormInvalid { .. } => Some(19),
            StoreError::Photo { .. } => None,
            StoreError::Import { .. } => None,
            StoreError::PinFormat => Some(22),
            StoreError::PassphraseTooShort => Some(23),
            StoreError::RecoveryKeyFormat => Some(24),
            StoreError::StaffExists { .. } => Some(25),
            StoreError::LastManager { .. } => Some(26),
            StoreError::NotPermitted => Some(27),
            StoreError::NoPassphraseSlot => Some(28),
            StoreError::PassphraseNeeded => Some(29),
            StoreError::TooManyAttempts { .. } => Some(30),
            StoreError::EpisodeNotFound { .. } => Some(31),
            StoreError::EpisodeClosed => Some(32),
            StoreError::EventNotFound { .. } => Some(33),
            StoreError::DeliveryNotFound { .. } => Some(34),
            StoreError::DeliveryState { .. } => Some(35),
            StoreError::NoRecipients => Some(36),
            StoreError::DamagedRecord { .. } => Some(37),
            StoreError::Unencodable { .. } => Some(38),
            StoreError::EpisodeAlreadyOpen { .. } => Some(39),
            StoreError::EpisodeOtherChild { .. } => Some(40),
            StoreError::DeliveryClaimLost { .. } => Some(41),
            StoreError::BadStrategyRule { .. } => Some(42),
            StoreError::SyncNotJoined => Some(43),
            StoreError::SyncAlreadyJoined { .. } => Some(44),
            StoreError::SyncRecordInvalid { .. } => Some(45),
            StoreError::NoDisagreement { .. } => Some(46),
            StoreError::DeliveryOnAnotherDevice { .. } => Some(47),
        }
    }

    /// One of each of this crate's own variants.
    fn one_of_each() -> Vec<StoreError> {
        vec![
            StoreError::WrongSecret,
            StoreError::NoSuchStaff("x".into()),
            StoreError::StaffDisabled("x".into()),
            StoreError::EngagementEnded("x".into(), "y".into()),
            StoreError::NoPinSlot("x".into()),
            StoreError::DeviceSecretMissing,
            StoreError::KeychainUnavailable("x".into()),
            StoreError::KeySlotsMissing,
            StoreError::KeySlotsDamaged("x".into()),
            StoreError::NotInitialised,
            StoreError::AlreadyInitialised,
            StoreError::NewerSchema {
                found: 2,
                supported: 1,
            },
            StoreError::Damaged(rusqlite::Error::QueryReturnedNoRows),
            StoreError::Database(rusqlite::Error::QueryReturnedNoRows),
            StoreError::Io(std::io::Error::other("x")),
            StoreError::ChildNotFound("x".into()),
            StoreError::ChildAmbiguous("x".into()),
            StoreError::ChildArchived,
            StoreError::RevisionNotFound(1),
            StoreError::FormInvalid(Vec::new()),
            StoreError::PinFormat,
            StoreError::PassphraseTooShort,
            StoreError::RecoveryKeyFormat,
            StoreError::StaffExists("x".into()),
            StoreError::LastManager("x".into()),
            StoreError::NotPermitted,
            StoreError::NoPassphraseSlot,
            StoreError::PassphraseNeeded,
            StoreError::TooManyAttempts { seconds: 1 },
            StoreError::EpisodeNotFound("x".into()),
            StoreError::EpisodeClosed,
            StoreError::EventNotFound(1),
            StoreError::DeliveryNotFound("x".into()),
            StoreError::DeliveryState {
                state: "sent".into(),
                wanted: "queued",
            },
            StoreError::NoRecipients,
            StoreError::DeliveryClaimLost("x".into()),
            StoreError::DamagedRecord("x".into()),
            StoreError::Unencodable(serde_json::from_str::<u8>("x").unwrap_err()),
            StoreError::EpisodeAlreadyOpen {
                episode_id: "x".into(),
            },
            StoreError::EpisodeOtherChild {
                episode_id: "x".into(),
            },
            StoreError::BadStrategyRule {
                episodes: 1,
                within_days: 0,
            },
            StoreError::SyncNotJoined,
            StoreError::SyncAlreadyJoined {
                home_id: "x".into(),
                hub_url: "y".into(),
            },
            StoreError::SyncRecordInvalid("x".into()),
            StoreError::NoDisagreement("x".into()),
            StoreError::DeliveryOnAnotherDevice("x".into()),
        ]
    }

    #[test]
    fn codes_lists_the_code_of_every_variant_and_nothing_else() {
        let samples = one_of_each();
        let mut seen: Vec<usize> = samples.iter().filter_map(variant).collect();
        seen.sort_unstable();
        seen.dedup();
        let wrapped: &[usize] = &[20, 21];
        let own: Vec<usize> = (0..48).filter(|k| !wrapped.contains(k)).collect();
        assert_eq!(seen, own, "one sample of every own variant");
        let mut from_variants: Vec<&str> = samples.iter().map(StoreError::code).collect();
        from_variants.sort_unstable();
        // Two variants may share a code (a damaged page and a damaged record are both
        // `store.damaged` to the person reading it).
        from_variants.dedup();
        let mut listed = StoreError::CODES.to_vec();
        listed.sort_unstable();
        let before = listed.len();
        listed.dedup();
        assert_eq!(before, listed.len(), "a code listed twice");
        assert!(!listed.is_empty());
        assert_eq!(from_variants, listed);
    }
}
