//! Police practice that differs by force, kept as data (`assets/police/practice.json`): the risk
//! categories a force grades a missing child in, when a child is reported at once on 999 and how
//! that is worded, and the clock for the police prevention (safe and well) interview.
//!
//! Why data and not code: forces word and time these differently and change them (GMP says "999
//! if in danger", others draw an age line; London's prevention interview is due in 24 hours,
//! elsewhere "as soon as possible"), so each part carries its source and a person can check it
//! without reading Rust. What stays in code is what must never vary: immediate danger always
//! means 999, and "absent / no apparent risk" is never offered for a child (a file that offers it
//! is refused when it is read, and the shipped file is read by a test).
//!
//! The file is compiled in and parsed once: the emergency path never reads a file.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jiff::{SignedDuration, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::form::RiskGrading;

/// The shipped file, compiled in.
pub const SHIPPED: &str = include_str!("../../../assets/police/practice.json");
const SCHEMA: &str = "grabpack.police-practice.v1";

/// One category a force grades in, with the force's own words for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RiskCategory {
    pub grading: RiskGrading,
    pub words: String,
}

/// The categories a force grades a missing child in, in order, with where that comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RiskVocabulary {
    pub categories: Vec<RiskCategory>,
    pub source: String,
}

impl RiskVocabulary {
    /// The force's words for a grading, or `None` when the force does not grade in it (a grading
    /// recorded before, such as "no apparent risk", is still shown as recorded by the caller).
    pub fn words_for(&self, grading: RiskGrading) -> Option<&str> {
        self.categories
            .iter()
            .find(|c| c.grading == grading)
            .map(|c| c.words.as_str())
    }
}

/// When a child is reported at once on 999, and how the force says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Call999Rule {
    /// A child this age or under is reported at once; `None`: only when in danger.
    pub at_or_under_age: Option<i16>,
    /// The force's words, e.g. "report immediately".
    pub wording: String,
    pub source: String,
}

impl Call999Rule {
    /// Whether the person reporting must call 999 now, before any checklist step: immediate
    /// danger always; the age line only where the force draws one.
    pub fn must_call_999(&self, age: Option<i16>, immediate_danger: bool) -> bool {
        immediate_danger
            || matches!((age, self.at_or_under_age), (Some(a), Some(line)) if a <= line)
    }
}

/// When police should hold the prevention (safe and well) interview after a child returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PreventionClock {
    /// Hours after the return; `None`: no fixed time, "as soon as possible".
    pub within_hours: Option<u32>,
    pub wording: String,
    pub source: String,
}

impl PreventionClock {
    /// When the interview is due, for a child back at `returned`.
    pub fn due_by(&self, returned: Timestamp) -> Option<Timestamp> {
        let hours = self.within_hours?;
        returned
            .checked_add(SignedDuration::from_hours(i64::from(hours)))
            .ok()
    }
}

/// A force's practice, resolved: the national advice with the force's own parts laid over it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ForcePractice {
    /// The force this is for; `None` for the national advice (no force known, or none listed).
    pub force_id: Option<String>,
    pub risk_grading: RiskVocabulary,
    pub call_999: Call999Rule,
    pub prevention_interview: PreventionClock,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ForceOverride {
    risk_grading: Option<RiskVocabulary>,
    call_999: Option<Call999Rule>,
    prevention_interview: Option<PreventionClock>,
}

#[derive(Debug, Deserialize)]
struct File {
    schema: String,
    national: NationalFile,
    #[serde(default)]
    forces: BTreeMap<String, ForceOverride>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NationalFile {
    risk_grading: RiskVocabulary,
    call_999: Call999Rule,
    prevention_interview: PreventionClock,
}

/// The practice file, read and checked.
#[derive(Debug, Clone)]
pub struct Practice {
    national: ForcePractice,
    forces: BTreeMap<String, ForceOverride>,
}

impl Practice {
    /// The shipped file, parsed and checked once per process.
    pub fn shipped() -> Result<&'static Practice, CoreError> {
        static SHIPPED_PRACTICE: OnceLock<Result<Practice, String>> = OnceLock::new();
        SHIPPED_PRACTICE
            .get_or_init(|| Practice::parse(SHIPPED).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|reason| CoreError::Practice(reason.clone()))
    }

    /// Read and check a practice file: every part has its source and wording, no category is
    /// offered twice, the age line is a child's age, and "no apparent risk" is never offered.
    pub fn parse(json: &str) -> Result<Practice, CoreError> {
        let file: File =
            serde_json::from_str(json).map_err(|e| CoreError::Practice(e.to_string()))?;
        if file.schema != SCHEMA {
            return Err(CoreError::Practice(format!(
                "format '{}', expected '{SCHEMA}'",
                file.schema
            )));
        }
        let national = ForcePractice {
            force_id: None,
            risk_grading: file.national.risk_grading,
            call_999: file.national.call_999,
            prevention_interview: file.national.prevention_interview,
        };
        check("national", &national)?;
        let practice = Practice {
            national,
            forces: file.forces,
        };
        for id in practice.forces.keys() {
            check(id, &practice.for_force(Some(id)))?;
        }
        Ok(practice)
    }

    /// The practice of a force (by its directory id), or the national advice for a force the
    /// file does not list or when no force is known.
    pub fn for_force(&self, force_id: Option<&str>) -> ForcePractice {
        let Some((id, o)) = force_id.and_then(|id| self.forces.get_key_value(id)) else {
            return self.national.clone();
        };
        ForcePractice {
            force_id: Some(id.clone()),
            risk_grading: o
                .risk_grading
                .clone()
                .unwrap_or_else(|| self.national.risk_grading.clone()),
            call_999: o
                .call_999
                .clone()
                .unwrap_or_else(|| self.national.call_999.clone()),
            prevention_interview: o
                .prevention_interview
                .clone()
                .unwrap_or_else(|| self.national.prevention_interview.clone()),
        }
    }

    /// The national advice.
    pub fn national(&self) -> &ForcePractice {
        &self.national
    }

    /// The forces the file names (each must be a force in the police directory).
    pub fn force_ids(&self) -> impl Iterator<Item = &str> {
        self.forces.keys().map(String::as_str)
    }
}

fn check(whose: &str, p: &ForcePractice) -> Result<(), CoreError> {
    let bad = |what: String| Err(CoreError::Practice(format!("{whose}: {what}")));
    let v = &p.risk_grading;
    if v.categories.is_empty() {
        return bad("no risk categories".into());
    }
    let mut seen = Vec::new();
    for c in &v.categories {
        if c.grading == RiskGrading::NoApparentRisk {
            return bad("'no apparent risk' is never a category for a child".into());
        }
        if seen.contains(&c.grading) {
            return bad(format!("'{}' is listed twice", c.grading.label()));
        }
        if c.words.trim().is_empty() {
            return bad(format!("no words for '{}'", c.grading.label()));
        }
        seen.push(c.grading);
    }
    if let Some(age) = p.call_999.at_or_under_age
        && !(0..=17).contains(&age)
    {
        return bad(format!("999 age line {age} is not a child's age"));
    }
    if let Some(0) = p.prevention_interview.within_hours {
        return bad("a prevention interview due within 0 hours".into());
    }
    for (part, text) in [
        ("risk grading source", &v.source),
        ("999 wording", &p.call_999.wording),
        ("999 source", &p.call_999.source),
        (
            "prevention interview wording",
            &p.prevention_interview.wording,
        ),
        (
            "prevention interview source",
            &p.prevention_interview.source,
        ),
    ] {
        if text.trim().is_empty() {
            return bad(format!("no {part}"));
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn shipped() -> &'static Practice {
        Practice::shipped().expect("the shipped practice file reads")
    }

    #[test]
    fn no_force_offers_no_apparent_risk_for_a_child() {
        let p = shipped();
        for force in std::iter::once(None).chain(p.force_ids().map(Some)) {
            let v = p.for_force(force).risk_grading;
            assert!(
                v.words_for(RiskGrading::NoApparentRisk).is_none(),
                "{force:?} offers 'no apparent risk'"
            );
        }
    }

    #[test]
    fn a_file_offering_no_apparent_risk_is_refused() {
        let offering = SHIPPED.replacen(
            r#"{ "grading": "very_low", "words": "Very low" }"#,
            r#"{ "grading": "no_apparent_risk", "words": "Absent" }"#,
            1,
        );
        assert_ne!(offering, SHIPPED, "the test edits the national list");
        let err = Practice::parse(&offering).unwrap_err();
        assert_eq!(err.code(), "practice.invalid");
        assert!(err.to_string().contains("no apparent risk"), "{err}");
    }

    #[test]
    fn england_and_wales_grade_very_low_to_high_and_scotland_low_to_high() {
        let p = shipped();
        let grades = |f: Option<&str>| -> Vec<RiskGrading> {
            p.for_force(f)
                .risk_grading
                .categories
                .iter()
                .map(|c| c.grading)
                .collect()
        };
        use RiskGrading::*;
        assert_eq!(grades(None), [VeryLow, Low, Medium, High]);
        assert_eq!(grades(Some("kent")), [VeryLow, Low, Medium, High]);
        assert_eq!(grades(Some("scotland")), [Low, Medium, High]);
    }

    #[test]
    fn the_national_999_line_is_twelve_or_under_worded_report_immediately_with_its_source() {
        let rule = shipped().national().call_999.clone();
        assert_eq!(rule.at_or_under_age, Some(12));
        assert_eq!(rule.wording, "report immediately");
        assert!(!rule.source.trim().is_empty());
        assert!(rule.must_call_999(Some(12), false));
        assert!(!rule.must_call_999(Some(13), false));
        assert!(
            !rule.must_call_999(None, false),
            "an unknown age is not a reason"
        );
        assert!(
            rule.must_call_999(Some(16), true),
            "immediate danger always"
        );
    }

    #[test]
    fn a_force_without_an_age_line_still_sends_a_child_in_danger_to_999() {
        let rule = shipped().for_force(Some("greater-manchester")).call_999;
        assert_eq!(rule.at_or_under_age, None);
        assert!(!rule.must_call_999(Some(10), false));
        assert!(rule.must_call_999(Some(10), true));
    }

    #[test]
    fn londons_prevention_interview_is_due_24_hours_after_the_return_and_elsewhere_has_no_fixed_clock()
     {
        let back: Timestamp = "2026-11-02T09:30:00Z".parse().unwrap();
        let met = shipped()
            .for_force(Some("metropolitan"))
            .prevention_interview;
        assert_eq!(
            met.due_by(back),
            Some("2026-11-03T09:30:00Z".parse().unwrap())
        );
        let kent = shipped().for_force(Some("kent")).prevention_interview;
        assert_eq!(kent.due_by(back), None);
        assert!(!kent.wording.is_empty());
    }

    #[test]
    fn a_force_overrides_only_the_parts_it_names() {
        let p = shipped();
        let met = p.for_force(Some("metropolitan"));
        assert_eq!(met.force_id.as_deref(), Some("metropolitan"));
        assert_eq!(met.call_999, p.national().call_999);
        assert_eq!(met.risk_grading, p.national().risk_grading);
        assert_ne!(met.prevention_interview, p.national().prevention_interview);
        assert_eq!(
            p.for_force(Some("kent")).force_id,
            None,
            "kent is not listed"
        );
    }

    #[test]
    fn an_age_line_that_is_not_a_childs_age_is_refused() {
        let wrong = SHIPPED.replacen(r#""at_or_under_age": 12"#, r#""at_or_under_age": 18"#, 1);
        assert_ne!(wrong, SHIPPED);
        assert_eq!(
            Practice::parse(&wrong).unwrap_err().code(),
            "practice.invalid"
        );
    }
}
