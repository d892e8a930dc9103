//! Long content paginates cleanly: nothing runs off a page, nothing is drawn over a photo.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on unexpected input

mod common;

use std::sync::Arc;

use common::{assert_qpdf_accepts, normalise, page_count, pdftotext, test_jpeg};
use grabpack_pack::layout::{
    BODY_BOTTOM, BODY_TOP, BODY_WIDTH, BoxKind, Column, DrawnBox, Layout, MARGIN_X, PAGE_WIDTH,
    Row, RunningHeader, TextStyle, wrap,
};

fn running() -> RunningHeader {
    RunningHeader {
        marking: "OFFICIAL-SENSITIVE".into(),
        child_name: "Nguyễn Thị Minh Khai".into(),
        generated_at: "2026-03-29T00:30:00Z".parse().unwrap(),
        revision: "rev-0042".into(),
        short_hash: "0123456789ab".into(),
        title: "test".into(),
    }
}

fn assert_inside_body(boxes: &[DrawnBox]) {
    for b in boxes.iter().filter(|b| b.kind != BoxKind::Fill) {
        assert!(
            b.x >= MARGIN_X - 0.01 && b.x + b.w <= PAGE_WIDTH - MARGIN_X + 0.01,
            "off the page sideways: {b:?}"
        );
        assert!(
            b.y >= BODY_TOP - 0.01 && b.y + b.h <= BODY_BOTTOM + 0.01,
            "over the header or footer: {b:?}"
        );
    }
}

fn assert_nothing_over_photos(boxes: &[DrawnBox]) {
    for photo in boxes.iter().filter(|b| b.kind == BoxKind::Photo) {
        for b in boxes
            .iter()
            .filter(|b| b.page == photo.page && b.kind != BoxKind::Photo)
        {
            let overlaps = b.x < photo.x + photo.w - 0.01
                && photo.x < b.x + b.w - 0.01
                && b.y < photo.y + photo.h - 0.01
                && photo.y < b.y + b.h - 0.01;
            assert!(!overlaps, "{b:?} is drawn over the photo {photo:?}");
        }
    }
}

#[test]
fn every_wrapped_line_fits_its_column_in_every_script() {
    let text =
        "Łukasz Dvořák محمد عبدالله রহিম চৌধুরী ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ પ્રિયા પટેલ अनन्या शर्मा 王小明王小明王小明 "
            .repeat(40);
    for width in [60.0, 150.0, BODY_WIDTH] {
        for line in wrap(&text, &TextStyle::BODY, width) {
            assert!(
                line.width <= width + 0.5,
                "{} wider than {width}: {}",
                line.width,
                line.text
            );
        }
    }
}

#[test]
fn a_word_longer_than_the_line_is_broken_not_cut() {
    let word = "Wolverhampton".repeat(30);
    let lines = wrap(&word, &TextStyle::BODY, 120.0);
    assert!(lines.len() > 5);
    assert_eq!(
        lines.iter().map(|l| l.text.as_str()).collect::<String>(),
        word,
        "no character is lost"
    );
}

#[test]
fn chinese_breaks_between_characters() {
    let lines = wrap(&"王小明".repeat(60), &TextStyle::BODY, 100.0);
    assert!(lines.len() > 5 && lines.iter().all(|l| l.width <= 100.5));
}

#[test]
fn a_20000_character_note_paginates_and_every_word_survives() {
    let mut note = String::new();
    let mut i = 0;
    while note.len() < 20_000 {
        note.push_str(&format!("word{i} "));
        i += 1;
    }
    let mut layout = Layout::new();
    layout.heading("Circumstances");
    layout.text(&note, TextStyle::BODY);
    assert_inside_body(&layout.drawn_boxes());
    let pages = layout.page_count();
    assert!(
        pages >= 3,
        "20,000 characters should take several pages, took {pages}"
    );
    let pdf = layout.finish(&running()).unwrap();
    assert_qpdf_accepts(&pdf);
    assert_eq!(page_count(&pdf), pages);
    let text = normalise(&pdftotext(&pdf, &[]));
    assert!(
        text.contains(&format!("word{} ", i - 1).trim_end().to_owned()),
        "the last word is printed"
    );
    assert!(text.contains(&format!("Page {pages} of {pages}")));
}

#[test]
fn a_60_row_table_repeats_its_header_on_every_page() {
    let columns = [
        Column {
            heading: "Name".into(),
            share: 1.0,
        },
        Column {
            heading: "Relationship".into(),
            share: 1.0,
        },
        Column {
            heading: "Risk note".into(),
            share: 2.0,
        },
    ];
    let rows: Vec<Row> = (0..60)
        .map(|i| Row {
            cells: vec![
                format!("Associate {i}"),
                "Adult of concern".into(),
                "Seen near the station. ".repeat(i % 7 + 1),
            ],
            highlight: (i % 3 == 0).then_some(grabpack_pack::layout::Colour::HIGHLIGHT),
        })
        .collect();
    let mut layout = Layout::new();
    layout.table(&columns, &rows);
    assert_inside_body(&layout.drawn_boxes());
    let pages = layout.page_count();
    assert!(pages >= 2);
    let pdf = layout.finish(&running()).unwrap();
    assert_qpdf_accepts(&pdf);
    let text = pdftotext(&pdf, &[]);
    let per_page: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(per_page.len(), pages);
    for (n, page) in per_page.iter().enumerate() {
        assert!(
            page.contains("Relationship") && page.contains("Risk note"),
            "page {} lacks the header row",
            n + 1
        );
    }
    assert!(text.contains("Associate 59"));
}

#[test]
fn a_row_taller_than_a_page_is_split_across_pages() {
    let columns = [Column {
        heading: "Note".into(),
        share: 1.0,
    }];
    let rows = vec![Row {
        cells: vec!["A very long risk note. ".repeat(900)],
        highlight: None,
    }];
    let mut layout = Layout::new();
    layout.table(&columns, &rows);
    assert_inside_body(&layout.drawn_boxes());
    assert!(layout.page_count() >= 2);
    assert_qpdf_accepts(&layout.finish(&running()).unwrap());
}

#[test]
fn text_beside_a_photo_never_covers_it_however_long() {
    let mut layout = Layout::new();
    let jpeg = Arc::new(test_jpeg(300, 400));
    layout.side_by_side(
        180.0,
        |l| l.photo(jpeg, 0, 180.0, 240.0).unwrap(),
        |l| {
            for i in 0..30 {
                l.label_value(
                    &format!("Field {i}"),
                    &"Long value that wraps over several lines. ".repeat(i % 4 + 1),
                );
            }
        },
    );
    layout.text(&"After the photo. ".repeat(200), TextStyle::BODY);
    let boxes = layout.drawn_boxes();
    assert_inside_body(&boxes);
    assert_nothing_over_photos(&boxes);
    assert_qpdf_accepts(&layout.finish(&running()).unwrap());
}

#[test]
fn the_photo_is_embedded_unchanged() {
    let jpeg = test_jpeg(320, 240);
    let mut layout = Layout::new();
    layout
        .photo(Arc::new(jpeg.clone()), 0, 200.0, 200.0)
        .unwrap();
    let pdf = layout.finish(&running()).unwrap();
    assert!(
        pdf.windows(jpeg.len()).any(|w| w == jpeg.as_slice()),
        "the JPEG bytes should be passed through"
    );
}

#[test]
fn bytes_that_are_not_a_jpeg_are_refused_with_a_code() {
    let mut layout = Layout::new();
    let err = layout
        .photo(Arc::new(b"not a photo".to_vec()), 2, 100.0, 100.0)
        .unwrap_err();
    assert_eq!(err.code(), "pack.photo_unreadable");
}

#[test]
fn the_footer_gives_uk_local_time_and_utc() {
    // 29 March 2026 00:30 UTC is still GMT; 28 July is BST.
    assert_eq!(
        grabpack_pack::layout::uk_and_utc("2026-03-29T00:30:00Z".parse().unwrap()),
        "29 Mar 2026 00:30 GMT (00:30 UTC)"
    );
    assert_eq!(
        grabpack_pack::layout::uk_and_utc("2026-07-28T20:52:00Z".parse().unwrap()),
        "28 Jul 2026 21:52 BST (20:52 UTC)"
    );
}
