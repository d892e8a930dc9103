//! The names of audited actions, as one enum, so a shell cannot misspell one and the audit log's
//! vocabulary is read in one place.
//!
//! Why the strings are fixed: they are already in every store's hash-chained audit log, and
//! inspectors search by them. `as_str()` gives exactly the words written before this enum
//! existed; a variant is only ever added, never renamed. Entries whose action names an episode
//! entry kind or a delivery state (`episode_step`, `delivery_failed` ...) are composed from those
//! enums inside the store.

/// An action written to the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    StoreCreated,
    StaffAdded,
    StaffDisabled,
    Unlock,
    UnlockFailed,
    PassphraseSet,
    PinChanged,
    PinSlotsUpgraded,
    KeysRotated,
    DeviceSecretReplaced,
    SettingsChanged,
    SendSettingsChanged,
    DirectoryEdited,
    ChildCreated,
    Edited,
    Reviewed,
    Archived,
    Viewed,
    Exported,
    Imported,
    PhotoAdded,
    EpisodeOpened,
    FlagRaised,
    OutboxQueued,
    /// A pack PDF was built (to show, share or send).
    PackRendered,
    /// A pack PDF was written to a file the person chose (it is not encrypted there).
    PackSaved,
    /// A pack PDF was shown on screen before sending.
    PackPreviewed,
    /// The 101/999 read-out was shown.
    ReadoutShown,
    /// A test message to the mail account or an intake.
    SendTest,
    /// A manager confirmed, with a reason, an added recipient outside the public-service domains.
    RecipientConfirmed,
    /// The recovery key a rotation showed was typed back; the previous one was retired.
    RecoveryKeyConfirmed,
    /// Photos stored by an older version were rebuilt through the current photo pipeline.
    PhotosRebuilt,
    /// A manager widened, with a reason, an added address from page 1 and Part 2 to the full pack.
    RecipientWidened,
    /// The child's own copy ("what we keep about you") was shown to the child.
    ChildCopyShown,
    /// This device joined a home's sync: as its first device, or asking to be approved.
    SyncJoined,
    /// The home's keys reached this device (after approval, or a rotation when a device was
    /// revoked).
    SyncKeysReceived,
    /// Revisions and photos saved on the home's other devices were taken into this store.
    SyncReceived,
    /// A manager approved a new device of the home after comparing its fingerprint.
    SyncDeviceApproved,
    /// A manager revoked a device of the home; the home key rotated.
    SyncDeviceRevoked,
    /// A person chose between two edits that disagreed on one field.
    DisagreementSettled,
    /// A missing episode recorded on another device arrived while this device had its own open
    /// episode for the same child: one absence recorded twice, shown linked.
    EpisodesLinked,
}

impl AuditAction {
    /// The stored word: never change one (see the module comment).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::StoreCreated => "store_created",
            Self::StaffAdded => "staff_added",
            Self::StaffDisabled => "staff_disabled",
            Self::Unlock => "unlock",
            Self::UnlockFailed => "unlock_failed",
            Self::PassphraseSet => "passphrase_set",
            Self::PinChanged => "pin_changed",
            Self::PinSlotsUpgraded => "pin_slots_upgraded",
            Self::KeysRotated => "keys_rotated",
            Self::DeviceSecretReplaced => "device_secret_replaced",
            Self::SettingsChanged => "settings_changed",
            Self::SendSettingsChanged => "send_settings_changed",
            Self::DirectoryEdited => "directory_edited",
            Self::ChildCreated => "child_created",
            Self::Edited => "edited",
            Self::Reviewed => "reviewed",
            Self::Archived => "archived",
            Self::Viewed => "viewed",
            Self::Exported => "exported",
            Self::Imported => "imported",
            Self::PhotoAdded => "photo_added",
            Self::EpisodeOpened => "episode_opened",
            Self::FlagRaised => "flag_raised",
            Self::OutboxQueued => "outbox_queued",
            Self::PackRendered => "pack_rendered",
            Self::PackSaved => "pack_saved",
            Self::PackPreviewed => "pack_previewed",
            Self::ReadoutShown => "readout_shown",
            Self::SendTest => "send_test",
            Self::RecipientConfirmed => "recipient_confirmed",
            Self::RecoveryKeyConfirmed => "recovery_key_confirmed",
            Self::PhotosRebuilt => "photos_rebuilt",
            Self::RecipientWidened => "recipient_widened",
            Self::ChildCopyShown => "child_copy_shown",
            Self::SyncJoined => "sync_joined",
            Self::SyncKeysReceived => "sync_keys_received",
            Self::SyncReceived => "sync_received",
            Self::SyncDeviceApproved => "sync_device_approved",
            Self::SyncDeviceRevoked => "sync_device_revoked",
            Self::DisagreementSettled => "disagreement_settled",
            Self::EpisodesLinked => "episodes_linked",
        }
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::AuditAction;

    /// The words already in every store's audit log: a change here breaks searches and inspections.
    #[test]
    fn the_stored_words_are_the_ones_already_in_every_audit_log() {
        assert_eq!(AuditAction::PackSaved.as_str(), "pack_saved");
        assert_eq!(AuditAction::PackRendered.as_str(), "pack_rendered");
        assert_eq!(AuditAction::PackPreviewed.as_str(), "pack_previewed");
        assert_eq!(AuditAction::ReadoutShown.as_str(), "readout_shown");
        assert_eq!(AuditAction::Unlock.as_str(), "unlock");
        assert_eq!(AuditAction::Edited.as_str(), "edited");
    }
}
