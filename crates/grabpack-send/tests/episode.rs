//! The episode service the app and the command line both call: what the episode screen shows,
//! queueing a pack, and police refusing the report. Against a real (demo) store.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use grabpack_send::demo::{self, DemoSecrets};
use grabpack_send::recipients::Role;
use grabpack_send::{Choice, Purpose, episode};
use grabpack_store::Store;
use grabpack_store::episodes::{NewEpisode, NotAccepted};
use jiff::Timestamp;

struct Home {
    _dir: tempfile::TempDir,
    store: Store,
    episode: grabpack_store::EpisodeId,
}

/// The demo home with its first child (Maya, fictional) missing now.
fn a_child_missing() -> Home {
    let dir = tempfile::tempdir().unwrap();
    let made = demo::create(
        &dir.path().join("store"),
        DemoSecrets {
            passphrase: "demo passphrase (fictional)".to_owned().into(),
            manager_pin: None,
        },
        None,
        jiff::Zoned::now().date(),
    )
    .unwrap();
    let mut store = made.store;
    let episode = store
        .open_episode(&NewEpisode {
            child_id: made.children[0].clone(),
            noticed_at: Timestamp::now(),
            immediate_danger: false,
            missing_from_unit: None,
        })
        .unwrap()
        .id;
    Home {
        _dir: dir,
        store,
        episode,
    }
}

#[test]
fn the_episode_view_holds_what_the_screen_draws() {
    let h = a_child_missing();
    let view = episode::view(&h.store, &h.episode, jiff::Zoned::now().date()).unwrap();
    assert!(
        view.child_name.contains("Maya Thompson"),
        "{}",
        view.child_name
    );
    assert!(view.age.is_some());
    assert!(!view.checklist.steps.is_empty());
    let proposed: Vec<&str> = view
        .proposal
        .recipients
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        proposed.contains(&"police:met-central-south"),
        "{proposed:?}"
    );
    assert!(view.readout.contains("Maya Thompson"));
    assert!(view.messages.is_empty());
}

#[test]
fn a_queued_pack_and_who_it_went_to_are_on_the_episode_together() {
    let mut h = a_child_missing();
    let msg = grabpack_send::queue_episode_pack(
        &mut h.store,
        &h.episode,
        &Choice::typed(vec!["manager".into()], &[" duty@council.example "]),
        "",
        Purpose::Pack,
        Timestamp::now(),
    )
    .unwrap();
    let ep = h.store.episode(&h.episode).unwrap();
    assert_eq!(ep.recipients.len(), 1);
    let record = &ep.recipients[0].value;
    assert_eq!(record.outbox_message_id, msg.id);
    assert_eq!(record.added, ["other:duty@council.example"]);
    assert_eq!(record.removed, ["manager"]);
    let view = episode::view(&h.store, &h.episode, jiff::Zoned::now().date()).unwrap();
    assert_eq!(view.messages.len(), 1);
    assert_eq!(view.messages[0].deliveries.len(), msg.deliveries.len());
}

#[test]
fn police_refusing_the_report_is_recorded_and_only_the_social_worker_and_out_of_hours_are_told() {
    let mut h = a_child_missing();
    let refusal = NotAccepted {
        reason: "Told to wait 24 hours (fictional)".into(),
        officer_name: "PC Example (fictional)".into(),
        collar_number: "1234".into(),
        reference: String::new(),
    };
    let done = episode::record_not_accepted(
        &mut h.store,
        &h.episode,
        Timestamp::now(),
        &refusal,
        Timestamp::now(),
    )
    .unwrap();
    let ep = h.store.episode(&h.episode).unwrap();
    assert_eq!(ep.not_accepted.len(), 1);
    assert_eq!(ep.not_accepted[0].event_id, done.entry);
    assert_eq!(done.notice.purpose, Purpose::NotAcceptedNotice);
    let roles: Vec<&str> = done
        .notice
        .deliveries
        .iter()
        .map(|d| d.recipient_role.as_str())
        .collect();
    assert_eq!(
        roles,
        [Role::SocialWorker.as_str(), Role::OutOfHours.as_str()]
    );
    assert!(done.notice.cover_note.contains("Told to wait 24 hours"));
}

#[test]
fn a_pack_after_the_first_step_carries_the_episode_record_and_the_first_carries_none() {
    let mut h = a_child_missing();
    let ep = h.store.episode(&h.episode).unwrap();
    let first = grabpack_send::pack_input(&h.store, &ep.child_id, Some(&ep)).unwrap();
    assert!(
        first.so_far.is_empty(),
        "the pack sent the moment Missing is pressed has nothing recorded yet"
    );

    h.store
        .record_step(
            &h.episode,
            Timestamp::now(),
            &grabpack_store::episodes::StepEntry {
                step_id: "search_home".into(),
                label: "Search the home and grounds".into(),
                outcome: "not found (fictional)".into(),
            },
        )
        .unwrap();
    h.store
        .record_update(
            &h.episode,
            Timestamp::now(),
            &grabpack_store::episodes::EpisodeUpdate {
                kind: grabpack_store::episodes::UpdateKind::Call,
                text: "Maya rang, would not say where she is (fictional)".into(),
                from: String::new(),
            },
        )
        .unwrap();
    h.store
        .record_report(
            &h.episode,
            Timestamp::now(),
            &grabpack_store::episodes::PoliceReport {
                reference: "CAD 9911 (fictional)".into(),
                officer_name: "PC Example (fictional)".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let ep = h.store.episode(&h.episode).unwrap();
    let later = grabpack_send::pack_input(&h.store, &ep.child_id, Some(&ep)).unwrap();
    let done: Vec<&str> = later
        .so_far
        .already_done
        .iter()
        .map(|l| l.what.as_str())
        .collect();
    assert_eq!(done, ["Search the home and grounds"]);
    let contact: Vec<&str> = later
        .so_far
        .contact_since_leaving
        .iter()
        .map(|l| l.outcome.as_str())
        .collect();
    assert_eq!(
        contact,
        ["Maya rang, would not say where she is (fictional)"]
    );
    let part2 = later.episode.expect("Part 2 filled from the record");
    assert!(
        part2
            .actions_taken
            .iter()
            .any(|a| a.action.starts_with("Search the home and grounds")
                && a.outcome == "not found (fictional)"),
        "{:?}",
        part2.actions_taken
    );
    assert!(
        part2
            .notifications
            .iter()
            .any(|n| n.reference == "CAD 9911 (fictional)"),
        "the police reference reaches Part 2 and page 1: {:?}",
        part2.notifications
    );
}
