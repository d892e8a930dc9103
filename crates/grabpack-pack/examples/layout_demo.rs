//! Writes a layout demo (every script, a long paragraph, a table, a photo) to the path given, for eyeballing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use grabpack_pack::layout::{Colour, Column, Layout, Row, RunningHeader, TextStyle};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: layout_demo OUT.pdf [photo.jpg]");
    let mut layout = Layout::new();
    if let Some(photo) = std::env::args().nth(2) {
        let jpeg = Arc::new(std::fs::read(photo).unwrap());
        layout.side_by_side(
            200.0,
            |l| {
                l.photo(jpeg, 0, 200.0, 260.0).unwrap();
                l.text("Photo taken 12 days ago", TextStyle::SMALL);
            },
            |l| {
                l.text("Łukasz Dvořák", TextStyle::TITLE);
                for (label, value) in [
                    ("Known as", "Luke, Łuki"),
                    ("Arabic", "محمد عبدالله"),
                    ("Urdu", "عائشہ خان"),
                    ("Bengali", "রহিম চৌধুরী"),
                    ("Gurmukhi", "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ"),
                    ("Gujarati", "પ્રિયા પટેલ"),
                    ("Devanagari", "अनन्या शर्मा"),
                    ("Chinese", "王小明"),
                    ("Vietnamese", "Nguyễn Thị Minh Khai"),
                    ("Greek", "Ελένη Παπαδοπούλου"),
                    ("Cyrillic", "Дмитрий Иванов"),
                    (
                        "Mixed",
                        "He calls himself محمد (Mo) at school; 王小明 is a friend",
                    ),
                ] {
                    l.label_value(label, value);
                }
            },
        );
    }
    layout.callout(
        "CRIMINAL EXPLOITATION: county lines, seen with adults of concern",
        Colour::DANGER,
    );
    layout.callout(
        "MEDICATION: insulin 4 units 3x daily. If missed: confusion within 12 hours",
        Colour::MEDICAL,
    );
    layout.heading("Places");
    let columns = [
        Column {
            heading: "Where".into(),
            share: 2.0,
        },
        Column {
            heading: "Why".into(),
            share: 2.0,
        },
        Column {
            heading: "Risk".into(),
            share: 1.0,
        },
    ];
    let rows: Vec<Row> = (0..40)
        .map(|i| Row {
            cells: vec![
                format!("{i} Mare Street, London E8 {i}XX"),
                "Friend's flat; stays overnight after arguments at home. ".repeat(i % 4 + 1),
                "High".into(),
            ],
            highlight: (i % 5 == 0).then_some(Colour::HIGHLIGHT),
        })
        .collect();
    layout.table(&columns, &rows);
    layout.heading("A long note");
    layout.text(
        &"Long note with محمد and 王小明 mixed in; ".repeat(300),
        TextStyle::BODY,
    );
    layout.text(&"x".repeat(500), TextStyle::BODY);
    let running = RunningHeader {
        marking: "OFFICIAL-SENSITIVE".into(),
        child_name: "Łukasz Dvořák".into(),
        generated_at: "2026-07-28T20:52:00Z".parse().unwrap(),
        revision: "rev-0007".into(),
        short_hash: "3f9a1c22b7e0".into(),
        title: "Grab pack demo".into(),
    };
    let started = std::time::Instant::now();
    let pdf = layout.finish(&running).unwrap();
    eprintln!("{} bytes in {:?}", pdf.len(), started.elapsed());
    std::fs::write(path, pdf).unwrap();
}
