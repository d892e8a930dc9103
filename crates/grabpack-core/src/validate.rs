//! Rules a form must keep before it is saved or imported.
//!
//! These are data-minimisation and plausibility rules, not completeness: an empty form is valid
//! (readiness says what is missing). A broken rule names the field path and says how to fix it,
//! and nothing is saved.

use jiff::civil::Date;
use serde::Serialize;

use crate::fields::field;
use crate::form::{Address, ChildForm, Person, SocialHandle};

/// The longest free text we keep in one field: generous (a long history), but bounded.
pub const MAX_TEXT_CHARS: usize = 50_000;

/// One broken rule, at one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FieldError {
    /// Where, e.g. `money_travel.bank_cards[0].last4`.
    pub path: String,
    /// Stable code, e.g. `form.card_not_last4`.
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn push(&mut self, path: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.errors.push(FieldError {
            path: path.into(),
            code,
            message: message.into(),
        });
    }

    fn text(&mut self, path: &str, s: &str) {
        if s.chars().count() > MAX_TEXT_CHARS {
            self.push(
                path,
                "form.text_too_long",
                format!("This is longer than {MAX_TEXT_CHARS} characters; shorten it or split it."),
            );
        }
        if s.chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
        {
            self.push(
                path,
                "form.control_characters",
                "This contains hidden control characters; retype it rather than pasting.",
            );
        }
    }

    fn no_password(&mut self, path: &str, s: &str) {
        if looks_like_password(s) {
            self.push(
                path,
                "form.password_like",
                "This looks like a password. Record handles only: never a password or PIN.",
            );
        }
    }

    fn no_card_number(&mut self, path: &str, s: &str) {
        if contains_long_digit_run(s, 12) {
            self.push(
                path,
                "form.full_card_number",
                "This looks like a full card or account number. Record the last 4 digits only.",
            );
        }
    }

    fn phone(&mut self, path: &str, s: &str) {
        let s = s.trim();
        if s.is_empty() {
            return;
        }
        let ok_chars = s
            .chars()
            .all(|c| c.is_ascii_digit() || " +()-.".contains(c));
        let digits = s.chars().filter(char::is_ascii_digit).count();
        if !ok_chars || !(3..=16).contains(&digits) {
            self.push(
                path,
                "form.phone_invalid",
                "Write a phone number with digits only (spaces, + and brackets are fine).",
            );
        }
    }

    fn email(&mut self, path: &str, s: &str) {
        let s = s.trim();
        if s.is_empty() {
            return;
        }
        let valid = s.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !s.contains(char::is_whitespace)
        });
        if !valid {
            self.push(
                path,
                "form.email_invalid",
                "Write an email address like name@example.org.",
            );
        }
    }

    fn handle(&mut self, path: &str, h: &SocialHandle) {
        self.text(&format!("{path}.platform"), &h.platform);
        self.text(&format!("{path}.handle"), &h.handle);
        self.no_password(&format!("{path}.platform"), &h.platform);
        self.no_password(&format!("{path}.handle"), &h.handle);
        if h.handle.trim().contains(char::is_whitespace) {
            self.push(
                format!("{path}.handle"),
                "form.handle_has_spaces",
                "A handle is one word, like @name. Put anything else in a note.",
            );
        }
    }

    fn address(&mut self, path: &str, a: &Address) {
        for (i, l) in a.lines.iter().enumerate() {
            self.text(&format!("{path}.lines[{i}]"), l);
        }
        self.text(&format!("{path}.town"), &a.town);
        self.text(&format!("{path}.postcode"), &a.postcode);
    }

    fn person(&mut self, path: &str, p: &Person) {
        self.text(&format!("{path}.name"), &p.name);
        self.text(&format!("{path}.risk_note"), &p.risk_note);
        self.no_password(&format!("{path}.risk_note"), &p.risk_note);
        self.address(&format!("{path}.address"), &p.address);
        for (i, ph) in p.phones.iter().enumerate() {
            self.phone(&format!("{path}.phones[{i}]"), ph);
        }
        for (i, h) in p.handles.iter().enumerate() {
            self.handle(&format!("{path}.handles[{i}]"), h);
        }
    }
}

/// Heuristic for a password pasted into a handle or note. False positives are cheap (the carer
/// rewords); a stored password is not.
pub fn looks_like_password(s: &str) -> bool {
    let lower = s.to_lowercase();
    const MARKERS: [&str; 9] = [
        "password", "passwd", "passcode", "pwd", "pass:", "pass=", "pw:", "pw=", "pin:",
    ];
    MARKERS.iter().any(|m| lower.contains(m))
}

fn contains_long_digit_run(s: &str, min: usize) -> bool {
    let mut run = 0;
    for c in s.chars() {
        if c.is_ascii_digit() {
            run += 1;
            if run >= min {
                return true;
            }
        } else if c != ' ' && c != '-' {
            run = 0;
        }
    }
    false
}

/// Check every rule; all broken rules are returned together so the carer fixes them in one go.
pub fn validate(form: &ChildForm, today: Date) -> Result<(), Vec<FieldError>> {
    let mut c = Checker { errors: Vec::new() };
    let id = &form.identity;

    c.text("identity.legal_name", &id.legal_name);
    for (i, k) in id.known_as.iter().enumerate() {
        c.text(&format!("identity.known_as[{i}]"), k);
    }
    if let Some(dob) = id.date_of_birth {
        let oldest = today.saturating_sub(jiff::Span::new().years(26));
        if dob > today || dob < oldest {
            c.push(
                "identity.date_of_birth",
                "form.date_of_birth_implausible",
                "The date of birth must be in the past and within the last 26 years.",
            );
        }
    }
    if let Some(h) = form.description.height_cm
        && !(40..=230).contains(&h)
    {
        c.push(
            "description.height_cm",
            "form.height_implausible",
            "Height is in centimetres, between 40 and 230.",
        );
    }
    for (i, m) in form.description.marks.iter().enumerate() {
        c.text(
            &format!("description.marks[{i}].description"),
            &m.description,
        );
    }

    let p = &form.placement;
    c.address("placement.address", &p.address);
    c.phone("placement.home_phone_24h", &p.home_phone_24h);
    c.phone(
        "placement.registered_manager.phone",
        &p.registered_manager.phone,
    );
    c.email(
        "placement.registered_manager.email",
        &p.registered_manager.email,
    );
    c.phone("placement.social_worker.phone", &p.social_worker.phone);
    c.email("placement.social_worker.email", &p.social_worker.email);
    c.phone("placement.out_of_hours.phone", &p.out_of_hours.phone);
    c.email("placement.out_of_hours.email", &p.out_of_hours.email);
    c.phone("placement.iro.phone", &p.iro.phone);
    c.email("placement.iro.email", &p.iro.email);
    c.text("placement.contact_restrictions", &p.contact_restrictions);
    for (i, pr) in p.parental_responsibility.iter().enumerate() {
        let at = format!("placement.parental_responsibility[{i}]");
        c.text(&format!("{at}.name"), &pr.name);
        c.phone(&format!("{at}.phone"), &pr.phone);
        c.text(&format!("{at}.how_told"), &pr.how_told);
    }
    for (i, o) in p.other_professionals.iter().enumerate() {
        let at = format!("placement.other_professionals[{i}]");
        c.text(&format!("{at}.name"), &o.name);
        c.phone(&format!("{at}.phone"), &o.phone);
        c.email(&format!("{at}.email"), &o.email);
    }
    c.phone(
        "placement.fostering_agency.phone",
        &p.fostering_agency.phone,
    );
    c.email(
        "placement.fostering_agency.email",
        &p.fostering_agency.email,
    );
    c.phone(
        "placement.supervising_social_worker.phone",
        &p.supervising_social_worker.phone,
    );
    c.email(
        "placement.supervising_social_worker.email",
        &p.supervising_social_worker.email,
    );
    c.phone(
        "placement.agency_out_of_hours.phone",
        &p.agency_out_of_hours.phone,
    );
    c.email(
        "placement.agency_out_of_hours.email",
        &p.agency_out_of_hours.email,
    );
    let plan = &form.missing_history.trigger_plan;
    c.text(
        "missing_history.trigger_plan.when_to_report",
        &plan.when_to_report,
    );
    for (i, a) in plan.agreed_with.iter().enumerate() {
        c.text(
            &format!("missing_history.trigger_plan.agreed_with[{i}].name"),
            &a.name,
        );
    }

    let h = &form.health;
    c.text("health.conditions", &h.conditions);
    c.text("health.mental_health", &h.mental_health);
    c.phone("health.gp.phone", &h.gp.phone);

    let po = &form.phones_online;
    for (i, m) in po.mobiles.iter().enumerate() {
        c.phone(&format!("phones_online.mobiles[{i}].number"), &m.number);
        c.no_password(&format!("phones_online.mobiles[{i}].note"), &m.note);
    }
    c.email("phones_online.email", &po.email);
    for (i, s) in po.social_handles.iter().enumerate() {
        c.handle(&format!("phones_online.social_handles[{i}]"), s);
    }
    c.no_password("phones_online.location_sharing", &po.location_sharing);

    let mt = &form.money_travel;
    for (i, card) in mt.bank_cards.iter().enumerate() {
        let last4 = card.last4.trim();
        if !(last4.len() == 4 && last4.chars().all(|ch| ch.is_ascii_digit())) {
            c.push(
                format!("money_travel.bank_cards[{i}].last4"),
                "form.card_not_last4",
                "Enter exactly the last 4 digits of the card, nothing more.",
            );
        }
        c.no_card_number(&format!("money_travel.bank_cards[{i}].bank"), &card.bank);
    }
    c.no_card_number("money_travel.cash_benefits", &mt.cash_benefits);
    c.no_password("money_travel.cash_benefits", &mt.cash_benefits);
    for (i, t) in mt.travel_cards.iter().enumerate() {
        c.no_password(
            &format!("money_travel.travel_cards[{i}].reference"),
            &t.reference,
        );
    }

    let people = &form.people;
    for (list, name) in [
        (&people.family, "family"),
        (&people.friends, "friends"),
        (&people.partners, "partners"),
        (&people.associates, "associates"),
        (&people.trusted_adults, "trusted_adults"),
    ] {
        for (i, person) in list.iter().enumerate() {
            c.person(&format!("people.{name}[{i}]"), person);
        }
    }

    for (set, name) in [
        (&form.confirmed_none, "confirmed_none"),
        (&form.do_not_share, "do_not_share"),
    ] {
        for path in set.iter() {
            if field(path).is_none() {
                c.push(
                    name,
                    "form.unknown_field_path",
                    format!("'{path}' is not a field of the form."),
                );
            }
        }
    }

    if c.errors.is_empty() {
        Ok(())
    } else {
        Err(c.errors)
    }
}
