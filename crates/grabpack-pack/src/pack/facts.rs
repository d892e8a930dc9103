//! The pack's view of one child: the form with "do not share" and the pack's audience applied,
//! plus the facts around it (today's date, the app's own episodes, the photos).
//!
//! A field its audience does not read (`grabpack_core::audience`) is withheld exactly as "do not
//! share" withholds it, and the parts of a field narrower than the field (the full immigration
//! status, a protected person's address) are cut from the form before anything prints it.
//!
//! Every field the pack or the read-out prints goes through [`Facts::value_of`] or
//! [`Facts::shared`], and both only know the paths of [`grabpack_core::FIELDS`]: a path that is
//! not in the table is never shared (and fails a debug assertion), so a typo prints nothing
//! rather than a field the carer withheld.

use std::borrow::Cow;

use grabpack_core::audience;
use grabpack_core::fields::{FieldSpec, FieldValue, field, print_date};
use grabpack_core::form::*;
use grabpack_core::readiness::{age_on, days_between, describe_age};
use jiff::civil::Date;

use super::{DEFAULT_MARKING, PackInput, PackPhoto, join, paren};
use crate::layout::Colour;

pub(crate) struct Facts<'a> {
    pub input: &'a PackInput,
    /// The form, with the app's own closed episodes added to the missing history (group J):
    /// "previous missing episodes" means all of them, and "do not share" on it withholds all.
    pub form: Cow<'a, ChildForm>,
    pub today: Date,
}

impl<'a> Facts<'a> {
    pub fn new(input: &'a PackInput) -> Self {
        let today = input
            .generated_at
            .in_tz("Europe/London")
            .map(|z| z.date())
            .unwrap_or_else(|_| input.generated_at.to_zoned(jiff::tz::TimeZone::UTC).date());
        let form = audience::form_for(&input.form, input.audience);
        let form = if input.app_episodes.is_empty() {
            form
        } else {
            let mut form = form.into_owned();
            form.missing_history
                .previous_episodes
                .extend(input.app_episodes.iter().cloned());
            Cow::Owned(form)
        };
        Self { input, form, today }
    }

    /// Whether the field at `path` (a path of the field table) may be printed.
    pub fn shared(&self, path: &str) -> bool {
        let known = field(path).is_some();
        debug_assert!(known, "{path} is not a path of grabpack_core::FIELDS");
        let withheld = &self.form.do_not_share;
        known
            && audience::reaches(path, self.input.audience)
            && !withheld.contains(path)
            && !path
                .split_once('.')
                .is_some_and(|(group, _)| withheld.contains(group))
    }

    /// The field's printable value, or [`FieldValue::Empty`] if the carer withheld it.
    pub fn value(&self, spec: &FieldSpec) -> FieldValue {
        if self.shared(spec.path) {
            spec.value(&self.form)
        } else {
            FieldValue::Empty
        }
    }

    /// The printable value of the field at `path`, or [`FieldValue::Empty`] if withheld.
    pub fn value_of(&self, path: &str) -> FieldValue {
        match field(path) {
            Some(spec) => self.value(spec),
            None => {
                debug_assert!(false, "{path} is not a path of grabpack_core::FIELDS");
                FieldValue::Empty
            }
        }
    }

    /// The field at `path` as one line of text (items joined by `; `), if shared and not blank.
    pub fn text_of(&self, path: &str) -> Option<String> {
        Some(self.value_of(path).texts().join("; ")).filter(|t| !t.is_empty())
    }

    pub fn name(&self) -> String {
        self.text_of("identity.legal_name")
            .unwrap_or_else(|| "Name withheld".to_owned())
    }

    pub fn age_and_birth(&self) -> Option<String> {
        let dob = self
            .form
            .identity
            .date_of_birth
            .filter(|_| self.shared("identity.date_of_birth"))?;
        let born = print_date(Some(dob));
        Some(match age_on(dob, self.today) {
            Some(age) => format!("{age} (born {born})"),
            None => format!("born {born}"),
        })
    }

    /// Each mobile number with its handset and network (when those are shared too), for page 1.
    pub fn mobiles(&self) -> Option<String> {
        if !self.shared("phones_online.mobiles") {
            return None;
        }
        let show_handset = self.shared("phones_online.handsets");
        let phones: Vec<String> = self
            .form
            .phones_online
            .mobiles
            .iter()
            .filter(|p| !p.number.trim().is_empty())
            .map(|p| {
                let extra = if show_handset {
                    join([p.handset.trim(), p.network.trim()], ", ")
                } else {
                    String::new()
                };
                join([p.number.trim(), &paren(&extra)], " ")
            })
            .collect();
        (!phones.is_empty()).then(|| phones.join("; "))
    }

    /// Critical risks for page 1, each as (label text, colour).
    pub fn critical_labels(&self) -> Vec<(String, Colour)> {
        let mut labels = self.police_flags();
        labels.extend(self.exploitation_labels());
        let health = &self.form.health;
        if self.shared("health.mental_health") && health.self_harm_risk == Some(true) {
            labels.push((
                join(
                    ["SELF-HARM / SUICIDE RISK", health.mental_health.trim()],
                    ": ",
                ),
                Colour::DANGER,
            ));
        }
        if self.shared("health.medication") {
            for m in health
                .medication
                .iter()
                .filter(|m| !m.name.trim().is_empty())
            {
                let what = join([m.name.trim(), m.dose.trim()], ", ");
                let missed = m.effect_if_missed.trim();
                let text = if missed.is_empty() {
                    format!("MEDICATION: {what}")
                } else {
                    format!("MEDICATION: {what}. If missed: {missed}")
                };
                labels.push((text, Colour::MEDICAL));
            }
        }
        let conditions = self.text_of("health.conditions").unwrap_or_default();
        let allergies = self
            .text_of("health.allergies")
            .map(|a| format!("Allergies: {a}"))
            .unwrap_or_default();
        let medical = join([conditions.as_str(), &allergies], ". ");
        if !medical.is_empty() {
            labels.push((format!("MEDICAL NEEDS: {medical}"), Colour::MEDICAL));
        }
        labels
    }

    /// What police act on before anything else: the child wanted or circulated by police, and the
    /// flags they search and safeguard with (a trafficking concern with the NRM decision, an
    /// unaccompanied asylum-seeking child). Each only where this version's reader reads its field.
    fn police_flags(&self) -> Vec<(String, Colour)> {
        let mut labels = Vec::new();
        let wanted = &self.form.risks.wanted;
        if self.shared("risks.wanted")
            && wanted.is_flagged()
            && let Some(status) = wanted.status
        {
            let title = status.label().to_uppercase();
            labels.push((
                join(
                    [
                        &join([title.as_str(), wanted.force.trim()], ": "),
                        wanted.reason.trim(),
                    ],
                    ". ",
                ),
                Colour::DANGER,
            ));
        }
        let identity = &self.form.identity;
        let trafficking_shown =
            self.shared("risks.trafficking") && self.form.risks.trafficking.is_flagged();
        if self.shared("identity.trafficking_concern")
            && identity.trafficking_concern == Some(true)
            && !trafficking_shown
        {
            let nrm = self.text_of("identity.nrm").unwrap_or_default();
            labels.push((
                join(["TRAFFICKING CONCERN", &nrm], ". NRM: "),
                Colour::DANGER,
            ));
        }
        if self.shared("identity.unaccompanied_asylum_seeker")
            && identity.unaccompanied_asylum_seeker == Some(true)
        {
            labels.push((
                "UNACCOMPANIED ASYLUM-SEEKING CHILD".to_owned(),
                Colour::DANGER,
            ));
        }
        labels
    }

    /// The three exploitation risks, when suspected or known.
    fn exploitation_labels(&self) -> Vec<(String, Colour)> {
        let risks = &self.form.risks;
        [
            (
                "risks.sexual_exploitation",
                "SEXUAL EXPLOITATION",
                &risks.sexual_exploitation,
            ),
            (
                "risks.criminal_exploitation",
                "CRIMINAL EXPLOITATION / COUNTY LINES",
                &risks.criminal_exploitation,
            ),
            (
                "risks.trafficking",
                "TRAFFICKING / MODERN SLAVERY",
                &risks.trafficking,
            ),
        ]
        .into_iter()
        .filter(|(path, _, entry)| self.shared(path) && entry.is_flagged())
        .map(|(_, title, entry)| {
            let concern = entry.concern.map(Concern::label).unwrap_or_default();
            (
                join([&format!("{title}: {concern}"), entry.note.trim()], ". "),
                Colour::DANGER,
            )
        })
        .collect()
    }

    /// The three places most likely to find the child: where they were found before, then risk-assessed
    /// locations (highest risk first), then places they often go.
    pub fn places_to_look(&self) -> Vec<String> {
        let places = &self.form.places;
        let mut out: Vec<String> = Vec::new();
        let mut add = |line: String| {
            if !line.is_empty() && !out.contains(&line) && out.len() < 3 {
                out.push(line);
            }
        };
        if self.shared("places.found_before") {
            for p in &places.found_before {
                add(place_line(p, "found here before"));
            }
        }
        if self.shared("places.risk_assessed") {
            let mut assessed: Vec<&RiskAssessedLocation> = places.risk_assessed.iter().collect();
            assessed.sort_by_key(|l| std::cmp::Reverse(l.risk_level));
            for l in assessed {
                let risk = l
                    .risk_level
                    .map(|r| r.label().to_owned())
                    .unwrap_or_default();
                let why = join([risk.as_str(), l.reason.trim()], ": ");
                let place = join([l.name.trim(), &l.address.one_line()], ", ");
                add(join([place.as_str(), &paren(&why)], " "));
            }
        }
        if self.shared("places.frequented") {
            for p in &places.frequented {
                add(place_line(p, ""));
            }
        }
        out
    }

    pub fn police_reference(&self) -> Option<String> {
        let episode = self.input.episode.as_ref()?;
        let refs: Vec<String> = episode
            .notifications
            .iter()
            .filter(|n| n.to == NotifiedParty::Police && !n.reference.trim().is_empty())
            .map(|n| {
                let officer = join([n.officer_name.trim(), n.collar_number.trim()], " ");
                if officer.is_empty() {
                    n.reference.trim().to_owned()
                } else {
                    format!("{} (officer {officer})", n.reference.trim())
                }
            })
            .collect();
        (!refs.is_empty()).then(|| refs.join("; "))
    }

    /// The 24/7 number with the placement address in brackets, for page 1.
    pub fn home_line(&self) -> Option<String> {
        let phone = self.text_of("placement.home_phone_24h")?;
        let address = if self.shared("placement.address") {
            self.form.placement.address.one_line()
        } else {
            String::new()
        };
        Some(join([phone.as_str(), &paren(&address)], " "))
    }

    pub fn marking(&self) -> String {
        self.text_of("administration.protective_marking")
            .or_else(|| Some(self.input.marking.trim().to_owned()).filter(|m| !m.is_empty()))
            .unwrap_or_else(|| DEFAULT_MARKING.to_owned())
    }

    /// Photos to print, newest face photo first, then the others newest first. Photos are kept
    /// beside the form, not in it, so no field of the table withholds them.
    pub fn photos(&self) -> Vec<(usize, &'a PackPhoto)> {
        let mut photos: Vec<(usize, &PackPhoto)> = self.input.photos.iter().enumerate().collect();
        photos.sort_by_key(|(_, p)| (p.kind != PhotoKind::Face, std::cmp::Reverse(p.taken_on)));
        photos.truncate(self.input.settings.max_photos.max(1));
        photos
    }

    pub fn photo_caption(&self, photo: &PackPhoto) -> String {
        let kind = match photo.kind {
            PhotoKind::Face => "Face photo",
            PhotoKind::FullLength => "Full-length photo",
            PhotoKind::Mark => "Photo of a mark",
        };
        match photo.taken_on {
            Some(date) => {
                let days = days_between(date, self.today).max(0);
                let ago = if days == 0 {
                    "today".to_owned()
                } else {
                    format!("{} ago", describe_age(days))
                };
                format!("{kind}, taken {} ({ago})", print_date(Some(date)))
            }
            None => format!("{kind}, date taken unknown"),
        }
    }
}

fn place_line(p: &Place, note: &str) -> String {
    let why = join([note, p.why.trim()], "; ");
    let place = join([p.name.trim(), &p.address.one_line()], ", ");
    join([place.as_str(), &paren(&why)], " ")
}
