//! Whatever a carer types, the pack engine gives a PDF qpdf accepts, and never panics.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on unexpected input

mod common;

use common::assert_qpdf_accepts;
use grabpack_pack::layout::{Colour, Column, Layout, Row, RunningHeader, TextStyle};
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "Łukasz Dvořák",
    "Nguyễn Thị Minh Khai",
    "Ελένη",
    "Дмитрий",
    "محمد عبدالله",
    "عائشہ خان",
    "রহিম চৌধুরী",
    "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ",
    "પ્રિયા પટેલ",
    "अनन्या शर्मा",
    "王小明",
    "07700 900123",
    " ",
    "\n",
    "\t",
    "\u{200D}",
    "\u{202E}",
    "😀",
    "à̧̛",
    "—",
    "Supercalifragilisticexpialidocious",
    "",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat()),
        (prop::sample::select(PIECES), 1usize..2_000).prop_map(|(p, n)| p
            .repeat(n)
            .chars()
            .take(20_000)
            .collect()),
        ".{0,80}",
    ]
}

/// Table cells: every script and odd characters, but short (the 20,000-character case is the notes).
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        prop::collection::vec(prop::sample::select(PIECES), 0..12).prop_map(|v| v.concat()),
        ".{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]
    #[test]
    fn extreme_documents_always_give_a_valid_pdf(
        name in text(),
        paragraphs in prop::collection::vec(text(), 0..4),
        rows in prop::collection::vec(prop::collection::vec(cell(), 0..4), 0..=60),
    ) {
        let mut layout = Layout::new();
        layout.text(&name, TextStyle::TITLE);
        for p in &paragraphs {
            layout.heading(p);
            layout.label_value(p, p);
            layout.callout(p, Colour::DANGER);
            layout.text(p, TextStyle::BODY);
        }
        let columns = [
            Column { heading: "Name".into(), share: 1.0 },
            Column { heading: name.clone(), share: 2.0 },
            Column { heading: "Risk".into(), share: 1.0 },
        ];
        let rows: Vec<Row> = rows.into_iter().map(|cells| Row { cells, highlight: Some(Colour::HIGHLIGHT) }).collect();
        layout.table(&columns, &rows);
        let running = RunningHeader {
            marking: name.clone(),
            child_name: name.clone(),
            generated_at: "2026-11-28T20:52:00Z".parse().unwrap(),
            revision: name.clone(),
            short_hash: "abc".into(),
            title: name,
        };
        let pdf = layout.finish(&running).unwrap();
        assert_qpdf_accepts(&pdf);
    }
}
