//! Every save is an immutable revision, with who, when and what changed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use grabpack_core::sample::complete_form;
use jiff::civil::date;

fn sample() -> grabpack_core::ChildForm {
    complete_form(
        "Demo Child (fictional)",
        "DC",
        date(2011, 5, 4),
        date(2026, 11, 20),
    )
}

#[test]
fn each_save_is_a_new_revision_naming_who_and_what_changed() {
    let (_home, mut store) = TestHome::new();
    let id = store.create_child(&sample(), "placement start").unwrap();
    let mut f = sample();
    f.description.hair = "Shaved".into();
    let rev = store.save_form(&id, &f, "new haircut").unwrap();
    assert_eq!(rev.seq, 2);
    assert_eq!(rev.kind, grabpack_store::RevisionKind::Edit);
    assert_eq!(rev.changed_paths, vec!["description.hair".to_string()]);
    assert_eq!(rev.saved_by_name, MANAGER);
    let history = store.history(&id).unwrap();
    assert_eq!(
        history.iter().map(|r| r.seq).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(store.revision_form(&id, 1).unwrap(), sample());
    let changes = store.diff(&id, 1, 2).unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].after.as_deref(), Some("Shaved"));
}

#[test]
fn reviewed_no_changes_is_stamped_as_a_revision() {
    let (_home, mut store) = TestHome::new();
    let id = store.create_child(&sample(), "").unwrap();
    let rev = store.review(&id, "monthly review").unwrap();
    assert_eq!((rev.seq, rev.kind.as_str()), (2, "review"));
    assert!(rev.changed_paths.is_empty());
    assert_eq!(store.revision_form(&id, 2).unwrap(), sample());
}

#[test]
fn an_invalid_form_is_refused_and_nothing_is_saved() {
    let (_home, mut store) = TestHome::new();
    let id = store.create_child(&sample(), "").unwrap();
    let mut f = sample();
    f.money_travel.bank_cards[0].last4 = "4929123456784821".into();
    let err = store.save_form(&id, &f, "").unwrap_err();
    assert_eq!(err.code(), "form.invalid");
    assert!(err.to_string().contains("money_travel.bank_cards[0].last4"));
    assert_eq!(store.history(&id).unwrap().len(), 1);
}

#[test]
fn revisions_cannot_be_altered_even_with_the_key() {
    let (_home, mut store) = TestHome::new();
    let id = store.create_child(&sample(), "").unwrap();
    let conn = store.connection_for_tests();
    assert!(
        conn.execute(
            "UPDATE revisions SET form_json = '{}' WHERE child_id = ?1",
            [&id]
        )
        .is_err()
    );
    assert!(
        conn.execute("DELETE FROM revisions WHERE child_id = ?1", [&id])
            .is_err()
    );
}

#[test]
fn an_archived_child_is_kept_read_only_and_leaves_the_dashboard() {
    let (_home, mut store) = TestHome::new();
    let id = store.create_child(&sample(), "").unwrap();
    assert_eq!(store.dashboard(date(2026, 11, 28)).unwrap().len(), 1);
    store.archive(&id).unwrap();
    assert!(store.dashboard(date(2026, 11, 28)).unwrap().is_empty());
    assert_eq!(
        store.save_form(&id, &sample(), "").unwrap_err().code(),
        "store.child_archived"
    );
    assert_eq!(store.child(&id).unwrap().form, sample());
}

#[test]
fn a_child_is_found_by_part_of_a_name_or_by_id() {
    let (_home, mut store) = TestHome::new();
    let id = store.create_child(&sample(), "").unwrap();
    assert_eq!(store.find_child("demo child").unwrap(), id);
    assert_eq!(store.find_child(id.short()).unwrap(), id);
    assert_eq!(
        store.find_child("nobody").unwrap_err().code(),
        "store.child_not_found"
    );
}

#[test]
fn export_then_import_gives_the_same_form_and_photos() {
    let (_home, mut store) = TestHome::new();
    let id = store.create_child(&sample(), "").unwrap();
    let jpeg = grabpack_photo::synthetic_portrait(7, 600, 800).unwrap();
    store
        .add_photo(
            &id,
            &jpeg,
            grabpack_core::PhotoKind::Face,
            Some(date(2026, 11, 1)),
        )
        .unwrap();
    let doc = store.export(&id).unwrap();
    let new_id = store.import(&doc.to_json()).unwrap();
    let (a, b) = (store.child(&id).unwrap(), store.child(&new_id).unwrap());
    assert_eq!(a.form, b.form);
    assert_eq!(a.photos.len(), 1);
    assert_eq!(
        a.photos[0].sha256, b.photos[0].sha256,
        "a clean photo is kept byte for byte"
    );
    assert_eq!(b.photos[0].taken_on, Some(date(2026, 11, 1)));
}

#[test]
fn the_dashboard_sorts_what_needs_attention_first() {
    let (_home, mut store) = TestHome::new();
    let ready = store.create_child(&sample(), "").unwrap();
    let jpeg = grabpack_photo::synthetic_portrait(1, 300, 400).unwrap();
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    store
        .add_photo(&ready, &jpeg, grabpack_core::PhotoKind::Face, Some(today))
        .unwrap();
    let mut empty = grabpack_core::ChildForm::default();
    empty.identity.legal_name = "Empty Form (fictional)".into();
    store.create_child(&empty, "").unwrap();
    let rows = store.dashboard(today).unwrap();
    assert_eq!(rows[0].legal_name, "Empty Form (fictional)");
    assert_eq!(
        rows[0].readiness.state,
        grabpack_core::ReadinessState::NotReady
    );
    assert_eq!(
        rows[1].readiness.state,
        grabpack_core::ReadinessState::Ready,
        "{:?}",
        rows[1].readiness
    );
}

/// Revisions are immutable, so an unreadable one can only come from damage. Opening that child is
/// `store.damaged` naming them; the dashboard still lists every other child, and shows this one
/// first, as damaged, instead of as an empty form.
#[test]
fn an_unreadable_revision_is_damaged_when_opened_and_flagged_on_a_dashboard_that_keeps_the_others()
{
    let (_home, mut store) = TestHome::new();
    let fine = store.create_child(&sample(), "").unwrap();
    let mut other = sample();
    other.identity.legal_name = "Second Child (fictional)".into();
    let broken = store.create_child(&other, "").unwrap();
    let conn = store.connection_for_tests();
    conn.execute_batch("DROP TRIGGER revisions_no_update")
        .unwrap();
    conn.execute(
        "UPDATE revisions SET form_json = '{not json' WHERE child_id = ?1",
        [&broken],
    )
    .unwrap();
    // The dashboard reads the card kept with each revision, not the form; a damaged record has
    // no readable card either, so the dashboard falls back to the form and finds it unreadable.
    conn.execute(
        "UPDATE child_cards SET card_json = '{not json' WHERE child_id = ?1",
        [&broken],
    )
    .unwrap();

    let err = store.child(&broken).unwrap_err();
    assert_eq!(err.code(), "store.damaged");
    assert!(err.to_string().contains(broken.as_str()), "{err}");

    let rows = store.dashboard(date(2026, 11, 25)).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0].id.as_str(), rows[0].damaged),
        (broken.as_str(), true)
    );
    assert_eq!(
        (rows[1].id.as_str(), rows[1].damaged),
        (fine.as_str(), false)
    );
    assert_eq!(rows[1].legal_name, "Demo Child (fictional)");
}

/// The dashboard's card for a child is kept with each revision so the dashboard need not parse
/// every form; a card that is missing, unreadable or made with another field table is never
/// trusted: the dashboard reads that child's form instead and shows the same card.
#[test]
fn a_dashboard_card_that_is_missing_or_unreadable_is_worked_out_from_the_form_again() {
    let (_home, mut store) = TestHome::new();
    let mut first = sample();
    first.identity.legal_name = "First Child (fictional)".into();
    first.description.height_cm = None;
    let a = store.create_child(&first, "").unwrap();
    let mut second = sample();
    second.identity.legal_name = "Second Child (fictional)".into();
    let b = store.create_child(&second, "").unwrap();
    let today = date(2026, 11, 25);
    let before = store.dashboard(today).unwrap();
    assert!(
        before.iter().any(|r| r.id == a
            && r.readiness
                .reasons
                .iter()
                .any(|x| x.message().contains("Height"))),
        "the card of a form with an empty field says so: {before:#?}"
    );

    let conn = store.connection_for_tests();
    conn.execute("DELETE FROM child_cards WHERE child_id = ?1", [&a])
        .unwrap();
    // A card made with another field table (an older build's) is not trusted, whatever it says.
    conn.execute(
        "UPDATE child_cards SET card_json = json_set(card_json, '$.table', 1, '$.legal_name', 'Stale card') WHERE child_id = ?1",
        [&b],
    )
    .unwrap();
    assert_eq!(store.dashboard(today).unwrap(), before);
    conn.execute(
        "UPDATE child_cards SET card_json = '{not json' WHERE child_id = ?1",
        [&b],
    )
    .unwrap();
    assert_eq!(store.dashboard(today).unwrap(), before);
}

/// A store from before cards (or from a build with another field table) gets every child's card
/// at the next unlock, so its dashboard is fast from then on and shows the same.
#[test]
fn cards_missing_or_from_another_field_table_are_made_again_at_unlock() {
    let (home, mut store) = TestHome::new();
    for n in 0..3 {
        let mut form = sample();
        form.identity.legal_name = format!("Child {n} (fictional)");
        store.create_child(&form, "").unwrap();
    }
    let today = date(2026, 11, 25);
    let before = store.dashboard(today).unwrap();
    let conn = store.connection_for_tests();
    conn.execute(
        "DELETE FROM child_cards WHERE rowid IN (SELECT rowid FROM child_cards LIMIT 2)",
        [],
    )
    .unwrap();
    conn.execute("UPDATE child_cards SET field_table = 1", [])
        .unwrap();
    drop(store);

    let store = home.unlock_passphrase(PASSPHRASE).unwrap();
    let current: i64 = store
        .connection_for_tests()
        .query_row(
            "SELECT count(*) FROM child_cards k JOIN children c ON c.id = k.child_id AND c.latest_seq = k.seq WHERE k.field_table != 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(current, 3, "every child has a current card again");
    assert_eq!(store.dashboard(today).unwrap(), before);
}

/// A revision saved by a version 1 build (its form JSON with the version 1 field names) is read
/// through the interchange's migration: it opens, it is what the next save is compared with, and
/// it diffs against a version 2 revision field by field, under the version 2 paths.
#[test]
fn a_revision_saved_under_version_1_opens_and_diffs_cleanly_against_version_2() {
    let (_home, mut store) = TestHome::new();
    let id = store.create_child(&sample(), "placement start").unwrap();
    // Revision 1 as a version 1 build wrote it: the old name for appearance, a place graded in
    // the police's words, none of version 2's fields.
    let mut v1 = serde_json::to_value(sample()).unwrap();
    let identity = v1["identity"].as_object_mut().unwrap();
    let appearance = identity.remove("appearance").unwrap();
    identity.insert("ethnicity_appearance".into(), appearance);
    for k in [
        "ethnicity",
        "ethnicity_own_words",
        "trafficking_concern",
        "nrm",
    ] {
        identity.remove(k).unwrap();
    }
    let placement = v1["placement"].as_object_mut().unwrap();
    for k in [
        "parental_responsibility",
        "other_professionals",
        "fostering_agency",
        "supervising_social_worker",
        "agency_out_of_hours",
    ] {
        placement.remove(k).unwrap();
    }
    v1["missing_history"]
        .as_object_mut()
        .unwrap()
        .remove("trigger_plan");
    v1["risks"].as_object_mut().unwrap().remove("wanted");
    v1["places"]["risk_assessed"][0]["risk_level"] = "very_low".into();
    v1["confirmed_none"] = serde_json::json!(["identity.ethnicity_appearance"]);
    let conn = store.connection_for_tests();
    conn.execute_batch("DROP TRIGGER revisions_no_update")
        .unwrap();
    conn.execute(
        "UPDATE revisions SET form_json = ?2 WHERE child_id = ?1 AND seq = 1",
        rusqlite::params![&id, v1.to_string()],
    )
    .unwrap();

    let read = store.child(&id).unwrap().form;
    assert_eq!(read.identity.appearance, sample().identity.appearance);
    assert_eq!(read.identity.ethnicity, None);
    assert_eq!(
        read.places.risk_assessed[0].risk_level,
        Some(grabpack_core::LocationRisk::Low)
    );
    assert!(read.confirmed_none.contains("identity.appearance"));

    // Saved again unchanged under version 2: a review, no field changed.
    let rev = store
        .save_form(&id, &read, "opened after the upgrade")
        .unwrap();
    assert_eq!(rev.kind, grabpack_store::RevisionKind::Review);
    assert_eq!(store.diff(&id, 1, 2).unwrap(), vec![]);

    // A version 2 field filled in: the one change, under its version 2 path.
    let mut filled = read.clone();
    filled.identity.ethnicity = sample().identity.ethnicity;
    let rev = store.save_form(&id, &filled, "ethnicity asked").unwrap();
    assert_eq!(rev.changed_paths, vec!["identity.ethnicity".to_string()]);
    let paths: Vec<String> = store
        .diff(&id, 1, 3)
        .unwrap()
        .into_iter()
        .map(|c| c.path)
        .collect();
    assert_eq!(paths, vec!["identity.ethnicity"]);
}
