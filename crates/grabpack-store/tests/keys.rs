//! Key slots: every way into the store, every way a wrong secret is refused, rotation and recovery.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use grabpack_core::StaffRole;
use grabpack_store::{Actor, Store};

#[test]
fn each_way_in_opens_the_same_store() {
    let (home, mut store) = TestHome::new();
    let id = store.create_child(&Default::default(), "first").unwrap();
    drop(store);
    for store in [
        home.unlock_passphrase(PASSPHRASE).unwrap(),
        home.unlock_pin(MANAGER, MANAGER_PIN).unwrap(),
        home.unlock_recovery(home.recovery_key.expose()).unwrap(),
    ] {
        assert_eq!(store.history(&id).unwrap().len(), 1);
    }
}

#[test]
fn a_pin_unlock_acts_as_that_staff_member() {
    let (home, store) = TestHome::new();
    drop(store);
    let store = home.unlock_pin(MANAGER, MANAGER_PIN).unwrap();
    assert!(
        matches!(store.actor(), Actor::Staff { name, role: StaffRole::Manager, .. } if name == MANAGER)
    );
}

#[test]
fn a_wrong_passphrase_is_refused_and_changes_neither_the_database_nor_the_slots() {
    let (home, store) = TestHome::new();
    drop(store);
    let before = home.file_hashes();
    let err = home
        .unlock_passphrase("not the passphrase at all")
        .unwrap_err();
    assert_eq!(err.code(), "store.wrong_secret");
    assert_eq!(home.file_hashes(), before);
}

#[test]
fn a_wrong_pin_is_refused_and_changes_neither_the_database_nor_the_slots() {
    let (home, store) = TestHome::new();
    drop(store);
    let before = home.file_hashes();
    let err = home.unlock_pin(MANAGER, "1111").unwrap_err();
    assert_eq!(err.code(), "store.wrong_secret");
    assert_eq!(home.file_hashes(), before);
}

#[test]
fn a_wrong_recovery_key_is_refused() {
    let (home, store) = TestHome::new();
    drop(store);
    let wrong = grabpack_store::secret::format_recovery_key(&[9u8; 32]);
    assert_eq!(
        home.unlock_recovery(wrong.expose()).unwrap_err().code(),
        "store.wrong_secret"
    );
}

#[test]
fn a_missing_keychain_entry_is_its_own_error_and_the_recovery_key_still_opens_the_store() {
    let (home, mut store) = TestHome::new();
    let id = store.create_child(&Default::default(), "").unwrap();
    let store_id = store.store_id().to_string();
    drop(store);
    home.keychain.remove(&store_id).unwrap();
    let before = home.file_hashes();
    let err = home.unlock_pin(MANAGER, MANAGER_PIN).unwrap_err();
    assert_eq!(err.code(), "store.device_secret_missing");
    assert_eq!(home.file_hashes(), before);
    let store = home.unlock_recovery(home.recovery_key.expose()).unwrap();
    assert_eq!(store.history(&id).unwrap().len(), 1, "no record is lost");
}

#[test]
fn recovering_the_device_brings_every_pin_back_and_retires_the_old_recovery_key() {
    let (home, mut store) = TestHome::new();
    store
        .add_staff(
            "Ben Keyworker (fictional)",
            StaffRole::Keyworker,
            Some(&"1357".into()),
        )
        .unwrap();
    let store_id = store.store_id().to_string();
    drop(store);
    home.keychain.remove(&store_id).unwrap();

    let mut store = home.unlock_recovery(home.recovery_key.expose()).unwrap();
    let new_recovery = store
        .recover_device(Some(&PASSPHRASE.into()), false)
        .unwrap();
    drop(store);

    home.unlock_pin(MANAGER, MANAGER_PIN).unwrap();
    home.unlock_pin("Ben Keyworker (fictional)", "1357")
        .unwrap();
    home.unlock_passphrase(PASSPHRASE).unwrap();
    home.unlock_recovery(new_recovery.expose()).unwrap();
    assert_eq!(
        home.unlock_recovery(home.recovery_key.expose())
            .unwrap_err()
            .code(),
        "store.wrong_secret"
    );
}

#[test]
fn a_missing_key_slots_file_is_its_own_error() {
    let (home, store) = TestHome::new();
    drop(store);
    std::fs::rename(
        home.path().join("keyslots.json"),
        home.path().join("elsewhere.json"),
    )
    .unwrap();
    let db_before = std::fs::read(home.path().join("grabpack.db")).unwrap();
    assert_eq!(
        home.unlock_passphrase(PASSPHRASE).unwrap_err().code(),
        "store.keyslots_missing"
    );
    assert_eq!(
        std::fs::read(home.path().join("grabpack.db")).unwrap(),
        db_before
    );
}

#[test]
fn a_damaged_key_slots_file_is_its_own_error() {
    let (home, store) = TestHome::new();
    drop(store);
    std::fs::write(home.path().join("keyslots.json"), b"{ not json").unwrap();
    assert_eq!(
        home.unlock_passphrase(PASSPHRASE).unwrap_err().code(),
        "store.keyslots_damaged"
    );
}

#[test]
fn a_database_from_a_newer_schema_is_refused_untouched() {
    let (home, store) = TestHome::new();
    store
        .connection_for_tests()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    drop(store);
    let before = home.file_hashes();
    let err = home.unlock_passphrase(PASSPHRASE).unwrap_err();
    assert_eq!(err.code(), "store.newer_schema");
    assert_eq!(home.file_hashes(), before);
}

#[test]
fn a_failed_unlock_is_audited_at_the_next_good_unlock() {
    let (home, store) = TestHome::new();
    drop(store);
    home.unlock_pin(MANAGER, "9999").unwrap_err();
    let store = home.unlock_passphrase(PASSPHRASE).unwrap();
    let failed = store.audit_list(None, Some("unlock_failed"), 10).unwrap();
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0].detail.contains("store.wrong_secret"),
        "{}",
        failed[0].detail
    );
    assert!(store.audit_verify().unwrap().intact());
}

#[test]
fn five_wrong_attempts_impose_a_wait() {
    let (home, store) = TestHome::new();
    drop(store);
    for _ in 0..5 {
        assert_eq!(
            home.unlock_pin(MANAGER, "0000").unwrap_err().code(),
            "store.wrong_secret"
        );
    }
    let err = home.unlock_pin(MANAGER, MANAGER_PIN).unwrap_err();
    assert_eq!(err.code(), "store.too_many_attempts");
}

#[test]
fn rotation_keeps_every_record_and_every_pin_and_replaces_the_recovery_key() {
    let (home, mut store) = TestHome::new();
    let id = store.create_child(&Default::default(), "").unwrap();
    let old_db = std::fs::read(home.path().join("grabpack.db")).unwrap();
    let new_recovery = store.rotate(Some(&PASSPHRASE.into()), false).unwrap();
    assert_eq!(store.history(&id).unwrap().len(), 1);
    drop(store);
    assert_ne!(
        std::fs::read(home.path().join("grabpack.db")).unwrap(),
        old_db
    );
    let store = home.unlock_pin(MANAGER, MANAGER_PIN).unwrap();
    assert_eq!(store.history(&id).unwrap().len(), 1);
    assert!(store.integrity_check().unwrap().is_empty());
    assert!(store.audit_verify().unwrap().intact());
    drop(store);
    home.unlock_recovery(new_recovery.expose()).unwrap();
    assert_eq!(
        home.unlock_recovery(home.recovery_key.expose())
            .unwrap_err()
            .code(),
        "store.wrong_secret"
    );
}

#[test]
fn rotation_will_not_silently_drop_the_passphrase() {
    let (_home, mut store) = TestHome::new();
    assert_eq!(
        store.rotate(None, false).unwrap_err().code(),
        "store.passphrase_needed"
    );
}

#[test]
fn a_disabled_staff_member_cannot_unlock_but_their_revisions_remain_theirs() {
    let (home, mut store) = TestHome::new();
    store
        .add_staff(
            "Cara Agency (fictional)",
            StaffRole::Agency {
                ends_on: jiff::civil::date(2027, 1, 31),
            },
            Some(&"8642".into()),
        )
        .unwrap();
    drop(store);
    let mut cara = home.unlock_pin("Cara Agency (fictional)", "8642").unwrap();
    let id = cara
        .create_child(&Default::default(), "added by agency staff")
        .unwrap();
    drop(cara);
    let mut manager = home.unlock_pin(MANAGER, MANAGER_PIN).unwrap();
    manager.disable_staff("Cara Agency (fictional)").unwrap();
    assert_eq!(
        manager.history(&id).unwrap()[0].saved_by_name,
        "Cara Agency (fictional)"
    );
    drop(manager);
    assert_eq!(
        home.unlock_pin("Cara Agency (fictional)", "8642")
            .unwrap_err()
            .code(),
        "store.no_pin_slot"
    );
}

#[test]
fn agency_staff_cannot_unlock_after_their_engagement_ends() {
    let (home, mut store) = TestHome::new();
    let ended = jiff::civil::date(2025, 1, 31);
    store
        .add_staff(
            "Dan Agency (fictional)",
            StaffRole::Agency { ends_on: ended },
            Some(&"8642".into()),
        )
        .unwrap();
    drop(store);
    assert_eq!(
        home.unlock_pin("Dan Agency (fictional)", "8642")
            .unwrap_err()
            .code(),
        "store.engagement_ended"
    );
}

#[test]
fn the_last_manager_cannot_be_disabled() {
    let (_home, mut store) = TestHome::new();
    assert_eq!(
        store.disable_staff(MANAGER).unwrap_err().code(),
        "store.last_manager"
    );
}

#[test]
fn a_keyworker_cannot_administer_staff() {
    let (home, mut store) = TestHome::new();
    store
        .add_staff(
            "Ben Keyworker (fictional)",
            StaffRole::Keyworker,
            Some(&"1357".into()),
        )
        .unwrap();
    drop(store);
    let mut ben = home
        .unlock_pin("Ben Keyworker (fictional)", "1357")
        .unwrap();
    assert_eq!(
        ben.add_staff("X", StaffRole::Manager, None)
            .unwrap_err()
            .code(),
        "store.not_permitted"
    );
}

#[test]
fn a_pin_must_be_digits() {
    let (_home, mut store) = TestHome::new();
    assert_eq!(
        store
            .add_staff("D", StaffRole::Keyworker, Some(&"12ab".into()))
            .unwrap_err()
            .code(),
        "store.pin_format"
    );
}

#[test]
fn a_second_store_cannot_be_created_over_the_first() {
    let (home, store) = TestHome::new();
    drop(store);
    let err = Store::create(
        home.path(),
        grabpack_store::Setup {
            home_name: "x".into(),
            manager_name: "y".into(),
            manager_pin: None,
            passphrase: Some(PASSPHRASE.into()),
        },
        None,
    )
    .unwrap_err();
    assert_eq!(err.code(), "store.already_initialised");
}

/// Runs against a real Secret Service (gnome-keyring) in a private D-Bus session. CI runs it with
/// `dbus-run-session`; see .ci/run. Ignored in a plain `cargo test`, where no session bus exists.
#[test]
#[ignore = "needs a Secret Service: run under dbus-run-session with gnome-keyring (see .ci/run)"]
fn the_real_secret_service_keeps_the_device_secret() {
    let keychain: std::sync::Arc<dyn grabpack_store::DeviceKeychain> =
        std::sync::Arc::new(grabpack_store::KeyringKeychain::platform().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let (store, _recovery) = Store::create(
        dir.path(),
        grabpack_store::Setup {
            home_name: "Secret Service test (fictional)".into(),
            manager_name: MANAGER.into(),
            manager_pin: Some(MANAGER_PIN.into()),
            passphrase: None,
        },
        Some(keychain.clone()),
    )
    .unwrap();
    let store_id = store.store_id().to_string();
    drop(store);
    assert!(keychain.load(&store_id).unwrap().is_some());
    let store = Store::unlock(
        dir.path(),
        grabpack_store::Credential::Pin {
            staff_name: MANAGER,
            pin: &MANAGER_PIN.into(),
        },
        Some(keychain.clone()),
    )
    .unwrap();
    drop(store);
    keychain.remove(&store_id).unwrap();
}
