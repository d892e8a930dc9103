//! Reads the glyphs back out of the PDF: for each script, the glyphs krilla wrote for a test name are
//! the ones `hb-shape` gives for the same text and font.
//!
//! krilla renumbers glyphs when it subsets a font (glyph ids become CIDs 1, 2, 3 ... in order of first
//! use), so the original ids cannot be read back directly. What can be read back cheaply, and is
//! checked here, is (1) the CID sequence, which must equal hb-shape's glyph sequence renumbered in
//! order of first use (same count, order and repeats), and (2) each CID's advance width in the PDF's
//! /W array, which must equal the advance of the glyph hb-shape names, from the original font file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on unexpected input

mod common;

use std::collections::HashMap;

use common::{TEST_NAMES, run_tool, temp_pdf};
use grabpack_pack::Weight;
use grabpack_pack::layout::{Layout, RunningHeader, TextStyle};

fn hb_shape(text: &str, font_file: &str) -> Vec<u16> {
    let path = format!(
        "{}/../../assets/fonts/{font_file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let (ok, out, err) = run_tool(
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
    assert!(ok, "hb-shape failed: {err}");
    let out = String::from_utf8(out).unwrap();
    out.trim()
        .trim_matches(|c| c == '[' || c == ']')
        .split('|')
        .map(|g| g.parse().unwrap())
        .collect()
}

/// The PDF rewritten by qpdf in QDF form (uncompressed, one object per block), as text.
fn qdf(pdf: &[u8]) -> String {
    let input = temp_pdf(pdf);
    let output = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    let (ok, _, err) = run_tool(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            input.path().to_str().unwrap(),
            output.path().to_str().unwrap(),
        ],
        b"",
    );
    assert!(ok, "qpdf --qdf failed: {err}");
    String::from_utf8_lossy(&std::fs::read(output.path()).unwrap()).into_owned()
}

fn object<'a>(qdf: &'a str, id: &str) -> &'a str {
    let start = qdf
        .find(&format!("\n{id} 0 obj"))
        .unwrap_or_else(|| panic!("object {id} not found"));
    let end = qdf[start..].find("endobj").unwrap() + start;
    &qdf[start..end]
}

fn reference_after<'a>(text: &'a str, key: &str) -> &'a str {
    let at = text
        .find(key)
        .unwrap_or_else(|| panic!("{key} not found in {text}"))
        + key.len();
    text[at..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_matches(|c| c == '[')
}

/// For the font whose BaseFont contains `font_name`: its resource name and its CID widths.
fn font_resource(qdf: &str, font_name: &str) -> (String, HashMap<u16, i64>) {
    let fonts_at = qdf.find("/Font <<").expect("page has fonts");
    let fonts_end = qdf[fonts_at..].find(">>").unwrap() + fonts_at;
    for entry in qdf[fonts_at + 8..fonts_end].lines() {
        let parts: Vec<&str> = entry.split_whitespace().collect();
        if parts.len() < 2 {
            continue;
        }
        let font = object(qdf, parts[1]);
        if !font.contains(&format!("+{font_name}")) {
            continue;
        }
        let descendant = object(qdf, reference_after(font, "/DescendantFonts ["));
        let w_at = descendant.find("/W [").unwrap() + 4;
        let w_end = descendant[w_at..].find(']').unwrap() + w_at;
        let numbers: Vec<i64> = descendant[w_at..w_end]
            .split_whitespace()
            .map(|n| n.parse::<f64>().unwrap() as i64)
            .collect();
        let mut widths = HashMap::new();
        for triple in numbers.chunks(3) {
            for cid in triple[0]..=triple[1] {
                widths.insert(cid as u16, triple[2]);
            }
        }
        return (parts[0].trim_start_matches('/').to_owned(), widths);
    }
    panic!("font {font_name} not in the page resources")
}

/// The CIDs drawn with resource font `resource` on page 1, in drawing order.
fn drawn_cids(qdf: &str, resource: &str) -> Vec<u16> {
    let page = qdf.find("%% Contents for page 1").unwrap();
    let start = qdf[page..].find("stream\n").unwrap() + page + 7;
    let end = qdf[start..].find("endstream").unwrap() + start;
    let mut content = qdf[start..end].to_owned();
    // Drop /Span<</ActualText ...>>BDC: its text is not glyphs.
    while let Some(s) = content.find("/Span<<") {
        let e = content[s..]
            .find(">>BDC")
            .map_or(content.len(), |e| s + e + 5);
        content.replace_range(s..e, " ");
    }
    // Operators and operands are often glued together (`Tr/f0`, `20<000c>`): space them out.
    let spaced = content
        .replace('/', " /")
        .replace('<', " <")
        .replace('>', "> ")
        .replace(['[', ']'], " ");
    let mut cids = Vec::new();
    let mut current = String::new();
    let mut last_name = String::new();
    for token in spaced.split_whitespace() {
        if let Some(name) = token.strip_prefix('/') {
            last_name = name.to_owned();
        } else if token == "Tf" {
            current = last_name.clone();
        } else if let Some(hex) = token.strip_prefix('<').and_then(|t| t.strip_suffix('>'))
            && current == resource
            && !hex.is_empty()
            && hex.chars().all(|c| c.is_ascii_hexdigit())
        {
            for chunk in hex.as_bytes().chunks(4) {
                cids.push(u16::from_str_radix(std::str::from_utf8(chunk).unwrap(), 16).unwrap());
            }
        }
    }
    cids
}

#[test]
fn the_glyphs_in_the_pdf_are_harfbuzzs_for_every_script() {
    for (script, name, font) in TEST_NAMES {
        let mut layout = Layout::new();
        layout.text(name, TextStyle::BODY);
        let running = RunningHeader {
            marking: "OFFICIAL-SENSITIVE".into(),
            child_name: "Test".into(),
            generated_at: "2026-11-28T20:52:00Z".parse().unwrap(),
            revision: "r1".into(),
            short_hash: "abc".into(),
            title: "t".into(),
        };
        let qdf = qdf(&layout.finish(&running).unwrap());
        let file = font.file_name(Weight::Regular);
        let expected = hb_shape(name, file);
        // The PDF names a font by its PostScript name, which for the Chinese subset is not the file's.
        let postscript = file
            .trim_end_matches(".ttf")
            .trim_end_matches("-subset.otf");
        let (resource, widths) = font_resource(&qdf, postscript);
        let cids: Vec<u16> = drawn_cids(&qdf, &resource)
            .into_iter()
            .take(expected.len())
            .collect();

        let mut first_use: Vec<u16> = Vec::new();
        let renumbered: Vec<u16> = expected
            .iter()
            .map(|g| match first_use.iter().position(|f| f == g) {
                Some(i) => i as u16 + 1,
                None => {
                    first_use.push(*g);
                    first_use.len() as u16
                }
            })
            .collect();
        assert_eq!(
            cids, renumbered,
            "{script} {name}: glyph sequence in the PDF differs from hb-shape's"
        );

        let face = rustybuzz::Face::from_slice(font.bytes(Weight::Regular), 0).unwrap();
        let upem = f64::from(face.units_per_em());
        for (cid, gid) in cids.iter().zip(&expected) {
            let advance = face
                .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(*gid))
                .unwrap_or(0);
            let expected_width = (f64::from(advance) * 1000.0 / upem).round() as i64;
            let pdf_width = widths.get(cid).copied().unwrap_or(-1);
            assert!(
                (pdf_width - expected_width).abs() <= 1,
                "{script} {name}: CID {cid} has width {pdf_width}, glyph {gid} has {expected_width}"
            );
        }
    }
}
