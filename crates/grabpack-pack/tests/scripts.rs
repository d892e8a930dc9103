//! Every script of `assets/fonts/scripts.json` (the main languages of England and Wales) is printed
//! shaped, with real glyphs, embedded and extractable; a character no font has is named on the page.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on unexpected input

mod common;
#[path = "common/demo.rs"]
mod demo;

use std::collections::BTreeSet;

use common::{
    POPPLER_REORDERS_MARKS, TEST_NAMES, UNDRAWABLE_NAME, assert_every_character_extracts,
    assert_qpdf_accepts, normalise, pdftotext, run_on_pdf, run_tool,
};
use grabpack_pack::fonts::{FALLBACK_ORDER, missing_glyphs};
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
            assert!(
                !expected.contains(&0),
                "{script} {name}: {} has no glyph for some character ({weight:?})",
                font.file_name(weight)
            );
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
        if POPPLER_REORDERS_MARKS.contains(script) {
            assert_every_character_extracts(script, name, &text);
            continue;
        }
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

/// `assets/fonts/scripts.json`, parsed.
fn scripts_json() -> serde_json::Value {
    let path = format!(
        "{}/../../assets/fonts/scripts.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_font_table_is_exactly_the_list_in_scripts_json() {
    let json = scripts_json();
    assert!(json["source"].as_str().unwrap().contains("TS024"));
    let scripts = json["scripts"].as_array().unwrap();
    let mut listed: BTreeSet<String> = BTreeSet::new();
    for entry in scripts {
        let script = entry["script"].as_str().unwrap();
        let regular = entry["font"].as_str().unwrap();
        let bold = entry["bold_font"].as_str().unwrap_or(regular);
        listed.extend([regular.to_owned(), bold.to_owned()]);
        assert!(
            !entry["languages"].as_array().unwrap().is_empty(),
            "{script} names no language"
        );
        let font = FALLBACK_ORDER
            .into_iter()
            .find(|f| f.file_name(Weight::Regular) == regular)
            .unwrap_or_else(|| panic!("{script}: {regular} is not in fonts.rs's table"));
        assert_eq!(font.file_name(Weight::Bold), bold, "{script}: bold face");
        // Each sample name is one of the names every shaping, PDF and extraction test prints.
        for name in entry["sample_names"].as_array().unwrap() {
            let name = name.as_str().unwrap();
            assert!(
                TEST_NAMES.iter().any(|(_, n, f)| *n == name && *f == font),
                "{script}: sample name {name} (in {font:?}) is missing from tests/common TEST_NAMES"
            );
        }
    }
    let in_table: BTreeSet<String> = FALLBACK_ORDER
        .into_iter()
        .flat_map(|f| [f.file_name(Weight::Regular), f.file_name(Weight::Bold)])
        .map(str::to_owned)
        .collect();
    assert_eq!(
        in_table, listed,
        "fonts.rs's table and scripts.json name different files"
    );
    // And every vendored font file is one of them: nothing ships that no script uses.
    let folder = format!("{}/../../assets/fonts", env!("CARGO_MANIFEST_DIR"));
    let on_disk: BTreeSet<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".ttf") || n.ends_with(".otf"))
        .collect();
    assert_eq!(on_disk, listed, "assets/fonts holds fonts no script lists");
}

#[test]
fn every_scripts_name_is_drawn_with_real_glyphs_never_a_replacement() {
    for (script, name, font) in TEST_NAMES {
        assert!(
            missing_glyphs(name).is_empty(),
            "{script} {name}: no font covers {:?}",
            missing_glyphs(name)
        );
        for weight in [Weight::Regular, Weight::Bold] {
            for run in shape_line(name, weight, paragraph_is_rtl(name)) {
                assert_eq!(run.font, *font, "{script} {name}: run {:?}", run.text);
                assert!(
                    run.glyphs.iter().all(|g| g.id != 0),
                    "{script} {name}: .notdef drawn ({weight:?})"
                );
            }
        }
        let mut layout = Layout::new();
        layout.label_value("Name", name);
        let text = normalise(&pdftotext(&layout.finish(&running(name)).unwrap(), &[]));
        assert!(
            !text.contains("Shown as"),
            "{script} {name}: the pack says it could not draw something:\n{text}"
        );
    }
}

#[test]
fn a_character_no_font_has_is_reported_with_a_code_so_the_form_can_warn() {
    for (_, name, _) in TEST_NAMES {
        assert!(
            grabpack_pack::fonts::check_printable(name).is_ok(),
            "{name} should be printable"
        );
    }
    let err = grabpack_pack::fonts::check_printable(UNDRAWABLE_NAME).unwrap_err();
    assert_eq!(err.code(), "pack.font_missing_glyphs");
    assert_eq!(missing_glyphs(UNDRAWABLE_NAME), vec!['\u{20BB7}']);
}

#[test]
fn a_character_no_font_has_is_named_on_the_page_and_the_name_still_extracts() {
    let mut layout = Layout::new();
    layout.label_value("Name", UNDRAWABLE_NAME);
    layout.label_value("Known as", "Sakura");
    let pdf = layout.finish(&running(UNDRAWABLE_NAME)).unwrap();
    assert_qpdf_accepts(&pdf);
    let text = normalise(&pdftotext(&pdf, &[]));
    let name_at = text
        .find(UNDRAWABLE_NAME)
        .expect("the name extracts as written");
    let notice_at = text
        .find("U+20BB7 CJK UNIFIED IDEOGRAPH-20BB7")
        .unwrap_or_else(|| panic!("no notice naming the character:\n{text}"));
    let next_row_at = text.find("Sakura").unwrap();
    assert!(
        name_at < notice_at && notice_at < next_row_at,
        "the notice follows the row it is about:\n{text}"
    );
}

#[test]
fn a_pack_for_a_child_whose_name_has_an_undrawable_character_says_so_on_page_one() {
    let mut input = demo::demo_missing(1);
    input.form.identity.legal_name = UNDRAWABLE_NAME.to_owned();
    let pack = grabpack_pack::render_pack(&input).unwrap();
    assert_qpdf_accepts(&pack.pdf);
    let page_one = normalise(&pdftotext(&pack.pdf, &["-f", "1", "-l", "1"]));
    assert!(page_one.contains(UNDRAWABLE_NAME), "{page_one}");
    assert!(
        page_one.contains("U+20BB7 CJK UNIFIED IDEOGRAPH-20BB7"),
        "page 1 does not name the character it could not draw:\n{page_one}"
    );
    // The read-out for the 101 call gives the name exactly as written.
    assert!(grabpack_pack::readout(&input).contains(UNDRAWABLE_NAME));
}

#[test]
fn a_korean_name_adds_only_its_own_glyphs_to_the_pack() {
    // The Korean font is 1.4 MB; krilla embeds only the syllables a pack uses.
    let size_with = |name: &str| {
        let mut input = demo::demo_missing(1);
        input.form.identity.legal_name = name.to_owned();
        let pack = grabpack_pack::render_pack(&input).unwrap();
        assert!(normalise(&pdftotext(&pack.pdf, &[])).contains(name));
        pack.pdf.len()
    };
    let latin = size_with("Minjun Kim");
    let korean = size_with("김민준");
    eprintln!("demo pack: {latin} bytes with a Latin name, {korean} bytes with a Korean one");
    assert!(
        korean < latin + 40_000,
        "a Korean name made the pack {} bytes larger",
        korean - latin
    );
}
