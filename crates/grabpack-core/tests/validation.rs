//! Data minimisation and plausibility: what the form refuses to hold, and how it says so.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use grabpack_core::sample::complete_form;
use grabpack_core::validate::validate;
use grabpack_core::*;
use jiff::civil::{Date, date};

const TODAY: Date = date(2026, 11, 28);

fn form() -> ChildForm {
    complete_form("Demo Child", "DC", date(2011, 5, 4), date(2026, 11, 20))
}

fn errors(f: &ChildForm) -> Vec<(String, &'static str)> {
    validate(f, TODAY)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect()
}

#[test]
fn the_sample_child_and_an_empty_form_are_both_valid() {
    assert_eq!(validate(&form(), TODAY), Ok(()));
    assert_eq!(validate(&ChildForm::default(), TODAY), Ok(()));
}

#[test]
fn a_full_card_number_is_refused_in_favour_of_the_last_four_digits() {
    let mut f = form();
    f.money_travel.bank_cards[0].last4 = "4929 1234 5678 4821".into();
    assert_eq!(
        errors(&f),
        vec![(
            "money_travel.bank_cards[0].last4".to_string(),
            "form.card_not_last4"
        )]
    );
}

#[test]
fn a_card_number_hidden_in_a_note_is_refused() {
    let mut f = form();
    f.money_travel.cash_benefits = "card 4929-1234-5678-4821 in purse".into();
    assert_eq!(
        errors(&f),
        vec![(
            "money_travel.cash_benefits".to_string(),
            "form.full_card_number"
        )]
    );
}

#[test]
fn a_password_next_to_a_handle_is_refused() {
    let mut f = form();
    f.phones_online.social_handles[0].handle = "@demo password: hunter2".into();
    let errs = errors(&f);
    assert!(
        errs.contains(&(
            "phones_online.social_handles[0].handle".into(),
            "form.password_like"
        )),
        "{errs:?}"
    );
}

#[test]
fn a_password_in_a_persons_handle_is_refused_too() {
    let mut f = form();
    f.people.friends[0].handles.push(SocialHandle {
        platform: "Instagram".into(),
        handle: "pwd=abc123".into(),
    });
    assert_eq!(
        errors(&f),
        vec![(
            "people.friends[0].handles[0].handle".to_string(),
            "form.password_like"
        )]
    );
}

#[test]
fn a_date_of_birth_in_the_future_is_refused() {
    let mut f = form();
    f.identity.date_of_birth = Some(date(2027, 1, 1));
    assert_eq!(
        errors(&f),
        vec![(
            "identity.date_of_birth".to_string(),
            "form.date_of_birth_implausible"
        )]
    );
}

#[test]
fn phone_numbers_and_emails_must_look_like_them() {
    let mut f = form();
    f.placement.home_phone_24h = "ask the office".into();
    f.placement.social_worker.email = "jordan at council".into();
    assert_eq!(
        errors(&f),
        vec![
            ("placement.home_phone_24h".to_string(), "form.phone_invalid"),
            (
                "placement.social_worker.email".to_string(),
                "form.email_invalid"
            ),
        ]
    );
}

#[test]
fn do_not_share_must_name_a_real_field() {
    let mut f = form();
    f.do_not_share.insert("health.nonsense".into());
    assert_eq!(
        errors(&f),
        vec![("do_not_share".to_string(), "form.unknown_field_path")]
    );
}

#[test]
fn every_broken_rule_is_reported_at_once() {
    let mut f = form();
    f.money_travel.bank_cards[0].last4 = "12".into();
    f.description.height_cm = Some(900);
    assert_eq!(errors(&f).len(), 2);
}
