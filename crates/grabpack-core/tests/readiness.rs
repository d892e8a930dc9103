//! Readiness is what the dashboard shows; these tests pin down each reason and each state.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use grabpack_core::readiness::{PhotoFact, ReadinessReason, assess, describe_age};
use grabpack_core::sample::complete_form;
use grabpack_core::*;
use jiff::civil::{Date, date};

const TODAY: Date = date(2026, 11, 28);

fn fresh_facts() -> ReadinessFacts {
    ReadinessFacts {
        photos: vec![PhotoFact {
            kind: PhotoKind::Face,
            taken_on: Some(date(2026, 11, 1)),
        }],
        last_reviewed: Some(date(2026, 11, 20)),
        last_episode_closed: None,
    }
}

fn form() -> ChildForm {
    complete_form("Demo Child", "DC", date(2011, 5, 4), date(2026, 11, 20))
}

fn codes(r: &Readiness) -> Vec<&'static str> {
    r.reasons.iter().map(ReadinessReason::code).collect()
}

#[test]
fn a_complete_form_with_a_recent_photo_and_review_is_ready() {
    let r = assess(
        &form(),
        &fresh_facts(),
        &ReadinessSettings::default(),
        TODAY,
    );
    let high_empty: Vec<_> = r.reasons.iter().map(|r| r.message()).collect();
    assert_eq!(r.state, ReadinessState::Ready, "reasons: {high_empty:?}");
    assert!(r.reasons.is_empty());
}

#[test]
fn an_empty_critical_field_makes_the_pack_not_ready_and_names_the_field() {
    let mut f = form();
    f.identity.date_of_birth = None;
    f.phones_online.mobiles.clear();
    let r = assess(&f, &fresh_facts(), &ReadinessSettings::default(), TODAY);
    assert_eq!(r.state, ReadinessState::NotReady);
    assert_eq!(r.critical_missing(), 2);
    assert!(r.reasons.contains(&ReadinessReason::MissingCritical {
        path: "identity.date_of_birth",
        label: "Date of birth"
    }));
}

#[test]
fn confirming_there_is_nothing_to_record_answers_a_critical_field() {
    let mut f = form();
    f.description.marks.clear();
    f.confirmed_none.insert("description.marks".into());
    let r = assess(&f, &fresh_facts(), &ReadinessSettings::default(), TODAY);
    assert_eq!(r.state, ReadinessState::Ready, "{:?}", codes(&r));
}

#[test]
fn no_face_photo_is_not_ready() {
    let mut facts = fresh_facts();
    facts.photos[0].kind = PhotoKind::FullLength;
    let r = assess(&form(), &facts, &ReadinessSettings::default(), TODAY);
    assert_eq!(r.state, ReadinessState::NotReady);
    assert_eq!(codes(&r), vec!["readiness.no_face_photo"]);
}

#[test]
fn a_photo_older_than_the_homes_limit_needs_attention_but_does_not_block() {
    let mut facts = fresh_facts();
    facts.photos[0].taken_on = Some(date(2026, 7, 20));
    let r = assess(&form(), &facts, &ReadinessSettings::default(), TODAY);
    assert_eq!(r.state, ReadinessState::Attention);
    assert_eq!(
        r.reasons,
        vec![ReadinessReason::PhotoStale {
            age_days: 131,
            limit_days: 90
        }]
    );
    assert_eq!(r.reasons[0].message(), "Photo 4 months old");
}

#[test]
fn the_photo_age_limit_is_a_setting() {
    let mut facts = fresh_facts();
    facts.photos[0].taken_on = Some(date(2026, 10, 1));
    let strict = ReadinessSettings {
        photo_max_age_days: 30,
        ..ReadinessSettings::default()
    };
    assert_eq!(
        assess(&form(), &facts, &ReadinessSettings::default(), TODAY).state,
        ReadinessState::Ready
    );
    assert_eq!(
        assess(&form(), &facts, &strict, TODAY).state,
        ReadinessState::Attention
    );
}

#[test]
fn an_overdue_review_warns_with_the_days_overdue() {
    let mut facts = fresh_facts();
    facts.last_reviewed = Some(date(2026, 10, 23));
    let r = assess(&form(), &facts, &ReadinessSettings::default(), TODAY);
    assert_eq!(r.state, ReadinessState::Attention);
    assert_eq!(
        r.reasons,
        vec![ReadinessReason::ReviewOverdue { days_overdue: 6 }]
    );
    assert_eq!(r.reasons[0].message(), "Review overdue 6 days");
}

#[test]
fn a_review_is_due_after_every_missing_episode() {
    let mut facts = fresh_facts();
    facts.last_episode_closed = Some(date(2026, 11, 25));
    let r = assess(&form(), &facts, &ReadinessSettings::default(), TODAY);
    assert_eq!(codes(&r), vec!["readiness.review_after_episode"]);
}

#[test]
fn empty_high_fields_need_attention() {
    let mut f = form();
    f.health.allergies.clear();
    let r = assess(&f, &fresh_facts(), &ReadinessSettings::default(), TODAY);
    assert_eq!(r.state, ReadinessState::Attention);
    assert_eq!(codes(&r), vec!["readiness.high_empty"]);
}

#[test]
fn blocking_reasons_are_listed_before_attention_reasons() {
    let mut f = form();
    f.health.allergies.clear();
    f.identity.legal_name.clear();
    let r = assess(&f, &fresh_facts(), &ReadinessSettings::default(), TODAY);
    assert_eq!(
        codes(&r),
        vec!["readiness.missing_critical", "readiness.high_empty"]
    );
}

#[test]
fn ages_read_the_way_a_carer_says_them() {
    assert_eq!(describe_age(12), "12 days");
    assert_eq!(describe_age(1), "1 day");
    assert_eq!(describe_age(125), "4 months");
    assert_eq!(describe_age(800), "2 years");
}

#[test]
fn every_field_path_in_the_table_is_unique_and_names_a_real_field() {
    let mut seen = std::collections::BTreeSet::new();
    let json = serde_json::to_value(ChildForm::default()).unwrap();
    for f in FIELDS {
        assert!(seen.insert(f.path), "duplicate {}", f.path);
        let top = f.path.split('.').next().unwrap();
        assert!(
            json.get(top).is_some(),
            "{} is not a group of the form",
            f.path
        );
    }
    assert_eq!(
        grabpack_core::fields::priority_of("people.associates[3].name"),
        Some(Priority::Critical)
    );
}

// ---- Priorities by placement type --------------------------------------------------------------

fn critical_paths(form: &ChildForm) -> Vec<&'static str> {
    assess(form, &fresh_facts(), &ReadinessSettings::default(), TODAY)
        .reasons
        .iter()
        .filter_map(|r| match r {
            ReadinessReason::MissingCritical { path, .. } => Some(*path),
            _ => None,
        })
        .collect()
}

/// The sample child with the placement-specific contacts all left empty.
fn without_placement_contacts(placement: PlacementType) -> ChildForm {
    let mut f = form();
    f.placement.placement_type = Some(placement);
    f.placement.registered_manager = Contact::default();
    f.placement.host_council.clear();
    f.placement.fostering_agency = Contact::default();
    f.placement.supervising_social_worker = Professional::default();
    f.placement.agency_out_of_hours = Contact::default();
    f
}

#[test]
fn a_childrens_home_is_not_ready_without_its_registered_manager_and_host_council() {
    assert_eq!(
        critical_paths(&without_placement_contacts(PlacementType::ChildrensHome)),
        vec!["placement.registered_manager", "placement.host_council"]
    );
}

#[test]
fn a_foster_placement_is_not_ready_without_the_fostering_agencys_contacts_instead() {
    let f = without_placement_contacts(PlacementType::FosterCare);
    assert_eq!(
        critical_paths(&f),
        vec![
            "placement.fostering_agency",
            "placement.supervising_social_worker",
            "placement.agency_out_of_hours",
        ]
    );
    // The host council still warns; a registered manager is not asked for.
    let high: Vec<&str> = assess(&f, &fresh_facts(), &ReadinessSettings::default(), TODAY)
        .reasons
        .iter()
        .filter_map(|r| match r {
            ReadinessReason::HighEmpty { path, .. } => Some(*path),
            _ => None,
        })
        .collect();
    assert!(high.contains(&"placement.host_council"), "{high:?}");
    assert!(!high.contains(&"placement.registered_manager"), "{high:?}");
}

#[test]
fn a_foster_placement_with_the_agencys_contacts_is_ready_without_a_registered_manager() {
    let mut f = without_placement_contacts(PlacementType::FosterCare);
    f.placement.host_council = "Exampleton (fictional)".into();
    f.placement.fostering_agency = Contact {
        name: "Brightside Fostering (fictional)".into(),
        phone: "020 7946 0010".into(),
        email: String::new(),
    };
    f.placement.supervising_social_worker = Professional {
        name: "Chris Okafor (fictional)".into(),
        phone: "020 7946 0011".into(),
        ..Professional::default()
    };
    f.placement.agency_out_of_hours = Contact {
        phone: "020 7946 0012".into(),
        ..Contact::default()
    };
    let r = assess(&f, &fresh_facts(), &ReadinessSettings::default(), TODAY);
    let reasons: Vec<String> = r.reasons.iter().map(ReadinessReason::message).collect();
    assert_eq!(r.state, ReadinessState::Ready, "{reasons:?}");
}

#[test]
fn before_the_placement_type_is_chosen_the_tables_own_priority_applies() {
    let spec = grabpack_core::fields::field("placement.registered_manager").unwrap();
    assert_eq!(spec.priority_for(None), Priority::Critical);
    assert_eq!(
        spec.priority_for(Some(PlacementType::ChildrensHome)),
        Priority::Critical
    );
    assert_eq!(
        spec.priority_for(Some(PlacementType::FosterCare)),
        Priority::Optional
    );
    let agency = grabpack_core::fields::field("placement.fostering_agency").unwrap();
    assert_eq!(agency.priority_for(None), Priority::Optional);
}

/// The dashboard keeps each revision's gaps and works them out again only when the table's
/// fingerprint changes: a change of priority for one placement type must change it.
#[test]
fn a_placement_priority_changed_in_the_table_changes_its_fingerprint() {
    use grabpack_core::readiness::{field_table_fingerprint, fingerprint_of};
    let table: Vec<FieldSpec> = FIELDS.to_vec();
    assert_eq!(fingerprint_of(&table), field_table_fingerprint());
    let manager = table
        .iter()
        .position(|f| f.path == "placement.registered_manager")
        .unwrap();
    let mut changed = table.clone();
    changed[manager] =
        changed[manager].for_placements(&[(PlacementType::FosterCare, Priority::High)]);
    assert_ne!(fingerprint_of(&changed), fingerprint_of(&table));
    let mut dropped = table.clone();
    dropped[manager] = dropped[manager].for_placements(&[]);
    assert_ne!(fingerprint_of(&dropped), fingerprint_of(&table));
}
