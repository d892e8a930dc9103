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
    // The demo home's police units still have the shipped placeholder contacts: the episode
    // says to phone them, first, and proposes no police address at all.
    assert!(
        !proposed.iter().any(|id| id.starts_with("police:")),
        "{proposed:?}"
    );
    let phone: Vec<&str> = view
        .proposal
        .call_advice
        .iter()
        .map(|a| a.unit_id.as_str())
        .collect();
    assert!(phone.contains(&"met-central-south"), "{phone:?}");
    assert!(
        view.proposal.call_advice[0]
            .call
            .starts_with("Call 101 (999 if in danger)")
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
        &Choice::typed(vec!["manager".into()], &[" duty@lambeth.gov.uk "]),
        "",
        Purpose::Pack,
        Timestamp::now(),
    )
    .unwrap();
    let ep = h.store.episode(&h.episode).unwrap();
    assert_eq!(ep.recipients.len(), 1);
    let record = &ep.recipients[0].value;
    assert_eq!(record.outbox_message_id, msg.id);
    assert_eq!(record.added, ["other:duty@lambeth.gov.uk"]);
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
fn a_refusal_with_nobody_to_tell_says_so_and_never_claims_the_social_worker_was_told() {
    let mut h = a_child_missing();
    // The child's form loses the social worker's and out-of-hours team's addresses.
    let child = h.store.episode(&h.episode).unwrap().child_id;
    let mut form = h.store.child_unaudited(&child).unwrap().form;
    form.placement.social_worker.email.clear();
    form.placement.out_of_hours.email.clear();
    h.store
        .save_form(&child, &form, "addresses gone (fictional)")
        .unwrap();
    let refusal = NotAccepted {
        reason: "Told to ring back later (fictional)".into(),
        officer_name: "PC Example (fictional)".into(),
        collar_number: "1234".into(),
        reference: String::new(),
    };
    let err = episode::record_not_accepted(
        &mut h.store,
        &h.episode,
        Timestamp::now(),
        &refusal,
        Timestamp::now(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "store.no_recipients");
    let view = episode::view(&h.store, &h.episode, jiff::Zoned::now().date()).unwrap();
    assert_eq!(view.refusal_notices.len(), 1, "the refusal itself is kept");
    let said = &view.refusal_notices[0].summary;
    assert!(view.refusal_notices[0].message_id.is_none());
    assert!(!said.contains("Told:"), "{said}");
    assert!(
        said.contains("There is no social worker email address on the child's form: the social worker was not sent the notice. Phone them.")
            && said.contains("There is no out-of-hours team email address"),
        "{said}"
    );
}

#[test]
fn only_a_manager_with_a_reason_sends_to_an_address_outside_public_services_and_it_is_recorded() {
    let mut h = a_child_missing();
    let choice = Choice::typed(vec![], &["aunt@mail.example"]);
    // The demo store is unlocked with the passphrase, which administers the store: a reason is
    // still required.
    let err = grabpack_send::queue_episode_pack(
        &mut h.store,
        &h.episode,
        &choice,
        "",
        Purpose::Pack,
        Timestamp::now(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "send.reason_required");
    let msg = grabpack_send::queue_episode_pack(
        &mut h.store,
        &h.episode,
        &choice.with_manager_reason(Some("the child's aunt is searching (fictional)".into())),
        "",
        Purpose::Pack,
        Timestamp::now(),
    )
    .unwrap();
    let ep = h.store.episode(&h.episode).unwrap();
    let chosen = &ep.recipients[0].value.chosen;
    let aunt = chosen
        .iter()
        .find(|r| r["address"] == "aunt@mail.example")
        .unwrap();
    assert_eq!(
        aunt["confirmed_by_manager"]["reason"],
        "the child's aunt is searching (fictional)"
    );
    let confirmed = h
        .store
        .audit_list(None, Some("recipient_confirmed"), 100)
        .unwrap();
    assert_eq!(confirmed.len(), 1);
    assert!(confirmed[0].detail.contains("aunt@mail.example"));
    assert!(confirmed[0].detail.contains(&msg.id.to_string()));
    assert!(
        confirmed[0]
            .detail
            .contains("the child's aunt is searching")
    );

    // A council address needs nobody's confirmation.
    grabpack_send::queue_episode_pack(
        &mut h.store,
        &h.episode,
        &Choice::typed(vec![], &["duty@lambeth.gov.uk"]),
        "",
        Purpose::Pack,
        Timestamp::now(),
    )
    .unwrap();
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

#[test]
fn showing_the_child_their_own_copy_is_recorded_with_who_when_and_the_copys_hash() {
    let mut h = a_child_missing();
    let child = h.store.episode(&h.episode).unwrap().child_id;
    use grabpack_send::child_copy;
    assert!(child_copy::shown(&h.store, &child).unwrap().is_empty());
    let pdf = child_copy::build(&h.store, &child, Timestamp::now()).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    child_copy::record_shown(&mut h.store, &child, &pdf).unwrap();
    let shown = child_copy::shown(&h.store, &child).unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].action, "child_copy_shown");
    assert_eq!(shown[0].child_id.as_deref(), Some(child.as_str()));
    assert!(
        shown[0]
            .detail
            .contains(&grabpack_store::outbox::sha256_hex(&pdf)),
        "{}",
        shown[0].detail
    );
    assert!(!shown[0].actor.is_empty());
}

#[test]
fn an_added_address_gets_page_one_and_part_two_unless_a_manager_widens_it_with_a_reason_which_is_recorded()
 {
    use grabpack_core::audience::Audience;
    let mut h = a_child_missing();
    let added = "advocate@council.gov.uk";
    let narrow = grabpack_send::queue_episode_pack(
        &mut h.store,
        &h.episode,
        &Choice::typed(vec![], &[added]),
        "",
        Purpose::Pack,
        Timestamp::now(),
    )
    .unwrap();
    let to_added = |m: &grabpack_store::outbox::OutboxMessage| {
        m.deliveries
            .iter()
            .find(|d| d.address == added)
            .map(|d| d.audience)
            .unwrap()
    };
    assert_eq!(to_added(&narrow), Some(Audience::ExtraAddress));

    let widen = Choice::typed(vec![], &[added]).with_widened(&[added], None);
    let err = grabpack_send::queue_episode_pack(
        &mut h.store,
        &h.episode,
        &widen,
        "",
        Purpose::Pack,
        Timestamp::now(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "send.widen_reason_required");

    let reason = "her advocate is searching with police (fictional)";
    let wide = grabpack_send::queue_episode_pack(
        &mut h.store,
        &h.episode,
        &widen.with_widened(&[added], Some(reason.into())),
        "",
        Purpose::Pack,
        Timestamp::now(),
    )
    .unwrap();
    assert_eq!(to_added(&wide), Some(Audience::ExtraAddressWidened));
    let widened = h
        .store
        .audit_list(None, Some("recipient_widened"), 100)
        .unwrap();
    assert_eq!(widened.len(), 1);
    assert!(widened[0].detail.contains(added) && widened[0].detail.contains(reason));
    assert!(widened[0].detail.contains(&wide.id.to_string()));
    let ep = h.store.episode(&h.episode).unwrap();
    let chosen = &ep.recipients.last().unwrap().value.chosen;
    let kept = chosen.iter().find(|r| r["address"] == added).unwrap();
    assert_eq!(kept["widened_by_manager"]["reason"], reason);
}
