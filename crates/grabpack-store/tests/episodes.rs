//! The rules about missing episodes that the store holds for every shell (app, CLI, scripts).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use grabpack_core::sample::complete_form;
use grabpack_store::Store;
use grabpack_store::episodes::{Closure, NewEpisode};
use jiff::Timestamp;
use jiff::civil::date;

fn child(store: &mut Store, name: &str) -> grabpack_store::ChildId {
    let form = complete_form(name, "JT", date(2011, 5, 4), date(2026, 11, 20));
    store.create_child(&form, "placement start").unwrap()
}

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn missing(child: &grabpack_store::ChildId, noticed: &str) -> NewEpisode {
    NewEpisode {
        child_id: child.clone(),
        noticed_at: t(noticed),
        immediate_danger: false,
        missing_from_unit: None,
    }
}

#[test]
fn a_second_open_episode_for_a_child_is_refused_naming_the_open_one() {
    let (_home, mut store) = TestHome::new();
    let jordan = child(&mut store, "Jordan Test (fictional)");
    let first = store
        .open_episode(&missing(&jordan, "2026-11-01T21:00:00Z"))
        .unwrap();

    let err = store
        .open_episode(&missing(&jordan, "2026-11-01T21:05:00Z"))
        .unwrap_err();

    assert_eq!(err.code(), "store.episode_already_open");
    match err {
        grabpack_store::StoreError::EpisodeAlreadyOpen { episode_id } => {
            assert_eq!(episode_id, first.id)
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(store.episodes_for_child(&jordan).unwrap().len(), 1);
}

#[test]
fn another_child_can_go_missing_while_one_episode_is_open() {
    let (_home, mut store) = TestHome::new();
    let jordan = child(&mut store, "Jordan Test (fictional)");
    let sam = child(&mut store, "Sam Test (fictional)");
    store
        .open_episode(&missing(&jordan, "2026-11-01T21:00:00Z"))
        .unwrap();
    store
        .open_episode(&missing(&sam, "2026-11-01T21:10:00Z"))
        .unwrap();
    assert_eq!(store.list_episodes(None, true).unwrap().len(), 2);
}

#[test]
fn once_the_episode_is_closed_the_child_can_be_reported_missing_again() {
    let (_home, mut store) = TestHome::new();
    let jordan = child(&mut store, "Jordan Test (fictional)");
    let first = store
        .open_episode(&missing(&jordan, "2026-11-01T21:00:00Z"))
        .unwrap();
    store
        .close_episode(&first.id, t("2026-11-02T09:00:00Z"), &Closure::default())
        .unwrap();

    let second = store
        .open_episode(&missing(&jordan, "2026-11-03T21:00:00Z"))
        .unwrap();
    assert_ne!(second.id, first.id);
}

/// A store written before the rule may hold two open episodes for one child. Opening it must not
/// fail (the migration cannot build its unique rows over them), nothing is closed on anyone's
/// behalf, and no third episode opens until both are closed.
#[test]
fn a_store_already_holding_two_open_episodes_for_one_child_still_opens_and_keeps_both() {
    let (home, mut store) = TestHome::new();
    let jordan = child(&mut store, "Jordan Test (fictional)");
    let older = store
        .open_episode(&missing(&jordan, "2026-11-01T21:00:00Z"))
        .unwrap();
    // Back to the schema before the rule, with a second open episode written as the old CLI did.
    let conn = store.connection_for_tests();
    // Every migration after 3 (up to 19) is undone, so all of them run again on the next unlock.
    conn.execute_batch(
        "DROP INDEX revisions_disagreements;
         DROP TRIGGER outbox_delivery_state_version;
         DROP TABLE delivery_payloads;
         DROP TABLE delivery_senders;
         DROP TABLE sync_audit;
         CREATE TABLE staff_old (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
             role_json TEXT NOT NULL, created_at TEXT NOT NULL, disabled_at TEXT, pin_salt BLOB,
             pin_key BLOB, member_key BLOB) STRICT;
         INSERT INTO staff_old SELECT id, name, role_json, created_at, disabled_at, pin_salt,
             pin_key, member_key FROM staff;
         DROP TABLE staff;
         ALTER TABLE staff_old RENAME TO staff;
         DROP INDEX revisions_merged;
         DROP INDEX directory_entries_global_id;
         DROP TRIGGER directory_entries_no_update;
         ALTER TABLE directory_entries DROP COLUMN global_id;
         CREATE TRIGGER directory_entries_no_update BEFORE UPDATE ON directory_entries
         BEGIN SELECT RAISE(ABORT, 'directory history is immutable'); END;
         DROP TABLE delivery_versions;
         DROP TABLE outbox_elsewhere;
         DROP INDEX episode_events_global_id;
         DROP TRIGGER episode_events_no_update;
         ALTER TABLE episode_events DROP COLUMN global_id;
         CREATE TRIGGER episode_events_no_update BEFORE UPDATE ON episode_events
         BEGIN SELECT RAISE(ABORT, 'episode history is immutable'); END;
         DROP TABLE open_episodes;
         ALTER TABLE outbox_deliveries DROP COLUMN claimed_by;
         DROP TABLE child_cards;
         ALTER TABLE staff DROP COLUMN member_key;
         DROP TRIGGER outbox_payload_fixed;
         ALTER TABLE outbox_deliveries DROP COLUMN audience;
         ALTER TABLE outbox_deliveries DROP COLUMN pdf_sha256;
         ALTER TABLE outbox_deliveries DROP COLUMN pdf;
         CREATE TRIGGER outbox_payload_fixed BEFORE UPDATE OF payload, payload_sha256, idempotency_key, email_message_id, address, channel ON outbox_deliveries
         BEGIN SELECT RAISE(ABORT, 'what is sent never changes after it is queued'); END;
         DROP INDEX photos_pipeline;
         ALTER TABLE photos DROP COLUMN pipeline;
         ALTER TABLE photos DROP COLUMN pipeline_error;
         DROP TABLE sync_device;
         DROP TABLE sync_home_keys;
         DROP TABLE sync_known;
         DROP TABLE sync_waiting;
         DROP TABLE sync_sealed;
         DROP TABLE sync_refused;
         DROP INDEX revisions_global_id;
         DROP TRIGGER revisions_no_update;
         ALTER TABLE revisions DROP COLUMN global_id;
         ALTER TABLE revisions DROP COLUMN parents_json;
         ALTER TABLE revisions DROP COLUMN origin_device;
         ALTER TABLE revisions DROP COLUMN merged_heads_json;
         ALTER TABLE revisions DROP COLUMN disagreements_json;
         CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
         BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
         PRAGMA user_version = 3;",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO episodes (id, child_id, noticed_at, noticed_ms, opened_at, opened_by, opened_by_name, immediate_danger, missing_from_unit)
         SELECT 'second-open-episode', child_id, '2026-11-01T21:05:00Z', noticed_ms + 300000, opened_at, opened_by, opened_by_name, 0, NULL
         FROM episodes WHERE id = ?1",
        [&older.id],
    )
    .unwrap();
    drop(store);

    let mut store = home.unlock_passphrase(PASSPHRASE).unwrap();
    assert_eq!(store.list_episodes(Some(&jordan), true).unwrap().len(), 2);
    let err = store
        .open_episode(&missing(&jordan, "2026-11-02T21:00:00Z"))
        .unwrap_err();
    assert_eq!(err.code(), "store.episode_already_open");

    // Closing the newer one leaves the older one open, and still the only open one.
    store
        .close_episode(
            &"second-open-episode".into(),
            t("2026-11-02T09:00:00Z"),
            &Closure::default(),
        )
        .unwrap();
    match store
        .open_episode(&missing(&jordan, "2026-11-02T21:00:00Z"))
        .unwrap_err()
    {
        grabpack_store::StoreError::EpisodeAlreadyOpen { episode_id } => {
            assert_eq!(episode_id, older.id)
        }
        other => panic!("unexpected {other:?}"),
    }
    store
        .close_episode(&older.id, t("2026-11-02T09:30:00Z"), &Closure::default())
        .unwrap();
    store
        .open_episode(&missing(&jordan, "2026-11-03T21:00:00Z"))
        .unwrap();
}

#[test]
fn an_episode_asked_for_under_another_child_is_refused() {
    let (_home, mut store) = TestHome::new();
    let jordan = child(&mut store, "Jordan Test (fictional)");
    let sam = child(&mut store, "Sam Test (fictional)");
    let jordans = store
        .open_episode(&missing(&jordan, "2026-11-01T21:00:00Z"))
        .unwrap();

    let err = store.episode_of_child(&sam, &jordans.id).unwrap_err();

    assert_eq!(err.code(), "store.episode_other_child");
    assert_eq!(
        store.episode_of_child(&jordan, &jordans.id).unwrap().id,
        jordans.id
    );
}

/// A kind of entry this build does not know (written by a newer build, or damage) must stop the
/// episode being shown as if complete: today's reader would have dropped the entry silently.
#[test]
fn an_unknown_event_kind_in_the_database_is_store_damaged_not_skipped() {
    let (_home, mut store) = TestHome::new();
    let jordan = child(&mut store, "Jordan Test (fictional)");
    let ep = store
        .open_episode(&missing(&jordan, "2026-11-01T21:00:00Z"))
        .unwrap();
    store
        .connection_for_tests()
        .execute(
            "INSERT INTO episode_events (episode_id, kind, item_key, at, recorded_at, recorded_by, recorded_by_name, body_json)
             VALUES (?1, 'sighting_by_drone', 'x', '2026-11-01T22:00:00Z', '2026-11-01T22:00:00Z', 'passphrase', 'P', '{}')",
            [&ep.id],
        )
        .unwrap();

    let err = store.episode(&ep.id).unwrap_err();

    assert_eq!(err.code(), "store.damaged");
}
