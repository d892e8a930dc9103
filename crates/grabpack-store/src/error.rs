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
    EpisodeAlreadyOpen { episode_id: String },
    #[error("That episode belongs to another child. Go back to the children and start again.")]
    EpisodeOtherChild { episode_id: String },
    #[error("There is no episode entry {0} to amend.")]
    EventNotFound(i64),
    #[error("There is no outbox delivery '{0}'.")]
    DeliveryNotFound(String),
    #[error("That delivery is {state}; it cannot be {wanted}.")]
    DeliveryState { state: String, wanted: &'static str },
    #[error("An outbox message needs at least one recipient.")]
    NoRecipients,
}

impl StoreError {
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
            Self::DeliveryNotFound(_) => "store.delivery_not_found",
            Self::DeliveryState { .. } => "store.delivery_state",
            Self::NoRecipients => "store.no_recipients",
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
