//! From the intake protocol's words to the home's own: the one place the wire vocabulary
//! (grabpack-protocol) meets the form's (grabpack-core) and the store's record of an episode.
//!
//! Why a mapping and not one shared type: the protocol is frozen with its version and read by
//! receivers anyone may write; the form and the store change with the home's needs. Neither may
//! depend on the protocol (the architecture test holds that), so the sender, which speaks both,
//! translates. Every match is exhaustive: a new grading or status on either side is a compile
//! error here until someone decides what it means on the other.

use grabpack_core::RiskGrading as FormGrading;
use grabpack_protocol::{AckStatus, Acknowledgement, RiskGrading as WireGrading};
use grabpack_store::episodes::Acknowledgement as RecordedAcknowledgement;

/// An officer's grading, in the form's vocabulary (as the episode's police report keeps it).
pub fn form_grading(g: WireGrading) -> FormGrading {
    match g {
        WireGrading::NoApparentRisk => FormGrading::NoApparentRisk,
        WireGrading::Low => FormGrading::Low,
        WireGrading::Medium => FormGrading::Medium,
        WireGrading::High => FormGrading::High,
    }
}

/// The form's grading, in the wire vocabulary. The wire (frozen with `grabpack.intake.v1`) has no
/// "very low": `None`, never a neighbouring grade. Nothing the home sends carries a grading today;
/// an officer at an intake grades in the protocol's words, and a "no apparent risk" that comes
/// back is recorded as given (the home never offers it for a child).
pub fn wire_grading(g: FormGrading) -> Option<WireGrading> {
    match g {
        FormGrading::NoApparentRisk => Some(WireGrading::NoApparentRisk),
        FormGrading::VeryLow => None,
        FormGrading::Low => Some(WireGrading::Low),
        FormGrading::Medium => Some(WireGrading::Medium),
        FormGrading::High => Some(WireGrading::High),
    }
}

/// How the store's episode history spells an acknowledgement's status.
pub fn recorded_status(s: AckStatus) -> &'static str {
    match s {
        AckStatus::Accepted => "accepted",
        AckStatus::NotAccepted => "not_accepted",
    }
}

/// An acknowledgement read from the intake at `intake`, as the episode records it.
pub fn recorded_acknowledgement(intake: &str, a: &Acknowledgement) -> RecordedAcknowledgement {
    RecordedAcknowledgement {
        intake: intake.to_string(),
        cursor: a.cursor.clone(),
        receipt_id: a.receipt_id.clone(),
        idempotency_key: a.idempotency_key.clone(),
        status: recorded_status(a.status).to_string(),
        officer_name: a.officer_name.clone(),
        collar_number: a.collar_number.clone().unwrap_or_default(),
        police_reference: a.police_reference.clone().unwrap_or_default(),
        risk_grading: a.risk_grading.map(form_grading),
        note: a.note.clone().unwrap_or_default(),
        reason: a.reason.clone().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wire_grading_has_a_form_grading_and_comes_back_unchanged() {
        for g in WireGrading::ALL {
            assert_eq!(wire_grading(form_grading(g)), Some(g));
            assert_eq!(form_grading(g).label(), g.label());
        }
    }

    #[test]
    fn very_low_has_no_wire_word_and_is_never_sent_as_a_neighbouring_grade() {
        assert_eq!(wire_grading(FormGrading::VeryLow), None);
    }

    #[test]
    fn the_store_records_each_status_as_the_wire_spells_it() {
        for s in AckStatus::ALL {
            assert_eq!(recorded_status(s), s.as_str());
        }
    }
}
