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
    let err = home.unlock_pin(MANAGER, "111111").unwrap_err();
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
            Some(&"135790".into()),
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
    home.unlock_pin("Ben Keyworker (fictional)", "135790")
        .unwrap();
    home.unlock_passphrase(PASSPHRASE).unwrap();
    home.unlock_recovery(new_recovery.expose()).unwrap();
    // The key from the safe opens until the new one is typed back, then never again.
    let mut store = home.unlock_recovery(home.recovery_key.expose()).unwrap();
    assert!(store.confirm_recovery_key(&new_recovery).unwrap());
    drop(store);
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
    home.unlock_pin(MANAGER, "999999").unwrap_err();
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
            home.unlock_pin(MANAGER, "000000").unwrap_err().code(),
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
    // The key from the safe opens until the new one is typed back, then never again.
    let mut store = home.unlock_recovery(home.recovery_key.expose()).unwrap();
    assert_eq!(store.history(&id).unwrap().len(), 1);
    assert!(store.confirm_recovery_key(&new_recovery).unwrap());
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
            Some(&"864200".into()),
        )
        .unwrap();
    drop(store);
    let mut cara = home
        .unlock_pin("Cara Agency (fictional)", "864200")
        .unwrap();
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
        home.unlock_pin("Cara Agency (fictional)", "864200")
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
            Some(&"864200".into()),
        )
        .unwrap();
    drop(store);
    assert_eq!(
        home.unlock_pin("Dan Agency (fictional)", "864200")
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
            Some(&"135790".into()),
        )
        .unwrap();
    drop(store);
    let mut ben = home
        .unlock_pin("Ben Keyworker (fictional)", "135790")
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

const BEN: &str = "Ben Keyworker (fictional)";
const BEN_PIN: &str = "135790";

fn home_with_ben() -> TestHome {
    let (home, mut store) = TestHome::new();
    store
        .add_staff(BEN, StaffRole::Keyworker, Some(&BEN_PIN.into()))
        .unwrap();
    drop(store);
    home
}

/// Every 32-byte value in the staff table and the slot file, as a colleague holding the database
/// key could read them.
fn readable_by_a_colleague(home: &TestHome) -> Vec<Vec<u8>> {
    let conn = open_db(home);
    let mut stmt = conn
        .prepare("SELECT pin_key, pin_salt, member_key FROM staff")
        .unwrap();
    let mut out: Vec<Vec<u8>> = stmt
        .query_map([], |r| {
            Ok([
                r.get::<_, Option<Vec<u8>>>(0)?,
                r.get::<_, Option<Vec<u8>>>(1)?,
                r.get::<_, Option<Vec<u8>>>(2)?,
            ])
        })
        .unwrap()
        .flat_map(|r| r.unwrap())
        .flatten()
        .collect();
    let slots = std::fs::read_to_string(home.path().join("keyslots.json")).unwrap();
    use base64::Engine as _;
    for word in slots.split('"') {
        if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(word) {
            out.push(bytes);
        }
    }
    out
}

#[test]
fn no_key_derived_from_a_pin_is_kept_where_a_colleague_can_read_it() {
    let home = home_with_ben();
    let file = grabpack_store::keyslots::SlotFile::read(home.path()).unwrap();
    use base64::Engine as _;
    let readable = readable_by_a_colleague(&home);
    for (name, pin) in [(MANAGER, MANAGER_PIN), (BEN, BEN_PIN)] {
        let member = file.members.iter().find(|m| m.staff_name == name).unwrap();
        let salt = base64::engine::general_purpose::STANDARD
            .decode(&member.pin_salt)
            .unwrap();
        let stretched = grabpack_store::keyslots::stretch_pin(pin, &salt, member.cost).unwrap();
        assert!(
            !readable
                .iter()
                .any(|v| v.as_slice() == &stretched.expose()[..]),
            "{name}'s Argon2id(PIN) is readable"
        );
    }
}

#[test]
fn a_new_pin_needs_six_digits() {
    let (_home, mut store) = TestHome::new();
    assert_eq!(
        store
            .add_staff("D", StaffRole::Keyworker, Some(&"1234".into()))
            .unwrap_err()
            .code(),
        "store.pin_format"
    );
    assert_eq!(
        store.set_pin(MANAGER, &"12345".into()).unwrap_err().code(),
        "store.pin_format"
    );
}

#[test]
fn an_older_store_keeps_its_four_digit_pin_loses_the_stored_pin_hash_and_asks_for_a_new_pin() {
    let (home, mut store) = TestHome::new();
    let id = store.create_child(&Default::default(), "").unwrap();
    drop(store);
    make_version_1_manager_pin(&home, "2468");
    let legacy = readable_by_a_colleague(&home);
    let stretched = grabpack_store::keyslots::stretch_pin(
        "2468",
        &[7u8; 16],
        grabpack_store::keyslots::LEGACY_PIN_COST,
    )
    .unwrap();
    assert!(
        legacy
            .iter()
            .any(|v| v.as_slice() == &stretched.expose()[..]),
        "the version 1 store keeps the PIN hash (the set-up is right)"
    );

    let store = home.unlock_pin(MANAGER, "2468").unwrap();
    assert!(store.pin_change_due(), "a 4-digit PIN is asked to change");
    assert_eq!(store.history(&id).unwrap().len(), 1);
    assert!(
        !readable_by_a_colleague(&home)
            .iter()
            .any(|v| v.as_slice() == &stretched.expose()[..]),
        "the stored PIN hash is gone after the first unlock"
    );
    drop(store);

    let mut store = home.unlock_pin(MANAGER, "2468").unwrap();
    assert!(store.pin_change_due());
    store.set_pin(MANAGER, &MANAGER_PIN.into()).unwrap();
    assert!(!store.pin_change_due());
    drop(store);
    let store = home.unlock_pin(MANAGER, MANAGER_PIN).unwrap();
    assert!(!store.pin_change_due());
    drop(store);
    assert_eq!(
        home.unlock_pin(MANAGER, "2468").unwrap_err().code(),
        "store.wrong_secret"
    );
}

#[test]
fn wrong_pins_lock_out_only_that_member_and_never_the_recovery_key() {
    let home = home_with_ben();
    for _ in 0..5 {
        assert_eq!(
            home.unlock_pin(MANAGER, "000000").unwrap_err().code(),
            "store.wrong_secret"
        );
    }
    assert_eq!(
        home.unlock_pin(MANAGER, MANAGER_PIN).unwrap_err().code(),
        "store.too_many_attempts"
    );
    home.unlock_pin(BEN, BEN_PIN)
        .expect("a colleague's PIN still opens");
    home.unlock_recovery(home.recovery_key.expose())
        .expect("the recovery key still opens");
    home.unlock_passphrase(PASSPHRASE)
        .expect("the passphrase still opens");
    assert_eq!(
        home.unlock_pin(MANAGER, MANAGER_PIN).unwrap_err().code(),
        "store.too_many_attempts",
        "another's unlock does not clear this member's count"
    );
}

#[test]
fn deleting_or_filling_the_files_beside_the_store_does_not_end_a_lockout() {
    let (home, store) = TestHome::new();
    drop(store);
    for _ in 0..5 {
        home.unlock_pin(MANAGER, "000000").unwrap_err();
    }
    let keep = ["grabpack.db", "keyslots.json"];
    for entry in std::fs::read_dir(home.path()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !keep.contains(&name.as_str()) && !name.starts_with("grabpack.db") {
            std::fs::write(&path, b"junk").unwrap();
        }
    }
    assert_eq!(
        home.unlock_pin(MANAGER, MANAGER_PIN).unwrap_err().code(),
        "store.too_many_attempts"
    );
    for entry in std::fs::read_dir(home.path()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !keep.contains(&name.as_str()) && !name.starts_with("grabpack.db") {
            std::fs::remove_file(&path).unwrap();
        }
    }
    assert_eq!(
        home.unlock_pin(MANAGER, MANAGER_PIN).unwrap_err().code(),
        "store.too_many_attempts",
        "deleting every file beside the store does not end it"
    );
    for name in ["unlock-failures.jsonl", "unlock-lockout.json"] {
        std::fs::write(home.path().join(name), b"{not json").unwrap();
    }
    assert_eq!(
        home.unlock_pin(MANAGER, MANAGER_PIN).unwrap_err().code(),
        "store.too_many_attempts"
    );
}

#[test]
fn an_ended_engagement_is_refused_before_the_pin_is_tried() {
    let (home, mut store) = TestHome::new();
    store
        .add_staff(
            "Dan Agency (fictional)",
            StaffRole::Agency {
                ends_on: jiff::civil::date(2025, 1, 31),
            },
            Some(&"864200".into()),
        )
        .unwrap();
    drop(store);
    // A wrong PIN gets the same answer: nothing was unwrapped to tell them apart.
    assert_eq!(
        home.unlock_pin("Dan Agency (fictional)", "111111")
            .unwrap_err()
            .code(),
        "store.engagement_ended"
    );
}

#[test]
fn an_end_date_moved_later_in_the_slot_file_opens_nothing() {
    let (home, mut store) = TestHome::new();
    store
        .add_staff(
            "Dan Agency (fictional)",
            StaffRole::Agency {
                ends_on: jiff::civil::date(2025, 1, 31),
            },
            Some(&"864200".into()),
        )
        .unwrap();
    drop(store);
    let path = home.path().join("keyslots.json");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("2025-01-31", "2099-01-31");
    std::fs::write(&path, edited).unwrap();
    assert_eq!(
        home.unlock_pin("Dan Agency (fictional)", "864200")
            .unwrap_err()
            .code(),
        "store.wrong_secret"
    );
}

#[test]
fn rotation_destroys_the_slot_of_a_member_whose_engagement_has_ended() {
    let (home, mut store) = TestHome::new();
    let dan = store
        .add_staff(
            "Dan Agency (fictional)",
            StaffRole::Agency {
                ends_on: jiff::civil::date(2025, 1, 31),
            },
            Some(&"864200".into()),
        )
        .unwrap();
    store.rotate(Some(&PASSPHRASE.into()), false).unwrap();
    drop(store);
    let file = grabpack_store::keyslots::SlotFile::read(home.path()).unwrap();
    assert!(!file.members.iter().any(|m| m.staff_id == dan.id));
    assert!(
        !file
            .generations
            .iter()
            .flat_map(|g| g.slots.iter())
            .any(|s| s.staff_id.as_deref() == Some(dan.id.as_str()))
    );
    home.unlock_pin(MANAGER, MANAGER_PIN).unwrap();
}

#[test]
fn a_member_may_change_their_own_pin_but_not_a_colleagues() {
    let home = home_with_ben();
    let mut ben = home.unlock_pin(BEN, BEN_PIN).unwrap();
    assert_eq!(
        ben.set_pin(MANAGER, &"555555".into()).unwrap_err().code(),
        "store.not_permitted"
    );
    ben.set_pin(BEN, &"975310".into()).unwrap();
    drop(ben);
    home.unlock_pin(BEN, "975310").unwrap();
    home.unlock_pin(MANAGER, MANAGER_PIN).unwrap();
}
