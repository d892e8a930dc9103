//! Merging two revisions of a child's form that were saved at the same time on two devices.
//!
//! Why here, and why this way: every device of a home merges the same two revisions the same
//! way, without asking anyone, so they all arrive at the same record. The rule is therefore a
//! pure function of the three forms and of which of the two was saved later, never of which
//! device runs it. A field is a leaf of the serialised form, with a list counted as one field
//! (two people editing one contact list are not merged item by item: a list whose items moved
//! would be merged wrongly). A field changed on one side only takes that change; changed on both
//! sides to the same value, that value; changed to two different values, the later save is shown
//! and both values are kept in the disagreement, for a person to choose. Nothing is dropped: the
//! two revisions themselves stay in the history.

use serde_json::{Map, Value};

use crate::form::ChildForm;

/// One field two devices changed to different values.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Disagreement {
    /// The field, in the paths the diff and the field table use (`placement.address`).
    pub path: String,
    /// The value of the later save: what the merged form shows until someone chooses.
    pub later: Value,
    /// The value of the earlier save, kept so it can be chosen.
    pub earlier: Value,
}

/// The merged form and what it could not decide.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub form: ChildForm,
    pub disagreements: Vec<Disagreement>,
}

/// Why a merge could not be made: a form that does not serialise back into the form's shape.
#[derive(Debug, thiserror::Error)]
#[error("the merged form is not a valid form: {0}")]
pub struct MergeError(String);

/// Merge `earlier` and `later` (two revisions saved concurrently from the common ancestor
/// `base`). `later` is the one saved later; ties are broken by the caller (by revision id) so
/// every device orders the same two revisions the same way.
pub fn merge_forms(
    base: &ChildForm,
    earlier: &ChildForm,
    later: &ChildForm,
) -> Result<Merged, MergeError> {
    let base = to_value(base)?;
    let a = to_value(earlier)?;
    let b = to_value(later)?;
    let mut fields = Vec::new();
    collect_fields(&[], [&base, &a, &b], &mut fields);
    let mut merged = b.clone();
    let mut disagreements = Vec::new();
    for path in fields {
        let (vb, va, vl) = (get(&base, &path), get(&a, &path), get(&b, &path));
        let (nb, na, nl) = (normal(vb), normal(va), normal(vl));
        if na == nl || na == nb {
            // Both the same, or only the later side changed it: the later form already holds it.
            continue;
        }
        if nl == nb {
            // Only the earlier side changed it.
            set(&mut merged, &path, va.cloned());
            continue;
        }
        disagreements.push(Disagreement {
            path: path.join("."),
            later: vl.cloned().unwrap_or(Value::Null),
            earlier: va.cloned().unwrap_or(Value::Null),
        });
    }
    let form = serde_json::from_value(merged).map_err(|e| MergeError(e.to_string()))?;
    Ok(Merged {
        form,
        disagreements,
    })
}

/// The form with one field set to a value a person chose from a disagreement (`path` as in
/// [`Disagreement::path`]).
pub fn with_field(form: &ChildForm, path: &str, value: &Value) -> Result<ChildForm, MergeError> {
    let mut v = to_value(form)?;
    let segments: Vec<String> = path.split('.').map(str::to_string).collect();
    set(&mut v, &segments, (!value.is_null()).then(|| value.clone()));
    serde_json::from_value(v).map_err(|e| MergeError(e.to_string()))
}

/// The value of one field of a form, as [`Disagreement`] holds it.
pub fn field_value(form: &ChildForm, path: &str) -> Result<Value, MergeError> {
    let v = to_value(form)?;
    let segments: Vec<String> = path.split('.').map(str::to_string).collect();
    Ok(get(&v, &segments).cloned().unwrap_or(Value::Null))
}

fn to_value(form: &ChildForm) -> Result<Value, MergeError> {
    serde_json::to_value(form).map_err(|e| MergeError(e.to_string()))
}

/// Every field path (objects walked into, lists and scalars are fields) of any of the forms.
fn collect_fields(prefix: &[String], values: [&Value; 3], out: &mut Vec<Vec<String>>) {
    let mut keys: Vec<&String> = values
        .iter()
        .filter_map(|v| v.as_object())
        .flat_map(Map::keys)
        .collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let mut path = prefix.to_vec();
        path.push(k.clone());
        let children = values.map(|v| v.get(k.as_str()).unwrap_or(&Value::Null));
        // Walk in only where all three are objects: an optional group set on one side and empty
        // on another, or an enum whose variant changed (an object on one side, a word on the
        // other), is one field, so the merge never builds half of one.
        if children.iter().all(|c| c.is_object()) {
            collect_fields(&path, children, out);
        } else {
            out.push(path);
        }
    }
}

fn get<'a>(v: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(k.as_str()))
}

/// Absent, null, an empty text and an empty list all mean "not filled in" (as in the diff).
fn normal(v: Option<&Value>) -> Option<&Value> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::Array(a)) if a.is_empty() => None,
        Some(Value::Object(o)) if o.is_empty() => None,
        other => other,
    }
}

/// Set (or, with `None`, remove) one field, making the objects on the way.
fn set(v: &mut Value, path: &[String], value: Option<Value>) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = v;
    for k in parents {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let Some(map) = at.as_object_mut() else {
            return;
        };
        at = map.entry(k.clone()).or_insert(Value::Object(Map::new()));
    }
    if !at.is_object() {
        *at = Value::Object(Map::new());
    }
    if let Some(map) = at.as_object_mut() {
        match value {
            Some(x) => {
                map.insert(last.clone(), x);
            }
            None => {
                map.remove(last);
            }
        }
    }
}

/// What a person reads for one side of a disagreement: the field's label (or its path, where
/// the form has no label for it) and each value in words, the same in the app and the command
/// line.
pub fn disagreement_words(path: &str, value: &Value) -> (String, String) {
    let label = crate::fields::field(path)
        .map(|f| f.label.to_string())
        .unwrap_or_else(|| path.to_string());
    (label, value_words(value))
}

/// A value as a person reads it: text as it is, nothing as "(left empty)", a yes/no as yes or
/// no, and anything larger (a list, a group) as its compact JSON.
pub fn value_words(value: &Value) -> String {
    match value {
        Value::Null => "(left empty)".into(),
        Value::String(s) if s.trim().is_empty() => "(left empty)".into(),
        Value::String(s) => s.clone(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Array(a) if a.is_empty() => "(none listed)".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use jiff::civil::date;
    use serde_json::json;

    fn sample_form() -> ChildForm {
        crate::sample::complete_form(
            "Sam Example (fictional)",
            "Sammy",
            date(2011, 4, 2),
            date(2026, 11, 1),
        )
    }

    fn form_with(edit: impl FnOnce(&mut ChildForm)) -> ChildForm {
        let mut f = sample_form();
        edit(&mut f);
        f
    }

    #[test]
    fn edits_of_different_fields_on_two_devices_are_both_kept() {
        let base = sample_form();
        let a = form_with(|f| f.identity.legal_name = "Sam (device A)".into());
        let b = form_with(|f| f.description.build = "Slim (device B)".into());
        let m = merge_forms(&base, &a, &b).unwrap();
        assert!(m.disagreements.is_empty(), "{:?}", m.disagreements);
        assert_eq!(m.form.identity.legal_name, "Sam (device A)");
        assert_eq!(m.form.description.build, "Slim (device B)");
    }

    #[test]
    fn two_values_for_one_field_show_the_later_and_keep_both() {
        let base = sample_form();
        let a = form_with(|f| f.identity.legal_name = "Earlier".into());
        let b = form_with(|f| f.identity.legal_name = "Later".into());
        let m = merge_forms(&base, &a, &b).unwrap();
        assert_eq!(m.form.identity.legal_name, "Later");
        assert_eq!(
            m.disagreements,
            vec![Disagreement {
                path: "identity.legal_name".into(),
                later: Value::String("Later".into()),
                earlier: Value::String("Earlier".into()),
            }]
        );
        let chosen =
            with_field(&m.form, "identity.legal_name", &m.disagreements[0].earlier).unwrap();
        assert_eq!(chosen.identity.legal_name, "Earlier");
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_disagreement() {
        let base = sample_form();
        let a = form_with(|f| f.identity.legal_name = "Same".into());
        let m = merge_forms(&base, &a, &a.clone()).unwrap();
        assert!(m.disagreements.is_empty());
        assert_eq!(m.form.identity.legal_name, "Same");
    }

    #[test]
    fn a_field_emptied_on_one_side_stays_empty() {
        let base = sample_form();
        let a = form_with(|f| f.identity.known_as = Vec::new());
        let b = form_with(|f| f.description.build = "Tall".into());
        let m = merge_forms(&base, &a, &b).unwrap();
        assert_eq!(m.form.identity.known_as, Vec::<String>::new());
        assert_eq!(m.form.description.build, "Tall");
    }

    #[test]
    fn a_group_that_is_an_object_on_one_side_only_is_merged_as_one_field() {
        // As serde writes an enum variant with data ({"Other": "..."}) beside a plain one.
        let base: Value = serde_json::json!({ "g": "plain" });
        let earlier: Value = serde_json::json!({ "g": { "other": "in the child's words" } });
        let later: Value = serde_json::json!({ "g": "plain" });
        let mut fields = Vec::new();
        collect_fields(&[], [&base, &earlier, &later], &mut fields);
        assert_eq!(fields, vec![vec!["g".to_string()]]);
    }

    #[test]
    fn the_merge_does_not_depend_on_which_device_runs_it() {
        // Each device calls with the same (earlier, later) order: the result is one value.
        let base = sample_form();
        let a = form_with(|f| {
            f.identity.legal_name = "A".into();
            f.description.build = "A build".into();
        });
        let b = form_with(|f| f.identity.legal_name = "B".into());
        assert_eq!(
            merge_forms(&base, &a, &b).unwrap(),
            merge_forms(&base, &a, &b).unwrap()
        );
    }

    #[test]
    fn a_disagreement_reads_as_the_field_label_and_each_value_in_words() {
        let (label, words) =
            disagreement_words("identity.legal_name", &json!("Sam Doe (fictional)"));
        assert_ne!(
            label, "identity.legal_name",
            "the form's label, not the path"
        );
        assert_eq!(words, "Sam Doe (fictional)");
        assert_eq!(value_words(&json!(null)), "(left empty)");
        assert_eq!(value_words(&json!("  ")), "(left empty)");
        assert_eq!(value_words(&json!(true)), "yes");
        assert_eq!(value_words(&json!([])), "(none listed)");
        let (label, _) = disagreement_words("no.such.field", &json!(1));
        assert_eq!(label, "no.such.field");
    }
}
