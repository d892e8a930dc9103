//! The field-level diff between revisions, as shown in the form's history.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use grabpack_core::diff::{FieldChange, diff};
use grabpack_core::sample::complete_form;
use grabpack_core::*;
use jiff::civil::date;

#[test]
fn identical_forms_have_no_changes() {
    let f = complete_form("Demo Child", "DC", date(2011, 5, 4), date(2026, 11, 20));
    assert!(diff(&f, &f.clone()).is_empty());
}

#[test]
fn a_changed_field_is_named_by_its_path_with_both_values() {
    let a = complete_form("Demo Child", "DC", date(2011, 5, 4), date(2026, 11, 20));
    let mut b = a.clone();
    b.description.hair = "Shaved, dyed red".into();
    b.people.friends.push(Person {
        name: "New Friend (fictional)".into(),
        ..Person::default()
    });
    let changes = diff(&a, &b);
    assert_eq!(
        changes[0],
        FieldChange {
            path: "description.hair".into(),
            before: Some("Dark brown, shoulder length, often in a high bun".into()),
            after: Some("Shaved, dyed red".into()),
        }
    );
    assert!(
        changes
            .iter()
            .any(|c| c.path == "people.friends[1].name" && c.before.is_none())
    );
}

#[test]
fn yes_and_no_answers_are_changes_too() {
    let a = ChildForm::default();
    let mut b = a.clone();
    b.identity.interpreter_needed = Some(false);
    assert_eq!(diff(&a, &b).len(), 1);
}
