//! Field-level differences between two revisions of a form.
//!
//! Reviewers and inspectors ask "what changed, and who changed it"; the answer must name fields in
//! the same paths the rest of the system uses, so the diff walks the serialised form rather than
//! hand-written comparisons that would drift from the types.

use serde::Serialize;
use serde_json::Value;

use crate::form::ChildForm;

/// One field that differs; `None` means absent or empty on that side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FieldChange {
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Every leaf that differs between `before` and `after`, in path order.
pub fn diff(before: &ChildForm, after: &ChildForm) -> Vec<FieldChange> {
    let mut a = Vec::new();
    let mut b = Vec::new();
    // Serialising our own plain data types cannot fail.
    flatten(
        "",
        &serde_json::to_value(before).unwrap_or(Value::Null),
        &mut a,
    );
    flatten(
        "",
        &serde_json::to_value(after).unwrap_or(Value::Null),
        &mut b,
    );
    let a: std::collections::BTreeMap<_, _> = a.into_iter().collect();
    let b: std::collections::BTreeMap<_, _> = b.into_iter().collect();
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (x, y) = (a.get(k).cloned(), b.get(k).cloned());
            (x != y).then(|| FieldChange {
                path: k.clone(),
                before: x,
                after: y,
            })
        })
        .collect()
}

/// Leaves as (path, text); empty strings and nulls are left out so that "absent" and
/// "empty" compare equal.
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&p, v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), v, out);
            }
        }
        Value::Null => {}
        Value::String(s) if s.is_empty() => {}
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}
