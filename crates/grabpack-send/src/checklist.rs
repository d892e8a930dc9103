//! The pre-report checklist as data, with per-force variants.
//!
//! Why data: forces word their expectations differently (the Met has pre-agreed steps for 13-17s in
//! residential care) and they change; a manager can check the wording against `last_verified`
//! without a new release. The rule that matters is in code: immediate danger, or a child aged 12
//! or under, puts "call 999 now" first, and no step is ever a gate.

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

/// The checklist for the unit where the child went missing.
pub fn checklist_for(
    directory: &Directory,
    unit: Option<&Unit>,
    call_999_now: bool,
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
        steps.insert(0, file.call_999_step);
    }
    Ok(Checklist {
        call_999_now,
        steps,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_child_in_immediate_danger_goes_straight_to_999() {
        let d = Directory::shipped().unwrap();
        let c = checklist_for(&d, None, true).unwrap();
        assert_eq!(c.steps[0].id, "call_999");
    }

    #[test]
    fn a_met_bcu_gets_the_mets_pre_agreed_steps() {
        let d = Directory::shipped().unwrap();
        let unit = d.unit("met-central-north").unwrap();
        let c = checklist_for(&d, Some(unit), false).unwrap();
        let ids: Vec<&str> = c.steps.iter().map(|s| s.id.as_str()).collect();
        assert!(ids.contains(&"met_pre_agreed_steps"), "{ids:?}");
        assert!(!ids.contains(&"call_999"));
        let kent = checklist_for(&d, Some(d.unit("kent").unwrap()), false).unwrap();
        assert!(!kent.steps.iter().any(|s| s.id.starts_with("met_")));
    }
}
