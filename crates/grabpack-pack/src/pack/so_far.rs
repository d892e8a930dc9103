//! What the episode record says so far, for every pack sent after the first step: the officer who
//! opens a later pack must not repeat what the home already did, and must see that a call or a
//! sighting happened (contact does not mean the child is not missing).
//!
//! Why a block of its own: page 1 is read in 30 seconds on a phone. The first pack looks exactly as
//! it did (no record yet); a later pack adds a compact block of the latest few lines, and the whole
//! record is printed in Part 2. Nothing here reads the form, so "do not share" is not bypassed.

use jiff::Timestamp;

use super::{cut, join, table_title};
use crate::layout::{Colour, Column, Layout, Row, TextStyle, uk_and_utc};

/// At most this many record lines on page 1 (the latest contact, the latest thing done); the
/// rest are in Part 2.
pub const PAGE_ONE_LINES: usize = 2;

/// One thing the record holds: when, what, who did or reported it, and what came of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordLine {
    pub at: Timestamp,
    pub what: String,
    pub who: String,
    pub outcome: String,
}

/// A pack sent to replace an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpdateMark {
    /// 1 for the first update after the pack.
    pub number: u32,
    /// When the pack it replaces was queued.
    pub replaces_sent_at: Timestamp,
}

/// The episode record as a later pack prints it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EpisodeSoFar {
    /// Checklist steps, places checked, people called, information passed to police.
    pub already_done: Vec<RecordLine>,
    /// Calls, messages and sightings since the child left.
    pub contact_since_leaving: Vec<RecordLine>,
    /// Set when this pack is an update.
    pub update: Option<UpdateMark>,
}

impl EpisodeSoFar {
    /// Nothing to print: the pack looks as the first pack does.
    pub fn is_empty(&self) -> bool {
        self.already_done.is_empty()
            && self.contact_since_leaving.is_empty()
            && self.update.is_none()
    }
}

/// "Update N: replaces the pack sent at …", at the very top of page 1.
pub(super) fn update_banner(so_far: &EpisodeSoFar, layout: &mut Layout) {
    if let Some(mark) = so_far.update {
        layout.callout(&update_words(mark), Colour::MARKING);
    }
}

/// The words of the update banner (also the email's subject line uses its number).
pub fn update_words(mark: UpdateMark) -> String {
    format!(
        "UPDATE {}: replaces the pack sent at {}",
        mark.number,
        uk_and_utc(mark.replaces_sent_at)
    )
}

fn line_text(l: &RecordLine, limit: usize) -> String {
    let who = if l.who.trim().is_empty() {
        String::new()
    } else {
        format!("({})", l.who.trim())
    };
    let text = join([l.what.trim(), l.outcome.trim()], ": ");
    cut(&join([text.as_str(), &who], " "), limit)
}

fn newest_first(lines: &[RecordLine]) -> Vec<&RecordLine> {
    let mut v: Vec<&RecordLine> = lines.iter().collect();
    v.sort_by_key(|l| std::cmp::Reverse(l.at));
    v
}

fn hhmm(at: Timestamp) -> String {
    at.in_tz("Europe/London")
        .map(|z| z.strftime("%H:%M").to_string())
        .unwrap_or_else(|_| at.strftime("%H:%M UTC").to_string())
}

/// The compact block on page 1, under "missing now": the latest contact and the latest thing
/// done ([`PAGE_ONE_LINES`] lines at most), then how many more are in Part 2. Four lines at most,
/// so the photo and the critical facts above it never move; the places to look and the contacts
/// below may continue on page 2 on a full page, as any long page 1 does.
pub(super) fn page_one_block(so_far: &EpisodeSoFar, limit: usize, layout: &mut Layout) {
    let done = newest_first(&so_far.already_done);
    let contact = newest_first(&so_far.contact_since_leaving);
    if done.is_empty() && contact.is_empty() {
        return;
    }
    layout.space(4.0);
    layout.text(
        "Already done, and contact since leaving",
        TextStyle::SUBHEADING,
    );
    let shown: Vec<(&str, &RecordLine)> = contact
        .first()
        .map(|c| ("Contact", *c))
        .into_iter()
        .chain(done.first().map(|d| ("Done", *d)))
        .take(PAGE_ONE_LINES)
        .collect();
    for (kind, l) in &shown {
        layout.label_value(&hhmm(l.at), &format!("{kind}: {}", line_text(l, limit)));
    }
    let total = done.len() + contact.len();
    let rest = if shown.len() < total {
        format!(
            " {} more, and the whole record, in Part 2.",
            total - shown.len()
        )
    } else {
        " The whole record is in Part 2.".to_owned()
    };
    layout.text(
        &format!("Contact does not mean the child is not missing.{rest}"),
        TextStyle::SMALL,
    );
}

fn column(heading: &str, share: f32) -> Column {
    Column {
        heading: heading.into(),
        share,
    }
}

fn table(title: &str, lines: &[RecordLine], layout: &mut Layout) {
    if lines.is_empty() {
        return;
    }
    table_title(layout, title);
    let mut sorted: Vec<&RecordLine> = lines.iter().collect();
    sorted.sort_by_key(|l| l.at);
    let rows: Vec<Row> = sorted
        .iter()
        .map(|l| Row {
            cells: vec![
                uk_and_utc(l.at),
                l.what.clone(),
                l.who.clone(),
                l.outcome.clone(),
            ],
            highlight: None,
        })
        .collect();
    let columns = [
        column("Time", 1.1),
        column("What", 1.5),
        column("Who", 0.9),
        column("Outcome", 1.5),
    ];
    layout.table(&columns, &rows);
}

/// The whole record, in time order, in Part 2.
pub(super) fn part_two_tables(so_far: &EpisodeSoFar, layout: &mut Layout) {
    table(
        "Already done (from the episode record)",
        &so_far.already_done,
        layout,
    );
    table(
        "Contact since leaving (contact does not mean the child is not missing)",
        &so_far.contact_since_leaving,
        layout,
    );
}
