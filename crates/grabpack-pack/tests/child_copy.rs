//! The child's own copy, read back with `pdftotext`: the child's own words and trusted adults in
//! full, what we keep as the field table's labels (never the values), who gets it from the
//! audience table, what is never shared, and a place to record when it was shown.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on unexpected input

mod common;
#[path = "common/demo.rs"]
mod demo;

use common::{normalise, pdftotext};
use grabpack_pack::child_copy::CHILD_COPY_TITLE;
use grabpack_pack::{ChildCopyInput, render_child_copy};

fn copy_text() -> String {
    let mut form = demo::demo_input(0).form;
    form.identity.immigration_status = "Appeal lodged (fictional)".into();
    form.do_not_share.insert("health.substance_use".into());
    let pdf = render_child_copy(&ChildCopyInput {
        form,
        revision: "revision 7".into(),
        marking: "OFFICIAL-SENSITIVE".into(),
        generated_at: demo::generated_at(),
    })
    .unwrap();
    normalise(&pdftotext(&pdf, &["-raw"]))
}

#[test]
fn the_childs_copy_gives_their_own_words_who_they_trust_what_we_keep_and_who_gets_it() {
    let text = copy_text();
    for must in [
        CHILD_COPY_TITLE,
        "For Mara",
        "Please tell my keyworker first when I'm found.",
        "Aunt Bea (fictional), Aunt",
        "What we keep about you",
        "medical conditions",
        "The police where you went missing",
        "Anyone else the home adds",
        "Your full immigration status goes only to",
        "their address goes only to",
        "Never shared",
        "substance use",
        "Shown to you on",
    ] {
        assert!(text.contains(must), "the child's copy should say {must:?}");
    }
    // Who gets what is read from the audience table.
    let police = text
        .split("The police where you went missing")
        .nth(1)
        .unwrap();
    assert!(
        police
            .trim_start()
            .starts_with("everything in the list above that may be shared")
    );
    let added = text.split("write down why)").nth(1).unwrap();
    assert!(added.trim_start().starts_with("only: "), "{added}");
    assert!(added.contains("legal name") && !added.contains("previous missing episodes"));
}

#[test]
fn the_childs_copy_names_what_we_keep_but_prints_none_of_the_values() {
    let text = copy_text();
    for must_not in [
        "Asthma",
        "'Dee'",
        "12 Example Row",
        "07700 900",
        "Appeal lodged",
        "Cannabis",
        "Seen getting into cars",
    ] {
        assert!(
            !text.contains(must_not),
            "the child's copy must not print {must_not:?}"
        );
    }
}
