//! Every script London's children write their names in is printed shaped, embedded and extractable.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on unexpected input

mod common;

use common::{TEST_NAMES, assert_qpdf_accepts, normalise, pdftotext, run_on_pdf, run_tool};
use grabpack_pack::layout::{Column, Layout, Row, RunningHeader, TextStyle};
use grabpack_pack::shape::{paragraph_is_rtl, shape_line};
use grabpack_pack::{Weight, shaped_glyph_ids};

fn running(name: &str) -> RunningHeader {
    RunningHeader {
        marking: "OFFICIAL-SENSITIVE".into(),
        child_name: name.into(),
        generated_at: "2026-11-28T20:52:00Z".parse().unwrap(),
        revision: "rev-0007".into(),
        short_hash: "3f9a1c22b7e0".into(),
        title: "Grab pack: test".into(),
    }
}

/// A document that prints every test name as a value, in a paragraph and in a table.
fn names_document() -> Vec<u8> {
    let mut layout = Layout::new();
    layout.heading("Names in every script");
    for (script, name, _) in TEST_NAMES {
        layout.label_value(script, name);
    }
    layout.text(
        &TEST_NAMES
            .iter()
            .map(|(_, n, _)| *n)
            .collect::<Vec<_>>()
            .join(", "),
        TextStyle::BODY,
    );
    let columns = [
        Column {
            heading: "Script".into(),
            share: 1.0,
        },
        Column {
            heading: "Name".into(),
            share: 2.0,
        },
    ];
    let rows: Vec<Row> = TEST_NAMES
        .iter()
        .map(|(s, n, _)| Row {
            cells: vec![(*s).into(), (*n).into()],
            highlight: None,
        })
        .collect();
    layout.table(&columns, &rows);
    layout.finish(&running("Łukasz Dvořák")).unwrap()
}

fn hb_shape(text: &str, font_file: &str) -> Vec<u16> {
    let path = format!(
        "{}/../../assets/fonts/{font_file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let (ok, stdout, stderr) = run_tool(
        "hb-shape",
        &[
            "--no-glyph-names",
            "--no-positions",
            "--no-clusters",
            &path,
            text,
        ],
        b"",
    );
    assert!(ok, "hb-shape failed: {stderr}");
    String::from_utf8(stdout)
        .unwrap()
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split('|')
        .map(|id| id.parse().unwrap())
        .collect()
}

#[test]
fn the_glyphs_drawn_for_each_name_are_the_ones_harfbuzz_produces() {
    for weight in [Weight::Regular, Weight::Bold] {
        for (script, name, font) in TEST_NAMES {
            let expected = hb_shape(name, font.file_name(weight));
            assert_eq!(
                shaped_glyph_ids(name, *font, weight),
                expected,
                "{script} {name} ({weight:?})"
            );
            // What the renderer draws: the whole line, after bidi and font fallback, is one run in that font.
            let runs = shape_line(name, weight, paragraph_is_rtl(name));
            assert_eq!(
                runs.len(),
                1,
                "{script} {name} was split into runs: {runs:?}"
            );
            assert_eq!(runs[0].font, *font, "{script} {name} set in the wrong font");
            assert_eq!(
                runs[0].glyph_ids(),
                expected,
                "{script} {name} drawn differently from hb-shape"
            );
        }
    }
}

#[test]
fn right_to_left_names_are_drawn_right_to_left() {
    for name in ["محمد عبدالله", "عائشہ خان", "יוסף כהן"] {
        let runs = shape_line(name, Weight::Regular, paragraph_is_rtl(name));
        assert!(runs[0].rtl, "{name} should read right to left");
        // The first glyph drawn (leftmost) is the end of the name: the last letter's cluster.
        let leftmost = &runs[0].glyphs[0];
        assert!(
            leftmost.cluster.start > 0,
            "{name}: leftmost glyph should be the last letter"
        );
    }
}

#[test]
fn a_mixed_line_keeps_each_script_in_its_own_font_and_order() {
    let line = "Name: محمد عبدالله (Mohammed) 07700 900123";
    let runs = shape_line(line, Weight::Regular, false);
    let fonts: Vec<_> = runs
        .iter()
        .map(|r| (r.font, r.rtl, r.text.as_str()))
        .collect();
    assert_eq!(fonts[0], (grabpack_pack::PackFont::Latin, false, "Name: "));
    assert_eq!(
        fonts[1],
        (grabpack_pack::PackFont::Arabic, true, "محمد عبدالله")
    );
    assert!(
        runs[2..]
            .iter()
            .all(|r| !r.rtl && r.font == grabpack_pack::PackFont::Latin)
    );
}

#[test]
fn qpdf_accepts_a_document_in_every_script() {
    assert_qpdf_accepts(&names_document());
}

#[test]
fn every_name_extracts_as_the_right_characters() {
    let text = normalise(&pdftotext(&names_document(), &[]));
    for (script, name, _) in TEST_NAMES {
        assert!(
            text.contains(name),
            "{script}: {name} not found in extracted text:\n{text}"
        );
    }
    assert!(text.contains("OFFICIAL-SENSITIVE"));
    assert!(text.contains("Page 1 of "));
}

#[test]
fn every_font_is_embedded_and_subset() {
    let (ok, stdout, stderr) = run_on_pdf("pdffonts", &[], &names_document());
    assert!(ok, "pdffonts failed: {stderr}");
    let listing = String::from_utf8(stdout).unwrap();
    let fonts: Vec<&str> = listing
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    // Latin regular and bold, Arabic, Bengali, Gurmukhi, Gujarati, Devanagari, Chinese at least.
    assert!(fonts.len() >= 8, "expected a font per script:\n{listing}");
    for font in fonts {
        let columns: Vec<&str> = font.split_whitespace().collect();
        let name = columns[0];
        let (emb, sub) = (columns[columns.len() - 5], columns[columns.len() - 4]);
        assert_eq!(
            (emb, sub),
            ("yes", "yes"),
            "not embedded and subset: {font}"
        );
        let prefix = name.split('+').next().unwrap();
        assert!(
            name.contains('+')
                && prefix.len() == 6
                && prefix.chars().all(|c| c.is_ascii_uppercase()),
            "subset fonts are named ABCDEF+Name: {font}"
        );
    }
}

#[test]
fn a_name_no_font_can_print_is_reported_with_a_code_so_the_form_can_warn() {
    for (_, name, _) in TEST_NAMES {
        assert!(
            grabpack_pack::fonts::check_printable(name).is_ok(),
            "{name} should be printable"
        );
    }
    // Korean Hangul is not vendored yet: the pack still prints (empty boxes that extract correctly),
    // but the form can warn the carer to add a Latin spelling.
    let err = grabpack_pack::fonts::check_printable("김민준 Kim").unwrap_err();
    assert_eq!(err.code(), "pack.font_missing_glyphs");
    assert_eq!(
        grabpack_pack::fonts::missing_glyphs("김민준 Kim"),
        vec!['김', '민', '준']
    );
}

#[test]
fn an_unprintable_name_still_extracts_as_the_right_characters() {
    let mut layout = Layout::new();
    layout.label_value("Name", "김민준");
    let pdf = layout.finish(&running("김민준")).unwrap();
    assert_qpdf_accepts(&pdf);
    assert!(normalise(&pdftotext(&pdf, &[])).contains("김민준"));
}
