//! One pack per audience, rendered from the same revision, each read back with `pdftotext`: what
//! each reader must see, and what they must not.
//!
//! The child is the fictional demo child while missing, with a full immigration status, an NRM
//! reference and "Dee" (an adult of concern) marked as a protected address: the child must not be
//! taken to his address.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on unexpected input

mod common;
#[path = "common/demo.rs"]
mod demo;

use common::{normalise, pdftotext};
use grabpack_core::audience::Audience;
use grabpack_core::form::Identifier;
use grabpack_pack::{PackInput, readout, render_pack};

const FULL_STATUS: &str = "Appeal lodged (fictional)";
const NRM: &str = "NRM-2026-0042 (fictional)";
/// The flags police search with are rows of their own (form version 2), printed label then value
/// and only when answered; the label wraps in its column, so the row is found by its first words.
const UASC: &str = "Unaccompanied asylum-seeking";
const TRAFFICKING: &str = "Trafficking concern Yes";
const DEE: &str = "'Dee' (fictional)";
const DEE_ADDRESS: &str = "9 Hidden Yard (fictional)";
const WARNING: &str = "Risk: do not return the child here";
const PART_ONE: &str = "Part 1: the child's profile";
const PART_TWO_FACT: &str = "Walked towards Mare Street buses";
const GP: &str = "Example Surgery";
const SOCIAL_WORKER: &str = "Jordan Lee (fictional)";

fn input() -> PackInput {
    let mut input = demo::demo_missing(1);
    let identity = &mut input.form.identity;
    identity.immigration_status = FULL_STATUS.into();
    identity.unaccompanied_asylum_seeker = Some(true);
    identity.trafficking_concern = Some(true);
    identity.identifiers.push(Identifier {
        kind: "NRM".into(),
        value: NRM.into(),
    });
    let dee = &mut input.form.people.associates[0];
    assert_eq!(dee.name, DEE);
    assert!(dee.protected_address, "the sample marks Dee as protected");
    dee.address.lines = vec![DEE_ADDRESS.into()];
    input
}

/// The whole PDF and the read-out of `audience`'s version, as one line of text.
fn printed(audience: Audience) -> String {
    let mut input = input();
    input.audience = audience;
    let pdf = render_pack(&input).unwrap().pdf;
    normalise(&format!(
        "{}\n{}",
        pdftotext(&pdf, &["-raw"]),
        readout(&input)
    ))
}

fn assert_shows(audience: Audience, text: &str, must: &[&str], must_not: &[&str]) {
    for m in must {
        assert!(
            text.contains(&normalise(m)),
            "{audience:?}'s pack should show {m:?}"
        );
    }
    for m in must_not {
        assert!(
            !text.contains(&normalise(m)),
            "{audience:?}'s pack must not show {m:?}"
        );
    }
}

#[test]
fn police_get_the_full_part_one_the_immigration_flags_and_the_protected_address_with_its_warning() {
    let text = printed(Audience::Police);
    assert_shows(
        Audience::Police,
        &text,
        &[
            PART_ONE,
            UASC,
            TRAFFICKING,
            NRM,
            DEE,
            DEE_ADDRESS,
            WARNING,
            GP,
            PART_TWO_FACT,
        ],
        &[FULL_STATUS],
    );
}

#[test]
fn a_second_force_gets_part_one_without_what_only_the_lead_force_and_social_care_need() {
    let text = printed(Audience::SecondForce);
    assert_shows(
        Audience::SecondForce,
        &text,
        &[
            PART_ONE,
            UASC,
            TRAFFICKING,
            NRM,
            DEE,
            DEE_ADDRESS,
            WARNING,
            PART_TWO_FACT,
        ],
        &[FULL_STATUS, GP],
    );
}

#[test]
fn social_care_get_the_full_immigration_status_and_only_the_name_and_warning_of_a_protected_address()
 {
    let text = printed(Audience::SocialCare);
    assert_shows(
        Audience::SocialCare,
        &text,
        &[
            PART_ONE,
            FULL_STATUS,
            UASC,
            TRAFFICKING,
            NRM,
            DEE,
            WARNING,
            GP,
            PART_TWO_FACT,
        ],
        &[DEE_ADDRESS, "partial reg"],
    );
}

#[test]
fn an_extra_address_gets_page_one_and_part_two_only() {
    let text = printed(Audience::ExtraAddress);
    assert_shows(
        Audience::ExtraAddress,
        &text,
        &["Amara Okafor-Reyes", "Penicillin", PART_TWO_FACT],
        &[
            PART_ONE,
            FULL_STATUS,
            NRM,
            UASC,
            TRAFFICKING,
            DEE,
            DEE_ADDRESS,
            GP,
            SOCIAL_WORKER,
        ],
    );
}

#[test]
fn an_extra_address_a_manager_widened_gets_part_one_but_neither_the_status_nor_the_protected_address()
 {
    let text = printed(Audience::ExtraAddressWidened);
    assert_shows(
        Audience::ExtraAddressWidened,
        &text,
        &[
            PART_ONE,
            UASC,
            TRAFFICKING,
            NRM,
            DEE,
            WARNING,
            PART_TWO_FACT,
        ],
        &[FULL_STATUS, DEE_ADDRESS],
    );
}
