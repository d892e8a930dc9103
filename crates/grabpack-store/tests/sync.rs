//! One home's record across its devices, as the store sees it: records leave a device, arrive
//! at another in the hub's order (a list in this test; `grabpack-cli/tests/sync.rs` runs the real
//! hub on PostgreSQL), and every device ends with the same child. Children and names are
//! fictional.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use grabpack_core::PhotoKind;
use grabpack_core::sample::complete_form;
use grabpack_store::sync::{Choice, ReceivedRecord};
use grabpack_store::{ChildId, Store};
use jiff::civil::date;

fn sample() -> grabpack_core::ChildForm {
    complete_form(
        "Sync Child (fictional)",
        "SC",
        date(2012, 3, 9),
        date(2026, 11, 20),
    )
}

/// The hub's part, kept to what the store relies on: one ordered list of records per home.
#[derive(Default)]
struct Relay {
    records: Vec<ReceivedRecord>,
}

/// A device: its store and how far into the relay it has read.
struct Device {
    _home: TestHome,
    store: Store,
    name: &'static str,
    cursor: usize,
}

fn device(name: &'static str) -> Device {
    let (home, store) = TestHome::new();
    Device {
        _home: home,
        store,
        name,
        cursor: 0,
    }
}

impl Relay {
    fn push(&mut self, d: &mut Device) -> usize {
        let out = d.store.sync_outgoing(1000).unwrap();
        let mut marks = Vec::new();
        for r in &out {
            let envelope_id = format!("{}-{}-{}", d.name, r.kind, r.record_id);
            marks.push((r.kind.clone(), r.record_id.clone(), envelope_id.clone()));
            self.records.push(ReceivedRecord {
                envelope_id,
                device_id: d.name.into(),
                record: r.clone(),
            });
        }
        d.store.sync_mark_sent(&marks).unwrap();
        out.len()
    }

    fn pull(&self, d: &mut Device) -> grabpack_store::sync::ReceiveReport {
        let new = self.records[d.cursor..].to_vec();
        d.cursor = self.records.len();
        d.store.sync_receive(&new, d.cursor as i64).unwrap()
    }

    fn sync(&mut self, d: &mut Device) {
        self.push(d);
        self.pull(d);
    }
}

/// The records of one kind in the relay, in its order.
fn of_kind(relay: &Relay, kind: &str) -> Vec<ReceivedRecord> {
    relay
        .records
        .iter()
        .filter(|r| r.record.kind == kind)
        .cloned()
        .collect()
}

fn form(d: &mut Device, id: &ChildId) -> grabpack_core::ChildForm {
    d.store.child(id).unwrap().form
}

#[test]
fn a_child_saved_on_one_device_appears_on_another_with_its_history_and_photos() {
    let mut relay = Relay::default();
    let (mut a, mut b) = (device("a"), device("b"));
    let id = a.store.create_child(&sample(), "placement start").unwrap();
    let mut edited = sample();
    edited.description.hair = "Short twists (fictional)".into();
    a.store.save_form(&id, &edited, "new hair").unwrap();
    let jpeg = grabpack_photo::synthetic_portrait(3, 800, 1000).unwrap();
    let photo = a
        .store
        .add_photo(&id, &jpeg, PhotoKind::Face, Some(date(2026, 11, 2)))
        .unwrap();
    assert_eq!(
        relay.push(&mut a),
        4,
        "A's manager, two revisions and a photo leave A"
    );
    assert_eq!(relay.push(&mut a), 0, "nothing leaves twice");

    let report = relay.pull(&mut b);
    assert_eq!((report.revisions, report.photos), (2, 1));
    assert_eq!(form(&mut b, &id), edited);
    let history = b.store.history(&id).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].note, "new hair");
    assert_eq!(history[0].saved_by_name, MANAGER);
    assert_eq!(
        b.store.photo_jpeg(&photo.id).unwrap(),
        a.store.photo_jpeg(&photo.id).unwrap()
    );
    assert!(b.store.disagreements(&id).unwrap().is_empty());
    // What B received is not sent back (only B's own manager leaves); the next pull of A skips
    // A's own records.
    assert_eq!(relay.push(&mut b), 1);
    let again = relay.pull(&mut a);
    assert_eq!(
        (again.revisions, again.already_here, again.staff),
        (0, 4, 1)
    );
    assert!(b.store.audit_verify().unwrap().intact());
}

#[test]
fn concurrent_edits_of_different_fields_merge_into_the_same_record_on_every_device() {
    let mut relay = Relay::default();
    let (mut a, mut b) = (device("a"), device("b"));
    let id = a.store.create_child(&sample(), "").unwrap();
    relay.sync(&mut a);
    relay.sync(&mut b);

    // Both edit offline at the same time, each a different field.
    let mut on_a = sample();
    on_a.description.hair = "Braids (edited on A, fictional)".into();
    a.store.save_form(&id, &on_a, "A's edit").unwrap();
    let mut on_b = sample();
    on_b.description.build = "Slim (edited on B, fictional)".into();
    b.store.save_form(&id, &on_b, "B's edit").unwrap();

    relay.sync(&mut a);
    let at_b = {
        relay.push(&mut b);
        relay.pull(&mut b)
    };
    assert_eq!(at_b.merges, 1, "B merges A's edit with its own");
    relay.sync(&mut a);

    let (fa, fb) = (form(&mut a, &id), form(&mut b, &id));
    assert_eq!(fa.description.hair, "Braids (edited on A, fictional)");
    assert_eq!(fa.description.build, "Slim (edited on B, fictional)");
    assert_eq!(fa, fb, "both devices show the same record");
    assert!(a.store.disagreements(&id).unwrap().is_empty());

    // The next save on either device joins the history again: one head, no merge needed.
    let mut next = fa.clone();
    next.description.eyes = "Brown (fictional)".into();
    b.store.save_form(&id, &next, "after the merge").unwrap();
    relay.sync(&mut b);
    let report = relay.pull(&mut a);
    assert_eq!((report.revisions, report.merges), (1, 0));
    assert_eq!(form(&mut a, &id), next);
}

#[test]
fn two_values_for_one_field_are_both_kept_and_flagged_until_a_person_chooses() {
    let mut relay = Relay::default();
    let (mut a, mut b, mut c) = (device("a"), device("b"), device("c"));
    let id = a.store.create_child(&sample(), "").unwrap();
    relay.sync(&mut a);
    relay.sync(&mut b);
    relay.sync(&mut c);

    let mut on_a = sample();
    on_a.description.hair = "Red (A, fictional)".into();
    a.store.save_form(&id, &on_a, "").unwrap();
    let mut on_b = sample();
    on_b.description.hair = "Blue (B, fictional)".into();
    b.store.save_form(&id, &on_b, "").unwrap();
    relay.sync(&mut a);
    relay.sync(&mut b);
    relay.sync(&mut a);
    relay.sync(&mut c);

    for d in [&mut a, &mut b, &mut c] {
        let open = d.store.disagreements(&id).unwrap();
        assert_eq!(open.len(), 1, "{}: {open:?}", d.name);
        assert_eq!(open[0].path, "description.hair");
        assert_eq!(
            open[0].shown, "Blue (B, fictional)",
            "the later save is shown"
        );
        assert_eq!(open[0].other, "Red (A, fictional)", "the other is kept");
        assert_eq!(
            d.store.children_with_disagreements().unwrap(),
            vec![(id.clone(), 1)]
        );
    }
    assert_eq!(form(&mut a, &id), form(&mut c, &id));

    // An edit of another field on C does not settle it: the flag travels with the record.
    let mut other_field = form(&mut c, &id);
    other_field.description.build = "Tall (C, fictional)".into();
    c.store.save_form(&id, &other_field, "").unwrap();
    relay.sync(&mut c);
    relay.sync(&mut a);
    assert_eq!(a.store.disagreements(&id).unwrap().len(), 1);

    // A person on A chooses the other value; every device then shows it, flag cleared.
    a.store
        .settle_disagreement(&id, "description.hair", Choice::Other)
        .unwrap();
    let err = a
        .store
        .settle_disagreement(&id, "description.hair", Choice::Other)
        .unwrap_err();
    assert_eq!(err.code(), "store.no_disagreement");
    relay.sync(&mut a);
    relay.sync(&mut b);
    relay.sync(&mut c);
    for d in [&mut a, &mut b, &mut c] {
        assert!(d.store.disagreements(&id).unwrap().is_empty(), "{}", d.name);
        let f = d.store.child(&id).unwrap().form;
        assert_eq!(f.description.hair, "Red (A, fictional)", "{}", d.name);
        assert_eq!(f.description.build, "Tall (C, fictional)", "{}", d.name);
    }
    let settled = a
        .store
        .audit_list(None, Some("disagreement_settled"), 10)
        .unwrap();
    assert_eq!(settled.len(), 1);
}

#[test]
fn a_record_whose_parent_has_not_arrived_waits_and_nothing_is_taken_in_twice() {
    let mut relay = Relay::default();
    let (mut a, mut b) = (device("a"), device("b"));
    let id = a.store.create_child(&sample(), "").unwrap();
    let mut edited = sample();
    edited.description.hair = "Grown out (fictional)".into();
    a.store.save_form(&id, &edited, "").unwrap();
    relay.push(&mut a);
    let revisions = of_kind(&relay, "revision");

    // The second revision first: it waits for its parent.
    let later = revisions[1..].to_vec();
    let first = revisions[..1].to_vec();
    let report = b.store.sync_receive(&later, 0).unwrap();
    assert_eq!((report.revisions, report.waiting), (0, 1));
    assert!(b.store.find_child("Sync Child").is_err());
    let report = b.store.sync_receive(&first, 0).unwrap();
    assert_eq!((report.revisions, report.waiting), (2, 0));
    assert_eq!(form(&mut b, &id), edited);

    // The same records again change nothing.
    let before = b.store.history(&id).unwrap();
    let report = b.store.sync_receive(&revisions, 2).unwrap();
    assert_eq!((report.revisions, report.already_here), (0, 2));
    assert_eq!(b.store.history(&id).unwrap(), before);
}

#[test]
fn a_record_that_cannot_be_read_is_set_aside_whole_and_the_others_are_still_taken_in() {
    let mut relay = Relay::default();
    let (mut a, mut b) = (device("a"), device("b"));
    a.store.create_child(&sample(), "").unwrap();
    relay.push(&mut a);
    let mut bad = of_kind(&relay, "revision")[0].clone();
    bad.record.body = b"{\"format\":1}".to_vec();
    let report = b.store.sync_receive(&[bad], 1).unwrap();
    assert_eq!((report.refused, report.revisions), (1, 0));
    assert!(
        b.store.find_child("Sync Child").is_err(),
        "nothing of it is kept"
    );
    assert_eq!(b.store.sync_waiting_to_apply().unwrap(), 0);
    assert_eq!(b.store.sync_refused_count().unwrap(), 1);
    let audit = b.store.audit_list(None, Some("sync_received"), 10).unwrap();
    assert!(
        audit[0].detail.contains("1 refused as unreadable"),
        "{audit:?}"
    );

    // A photo whose bytes are not the ones its hash names is set aside; the revision beside it
    // is taken in.
    let id = a.store.find_child("Sync Child").unwrap();
    let jpeg = grabpack_photo::synthetic_portrait(3, 400, 500).unwrap();
    a.store
        .add_photo(&id, &jpeg, PhotoKind::Face, None)
        .unwrap();
    relay.push(&mut a);
    let mut photo = relay.records.last().unwrap().clone();
    let n = photo.record.body.len();
    photo.record.body[n - 10] ^= 0xff;
    let report = b
        .store
        .sync_receive(&[of_kind(&relay, "revision")[0].clone(), photo], 2)
        .unwrap();
    assert_eq!((report.revisions, report.photos, report.refused), (1, 0, 1));
    assert!(b.store.photos(&id).unwrap().is_empty());
    assert_eq!(b.store.sync_refused_count().unwrap(), 2);
}

#[test]
fn revisions_saved_before_sync_existed_have_global_ids_and_parents() {
    let (_home, mut store) = TestHome::new();
    let id = store.create_child(&sample(), "").unwrap();
    store.review(&id, "").unwrap();
    let conn = store.connection_for_tests();
    let rows: Vec<(i64, String, String)> = conn
        .prepare("SELECT seq, global_id, parents_json FROM revisions ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].2, "[]");
    assert_eq!(rows[1].2, format!("[\"{}\"]", rows[0].1));
    assert_eq!(rows[0].1.len(), 32);
}

#[test]
fn three_devices_editing_at_once_end_with_one_record_whatever_order_they_sync_in() {
    let mut relay = Relay::default();
    let (mut a, mut b, mut c) = (device("a"), device("b"), device("c"));
    let id = a.store.create_child(&sample(), "").unwrap();
    relay.sync(&mut a);
    relay.sync(&mut b);
    relay.sync(&mut c);
    let edit = |d: &mut Device, change: &dyn Fn(&mut grabpack_core::ChildForm)| {
        let mut f = d.store.child(&id).unwrap().form;
        change(&mut f);
        d.store.save_form(&id, &f, "").unwrap();
    };
    edit(&mut a, &|f| {
        f.description.hair = "Hair from A (fictional)".into()
    });
    edit(&mut b, &|f| {
        f.description.build = "Build from B (fictional)".into()
    });
    edit(&mut c, &|f| {
        f.description.eyes = "Eyes from C (fictional)".into()
    });
    // C and A meet first; B only later; then everyone catches up.
    relay.sync(&mut c);
    relay.sync(&mut a);
    relay.sync(&mut b);
    relay.sync(&mut c);
    relay.sync(&mut a);
    let forms: Vec<_> = [&mut a, &mut b, &mut c]
        .into_iter()
        .map(|d| d.store.child(&id).unwrap().form)
        .collect();
    assert_eq!(forms[0].description.hair, "Hair from A (fictional)");
    assert_eq!(forms[0].description.build, "Build from B (fictional)");
    assert_eq!(forms[0].description.eyes, "Eyes from C (fictional)");
    assert_eq!(forms[0], forms[1]);
    assert_eq!(forms[1], forms[2]);
}

// ---- Missing episodes across the home's devices ----

use grabpack_store::episodes::{Closure, Found, NewEpisode, StepEntry};

fn missing(child: &ChildId, noticed: &str) -> NewEpisode {
    NewEpisode {
        child_id: child.clone(),
        noticed_at: noticed.parse().unwrap(),
        immediate_danger: false,
        missing_from_unit: None,
    }
}

fn at(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

fn step(outcome: &str) -> StepEntry {
    StepEntry {
        step_id: "search_home".into(),
        label: "Search the home and grounds".into(),
        outcome: outcome.into(),
    }
}

/// A home of two devices that both hold one child.
fn two_devices_with_a_child() -> (Relay, Device, Device, ChildId) {
    let mut relay = Relay::default();
    let (mut a, mut b) = (device("a"), device("b"));
    let id = a.store.create_child(&sample(), "").unwrap();
    relay.sync(&mut a);
    relay.sync(&mut b);
    (relay, a, b, id)
}

#[test]
fn an_episode_opened_on_one_device_is_the_one_another_device_carries_on_with() {
    let (mut relay, mut a, mut b, id) = two_devices_with_a_child();
    let ep = a
        .store
        .open_episode(&missing(&id, "2026-11-30T21:00:00Z"))
        .unwrap();
    let first = a
        .store
        .record_step(
            &ep.id,
            at("2026-11-30T21:05:00Z"),
            &step("not in the house"),
        )
        .unwrap();
    a.store
        .amend_event(
            first,
            at("2026-11-30T21:05:00Z"),
            &step("not in the house or the garden"),
            "added the garden",
        )
        .unwrap();
    relay.sync(&mut a);
    let report = relay.pull(&mut b);
    assert_eq!((report.episodes, report.episode_entries), (1, 2));
    assert_eq!(report.linked_episodes, 0);

    // B sees it open, with the corrected step, and pressing Missing there carries on with it.
    let open = b.store.list_episodes(None, true).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].id, ep.id);
    let on_b = b.store.episode(&ep.id).unwrap();
    assert_eq!(on_b.steps.len(), 1);
    assert_eq!(
        on_b.steps[0].value.outcome,
        "not in the house or the garden"
    );
    assert_eq!(on_b.history.len(), 2, "the original step is kept on B too");
    assert_eq!(on_b.opened_by_name, MANAGER);
    let second = b
        .store
        .open_episode(&missing(&id, "2026-11-30T22:00:00Z"))
        .unwrap_err();
    assert!(
        matches!(&second, grabpack_store::StoreError::EpisodeAlreadyOpen { episode_id } if *episode_id == ep.id),
        "{second:?}"
    );

    // B records found and closes; A sees the child back and the episode closed.
    b.store
        .record_found(
            &ep.id,
            at("2026-12-01T08:00:00Z"),
            &Found {
                found_where: "A friend's house (fictional)".into(),
                ..Default::default()
            },
        )
        .unwrap();
    b.store
        .close_episode(&ep.id, at("2026-12-01T10:00:00Z"), &Closure::default())
        .unwrap();
    relay.sync(&mut b);
    let back = relay.pull(&mut a);
    assert_eq!(back.episode_entries, 2);
    let on_a = a.store.episode(&ep.id).unwrap();
    assert!(!on_a.is_open());
    assert_eq!(
        on_a.found.unwrap().value.found_where,
        "A friend's house (fictional)"
    );
    assert!(a.store.list_episodes(None, true).unwrap().is_empty());
    assert!(
        a.store
            .child_flags(&id)
            .unwrap()
            .iter()
            .any(|f| f.kind == grabpack_store::episodes::FlagKind::ReviewAfterEpisode),
        "a close taken in flags the form for review, as one recorded here does"
    );
    assert_eq!(relay.push(&mut a), 0, "nothing received is sent back");
    assert!(a.store.audit_verify().unwrap().intact());
    assert!(b.store.audit_verify().unwrap().intact());
}

#[test]
fn one_absence_reported_on_two_offline_devices_is_kept_twice_and_shown_linked_on_both() {
    let (mut relay, mut a, mut b, id) = two_devices_with_a_child();
    // Both press Missing while neither can reach the hub.
    let on_a = a
        .store
        .open_episode(&missing(&id, "2026-11-30T21:00:00Z"))
        .unwrap();
    let on_b = b
        .store
        .open_episode(&missing(&id, "2026-11-30T21:04:00Z"))
        .unwrap();
    relay.sync(&mut a);
    relay.push(&mut b);
    let at_b = relay.pull(&mut b);
    assert_eq!(
        at_b.linked_episodes, 1,
        "B is told A's episode is the same absence"
    );
    let at_a = relay.pull(&mut a);
    assert_eq!(at_a.linked_episodes, 1, "and A is told of B's");

    for d in [&a, &b] {
        let open = d.store.list_episodes(Some(&id), true).unwrap();
        assert_eq!(
            open.len(),
            2,
            "{}: both records kept, neither closed for anyone",
            d.name
        );
        let ea = d.store.episode(&on_a.id).unwrap();
        let eb = d.store.episode(&on_b.id).unwrap();
        assert_eq!(ea.also_recorded.len(), 1);
        assert_eq!(ea.also_recorded[0].episode_id, on_b.id);
        assert_eq!(eb.also_recorded[0].episode_id, on_a.id);
        assert!(ea.also_recorded[0].words().contains("one absence"));
        assert_eq!(
            d.store
                .audit_list(Some(&id), Some("episodes_linked"), 5)
                .unwrap()
                .len(),
            1,
            "{}: the audit log says when the second record arrived",
            d.name
        );
    }
    // Both devices pin the same one (the newest noticed), so nobody opens a third.
    let pinned = |d: &mut Device| match d
        .store
        .open_episode(&missing(&id, "2026-11-30T23:00:00Z"))
        .unwrap_err()
    {
        grabpack_store::StoreError::EpisodeAlreadyOpen { episode_id } => episode_id,
        other => panic!("{other:?}"),
    };
    assert_eq!(pinned(&mut a), on_b.id);
    assert_eq!(pinned(&mut b), on_b.id);

    // Closing one hands the child's row to the other; an episode from last month is not linked.
    a.store
        .close_episode(&on_b.id, at("2026-12-01T09:00:00Z"), &Closure::default())
        .unwrap();
    relay.sync(&mut a);
    relay.sync(&mut b);
    assert_eq!(pinned(&mut b), on_a.id);
}

#[test]
fn the_same_entry_corrected_on_two_devices_at_once_shows_the_same_way_on_both() {
    let (mut relay, mut a, mut b, id) = two_devices_with_a_child();
    let ep = a
        .store
        .open_episode(&missing(&id, "2026-11-30T21:00:00Z"))
        .unwrap();
    a.store
        .record_step(&ep.id, at("2026-11-30T21:05:00Z"), &step("first look"))
        .unwrap();
    relay.sync(&mut a);
    relay.sync(&mut b);
    // Each ticks the same step again, offline (B a moment later).
    a.store
        .record_step(
            &ep.id,
            at("2026-11-30T21:06:00Z"),
            &step("looked again (A)"),
        )
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    b.store
        .record_step(
            &ep.id,
            at("2026-11-30T21:07:00Z"),
            &step("looked again (B)"),
        )
        .unwrap();
    relay.sync(&mut b);
    relay.sync(&mut a);
    relay.sync(&mut b);
    let shown = |d: &Device| {
        d.store.episode(&ep.id).unwrap().steps[0]
            .value
            .outcome
            .clone()
    };
    assert_eq!(
        shown(&a),
        "looked again (B)",
        "the later correction is shown"
    );
    assert_eq!(shown(&a), shown(&b));
    assert_eq!(a.store.episode(&ep.id).unwrap().history.len(), 3);
    assert_eq!(b.store.episode(&ep.id).unwrap().history.len(), 3);
}

#[test]
fn an_episode_entry_that_cannot_be_read_is_set_aside_and_the_rest_arrive() {
    let (mut relay, mut a, mut b, id) = two_devices_with_a_child();
    let ep = a
        .store
        .open_episode(&missing(&id, "2026-11-30T21:00:00Z"))
        .unwrap();
    a.store
        .record_step(&ep.id, at("2026-11-30T21:05:00Z"), &step("looked"))
        .unwrap();
    relay.push(&mut a);
    // A record from a damaged or hostile device: an entry of a kind no version knows.
    let mut bad = relay.records.last().unwrap().clone();
    let mut body: serde_json::Value = serde_json::from_slice(&bad.record.body).unwrap();
    body["kind"] = "rewrite_history".into();
    body["global_id"] = "f00d".into();
    bad.record.body = serde_json::to_vec(&body).unwrap();
    bad.record.record_id = "f00d".into();
    bad.envelope_id = "bad-envelope".into();
    relay.records.push(bad);
    let report = relay.pull(&mut b);
    assert_eq!(report.refused, 1);
    assert_eq!((report.episodes, report.episode_entries), (1, 1));
    assert_eq!(b.store.episode(&ep.id).unwrap().history.len(), 1);
}

// ---- What was sent, on every device ----

use grabpack_store::outbox::{Channel, DeliveryState, NewDelivery, NewMessage, Purpose};

fn pack_to(episode: &grabpack_store::EpisodeId, child: &ChildId) -> NewMessage {
    let delivery = |id: &str, name: &str, address: &str| NewDelivery {
        recipient_id: id.into(),
        recipient_name: name.into(),
        recipient_role: id.into(),
        channel: Channel::Email,
        address: address.into(),
        payload: b"From: home@example.invalid\r\n\r\nthe pack (fictional)".to_vec(),
        idempotency_key: uuid::Uuid::new_v4().to_string(),
        email_message_id: Some(format!("<{}@example.invalid>", uuid::Uuid::new_v4())),
        audience: None,
        pdf: None,
    };
    NewMessage {
        id: grabpack_store::OutboxMessageId::new_random(),
        episode_id: Some(episode.clone()),
        child_id: child.clone(),
        purpose: Purpose::Pack,
        pdf: Some(b"%PDF-1.7 the pack (fictional)".to_vec()),
        readout: "Read-out (fictional)".into(),
        cover_note: "Missing from Maple House (fictional)".into(),
        deliveries: vec![
            delivery(
                "police",
                "Police intake (fictional)",
                "missing@police.example.invalid",
            ),
            delivery(
                "social_worker",
                "Jo Social Worker (fictional)",
                "jo@council.example.invalid",
            ),
        ],
    }
}

#[test]
fn a_pack_sent_from_one_device_shows_its_live_states_on_another_which_never_sends_it() {
    let (mut relay, mut a, mut b, id) = two_devices_with_a_child();
    let ep = a
        .store
        .open_episode(&missing(&id, "2026-11-30T21:00:00Z"))
        .unwrap();
    let now = jiff::Timestamp::now();
    let msg = a.store.enqueue(&pack_to(&ep.id, &id), now).unwrap();
    let (police, social) = (msg.deliveries[0].id.clone(), msg.deliveries[1].id.clone());
    let claimed = a
        .store
        .claim_delivery(&police, now, 60_000)
        .unwrap()
        .unwrap();
    a.store
        .mark_delivered(&police, claimed.attempt, "250 OK (fictional)")
        .unwrap();
    let claimed = a
        .store
        .claim_delivery(&social, now, 60_000)
        .unwrap()
        .unwrap();
    a.store
        .mark_failed(
            &social,
            claimed.attempt,
            "send.auth_failed",
            "535 (fictional)",
        )
        .unwrap();
    relay.sync(&mut a);
    let report = relay.pull(&mut b);
    assert!(
        report.outbox >= 3,
        "the message and each delivery's state: {report:?}"
    );

    let on_b = b.store.outbox(None, Some(&ep.id)).unwrap();
    assert_eq!(on_b.len(), 1);
    assert!(on_b[0].sent_from_another_device);
    let states: Vec<_> = on_b[0].deliveries.iter().map(|d| d.state).collect();
    assert_eq!(
        states,
        vec![DeliveryState::Delivered, DeliveryState::Failed]
    );
    assert_eq!(
        on_b[0].deliveries[0].receipt.as_deref(),
        Some("250 OK (fictional)")
    );
    // B never sends it, counts nothing of it as its own to send, and refuses to retry it.
    assert!(b.store.due_deliveries(now, 0).unwrap().is_empty());
    assert_eq!(b.store.undelivered_count().unwrap(), 0);
    assert!(b.store.claim_delivery(&social, now, 0).unwrap().is_none());
    let refused = b.store.retry_delivery(&social, now).unwrap_err();
    assert_eq!(refused.code(), "store.delivery_on_another_device");
    assert_eq!(
        b.store.delivery_payload(&social).unwrap(),
        a.store.delivery_payload(&social).unwrap(),
        "A's bytes are on B, kept for a take-over, but B does not send them while A is there"
    );

    // A person on A fixes the password and retries; it goes. B follows, and a stale state
    // arriving late changes nothing.
    let stale = relay
        .records
        .iter()
        .rev()
        .find(|r| {
            r.record.kind == "delivery_state" && r.record.record_id.starts_with(social.as_str())
        })
        .unwrap()
        .clone();
    a.store.retry_delivery(&social, now).unwrap();
    let claimed = a
        .store
        .claim_delivery(&social, now, 60_000)
        .unwrap()
        .unwrap();
    a.store
        .mark_delivered(&social, claimed.attempt, "250 OK again (fictional)")
        .unwrap();
    relay.sync(&mut a);
    relay.pull(&mut b);
    let delivered = |d: &Device| d.store.delivery(&social).unwrap().state;
    assert_eq!(delivered(&b), DeliveryState::Delivered);
    let mut late = stale;
    late.envelope_id = "late-copy".into();
    late.record.record_id = format!("{social}@late");
    let report = b
        .store
        .sync_receive(&[late], relay.records.len() as i64)
        .unwrap();
    assert_eq!(report.already_here, 1);
    assert_eq!(
        delivered(&b),
        DeliveryState::Delivered,
        "an older state never wins"
    );
    assert_eq!(relay.push(&mut b), 0, "B sends nothing of A's outbox back");
    assert!(b.store.audit_verify().unwrap().intact());
}

/// A device that has joined the home (as if paired): a take-over needs to know which device
/// this is.
fn joined(d: &mut Device) {
    d.store
        .sync_join(&grabpack_store::sync::JoinHome {
            hub_url: "https://hub.example.invalid",
            hub_ca_pem: None,
            home_id: "home-fictional",
            device_id: d.name,
            device_secret: &[7u8; 64],
            state: grabpack_store::sync::SyncState::Paired,
            pairing_code: None,
        })
        .unwrap();
}

/// One attempt at `id` from `d`, at `at`, that found no network: due again `retry_in_mins` later.
fn attempt_fails(
    d: &mut Device,
    id: &grabpack_store::DeliveryId,
    at: jiff::Timestamp,
    retry_in_mins: i64,
) {
    let claimed = d.store.claim_delivery(id, at, 60_000).unwrap().unwrap();
    d.store
        .mark_retry(
            id,
            claimed.attempt,
            "send.network",
            "no network (fictional)",
            at + jiff::SignedDuration::from_mins(retry_in_mins),
        )
        .unwrap();
}

/// A: a pack queued, the hub's lease held on each delivery in term 1, the police delivery's
/// first attempt failed (offline) and waiting to retry; all of it on B.
fn a_pack_waiting_on_a() -> (Relay, Device, Device, grabpack_store::DeliveryId) {
    let (mut relay, mut a, mut b, id) = two_devices_with_a_child();
    joined(&mut a);
    joined(&mut b);
    let ep = a
        .store
        .open_episode(&missing(&id, "2026-11-30T21:00:00Z"))
        .unwrap();
    let now = jiff::Timestamp::now();
    let msg = a.store.enqueue(&pack_to(&ep.id, &id), now).unwrap();
    assert_eq!(a.store.sync_deliveries_to_hold().unwrap().len(), 2);
    for (d, known) in a.store.sync_deliveries_to_hold().unwrap() {
        assert_eq!(known, 0, "never held before");
        a.store.sync_delivery_held(&d, 1).unwrap();
    }
    let police = msg.deliveries[0].id.clone();
    attempt_fails(&mut a, &police, now, 10);
    relay.sync(&mut a);
    relay.pull(&mut b);
    (relay, a, b, police)
}

#[test]
fn a_pack_whose_device_went_quiet_is_taken_over_by_another_device_which_sends_the_same_bytes() {
    let (mut relay, mut a, mut b, police) = a_pack_waiting_on_a();
    let now = jiff::Timestamp::now();
    let queued_on_a = a.store.delivery_payload(&police).unwrap();
    assert_eq!(b.store.delivery_payload(&police).unwrap(), queued_on_a);
    assert_eq!(
        b.store.sync_take_over_candidates().unwrap().len(),
        2,
        "both of A's deliveries still to go could be taken over from B"
    );
    assert!(
        b.store.due_deliveries(now, 0).unwrap().is_empty(),
        "B sends nothing while A holds the lease"
    );

    // A goes quiet and its lease runs out; the hub gives B the lease in term 2.
    let taken = b.store.sync_take_over(&police, 2).unwrap().unwrap();
    assert!(!taken.sent_from_another_device);
    assert_eq!(taken.state, DeliveryState::Queued);
    assert_eq!(b.store.undelivered_count().unwrap(), 1);
    assert!(
        b.store.sync_take_over(&police, 2).unwrap().is_none(),
        "taken once"
    );
    let claimed = b
        .store
        .claim_delivery(&police, jiff::Timestamp::now(), 60_000)
        .unwrap()
        .unwrap();
    assert_eq!(
        claimed.payload, queued_on_a,
        "B sends the bytes A queued: the same Message-ID, the same pack"
    );
    b.store
        .mark_delivered(&police, claimed.attempt, "250 OK via B (fictional)")
        .unwrap();
    assert_eq!(
        b.store
            .audit_list(None, Some("delivery_taken_over"), 10)
            .unwrap()
            .len(),
        1
    );
    relay.sync(&mut b);

    // A comes back: the hub tells it B holds the lease now, and B's states outrank A's.
    a.store
        .sync_delivery_taken_elsewhere(&police, Some("b"), 2)
        .unwrap();
    relay.sync(&mut a);
    let on_a = a.store.delivery(&police).unwrap();
    assert_eq!(on_a.state, DeliveryState::Delivered);
    assert_eq!(on_a.receipt.as_deref(), Some("250 OK via B (fictional)"));
    assert!(on_a.sent_from_another_device, "A stops sending it");
    let later = now + jiff::SignedDuration::from_hours(1);
    assert!(
        a.store
            .due_deliveries(later, 0)
            .unwrap()
            .iter()
            .all(|d| d.id != police)
    );
    assert_eq!(
        a.store.retry_delivery(&police, later).unwrap_err().code(),
        "store.delivery_on_another_device"
    );
    assert_eq!(
        a.store
            .audit_list(None, Some("delivery_taken_over_elsewhere"), 10)
            .unwrap()
            .len(),
        1,
        "A's log says who took it over"
    );
    assert!(a.store.audit_verify().unwrap().intact());
    assert!(b.store.audit_verify().unwrap().intact());
}

#[test]
fn the_device_sending_a_delivery_now_outranks_the_one_before_but_delivered_is_a_fact_from_either() {
    let (mut relay, mut a, mut b, police) = a_pack_waiting_on_a();
    let now = jiff::Timestamp::now();
    // Out of touch with the hub, A retries and gets its pack through after all ...
    let retry_due = now + jiff::SignedDuration::from_mins(11);
    let claimed = a
        .store
        .claim_delivery(&police, retry_due, 0)
        .unwrap()
        .unwrap();
    a.store
        .mark_delivered(&police, claimed.attempt, "250 OK via A (fictional)")
        .unwrap();
    // ... while B, seeing A's lease run out, took it over and failed.
    b.store.sync_take_over(&police, 2).unwrap().unwrap();
    attempt_fails(&mut b, &police, jiff::Timestamp::now(), 5);
    relay.sync(&mut b);
    relay.pull(&mut a);
    assert_eq!(
        a.store.delivery(&police).unwrap().state,
        DeliveryState::Delivered,
        "B's later term does not undo what a server told A"
    );
    relay.sync(&mut a);
    relay.sync(&mut b);
    let on_b = b.store.delivery(&police).unwrap();
    assert_eq!(on_b.state, DeliveryState::Delivered);
    assert_eq!(on_b.receipt.as_deref(), Some("250 OK via A (fictional)"));
    assert_eq!(
        b.store.undelivered_count().unwrap(),
        0,
        "nothing left for B to send (the other delivery is still A's)"
    );
    // B, the sender now, passes the fact on in its own term, so every device ends the same.
    relay.sync(&mut b);
    assert!(
        of_kind(&relay, "delivery_state").iter().any(|r| {
            r.device_id == "b"
                && r.record.record_id.starts_with(&format!("{police}@2."))
                && String::from_utf8_lossy(&r.record.body).contains("\"state\":\"delivered\"")
        }),
        "B's own record of the delivery in term 2"
    );
    let mut c = device("c");
    relay.pull(&mut c);
    assert_eq!(
        c.store.delivery(&police).unwrap().state,
        DeliveryState::Delivered
    );
    assert_eq!(
        a.store.delivery(&police).unwrap().state,
        DeliveryState::Delivered
    );
}

#[test]
fn bytes_that_are_not_what_the_message_queued_are_never_kept_for_a_take_over() {
    let (relay, _a, _b, police) = a_pack_waiting_on_a();
    let mut c = device("c");
    let mut records = relay.records.clone();
    let payload = records
        .iter_mut()
        .find(|r| r.record.kind == "delivery_payload" && r.record.record_id == police.as_str())
        .unwrap();
    let last = payload.record.body.len() - 1;
    payload.record.body[last] ^= 1;
    let report = c
        .store
        .sync_receive(&records, records.len() as i64)
        .unwrap();
    assert_eq!(report.refused, 1, "{report:?}");
    assert!(c.store.delivery_payload(&police).unwrap().is_empty());
    assert!(
        c.store
            .sync_take_over_candidates()
            .unwrap()
            .iter()
            .all(|d| d.id != police)
    );
}

// ---- The home's settings, police-directory edits and archive ----

#[test]
fn the_homes_settings_directory_edits_and_archive_reach_every_device_the_newest_save_winning() {
    let (mut relay, mut a, mut b, id) = two_devices_with_a_child();
    let mut settings = a.store.settings().unwrap();
    settings.home_name = "Maple House, renamed on A (fictional)".into();
    settings.auto_lock_minutes = 3;
    a.store.set_settings(&settings).unwrap();
    a.store
        .save_directory_entry("met-south", r#"{"email":"south@police.example.invalid"}"#)
        .unwrap();
    relay.sync(&mut a);
    let report = relay.pull(&mut b);
    assert_eq!(report.home, 2);
    assert_eq!(
        b.store.settings().unwrap().home_name,
        "Maple House, renamed on A (fictional)"
    );
    assert_eq!(b.store.settings().unwrap().auto_lock_minutes, 3);
    assert_eq!(
        b.store.directory_overrides().unwrap(),
        vec![(
            "met-south".to_string(),
            r#"{"email":"south@police.example.invalid"}"#.to_string()
        )]
    );

    // Two managers edit at once: the later save wins on both devices, settings and directory.
    settings.home_name = "Renamed on A again (fictional)".into();
    a.store.set_settings(&settings).unwrap();
    a.store
        .save_directory_entry("met-south", r#"{"email":"from-a@police.example.invalid"}"#)
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut on_b = b.store.settings().unwrap();
    on_b.home_name = "Renamed on B, later (fictional)".into();
    b.store.set_settings(&on_b).unwrap();
    b.store
        .save_directory_entry("met-south", r#"{"email":"from-b@police.example.invalid"}"#)
        .unwrap();
    relay.sync(&mut b);
    relay.sync(&mut a);
    relay.sync(&mut b);
    for d in [&a, &b] {
        assert_eq!(
            d.store.settings().unwrap().home_name,
            "Renamed on B, later (fictional)",
            "{}",
            d.name
        );
        assert_eq!(
            d.store.directory_overrides().unwrap()[0].1,
            r#"{"email":"from-b@police.example.invalid"}"#,
            "{}",
            d.name
        );
    }

    // A child who left, archived on B: archived on A.
    b.store.archive(&id).unwrap();
    relay.sync(&mut b);
    relay.pull(&mut a);
    assert!(a.store.child(&id).unwrap().archived_at.is_some());
    assert_eq!(relay.push(&mut a), 0, "nothing received goes back");
}

/// Locks a device and unlocks it with a staff member's PIN, as the unlock screen does.
fn unlock_as(d: &mut Device, name: &str, pin: &str) -> grabpack_store::Result<String> {
    let store = d._home.unlock_pin(name, pin)?;
    let id = match store.actor() {
        grabpack_store::Actor::Staff { id, .. } => id.clone(),
        other => panic!("unlocked as {other:?}"),
    };
    d.store = store;
    Ok(id)
}

const NIGHT: &str = "Night Worker (fictional)";

#[test]
fn a_staff_member_set_up_on_one_device_unlocks_every_device_of_the_home_with_the_same_pin() {
    let mut relay = Relay::default();
    let (mut a, mut b) = (device("a"), device("b"));
    a.store
        .add_staff(
            NIGHT,
            grabpack_core::StaffRole::Keyworker,
            Some(&"135790".into()),
        )
        .unwrap();
    relay.sync(&mut a);
    let report = relay.pull(&mut b);
    assert_eq!(report.staff, 2, "A's manager and the night worker arrive");

    // B's unlock screen offers the night worker, and their PIN from A opens B.
    assert!(
        grabpack_store::staff_on_this_device(b._home.path())
            .unwrap()
            .contains(&NIGHT.to_string())
    );
    let night_id = unlock_as(&mut b, NIGHT, "135790").unwrap();
    let on_b = b.store.staff().unwrap();
    let night = on_b.iter().find(|s| s.name == NIGHT).unwrap();
    assert_eq!((night.id.clone(), night.has_pin), (night_id.clone(), true));
    assert!(matches!(
        unlock_as(&mut b, NIGHT, "999999"),
        Err(grabpack_store::StoreError::WrongSecret)
    ));

    // A new PIN set on A is the PIN on B; the old one stops working there.
    unlock_as(&mut a, MANAGER, MANAGER_PIN).unwrap();
    a.store.set_pin(NIGHT, &"864200".into()).unwrap();
    relay.sync(&mut a);
    unlock_as(&mut b, MANAGER, MANAGER_PIN).unwrap();
    assert_eq!(relay.pull(&mut b).staff, 1);
    assert_eq!(unlock_as(&mut b, NIGHT, "864200").unwrap(), night_id);
    assert!(unlock_as(&mut b, NIGHT, "135790").is_err());

    // Disabled on A: refused on B as soon as B has synced, the record kept with its history.
    unlock_as(&mut a, MANAGER, MANAGER_PIN).unwrap();
    a.store.disable_staff(NIGHT).unwrap();
    relay.sync(&mut a);
    unlock_as(&mut b, MANAGER, MANAGER_PIN).unwrap();
    relay.pull(&mut b);
    assert!(unlock_as(&mut b, NIGHT, "864200").is_err());
    assert!(
        !grabpack_store::staff_on_this_device(b._home.path())
            .unwrap()
            .contains(&NIGHT.to_string())
    );
    let night = b
        .store
        .staff()
        .unwrap()
        .into_iter()
        .find(|s| s.name == NIGHT)
        .unwrap();
    assert!(night.disabled_at.is_some() && !night.has_pin);
    assert!(b.store.audit_verify().unwrap().intact());
}

#[test]
fn two_devices_each_set_up_by_a_manager_of_one_name_keep_both_and_the_pin_decides_who_unlocks() {
    let mut relay = Relay::default();
    let (mut a, mut b) = (device("a"), device("b"));
    a.store.set_pin(MANAGER, &"112233".into()).unwrap();
    let a_manager = unlock_as(&mut a, MANAGER, "112233").unwrap();
    let b_manager = unlock_as(&mut b, MANAGER, MANAGER_PIN).unwrap();
    relay.sync(&mut a);
    relay.sync(&mut b);
    relay.pull(&mut a);
    for d in [&mut a, &mut b] {
        let managers: Vec<_> = d
            .store
            .staff()
            .unwrap()
            .into_iter()
            .filter(|s| s.name == MANAGER)
            .map(|s| s.id)
            .collect();
        assert_eq!(managers.len(), 2, "both managers kept on {}", d.name);
        assert_eq!(unlock_as(d, MANAGER, "112233").unwrap(), a_manager);
        assert_eq!(unlock_as(d, MANAGER, MANAGER_PIN).unwrap(), b_manager);
        let names = grabpack_store::staff_on_this_device(d._home.path()).unwrap();
        assert_eq!(
            names.iter().filter(|n| *n == MANAGER).count(),
            1,
            "the unlock screen offers the name once"
        );
    }
}

#[test]
fn a_disable_is_final_whatever_a_later_change_from_another_device_says() {
    let mut relay = Relay::default();
    let (mut a, mut b) = (device("a"), device("b"));
    a.store
        .add_staff(
            NIGHT,
            grabpack_core::StaffRole::Keyworker,
            Some(&"135790".into()),
        )
        .unwrap();
    relay.sync(&mut a);
    relay.pull(&mut b);
    // A disables the member; B, not yet told, sets them a new PIN afterwards.
    a.store.disable_staff(NIGHT).unwrap();
    b.store.set_pin(NIGHT, &"246802".into()).unwrap();
    relay.sync(&mut a);
    relay.sync(&mut b);
    relay.pull(&mut a);
    for d in [&mut a, &mut b] {
        assert!(
            unlock_as(d, NIGHT, "246802").is_err() && unlock_as(d, NIGHT, "135790").is_err(),
            "neither PIN opens {}",
            d.name
        );
        unlock_as(d, MANAGER, MANAGER_PIN).unwrap();
        let night = d
            .store
            .staff()
            .unwrap()
            .into_iter()
            .find(|s| s.name == NIGHT)
            .unwrap();
        assert!(night.disabled_at.is_some(), "disabled on {}", d.name);
    }
}

#[test]
fn a_pin_from_before_member_keys_reaches_the_other_devices_once_its_member_has_unlocked() {
    let mut relay = Relay::default();
    let (mut a, mut b) = (device("a"), device("b"));
    // A store of the version before member keys: the manager's 4-digit PIN kept as Argon2id.
    make_version_1_manager_pin(&a._home, "2468");
    let a_manager = unlock_as(&mut a, MANAGER, "2468").unwrap();
    relay.sync(&mut a);
    relay.pull(&mut b);
    assert_eq!(unlock_as(&mut b, MANAGER, "2468").unwrap(), a_manager);
}

#[test]
fn a_staff_record_whose_pin_slot_is_not_the_members_own_is_set_aside() {
    let mut relay = Relay::default();
    let (mut a, mut b) = (device("a"), device("b"));
    a.store
        .add_staff(
            NIGHT,
            grabpack_core::StaffRole::Keyworker,
            Some(&"135790".into()),
        )
        .unwrap();
    relay.push(&mut a);
    // The night worker's record made to carry the manager's slot (another member's PIN).
    let records = &mut relay.records;
    let slot_of = |r: &ReceivedRecord| -> serde_json::Value {
        serde_json::from_slice::<serde_json::Value>(&r.record.body).unwrap()["member_slot"].clone()
    };
    let name_of = |r: &ReceivedRecord| -> String {
        serde_json::from_slice::<serde_json::Value>(&r.record.body).unwrap()["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let manager_slot = slot_of(records.iter().find(|r| name_of(r) == MANAGER).unwrap());
    let night = records.iter_mut().find(|r| name_of(r) == NIGHT).unwrap();
    let mut body: serde_json::Value = serde_json::from_slice(&night.record.body).unwrap();
    body["member_slot"] = manager_slot;
    night.record.body = serde_json::to_vec(&body).unwrap();
    let report = relay.pull(&mut b);
    assert_eq!((report.staff, report.refused), (1, 1));
    assert!(matches!(
        unlock_as(&mut b, NIGHT, MANAGER_PIN),
        Err(grabpack_store::StoreError::NoPinSlot(_))
    ));
}

/// Device `a`'s audit chain after entry `after`, as rows of a chunk (read below the API, the
/// way the chunk is made).
fn chain_rows(store: &Store, after: i64) -> Vec<serde_json::Value> {
    let conn = store.connection_for_tests();
    let mut stmt = conn
        .prepare(
            "SELECT seq, at, actor, action, child_id, detail, prev_hash, hash FROM audit
             WHERE seq > ?1 ORDER BY seq",
        )
        .unwrap();
    stmt.query_map([after], |r| {
        Ok(serde_json::json!({
            "seq": r.get::<_, i64>(0)?, "at": r.get::<_, String>(1)?,
            "actor": r.get::<_, String>(2)?, "action": r.get::<_, String>(3)?,
            "child_id": r.get::<_, Option<String>>(4)?, "detail": r.get::<_, String>(5)?,
            "prev_hash": r.get::<_, String>(6)?, "hash": r.get::<_, String>(7)?,
        }))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// A chunk of `device`'s chain, as the hub hands it over from `sender`.
fn audit_chunk(rows: &[serde_json::Value], device: &str, sender: &str) -> ReceivedRecord {
    let last = rows.last().unwrap()["seq"].as_i64().unwrap();
    ReceivedRecord {
        envelope_id: format!("{sender}-audit-{device}-{last}"),
        device_id: sender.into(),
        record: grabpack_store::sync::SyncRecord {
            kind: grabpack_store::sync::RECORD_AUDIT_CHUNK.into(),
            record_id: format!("{device}:{last:020}"),
            body: serde_json::to_vec(&serde_json::json!({
                "format": 1, "device_id": device, "rows": rows,
            }))
            .unwrap(),
        },
    }
}

#[test]
fn another_devices_audit_chain_is_kept_only_as_that_device_wrote_it() {
    let (mut a, mut b) = (device("a"), device("b"));
    let id = a.store.create_child(&sample(), "").unwrap();
    let rows = chain_rows(&a.store, 0);
    let (first, second) = rows.split_at(2);

    // The later run first: it waits for the earlier one, then both are kept, not audited again.
    let own_before = b.store.audit_verify().unwrap().entries;
    let report = b
        .store
        .sync_receive(&[audit_chunk(second, "a", "a")], 1)
        .unwrap();
    assert_eq!((report.audit_chunks, report.waiting), (0, 1));
    let report = b
        .store
        .sync_receive(&[audit_chunk(first, "a", "a")], 2)
        .unwrap();
    assert_eq!((report.audit_chunks, report.waiting), (2, 0));
    assert_eq!(b.store.audit_verify().unwrap().entries, own_before);
    let chains = b.store.audit_verify_home().unwrap();
    assert_eq!(chains.len(), 2);
    assert_eq!(chains[1].device.as_deref(), Some("a"));
    assert_eq!(
        (chains[1].entries, chains[1].broken_at),
        (rows.len() as i64, None)
    );
    let created = b
        .store
        .audit_list_home(Some(&id), Some("child_created"), 10)
        .unwrap();
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(created[0].device.as_deref(), Some("a"));

    // An entry altered on its way, or a run of a's chain sent by another device: set aside.
    let mut edited = sample();
    edited.description.hair = "Shaved (fictional)".into();
    a.store.save_form(&id, &edited, "").unwrap();
    let mut more = chain_rows(&a.store, rows.len() as i64);
    let honest = more.clone();
    more[0]["detail"] = "nothing happened".into();
    let report = b
        .store
        .sync_receive(
            &[audit_chunk(&more, "a", "a"), audit_chunk(&honest, "a", "c")],
            3,
        )
        .unwrap();
    assert_eq!((report.audit_chunks, report.refused), (0, 2));
    // The true run from a itself is kept.
    let report = b
        .store
        .sync_receive(&[audit_chunk(&honest, "a", "a")], 4)
        .unwrap();
    assert_eq!(report.audit_chunks, 1);
    assert!(
        b.store
            .audit_verify_home()
            .unwrap()
            .iter()
            .all(|c| c.broken_at.is_none())
    );
}

#[test]
fn a_photo_carrying_more_than_the_picture_is_set_aside_even_with_its_hash_right() {
    use sha2::Digest;
    let mut relay = Relay::default();
    let (mut a, mut b) = (device("a"), device("b"));
    let id = a.store.create_child(&sample(), "").unwrap();
    let jpeg = grabpack_photo::synthetic_portrait(3, 400, 500).unwrap();
    a.store
        .add_photo(&id, &jpeg, PhotoKind::Face, None)
        .unwrap();
    relay.push(&mut a);
    // The photo record as a careless or hostile paired device might send it: a comment with a
    // location slipped in after the header, and the hash made to match.
    let mut photo = of_kind(&relay, "photo")[0].clone();
    let body = photo.record.body.clone();
    let len = u32::from_be_bytes(body[..4].try_into().unwrap()) as usize;
    let mut header: serde_json::Value = serde_json::from_slice(&body[4..4 + len]).unwrap();
    let stored = &body[4 + len..];
    let mut tampered = stored[..2].to_vec();
    tampered.extend([0xFF, 0xFE, 0x00, 0x12]);
    tampered.extend(b"51.50 -0.12 (fict)");
    tampered.extend(&stored[2..]);
    header["sha256"] = hex::encode(sha2::Sha256::digest(&tampered)).into();
    let head = serde_json::to_vec(&header).unwrap();
    let mut forged = (head.len() as u32).to_be_bytes().to_vec();
    forged.extend(head);
    forged.extend(tampered);
    photo.record.body = forged;
    let mut records = of_kind(&relay, "revision");
    records.push(photo);
    let report = b.store.sync_receive(&records, 2).unwrap();
    assert_eq!((report.revisions, report.photos, report.refused), (1, 0, 1));
    assert!(b.store.photos(&id).unwrap().is_empty());
}
