//! The grab pack for the fictional demo child: what page 1 holds, what is left out, the read-out.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on unexpected input

mod common;
#[path = "common/demo.rs"]
mod demo;

use common::{
    TEST_NAMES, assert_qpdf_accepts, normalise, page_count, pdftotext, run_on_pdf, run_tool,
};
use demo::{demo_input, demo_missing};
use grabpack_pack::{readout, render_pack};

fn page_text(pdf: &[u8], page: usize) -> String {
    let p = page.to_string();
    normalise(&pdftotext(pdf, &["-f", &p, "-l", &p]))
}

#[test]
fn the_demo_pack_is_a_valid_pdf_whose_page_count_matches() {
    let pack = render_pack(&demo_missing(3)).unwrap();
    assert_qpdf_accepts(&pack.pdf);
    assert_eq!(page_count(&pack.pdf), pack.page_count);
    assert!(pack.warnings.is_empty(), "{:?}", pack.warnings);
    assert_eq!(pack.sha256_hex.len(), 64);
}

#[test]
fn page_one_holds_the_thirty_second_facts() {
    let pack = render_pack(&demo_missing(3)).unwrap();
    let page1 = page_text(&pack.pdf, 1);
    for expected in [
        "OFFICIAL-SENSITIVE",
        "Amara Okafor-Reyes",
        "Known as Mara",
        "15 (born 3 Mar 2011)",
        "taken 16 Nov 2026 (12 days ago)",
        "158 cm (5 ft 2 in)",
        "SEXUAL EXPLOITATION: Suspected",
        "SELF-HARM / SUICIDE RISK",
        "MEDICATION: Salbutamol inhaler, 2 puffs as needed. If missed: Breathless",
        "07700 900123",
        "Black puffer jacket, grey joggers",
        "Most likely places to look",
        "Mother's address",
        "020 7946 0000",
        "Jordan Lee (fictional)",
        "Exampleton Emergency Duty Team",
        "CAD 6612/28NOV",
        &format!("Page 1 of {}", pack.page_count),
        "Generated 28 Nov 2026 20:52 GMT (20:52 UTC)",
        "Revision rev-0007",
        &format!("Pack {}", pack.content_hash),
    ] {
        assert!(
            page1.contains(expected),
            "page 1 lacks {expected:?}:\n{page1}"
        );
    }
}

#[test]
fn the_rest_of_the_pack_has_part_one_by_group_history_and_part_two() {
    let pack = render_pack(&demo_missing(3)).unwrap();
    let all = normalise(&pdftotext(&pack.pdf, &[]));
    for expected in [
        "A. Administration",
        "B. Identity",
        "C. Description and photos",
        "D. Placement and professionals",
        "E. Health",
        "F. Phones and online",
        "G. Money and travel",
        "H. People",
        "I. Places",
        "J. Missing history",
        "K. Risks",
        "Risk-assessed location",
        "Flat above the chicken shop",
        "'Dee' (fictional)",
        "OF CONCERN",
        "Part 2: this episode",
        "Searched the home and garden",
        "Phone switched off",
        "card ending 4821",
    ] {
        assert!(all.contains(expected), "pack lacks {expected:?}");
    }
}

#[test]
fn empty_fields_are_left_out_not_printed_blank() {
    let mut input = demo_input(1);
    input.form.description.eyes.clear();
    input.form.health.pregnancy.clear();
    let all = normalise(&pdftotext(&render_pack(&input).unwrap().pdf, &[]));
    assert!(!all.contains("Eyes"), "an empty field's label is printed");
    assert!(!all.contains("Pregnancy"));
    assert!(all.contains("Hair"));
}

#[test]
fn a_field_marked_do_not_share_stays_out_of_the_pack_and_the_readout() {
    let mut input = demo_missing(1);
    input
        .form
        .do_not_share
        .insert("phones_online.mobiles".into());
    input.form.do_not_share.insert("people.family".into());
    let all = normalise(&pdftotext(&render_pack(&input).unwrap().pdf, &[]));
    assert!(
        !all.contains("07700 900123"),
        "a do-not-share mobile was printed"
    );
    assert!(
        !all.contains("Maria Example"),
        "a do-not-share family member was printed"
    );
    assert!(!readout(&input).contains("07700 900123"));
}

#[test]
fn the_childs_name_prints_in_every_script() {
    for (script, name, _) in TEST_NAMES {
        let mut input = demo_input(0);
        input.form.identity.legal_name = (*name).into();
        let pack = render_pack(&input).unwrap();
        let page1 = page_text(&pack.pdf, 1);
        if common::POPPLER_REORDERS_MARKS.contains(script) {
            common::assert_every_character_extracts(script, name, &page1);
            continue;
        }
        assert!(
            page1.contains(name),
            "{script}: {name} not extracted from page 1:\n{page1}"
        );
    }
}

#[test]
fn every_pack_font_is_embedded_and_subset() {
    let mut input = demo_missing(1);
    input.form.identity.known_as = TEST_NAMES.iter().map(|(_, n, _)| (*n).to_owned()).collect();
    let (ok, out, err) = run_on_pdf("pdffonts", &[], &render_pack(&input).unwrap().pdf);
    assert!(ok, "{err}");
    for line in String::from_utf8(out).unwrap().lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            (cols[cols.len() - 5], cols[cols.len() - 4]),
            ("yes", "yes"),
            "{line}"
        );
        assert!(cols[0].chars().nth(6) == Some('+'), "{line}");
    }
}

#[test]
fn an_unreadable_photo_is_left_out_and_reported_but_the_pack_is_still_built() {
    let mut input = demo_input(2);
    input.photos[1].jpeg = std::sync::Arc::new(b"not a jpeg".to_vec());
    let pack = render_pack(&input).unwrap();
    assert_qpdf_accepts(&pack.pdf);
    assert_eq!(pack.warnings.len(), 1, "{:?}", pack.warnings);
    assert_eq!(pack.warnings[0].code(), "pack.photo_unreadable");
}

#[test]
fn the_readout_follows_the_call_handlers_order_and_ends_with_missing_people() {
    let text = readout(&demo_missing(1));
    let order = [
        "Report:",
        "Police reference:",
        "Reporting person:",
        "Name:",
        "Age:",
        "Lives at",
        "Last seen:",
        "Wearing:",
        "Height:",
        "Risk:",
        "Mobile:",
        "Place to look 1:",
        "Social worker:",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|k| {
            text.find(k)
                .unwrap_or_else(|| panic!("{k} missing:\n{text}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "out of order:\n{text}"
    );
    assert!(
        text.trim_end().ends_with("\"text safe\" message."),
        "{text}"
    );
    assert!(text.contains("116 000 (call or text"));
}

/// Renders page 1 at 60 dpi and checks the photo area is a picture, not blank paper.
#[test]
fn page_one_shows_the_photo() {
    let pack = render_pack(&demo_missing(3)).unwrap();
    let file = common::temp_pdf(&pack.pdf);
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    let (ok, _, err) = run_tool(
        "pdftoppm",
        &[
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            file.path().to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
        b"",
    );
    assert!(ok, "{err}");
    let png = std::fs::read_dir(dir.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let img = image::open(&png).unwrap().to_luma8();
    // The photo box: x 40-240 pt, y from about 100 pt (after the "missing now" banner), 60 dpi = 60/72 px per pt.
    let px = |pt: f32| (pt * 60.0 / 72.0) as u32;
    let mut values = Vec::new();
    for y in px(110.0)..px(300.0) {
        for x in px(45.0)..px(235.0) {
            values.push(f64::from(img.get_pixel(x, y).0[0]));
        }
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64;
    assert!(
        variance > 100.0 && mean < 245.0,
        "photo region looks blank: mean {mean:.1}, variance {variance:.1}"
    );
    if std::env::var_os("GRABPACK_UPDATE_DOCS").is_some() {
        let docs = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/pack-page1.png");
        std::fs::copy(&png, docs).unwrap();
    }
}
