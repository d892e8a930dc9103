//! Part 2: this episode, written when the child went missing. Not part of the field table (it is
//! not the child's profile and has no "do not share"): every fact the carer recorded is printed,
//! then what was already done and who was told, each in time order.

use grabpack_core::form::*;
use jiff::Timestamp;

use super::{join, table_title};
use crate::layout::{Column, Layout, Row, uk_and_utc};

pub(super) fn part_two(e: &Part2, layout: &mut Layout) {
    layout.heading("Part 2: this episode");
    summary(e, layout);
    actions(e, layout);
    notifications(e, layout);
}

fn summary(e: &Part2, layout: &mut Layout) {
    let at = |t: Option<Timestamp>| t.map(uk_and_utc).unwrap_or_default();
    layout.label_value("Absence noticed", &at(e.absence_noticed_at));
    layout.label_value("Last seen", &at(e.last_seen_at));
    layout.label_value("Where last seen", &e.last_seen_where);
    layout.label_value("Seen by", &e.last_seen_by);
    layout.label_value("Clothing, items worn", &e.clothing);
    layout.label_value("Who with", &e.who_with);
    layout.label_value("Direction, transport", &e.direction_transport);
    layout.label_value("Intended destination", &e.intended_destination);
    layout.label_value("Taken with them", &taken_text(&e.taken));
    layout.label_value("Circumstances, trigger, mood", &e.circumstances);
    let view = join(
        [
            e.carer_risk_view
                .map(RiskGrading::label)
                .unwrap_or_default(),
            &e.carer_risk_reasons,
        ],
        ": ",
    );
    layout.label_value("Carer's view of risk", &view);
    layout.label_value("Reporting person", &e.reporting_person);
    layout.label_value("Call-back number", &e.call_back_number);
}

fn column(heading: &str, share: f32) -> Column {
    Column {
        heading: heading.into(),
        share,
    }
}

fn actions(e: &Part2, layout: &mut Layout) {
    if e.actions_taken.is_empty() {
        return;
    }
    table_title(layout, "Actions already taken");
    let mut actions: Vec<&ActionTaken> = e.actions_taken.iter().collect();
    actions.sort_by_key(|a| a.at);
    let rows: Vec<Row> = actions
        .iter()
        .map(|a| Row {
            cells: vec![uk_and_utc(a.at), a.action.clone(), a.outcome.clone()],
            highlight: None,
        })
        .collect();
    let columns = [
        column("Time", 1.1),
        column("Action", 1.6),
        column("Outcome", 1.6),
    ];
    layout.table(&columns, &rows);
}

fn notifications(e: &Part2, layout: &mut Layout) {
    if e.notifications.is_empty() {
        return;
    }
    table_title(layout, "Notifications made");
    let rows: Vec<Row> = e
        .notifications
        .iter()
        .map(|n| Row {
            cells: vec![
                uk_and_utc(n.at),
                notified_label(n.to).to_owned(),
                n.reference.clone(),
                join([n.officer_name.as_str(), &n.collar_number], " "),
            ],
            highlight: None,
        })
        .collect();
    let columns = [
        column("Time", 1.1),
        column("Who", 0.9),
        column("Reference", 1.2),
        column("Officer, collar number", 1.1),
    ];
    layout.table(&columns, &rows);
}

/// What the child took, in words ("phone, money, no medication").
pub(crate) fn taken_text(t: &TakenItems) -> String {
    let mut items = Vec::new();
    for (label, v) in [
        ("phone", t.phone),
        ("money", t.money),
        ("bank cards", t.bank_cards),
        ("passport", t.passport),
        ("medication", t.medication),
    ] {
        match v {
            Some(true) => items.push(label.to_owned()),
            Some(false) => items.push(format!("no {label}")),
            None => {}
        }
    }
    if !t.other.trim().is_empty() {
        items.push(t.other.trim().to_owned());
    }
    items.join(", ")
}

pub(crate) fn notified_label(p: NotifiedParty) -> &'static str {
    match p {
        NotifiedParty::Police => "Police",
        NotifiedParty::SocialWorker => "Social worker",
        NotifiedParty::OutOfHours => "Out of hours (EDT)",
        NotifiedParty::Manager => "Manager",
        NotifiedParty::Ofsted => "Ofsted",
        NotifiedParty::Parent => "Parent",
        NotifiedParty::Other => "Other",
    }
}
