//! The fictional demo child's pack input, shared by the pack tests and the benchmark.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // shared by several test crates; fails loudly

use std::sync::Arc;

use grabpack_core::form::*;
use grabpack_core::sample::complete_form;
use grabpack_pack::{PackInput, PackPhoto};

use crate::common::TEST_NAMES;
use jiff::civil::date;

/// Generated-at time used throughout: 28 Nov 2026 20:52 UTC.
pub fn generated_at() -> jiff::Timestamp {
    "2026-11-28T20:52:00Z".parse().unwrap()
}

/// A cartoon portrait (never a real child) from grabpack-photo, as a pack photo.
pub fn photo(seed: u64, kind: PhotoKind, taken_on: jiff::civil::Date) -> PackPhoto {
    PackPhoto {
        jpeg: Arc::new(grabpack_photo::synthetic_portrait(seed, 900, 1200).unwrap()),
        kind,
        taken_on: Some(taken_on),
    }
}

/// The demo child, with `photos` photos (the newest face photo taken 12 days before the pack).
pub fn demo_input(photos: usize) -> PackInput {
    let form = complete_form(
        "Amara Okafor-Reyes",
        "Mara",
        date(2011, 3, 3),
        date(2026, 11, 20),
    );
    let mut input = PackInput::new(form, "rev-0007", generated_at());
    let kinds = [
        PhotoKind::FullLength,
        PhotoKind::Face,
        PhotoKind::Mark,
        PhotoKind::Face,
        PhotoKind::FullLength,
        PhotoKind::Mark,
    ];
    for i in 0..photos {
        // Index 1 is the newest face photo (16 Nov 2026); the others are older.
        let taken = if i == 1 || photos == 1 {
            date(2026, 11, 16)
        } else {
            date(2026, 9, 1 + i as i8)
        };
        let kind = if photos == 1 {
            PhotoKind::Face
        } else {
            kinds[i % kinds.len()]
        };
        input.photos.push(photo(i as u64 + 1, kind, taken));
    }
    input
}

/// The demo child while missing: Part 2 with actions and a police reference.
pub fn demo_missing(photos: usize) -> PackInput {
    let mut input = demo_input(photos);
    let t = |s: &str| -> jiff::Timestamp { s.parse().unwrap() };
    input.episode = Some(Part2 {
        absence_noticed_at: Some(t("2026-11-28T19:40:00Z")),
        last_seen_at: Some(t("2026-11-28T18:15:00Z")),
        last_seen_where: "Kitchen at Maple House".into(),
        last_seen_by: "Sam Carter (keyworker)".into(),
        clothing: "Black puffer jacket, grey joggers, white Nike trainers, small pink backpack"
            .into(),
        who_with: "Alone; a silver hatchback was seen outside at 18:10".into(),
        direction_transport: "Walked towards Mare Street buses".into(),
        intended_destination: "Possibly mother's address, SE15".into(),
        taken: TakenItems {
            phone: Some(true),
            money: Some(true),
            medication: Some(false),
            ..TakenItems::default()
        },
        circumstances: "Upset after a cancelled contact visit.".into(),
        carer_risk_view: Some(RiskGrading::High),
        carer_risk_reasons: "Suspected CSE; without her inhaler".into(),
        actions_taken: vec![
            ActionTaken {
                at: t("2026-11-28T19:45:00Z"),
                action: "Searched the home and garden".into(),
                outcome: "Not found".into(),
            },
            ActionTaken {
                at: t("2026-11-28T19:50:00Z"),
                action: "Called and texted her mobile".into(),
                outcome: "Phone switched off".into(),
            },
        ],
        notifications: vec![Notification {
            to: NotifiedParty::Police,
            at: t("2026-11-28T20:05:00Z"),
            reference: "CAD 6612/28NOV".into(),
            officer_name: "PC Example".into(),
            collar_number: "1234AB".into(),
        }],
        reporting_person: "Sam Carter".into(),
        call_back_number: "020 7946 0000".into(),
    });
    input
}

/// The extreme child: every list long, every note 20,000 characters, names in every script.
pub fn extreme_input(
    note_len: usize,
    associates: usize,
    places: usize,
    name_index: usize,
) -> PackInput {
    let mut input = demo_missing(3);
    let names: Vec<&str> = TEST_NAMES.iter().map(|(_, n, _)| *n).collect();
    let note: String = names.join(" ").chars().cycle().take(note_len).collect();
    let f = &mut input.form;
    f.identity.legal_name = names[name_index % names.len()].to_owned();
    f.identity.known_as = names.iter().map(|n| (*n).to_owned()).collect();
    f.health.mental_health = note.clone();
    f.risks.sexual_exploitation.note = note.clone();
    f.administration.child_contribution = note.clone();
    f.people.associates = (0..associates)
        .map(|i| Person {
            name: format!("{} {i}", names[i % names.len()]),
            relationship: "Associate".into(),
            phones: vec![format!("07700 9{i:05}")],
            of_concern: i % 2 == 0,
            risk_note: note.chars().take(300).collect(),
            ..Person::default()
        })
        .collect();
    f.places.frequented = (0..places)
        .map(|i| Place {
            name: format!("{} place {i}", names[i % names.len()]),
            why: note.chars().take(200).collect(),
            ..Place::default()
        })
        .collect();
    if let Some(e) = input.episode.as_mut() {
        e.circumstances = note;
    }
    input
}
