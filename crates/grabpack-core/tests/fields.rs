//! The field table prints the whole form: every leaf of a fully filled form is printed by exactly
//! one row of `FIELDS`, so a field added to the form without a row (or with two rows printing it)
//! fails here, before it can be missing from, or doubled in, a pack.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use std::collections::BTreeSet;

use grabpack_core::fields::FieldValue;
use grabpack_core::sample::marked_form;
use grabpack_core::*;
use serde_json::Value;

/// Every scalar in `value` as (JSON pointer, value), leaving out the sets of field paths.
fn leaves(value: &Value, pointer: String, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if pointer.is_empty() && (k == "confirmed_none" || k == "do_not_share") {
                    continue;
                }
                leaves(v, format!("{pointer}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                leaves(v, format!("{pointer}/{i}"), out);
            }
        }
        scalar => out.push((pointer, scalar.clone())),
    }
}

/// Every enum word the form's schema allows (to change a choice to another valid choice).
fn enum_words() -> Vec<String> {
    let schema = serde_json::to_value(schemars::schema_for!(ChildForm)).unwrap();
    let mut words = BTreeSet::new();
    fn walk(v: &Value, words: &mut BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::Array(choices)) = map.get("enum") {
                    words.extend(choices.iter().filter_map(Value::as_str).map(String::from));
                }
                // An enum whose words are documented is written as one `const` per word.
                if let Some(Value::String(word)) = map.get("const") {
                    words.insert(word.clone());
                }
                map.values().for_each(|v| walk(v, words));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, words)),
            _ => {}
        }
    }
    walk(&schema, &mut words);
    words.into_iter().collect()
}

/// `json` with the leaf at `pointer` changed to another value the form accepts.
fn changed_form(json: &Value, pointer: &str, enum_words: &[String]) -> ChildForm {
    let old = json.pointer(pointer).unwrap().clone();
    let candidates: Vec<Value> = match &old {
        Value::String(s) => std::iter::once(Value::String(format!("Z{s}")))
            .chain(std::iter::once(Value::String("2001-02-03".into())))
            .chain(enum_words.iter().map(|w| Value::String(w.clone())))
            .filter(|v| *v != old)
            .collect(),
        Value::Number(n) => vec![Value::from(n.as_u64().unwrap() + 1)],
        Value::Bool(b) => vec![Value::Bool(!b)],
        other => panic!("{pointer} is {other}: the marked form should fill every field"),
    };
    for candidate in candidates {
        let mut changed = json.clone();
        *changed.pointer_mut(pointer).unwrap() = candidate;
        if let Ok(form) = serde_json::from_value::<ChildForm>(changed) {
            return form;
        }
    }
    panic!("no other value for {pointer} is accepted by the form");
}

#[test]
fn every_leaf_of_a_full_form_is_printed_by_exactly_one_field() {
    let form = marked_form().unwrap();
    let json = serde_json::to_value(&form).unwrap();
    let mut all = Vec::new();
    leaves(&json, String::new(), &mut all);
    assert!(all.len() > 200, "the marked form should be full");
    let words = enum_words();
    let before: Vec<FieldValue> = FIELDS.iter().map(|f| f.value(&form)).collect();
    let mut problems = Vec::new();
    for (pointer, _) in &all {
        let changed = changed_form(&json, pointer, &words);
        let printing: Vec<&str> = FIELDS
            .iter()
            .zip(&before)
            .filter(|(f, old)| f.value(&changed) != **old)
            .map(|(f, _)| f.path)
            .collect();
        if printing.len() != 1 {
            problems.push(format!("{pointer} is printed by {printing:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "each leaf must be printed by exactly one row of FIELDS:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_field_of_the_marked_form_is_filled_and_prints_something() {
    let form = marked_form().unwrap();
    for f in FIELDS {
        assert!((f.filled)(&form), "{} is not filled", f.path);
        assert!(!f.value(&form).is_empty(), "{} prints nothing", f.path);
    }
}

#[test]
fn every_text_of_the_marked_form_is_a_distinct_marker() {
    let json = serde_json::to_value(marked_form().unwrap()).unwrap();
    let mut all = Vec::new();
    leaves(&json, String::new(), &mut all);
    let markers: Vec<&str> = all
        .iter()
        .filter_map(|(_, v)| v.as_str())
        .filter(|s| s.starts_with('M') && s.ends_with('X'))
        .collect();
    let distinct: BTreeSet<&&str> = markers.iter().collect();
    assert_eq!(distinct.len(), markers.len());
    assert!(markers.len() > 150);
}

#[test]
fn every_label_is_unique_so_a_reader_can_find_each_field_by_it() {
    let mut seen = BTreeSet::new();
    for f in FIELDS {
        assert!(seen.insert(f.label), "two fields are labelled {}", f.label);
    }
}

#[test]
fn an_empty_form_prints_nothing_for_any_field() {
    let form = ChildForm::default();
    for f in FIELDS {
        assert_eq!(f.value(&form), FieldValue::Empty, "{}", f.path);
    }
}

#[test]
fn a_list_field_prints_each_item_with_its_parts() {
    let mut form = ChildForm::default();
    form.health.medication = vec![Medication {
        name: "Inhaler (fictional)".into(),
        dose: "2 puffs".into(),
        effect_if_missed: "Breathless".into(),
    }];
    let medication = grabpack_core::fields::field("health.medication").unwrap();
    assert_eq!(
        medication.value(&form),
        FieldValue::Items(vec![
            "Inhaler (fictional), 2 puffs. If missed: Breathless".into()
        ])
    );
}

/// The form screens show a choice by its title in the schema; the pack prints the type's
/// `label()`: for every choice with words of its own they must be the same words.
#[test]
fn every_titled_choice_reads_the_same_on_screen_and_in_the_pack() {
    fn check<T: serde::de::DeserializeOwned>(def: &str, label: fn(T) -> &'static str) -> usize {
        let schema = serde_json::to_value(schemars::schema_for!(ChildForm)).unwrap();
        let options = schema["$defs"][def]["oneOf"]
            .as_array()
            .unwrap_or_else(|| panic!("{def} is written as documented words"));
        for o in options {
            let word = o["const"].clone();
            let title = o["title"]
                .as_str()
                .unwrap_or_else(|| panic!("{def}: {word} has no title"));
            let value: T = serde_json::from_value(word.clone()).unwrap();
            assert_eq!(label(value), title, "{def}: {word}");
        }
        options.len()
    }
    assert_eq!(check("Ethnicity", Ethnicity::label), Ethnicity::ALL.len());
    assert_eq!(
        Ethnicity::ALL.len(),
        20,
        "the 19 census categories and prefers not to say"
    );
    check("LocationRisk", LocationRisk::label);
    check("WantedStatus", WantedStatus::label);
    check("ProfessionalRole", ProfessionalRole::label);
    check("AgreedParty", AgreedParty::label);
    check("NrmDecision", NrmDecision::label);
}
