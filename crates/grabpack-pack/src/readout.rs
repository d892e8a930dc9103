//! The plain-text read-out: page 1's facts in the order a 101 call handler asks for them, for the
//! screen during the call and for pasting into an online report.
//!
//! Same facts, same "do not share" rules as the PDF (both read the same private `pack::Facts`, which
//! reads every field through the field table), so what the carer says on the phone never
//! contradicts the pack the police receive, and a withheld field is not read out either.

use crate::layout::uk_and_utc;
use crate::pack::{Facts, PackInput, join, taken_text};

/// Missing People's number and what the police can ask it to do; always the read-out's last line.
pub const MISSING_PEOPLE_LINE: &str = "Missing People: 116 000 (call or text, free, 24 hours). Police can ask Missing People to send the child a \"text safe\" message.";

/// The read-out of the page-1 facts, one fact per line.
pub fn readout(input: &PackInput) -> String {
    let facts = Facts::new(input);
    let mut lines: Vec<String> = Vec::new();
    let mut line = |label: &str, value: Option<String>| {
        if let Some(v) = value
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|v| !v.is_empty())
        {
            lines.push(format!("{label}: {v}"));
        }
    };
    let missing = input.episode.is_some();
    line(
        "Report",
        Some(if missing {
            "A looked-after child is missing from care. A Philomena Protocol grab pack is ready to send.".to_owned()
        } else {
            "Philomena Protocol grab pack for a looked-after child.".to_owned()
        }),
    );
    line("Police reference", facts.police_reference());
    if let Some(e) = &input.episode {
        line(
            "Reporting person",
            Some(join(
                [e.reporting_person.as_str(), &e.call_back_number],
                ", call back on ",
            )),
        );
    }
    line("Name", Some(facts.name()));
    line("Known as", facts.text_of("identity.known_as"));
    line("Age", facts.age_and_birth());
    line("Gender", facts.text_of("identity.gender"));
    line("Lives at (placement)", facts.text_of("placement.address"));
    line(
        "Home, 24/7 number",
        facts.text_of("placement.home_phone_24h"),
    );
    if let Some(e) = &input.episode {
        line("Last seen", e.last_seen_at.map(uk_and_utc));
        line(
            "Last seen at",
            Some(join(
                [e.last_seen_where.as_str(), &e.last_seen_by],
                ", seen by ",
            )),
        );
        line("Absence noticed", e.absence_noticed_at.map(uk_and_utc));
        line("Wearing", Some(e.clothing.clone()));
        line("With", Some(e.who_with.clone()));
        line(
            "Heading",
            Some(join(
                [e.direction_transport.as_str(), &e.intended_destination],
                "; ",
            )),
        );
        line("Took", Some(taken_text(&e.taken)));
        line(
            "Carer's view of risk",
            Some(join(
                [
                    e.carer_risk_view.map(|r| r.label()).unwrap_or_default(),
                    &e.carer_risk_reasons,
                ],
                ": ",
            )),
        );
    }
    for (label, path) in [
        ("Height", "description.height_cm"),
        ("Build", "description.build"),
        ("Hair", "description.hair"),
        ("Facial hair", "description.facial_hair"),
        ("Eyes", "description.eyes"),
        ("Appearance", "identity.appearance"),
        ("Marks", "description.marks"),
    ] {
        line(label, facts.text_of(path));
    }
    for (text, _) in facts.critical_labels() {
        line("Risk", Some(text));
    }
    line("Mobile", facts.mobiles());
    for (i, place) in facts.places_to_look().into_iter().enumerate() {
        line(&format!("Place to look {}", i + 1), Some(place));
    }
    line("Social worker", facts.text_of("placement.social_worker"));
    line(
        "Out of hours (EDT)",
        facts.text_of("placement.out_of_hours"),
    );
    lines.push(MISSING_PEOPLE_LINE.to_owned());
    lines.join("\n") + "\n"
}
