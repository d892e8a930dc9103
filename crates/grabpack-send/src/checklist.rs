//! The pre-report checklist as data, with per-force variants.
//!
//! Why data: forces word their expectations differently (the Met has pre-agreed steps for 13-17s in
//! residential care) and they change; a manager can check the wording against `last_verified`
//! without a new release. The rule that matters is in code: immediate danger, or a child at or
//! under the force's 999 age line (`grabpack_core::practice`), puts "call 999 now" first, and no
//! step is ever a gate. A variant meant for one cohort (the Met's pre-agreed steps: 13-17s in
//! residential or semi-independent placements) names it, and applies to no other child.

use grabpack_core::practice::Call999Rule;
use grabpack_store::HomeType;
use serde::{Deserialize, Serialize};

use crate::directory::{Directory, Unit};
use crate::error::{Result, SendError};

pub const SHIPPED: &str = include_str!("../../../assets/checklists/pre-report.json");

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    pub label: String,
    /// For a variant's extra step: put it after this step.
    #[serde(default, skip_serializing)]
    pub after: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Variant {
    #[serde(default)]
    extra: Vec<Step>,
    #[serde(default)]
    replace: Option<Vec<Step>>,
    /// Only for children in this cohort; `None`: every child.
    #[serde(default)]
    cohort: Option<Cohort>,
}

/// The children a variant is for.
#[derive(Debug, Deserialize)]
struct Cohort {
    min_age: i16,
    max_age: i16,
    home_types: Vec<HomeType>,
}

impl Cohort {
    /// A child whose age is not known is not taken to be in an age-bound cohort.
    fn includes(&self, child: &ChildPlacement) -> bool {
        child
            .age
            .is_some_and(|a| (self.min_age..=self.max_age).contains(&a))
            && self.home_types.contains(&child.home_type)
    }
}

/// Who the checklist is for: what decides whether a cohort's variant applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildPlacement {
    pub age: Option<i16>,
    pub home_type: HomeType,
}

#[derive(Debug, Deserialize)]
struct File {
    call_999_step: Step,
    default: Vec<Step>,
    #[serde(default)]
    variants: std::collections::BTreeMap<String, Variant>,
}

/// The steps to show, in order.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checklist {
    /// Immediate danger or a child aged 12 or under: the first step is "call 999 now".
    pub call_999_now: bool,
    pub steps: Vec<Step>,
}

/// The checklist for the unit where the child went missing, for this child and placement.
/// `rule` is the force's 999 rule (its words fill the "call 999 now" step).
pub fn checklist_for(
    directory: &Directory,
    unit: Option<&Unit>,
    child: ChildPlacement,
    call_999_now: bool,
    rule: &Call999Rule,
) -> Result<Checklist> {
    let file: File =
        serde_json::from_str(SHIPPED).map_err(|e| SendError::Directory(e.to_string()))?;
    let mut steps = file.default.clone();
    if let Some(unit) = unit {
        let force = directory.force_of(unit);
        for key in [force.id.as_str(), unit.id.as_str()] {
            let Some(v) = file.variants.get(key) else {
                continue;
            };
            if v.cohort.as_ref().is_some_and(|c| !c.includes(&child)) {
                continue;
            }
            if let Some(r) = &v.replace {
                steps = r.clone();
            }
            for extra in &v.extra {
                let at = extra
                    .after
                    .as_ref()
                    .and_then(|a| steps.iter().position(|s| &s.id == a))
                    .map(|i| i + 1)
                    .unwrap_or(steps.len());
                steps.insert(at, extra.clone());
            }
            if key == force.id && force.id == unit.id {
                break;
            }
        }
    }
    if call_999_now {
        let who = match rule.at_or_under_age {
            Some(age) => format!("the child may be in immediate danger, or is {age} or under"),
            None => "the child may be in immediate danger".to_string(),
        };
        let mut step = file.call_999_step;
        step.label = step
            .label
            .replace("{who}", &who)
            .replace("{wording}", &rule.wording);
        steps.insert(0, step);
    }
    Ok(Checklist {
        call_999_now,
        steps,
    })
}

/// The forces and BCUs the shipped file has variants for (each must be in the directory).
pub fn variant_keys() -> Result<Vec<String>> {
    let file: File =
        serde_json::from_str(SHIPPED).map_err(|e| SendError::Directory(e.to_string()))?;
    Ok(file.variants.into_keys().collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use grabpack_core::practice::Practice;

    fn national() -> Call999Rule {
        Practice::shipped().unwrap().national().call_999.clone()
    }

    fn child(age: i16, home_type: HomeType) -> ChildPlacement {
        ChildPlacement {
            age: Some(age),
            home_type,
        }
    }

    fn ids(c: &Checklist) -> Vec<&str> {
        c.steps.iter().map(|s| s.id.as_str()).collect()
    }

    #[test]
    fn a_child_in_immediate_danger_goes_straight_to_999_in_the_forces_words() {
        let d = Directory::shipped().unwrap();
        let c = checklist_for(
            &d,
            None,
            child(15, HomeType::ChildrensHome),
            true,
            &national(),
        )
        .unwrap();
        assert_eq!(c.steps[0].id, "call_999");
        assert!(
            c.steps[0].label.contains("report immediately")
                && c.steps[0].label.contains("12 or under"),
            "{}",
            c.steps[0].label
        );
    }

    #[test]
    fn the_mets_pre_agreed_steps_are_for_13_to_17s_in_residential_or_semi_independent_care_only() {
        let d = Directory::shipped().unwrap();
        let unit = d.unit("met-central-north").unwrap();
        let rule = national();
        let for_child = |c: ChildPlacement| {
            ids(&checklist_for(&d, Some(unit), c, false, &rule).unwrap())
                .contains(&"met_pre_agreed_steps")
        };
        assert!(for_child(child(15, HomeType::ChildrensHome)));
        assert!(for_child(child(17, HomeType::SupportedAccommodation)));
        assert!(
            !for_child(child(15, HomeType::FosterHome)),
            "not foster care"
        );
        assert!(
            !for_child(child(12, HomeType::ChildrensHome)),
            "not under-13s"
        );
        assert!(!for_child(ChildPlacement {
            age: None,
            home_type: HomeType::ChildrensHome
        }));
        let kent = checklist_for(
            &d,
            Some(d.unit("kent").unwrap()),
            child(15, HomeType::ChildrensHome),
            false,
            &rule,
        )
        .unwrap();
        assert!(!kent.steps.iter().any(|s| s.id.starts_with("met_")));
    }

    #[test]
    fn every_checklist_has_the_steps_councils_expect_textsafe_after_the_report() {
        let d = Directory::shipped().unwrap();
        let c = checklist_for(
            &d,
            None,
            child(15, HomeType::FosterHome),
            false,
            &national(),
        )
        .unwrap();
        let ids = ids(&c);
        for expected in [
            "search_room_belongings",
            "ask_staff_young_people",
            "contact_school",
            "tell_on_call_manager",
            "ask_textsafe",
        ] {
            assert!(ids.contains(&expected), "{expected} missing from {ids:?}");
        }
        let at = |id: &str| ids.iter().position(|s| *s == id).unwrap();
        assert!(at("ask_textsafe") > at("call_101"));
        let belongings = &c.steps[at("search_room_belongings")].label;
        for thing in ["passport", "medication", "phone", "money"] {
            assert!(belongings.contains(thing), "{belongings}");
        }
        assert!(c.steps[at("ask_textsafe")].label.contains("TextSafe"));
    }

    #[test]
    fn every_variant_is_for_a_force_or_bcu_in_the_directory() {
        let d = Directory::shipped().unwrap();
        for key in variant_keys().unwrap() {
            assert!(d.unit(&key).is_ok(), "variant '{key}' names no unit");
        }
    }

    #[test]
    fn scotlands_variant_applies_to_a_child_missing_in_scotland() {
        let d = Directory::shipped().unwrap();
        let c = checklist_for(
            &d,
            Some(d.unit("scotland").unwrap()),
            child(15, HomeType::FosterHome),
            false,
            &national(),
        )
        .unwrap();
        assert!(ids(&c).contains(&"scotland_missing_person_form"));
    }
}
