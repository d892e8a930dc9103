//! A pack sent after the first step says on page 1 what was already done and any contact since
//! the child left (the latest few lines; the rest in Part 2), and an update says which pack it
//! replaces, without pushing the photo or the critical facts off page 1. The first pack looks as it
//! always did. All data fictional.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on unexpected input

mod common;
#[path = "common/demo.rs"]
mod demo;

use common::{normalise, pdftotext};
use demo::demo_missing;
use grabpack_pack::{EpisodeSoFar, RecordLine, UpdateMark, render_pack};
use jiff::Timestamp;

fn page_text(pdf: &[u8], page: usize) -> String {
    let p = page.to_string();
    normalise(&pdftotext(pdf, &["-f", &p, "-l", &p]))
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn line(time: &str, what: &str, who: &str, outcome: &str) -> RecordLine {
    RecordLine {
        at: at(time),
        what: what.into(),
        who: who.into(),
        outcome: outcome.into(),
    }
}

fn record() -> EpisodeSoFar {
    EpisodeSoFar {
        already_done: vec![
            line(
                "2026-11-28T21:00:00Z",
                "Searched the house and garden",
                "Sam Carer (fictional)",
                "not found",
            ),
            line(
                "2026-11-28T21:05:00Z",
                "Searched her room",
                "Sam Carer (fictional)",
                "phone charger gone",
            ),
            line(
                "2026-11-28T21:10:00Z",
                "Called her mother",
                "Sam Carer (fictional)",
                "no answer",
            ),
            line(
                "2026-11-28T21:15:00Z",
                "Checked the park on Elm Road",
                "Kim Staff (fictional)",
                "not there",
            ),
            line(
                "2026-11-28T21:20:00Z",
                "Called the school friend",
                "Kim Staff (fictional)",
                "has not seen her",
            ),
        ],
        contact_since_leaving: vec![line(
            "2026-11-28T21:30:00Z",
            "Call",
            "Amara (fictional)",
            "rang the home, would not say where she is",
        )],
        update: Some(UpdateMark {
            number: 2,
            replaces_sent_at: at("2026-11-28T21:12:00Z"),
        }),
    }
}

#[test]
fn a_later_pack_says_on_page_one_what_was_done_and_the_contact_since_leaving() {
    let mut input = demo_missing(3);
    input.so_far = record();
    let pack = render_pack(&input).unwrap();
    let page1 = page_text(&pack.pdf, 1);
    for expected in [
        "UPDATE 2: replaces the pack sent at 28 Nov 2026 21:12 GMT (21:12 UTC)",
        "Already done, and contact since leaving",
        "21:30 Contact: Call: rang the home, would not say where she is (Amara (fictional))",
        "21:20 Done: Called the school friend: has not seen her (Kim Staff (fictional))",
        "Contact does not mean the child is not missing. 4 more, and the whole record, in Part 2.",
        // The photo's caption and the facts an officer needs first stay on page 1.
        "Face photo, taken 16 Nov 2026",
        "Amara Okafor-Reyes",
        "SEXUAL EXPLOITATION: Suspected",
        "MEDICATION: Salbutamol inhaler",
        "CAD 6612/28NOV",
        "Black puffer jacket, grey joggers",
        "Most likely places to look",
    ] {
        assert!(
            page1.contains(expected),
            "page 1 lacks {expected:?}:\n{page1}"
        );
    }
    for older in [
        "Checked the park on Elm Road",
        "Searched the house and garden",
    ] {
        assert!(
            !page1.contains(older),
            "only the latest lines on page 1:\n{page1}"
        );
    }
    let all = normalise(&pdftotext(&pack.pdf, &[]));
    for in_part_two in [
        "Already done (from the episode record)",
        "Contact since leaving (contact does not mean the child is not missing)",
        "Searched the house and garden",
        "phone charger gone",
    ] {
        assert!(all.contains(in_part_two), "the pack lacks {in_part_two:?}");
    }
}

#[test]
fn the_first_pack_has_no_record_block_and_looks_as_it_always_did() {
    let first = render_pack(&demo_missing(3)).unwrap();
    let page1 = page_text(&first.pdf, 1);
    for absent in ["Already done", "Contact since leaving", "UPDATE"] {
        assert!(
            !page1.contains(absent),
            "{absent:?} on a first pack:\n{page1}"
        );
    }
    let mut later = demo_missing(3);
    later.so_far = record();
    let later = render_pack(&later).unwrap();
    assert_ne!(
        first.content_hash, later.content_hash,
        "the printed hash tells the two packs apart"
    );
}
