//! Page 1 and the 101 read-out carry what police act on first: the child wanted or circulated by
//! police, a trafficking concern with its NRM decision and an unaccompanied asylum-seeking child,
//! each only in the versions whose reader reads that field. Read back with `pdftotext`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on unexpected input

mod common;
#[path = "common/demo.rs"]
mod demo;

use common::{normalise, pdftotext};
use grabpack_core::audience::Audience;
use grabpack_core::form::{Concern, RiskEntry, Wanted, WantedStatus};
use grabpack_pack::{PackInput, readout, render_pack};
use jiff::civil::date;

const WANTED: &str =
    "WANTED BY POLICE: Example Constabulary (fictional). Breach of bail, ref WB-0001 (fictional)";
const TRAFFICKING: &str = "TRAFFICKING CONCERN. NRM:";
const UASC: &str = "UNACCOMPANIED ASYLUM-SEEKING CHILD";

/// The demo child missing now, wanted by police, with the two immigration flags and an NRM
/// referral, and no trafficking entry among the risks (so the flag itself must speak).
fn flagged() -> PackInput {
    let mut input = demo::demo_missing(1);
    let form = &mut input.form;
    form.risks.wanted = Wanted {
        status: Some(WantedStatus::Wanted),
        force: "Example Constabulary (fictional)".into(),
        reason: "Breach of bail, ref WB-0001 (fictional)".into(),
    };
    form.risks.trafficking = RiskEntry::default();
    form.identity.trafficking_concern = Some(true);
    form.identity.unaccompanied_asylum_seeker = Some(true);
    form.identity.nrm.referred = Some(true);
    form.identity.nrm.referred_on = Some(date(2026, 9, 14));
    input
}

/// Page 1 of `audience`'s version and its read-out.
fn page_one_and_readout(mut input: PackInput, audience: Audience) -> (String, String) {
    input.audience = audience;
    let pdf = render_pack(&input).unwrap().pdf;
    (
        normalise(&pdftotext(&pdf, &["-f", "1", "-l", "1", "-raw"])),
        normalise(&readout(&input)),
    )
}

#[test]
fn police_read_wanted_the_trafficking_concern_and_an_asylum_seeking_child_on_page_one_and_in_the_readout()
 {
    for audience in [
        Audience::Police,
        Audience::SecondForce,
        Audience::SocialCare,
    ] {
        let (page, said) = page_one_and_readout(flagged(), audience);
        for flag in [WANTED, TRAFFICKING, UASC] {
            assert!(
                page.contains(&normalise(flag)),
                "{audience:?} page 1 lacks {flag:?}: {page}"
            );
            assert!(
                said.contains(&normalise(flag)),
                "{audience:?} read-out lacks {flag:?}: {said}"
            );
        }
    }
}

#[test]
fn an_added_address_reads_none_of_the_flags_its_version_does_not_carry() {
    let (page, said) = page_one_and_readout(flagged(), Audience::ExtraAddress);
    for flag in ["WANTED BY POLICE", "TRAFFICKING CONCERN", UASC] {
        assert!(!page.contains(flag), "page 1 shows {flag:?}: {page}");
        assert!(!said.contains(flag), "the read-out says {flag:?}: {said}");
    }
}

#[test]
fn a_child_not_wanted_and_without_the_flags_gets_no_such_line() {
    let mut input = flagged();
    input.form.risks.wanted.status = Some(WantedStatus::NotWanted);
    input.form.identity.trafficking_concern = Some(false);
    input.form.identity.unaccompanied_asylum_seeker = Some(false);
    let (page, said) = page_one_and_readout(input, Audience::Police);
    for flag in [
        "WANTED BY POLICE",
        "NOT WANTED",
        "TRAFFICKING CONCERN",
        UASC,
    ] {
        assert!(!page.contains(flag), "page 1 shows {flag:?}");
        assert!(!said.contains(flag), "the read-out says {flag:?}");
    }
}

#[test]
fn a_trafficking_entry_among_the_risks_is_not_printed_twice_as_a_flag() {
    let mut input = flagged();
    input.form.risks.trafficking = RiskEntry {
        concern: Some(Concern::Suspected),
        note: "Seen with an adult not known to the home (fictional)".into(),
    };
    let (page, _) = page_one_and_readout(input, Audience::Police);
    assert!(page.contains("TRAFFICKING / MODERN SLAVERY"), "{page}");
    assert!(!page.contains("TRAFFICKING CONCERN"), "{page}");
}
