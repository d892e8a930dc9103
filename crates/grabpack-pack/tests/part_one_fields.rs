//! Part 1 of the pack is printed from the field table, for every field of it.
//!
//! The child is `grabpack_core::sample::marked_form()`: every field filled, every text a unique
//! marker (`M17X`), built from the form's schema so a new field is included without anyone
//! remembering to. Read back with `pdftotext -raw` (content order: a label's first line comes
//! before its value):
//! - with nothing withheld, each field's label appears in Part 1 in table order, and each of its
//!   markers appears exactly once in Part 1, after its own label and before the next field's.
//!   Part 1 is the body text after the "Part 1" heading: page 1 repeats critical facts by design
//!   (it is checked for those facts separately), and the running header repeats the name and the
//!   marking on every page, so the header and footer are cropped away for the count;
//! - with one field marked "do not share", for every field in turn, none of its markers appears
//!   anywhere (page 1, Part 1, header, footer, the PDF's title, the read-out), its label is gone from
//!   Part 1, and every other field is still printed;
//! - both hold for every audience's version of the pack (`grabpack_core::audience`): a field the
//!   audience does not read is treated as withheld, and what a field prints is read from the form
//!   as that audience may read it (`audience::form_for`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on unexpected input

mod common;
#[path = "common/demo.rs"]
mod demo;

use common::{normalise, pdftotext, run_on_pdf};
use grabpack_core::audience::{Audience, form_for, reaches};
use grabpack_core::fields::{FIELDS, FieldSpec};
use grabpack_core::form::ChildForm;
use grabpack_core::sample::marked_form;
use grabpack_pack::layout::{BODY_BOTTOM, BODY_TOP, PAGE_WIDTH};
use grabpack_pack::{PackInput, readout, render_pack};

const PART_ONE_HEADING: &str = "Part 1: the child's profile";

/// The markers (`M<digits>X`) in `text`, in order.
fn markers_in(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == 'M' {
            let digits = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if digits > 0 && chars.get(i + 1 + digits) == Some(&'X') {
                out.push(chars[i..i + digits + 2].iter().collect());
                i += digits + 2;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The markers printed by `spec` for `form`, as the table's own accessor reports them.
fn markers_of(spec: &FieldSpec, form: &ChildForm) -> Vec<String> {
    markers_in(&spec.value(form).texts().join(" "))
}

fn render(form: &ChildForm) -> (Vec<u8>, PackInput) {
    render_for(form, Audience::Police)
}

fn render_for(form: &ChildForm, audience: Audience) -> (Vec<u8>, PackInput) {
    let mut input = PackInput::new(form.clone(), "rev-test", demo::generated_at());
    input.audience = audience;
    (render_pack(&input).unwrap().pdf, input)
}

/// The body of Part 1 (header and footer cropped away), as whitespace-separated words.
fn part_one_words(pdf: &[u8]) -> Vec<String> {
    let (y, h) = (
        BODY_TOP.to_string(),
        (BODY_BOTTOM - BODY_TOP).ceil().to_string(),
    );
    let w = PAGE_WIDTH.ceil().to_string();
    let body = normalise(&pdftotext(
        pdf,
        &["-raw", "-x", "0", "-y", &y, "-W", &w, "-H", &h],
    ));
    let (_, part_one) = body
        .split_once(PART_ONE_HEADING)
        .expect("the pack has a Part 1 heading");
    part_one.split(' ').map(String::from).collect()
}

/// Everything a reader of the PDF can see: every page in full, and the document's title.
fn everything_printed(pdf: &[u8]) -> String {
    let (ok, info, _) = run_on_pdf("pdfinfo", &[], pdf);
    assert!(ok);
    format!(
        "{}\n{}",
        pdftotext(pdf, &["-raw"]),
        String::from_utf8_lossy(&info)
    )
}

/// Where `label` starts in `words`, from `from` on: printed whole if it is anywhere (a word may
/// be broken after a hyphen), else wrapped, when its lines are interleaved with its value's.
fn find_label(words: &[String], label: &str, from: usize) -> Option<usize> {
    find_label_within(words, label, from, 0).or_else(|| find_label_within(words, label, from, 30))
}

/// [`find_label`], allowing up to `gap` words of value between two pieces of the label.
fn find_label_within(words: &[String], label: &str, from: usize, gap: usize) -> Option<usize> {
    let wanted: String = label.split_whitespace().collect();
    (from..words.len()).find(|&start| {
        let mut rest = wanted.as_str();
        let mut skipped = 0;
        for word in &words[start..] {
            if rest.is_empty() {
                break;
            }
            if let Some(after) = rest.strip_prefix(word.as_str()) {
                rest = after;
                skipped = 0;
            } else if rest.len() == wanted.len() || skipped == gap {
                return false;
            } else {
                skipped += 1;
            }
        }
        rest.is_empty()
    })
}

/// Each field's label position in `words`, in table order, for the fields in `fields`.
fn label_positions(words: &[String], fields: &[&FieldSpec]) -> Vec<(usize, usize)> {
    let mut cursor = 0;
    let mut spans = Vec::new();
    for f in fields {
        let start = find_label(words, f.label, cursor)
            .unwrap_or_else(|| panic!("the label of {} ({:?}) is not in Part 1", f.path, f.label));
        spans.push(start);
        cursor = start + 1;
    }
    let ends = spans.iter().skip(1).copied().chain([words.len()]);
    spans.iter().copied().zip(ends).collect()
}

#[test]
fn every_shared_field_is_printed_once_in_part_one_under_its_own_label_in_table_order() {
    let form = marked_form().unwrap();
    for audience in Audience::ALL.into_iter().filter(|a| a.gets_part_one()) {
        every_field_printed_once(&form, audience);
    }
}

fn every_field_printed_once(form: &ChildForm, audience: Audience) {
    let (pdf, _) = render_for(form, audience);
    let form = form_for(form, audience);
    let words = part_one_words(&pdf);
    let fields: Vec<&FieldSpec> = FIELDS
        .iter()
        .filter(|f| reaches(f.path, audience))
        .collect();
    let spans = label_positions(&words, &fields);
    let text = words.join(" ");
    for (f, (start, end)) in fields.iter().zip(spans) {
        let span = words[start..end].join(" ");
        let markers = markers_of(f, &form);
        if markers.is_empty() {
            // A date, a number or a choice: its printed text follows its label.
            let value = normalise(&f.value(&form).texts().join(" "));
            assert!(
                span.contains(&value),
                "{audience:?}: {} should print {value:?} under its label; found {span:?}",
                f.path
            );
        }
        for m in &markers {
            assert_eq!(
                text.matches(m.as_str()).count(),
                1,
                "{audience:?}: {} marker {m} should be printed exactly once in Part 1",
                f.path
            );
            assert!(
                span.contains(m.as_str()),
                "{audience:?}: {} marker {m} should be under the label {:?}; that part reads {span:?}",
                f.path,
                f.label
            );
        }
    }
    // Nothing in Part 1 belongs to no field the audience reads.
    let owned: Vec<String> = fields.iter().flat_map(|f| markers_of(f, &form)).collect();
    for m in markers_in(&text) {
        assert!(
            owned.contains(&m),
            "{audience:?}: {m} is printed in Part 1 by no field it reads"
        );
    }
}

#[test]
fn a_field_marked_do_not_share_is_printed_nowhere_for_every_field_of_the_table_in_every_audience() {
    let form = marked_form().unwrap();
    for audience in Audience::ALL {
        do_not_share_holds(&form, audience);
    }
}

/// The markers of every field in `form` that `audience` must never see: those of fields it does
/// not read, and those its view of the form cuts out (the full immigration status, a protected
/// person's address).
fn never_for(form: &ChildForm, audience: Audience) -> Vec<String> {
    let seen = form_for(form, audience);
    let allowed: Vec<String> = FIELDS
        .iter()
        .filter(|f| reaches(f.path, audience))
        .flat_map(|f| markers_of(f, &seen))
        .collect();
    FIELDS
        .iter()
        .flat_map(|f| markers_of(f, form))
        .filter(|m| !allowed.contains(m))
        .collect()
}

fn do_not_share_holds(form: &ChildForm, audience: Audience) {
    let never = never_for(form, audience);
    let read: Vec<&FieldSpec> = FIELDS
        .iter()
        .filter(|f| reaches(f.path, audience))
        .collect();
    for withheld in FIELDS {
        let mut form = form.clone();
        form.do_not_share.insert(withheld.path.to_owned());
        let (pdf, input) = render_for(&form, audience);
        let printed = everything_printed(&pdf);
        let read_out = readout(&input);
        for m in markers_of(withheld, &form).iter().chain(&never) {
            assert!(
                !printed.contains(m.as_str()),
                "{audience:?}: {} is marked do not share but {m} is in the PDF",
                withheld.path
            );
            assert!(
                !read_out.contains(m.as_str()),
                "{audience:?}: {} is marked do not share but {m} is in the read-out",
                withheld.path
            );
        }
        let Some(i) = read.iter().position(|f| f.path == withheld.path) else {
            continue;
        };
        if !audience.gets_part_one() {
            continue;
        }
        // Every other field is still printed, in order, and the withheld one's label is gone
        // from where it would have been.
        let words = part_one_words(&pdf);
        let others: Vec<&FieldSpec> = read
            .iter()
            .copied()
            .filter(|f| f.path != withheld.path)
            .collect();
        let spans = label_positions(&words, &others);
        let before = if i == 0 { 0 } else { spans[i - 1].0 + 1 };
        let after = spans.get(i).map_or(words.len(), |s| s.0);
        assert!(
            find_label(&words[..after], withheld.label, before).is_none(),
            "{audience:?}: {} is marked do not share but its label is still printed",
            withheld.path
        );
    }
}

#[test]
fn page_one_shows_the_critical_facts_it_is_designed_to_show() {
    let form = marked_form().unwrap();
    let (pdf, input) = render(&form);
    let page_one = normalise(&pdftotext(&pdf, &["-raw", "-f", "1", "-l", "1"]));
    let read_out = readout(&input);
    for path in [
        "identity.legal_name",
        "identity.known_as",
        "identity.gender",
        "identity.appearance",
        "description.build",
        "description.hair",
        "description.facial_hair",
        "description.eyes",
        "description.glasses_aids",
        "description.marks",
        "phones_online.mobiles",
        "phones_online.handsets",
        "health.conditions",
        "health.medication",
        "health.mental_health",
        "health.allergies",
        "risks.sexual_exploitation",
        "risks.criminal_exploitation",
        "risks.trafficking",
        "places.found_before",
        "placement.home_phone_24h",
        "placement.social_worker",
        "placement.out_of_hours",
    ] {
        let spec = grabpack_core::fields::field(path).unwrap();
        let first = markers_of(spec, &form).into_iter().next().unwrap();
        assert!(
            page_one.contains(&first),
            "page 1 should show {path} ({first})"
        );
    }
    for path in [
        "identity.legal_name",
        "identity.gender",
        "description.facial_hair",
        "placement.address",
        "placement.home_phone_24h",
        "placement.social_worker",
    ] {
        let spec = grabpack_core::fields::field(path).unwrap();
        let first = markers_of(spec, &form).into_iter().next().unwrap();
        assert!(read_out.contains(&first), "the read-out should give {path}");
    }
}
