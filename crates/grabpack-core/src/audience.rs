//! Who reads each field: every reader of a grab pack gets what they need to find and protect the
//! child, and no more.
//!
//! Why a table of its own, keyed by the paths of [`crate::FIELDS`]: the field table says what a
//! field is and how it prints; this one says who may read it, and why. Kept apart so each can
//! change without the other (a test holds them together: every path of `FIELDS` has exactly one
//! row here and every row names a path of `FIELDS`). A field not given to an audience is treated
//! by the pack exactly as "do not share" is: it reaches no page, header or read-out of that
//! audience's pack.
//!
//! Two parts of a field are narrower than the field itself, so they are cut from the form before
//! any row prints it ([`form_for`]):
//! - the full immigration status text (`identity.immigration_status`, printed inside the
//!   `identity.nationality` row) goes to the social worker and out-of-hours team only: they
//!   manage the child's claim. Police get the flags they search with, each a field of its own:
//!   unaccompanied asylum-seeking child (`identity.unaccompanied_asylum_seeker`), the trafficking
//!   concern (`identity.trafficking_concern`, `risks.trafficking`) and the National Referral
//!   Mechanism decision (`identity.nrm`);
//! - a person marked as a protected address (`Person::protected_address`: someone the child must
//!   not be placed with or taken to): police see the address with "Risk: do not return the child
//!   here"; every other audience sees the name, relationship and the warning only.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::form::{ChildForm, Person};

/// A reader of the pack; each gets its own version, rendered from the same revision.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The police unit for where the child went missing: the full Part 1.
    Police,
    /// A second police force (the child's home area when placed out of area).
    SecondForce,
    /// The child's social worker, the out-of-hours team and the home's manager.
    SocialCare,
    /// An address the sender added: page 1 and Part 2 only, unless a manager widens it.
    ExtraAddress,
    /// An added address a manager widened, with a reason, to the full Part 1. It reads every
    /// field social care read, but neither the full immigration status nor a protected address:
    /// those stay with the readers the table names.
    ExtraAddressWidened,
}

impl Audience {
    pub const ALL: [Audience; 5] = [
        Audience::Police,
        Audience::SecondForce,
        Audience::SocialCare,
        Audience::ExtraAddress,
        Audience::ExtraAddressWidened,
    ];

    /// The word stored in the outbox.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Police => "police",
            Self::SecondForce => "second_force",
            Self::SocialCare => "social_care",
            Self::ExtraAddress => "extra_address",
            Self::ExtraAddressWidened => "extra_address_widened",
        }
    }

    /// The audience stored with [`Audience::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether this audience's pack carries Part 1 (an extra address gets page 1 and Part 2).
    pub fn gets_part_one(self) -> bool {
        self != Self::ExtraAddress
    }

    /// Which version of the pack this audience gets, in the words the episode screen shows.
    pub fn version_words(self) -> &'static str {
        match self {
            Self::Police => "full pack (police)",
            Self::SecondForce => "full pack (second police force)",
            Self::SocialCare => "full pack (social care)",
            Self::ExtraAddress => "page 1 and Part 2",
            Self::ExtraAddressWidened => "full pack (widened by a manager)",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of audiences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AudienceSet(u8);

impl AudienceSet {
    pub const POLICE: Self = Self(1);
    pub const SECOND_FORCE: Self = Self(2);
    pub const SOCIAL_CARE: Self = Self(4);
    pub const EXTRA_ADDRESS: Self = Self(8);
    /// Both police forces.
    pub const POLICE_FORCES: Self = Self::POLICE.and(Self::SECOND_FORCE);
    /// Every reader of the full Part 1.
    pub const FULL: Self = Self::POLICE_FORCES.and(Self::SOCIAL_CARE);
    /// Everyone, an extra address included.
    pub const ALL: Self = Self::FULL.and(Self::EXTRA_ADDRESS);
    /// Every reader of the full Part 1 except a second police force.
    pub const LEAD: Self = Self::POLICE.and(Self::SOCIAL_CARE);

    pub const fn and(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    pub fn contains(self, audience: Audience) -> bool {
        self.0 & audience.bit() != 0
    }
}

/// One row: a path of [`crate::FIELDS`], who reads it, and why (for the reviewer and the
/// child's own copy).
#[derive(Debug, Clone, Copy)]
pub struct AudienceRow {
    pub path: &'static str,
    pub audiences: AudienceSet,
    pub why: &'static str,
}

const fn row(path: &'static str, audiences: AudienceSet, why: &'static str) -> AudienceRow {
    AudienceRow {
        path,
        audiences,
        why,
    }
}

const FULL: AudienceSet = AudienceSet::FULL;
const ALL: AudienceSet = AudienceSet::ALL;
const LEAD: AudienceSet = AudienceSet::LEAD;
const PART_ONE: &str = "part of the profile every police force and social care need";
const SEARCHING: &str = "anyone helping to look needs it to recognise or contact the child";
const SAFE: &str = "anyone who finds the child needs it to keep them safe";
const LEAD_ONLY: &str = "for the force leading the search and social care, not a second force";

/// Who reads each field of the form. Page 1 prints only what an audience reads, so the rows an
/// extra address reads are the ones it sees on page 1.
pub static AUDIENCES: &[AudienceRow] = &[
    row(
        "administration.completed_by",
        FULL,
        "who to ask about the form",
    ),
    row(
        "administration.completed_on",
        FULL,
        "how current the form is",
    ),
    row(
        "administration.protective_marking",
        ALL,
        "printed on every page of every version",
    ),
    row("administration.child_contribution", FULL, PART_ONE),
    row("administration.child_told_when_shared", LEAD, LEAD_ONLY),
    row("administration.transfer_history", LEAD, LEAD_ONLY),
    row("identity.legal_name", ALL, SEARCHING),
    row("identity.known_as", ALL, SEARCHING),
    row("identity.date_of_birth", ALL, SEARCHING),
    row("identity.gender", ALL, SEARCHING),
    row("identity.appearance", ALL, SEARCHING),
    row(
        "identity.ethnicity",
        FULL,
        "the child's own category, recorded by police and social care; the description serves anyone looking",
    ),
    row(
        "identity.nationality",
        FULL,
        "nationality; the full immigration status inside it only social care (police get the flags, rows of their own)",
    ),
    row("identity.first_language", ALL, SEARCHING),
    row(
        "identity.unaccompanied_asylum_seeker",
        FULL,
        "a flag police search and safeguard with",
    ),
    row(
        "identity.trafficking_concern",
        FULL,
        "a flag police search and safeguard with",
    ),
    row(
        "identity.nrm",
        FULL,
        "the National Referral Mechanism decision police and social care act on",
    ),
    row("identity.identifiers", FULL, "police and NRM references"),
    row("identity.passport_id", FULL, PART_ONE),
    row("description.height_cm", ALL, SEARCHING),
    row("description.build", ALL, SEARCHING),
    row("description.hair", ALL, SEARCHING),
    row("description.facial_hair", ALL, SEARCHING),
    row("description.eyes", ALL, SEARCHING),
    row("description.marks", ALL, SEARCHING),
    row("description.glasses_aids", ALL, SEARCHING),
    row("description.usual_dress", ALL, SEARCHING),
    row("placement.address", FULL, PART_ONE),
    row("placement.placement_type", FULL, PART_ONE),
    row(
        "placement.home_phone_24h",
        ALL,
        "anyone with news of the child calls the home",
    ),
    row("placement.registered_manager", FULL, PART_ONE),
    row("placement.placing_council", FULL, PART_ONE),
    row("placement.host_council", FULL, PART_ONE),
    row("placement.legal_status", FULL, PART_ONE),
    row("placement.social_worker", FULL, PART_ONE),
    row("placement.out_of_hours", FULL, PART_ONE),
    row("placement.iro", LEAD, LEAD_ONLY),
    row("placement.fostering_agency", FULL, PART_ONE),
    row("placement.supervising_social_worker", FULL, PART_ONE),
    row("placement.agency_out_of_hours", FULL, PART_ONE),
    row(
        "placement.parental_responsibility",
        FULL,
        "who must be told, and who may have the child",
    ),
    row("placement.other_professionals", FULL, PART_ONE),
    row("placement.placement_start", FULL, PART_ONE),
    row("placement.previous_placements", FULL, PART_ONE),
    row("placement.family_addresses", FULL, PART_ONE),
    row("placement.contact_restrictions", FULL, PART_ONE),
    row("placement.school", FULL, PART_ONE),
    row("placement.ehc_plan_sen", LEAD, LEAD_ONLY),
    row("health.conditions", ALL, SAFE),
    row("health.medication", ALL, SAFE),
    row("health.mental_health", FULL, PART_ONE),
    row("health.gp", LEAD, LEAD_ONLY),
    row("health.allergies", ALL, SAFE),
    row("health.disability_communication", ALL, SAFE),
    row("health.substance_use", FULL, PART_ONE),
    row("health.pregnancy", FULL, PART_ONE),
    row("phones_online.mobiles", ALL, SEARCHING),
    row("phones_online.handsets", FULL, PART_ONE),
    row("phones_online.email", FULL, PART_ONE),
    row("phones_online.social_handles", FULL, PART_ONE),
    row("phones_online.location_sharing", FULL, PART_ONE),
    row("money_travel.bank_cards", FULL, PART_ONE),
    row("money_travel.cash_benefits", FULL, PART_ONE),
    row("money_travel.travel_cards", FULL, PART_ONE),
    row("money_travel.vehicles", FULL, PART_ONE),
    row("people.family", FULL, PART_ONE),
    row("people.friends", FULL, PART_ONE),
    row("people.partners", FULL, PART_ONE),
    row("people.associates", FULL, PART_ONE),
    row("people.trusted_adults", FULL, PART_ONE),
    row("places.frequented", ALL, "where to look"),
    row("places.significant", FULL, PART_ONE),
    row("places.risk_assessed", FULL, PART_ONE),
    row("places.found_before", ALL, "where to look"),
    row("places.out_of_area", FULL, PART_ONE),
    row("missing_history.previous_episodes", FULL, PART_ONE),
    row("missing_history.usual_pattern", FULL, PART_ONE),
    row("missing_history.police_references", FULL, PART_ONE),
    row(
        "missing_history.trigger_plan",
        FULL,
        "when the home agreed to report, and with whom",
    ),
    row("risks.sexual_exploitation", FULL, PART_ONE),
    row("risks.criminal_exploitation", FULL, PART_ONE),
    row("risks.trafficking", FULL, PART_ONE),
    row("risks.radicalisation", FULL, PART_ONE),
    row("risks.harmful_practices", FULL, PART_ONE),
    row("risks.domestic_abuse", FULL, PART_ONE),
    row("risks.youth_justice", FULL, PART_ONE),
    row("risks.child_protection_plan", FULL, PART_ONE),
    row("risks.risk_to_others", FULL, PART_ONE),
    row("risks.abduction_warning_notices", FULL, PART_ONE),
    row(
        "risks.wanted",
        FULL,
        "whether police have the child wanted or circulated",
    ),
];

/// Who reads the full immigration status text (inside `identity.nationality`): social care, who
/// manage the claim. Police get the flags.
pub const FULL_IMMIGRATION_STATUS: AudienceSet = AudienceSet::SOCIAL_CARE;

/// Who reads a protected person's address (marked "Risk: do not return the child here"): police,
/// who must keep the child away from it. Everyone else reads the name and the warning.
pub const PROTECTED_ADDRESS: AudienceSet = AudienceSet::POLICE_FORCES;

/// Whether `audience` reads the field at `path` (a path of [`crate::FIELDS`]). A path with no row
/// reaches nobody.
pub fn reaches(path: &str, audience: Audience) -> bool {
    // A widened address reads the fields social care read; what is cut inside a field is
    // decided by the bit of its own, which no set of the table holds.
    let audience = match audience {
        Audience::ExtraAddressWidened => Audience::SocialCare,
        a => a,
    };
    AUDIENCES
        .iter()
        .find(|r| r.path == path)
        .is_some_and(|r| r.audiences.contains(audience))
}

/// The form as `audience` may read it: the parts narrower than their field cut out (see the
/// module's notes). Whole fields are withheld by the caller through [`reaches`].
pub fn form_for(form: &ChildForm, audience: Audience) -> Cow<'_, ChildForm> {
    let cut_status = !FULL_IMMIGRATION_STATUS.contains(audience)
        && !form.identity.immigration_status.trim().is_empty();
    let people = &form.people;
    let cut_addresses = !PROTECTED_ADDRESS.contains(audience)
        && [
            &people.family,
            &people.friends,
            &people.partners,
            &people.associates,
            &people.trusted_adults,
        ]
        .iter()
        .any(|list| list.iter().any(|p| p.protected_address));
    if !cut_status && !cut_addresses {
        return Cow::Borrowed(form);
    }
    let mut form = form.clone();
    if cut_status {
        form.identity.immigration_status.clear();
    }
    if cut_addresses {
        let p = &mut form.people;
        for list in [
            &mut p.family,
            &mut p.friends,
            &mut p.partners,
            &mut p.associates,
            &mut p.trusted_adults,
        ] {
            list.iter_mut()
                .filter(|p| p.protected_address)
                .for_each(name_and_warning_only);
        }
    }
    Cow::Owned(form)
}

/// A protected person as an audience without their address reads them: the name, relationship
/// and (printed by the field table) the warning.
fn name_and_warning_only(p: &mut Person) {
    *p = Person {
        name: std::mem::take(&mut p.name),
        relationship: std::mem::take(&mut p.relationship),
        of_concern: p.of_concern,
        protected_address: true,
        ..Person::default()
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FIELDS;

    #[test]
    fn every_field_has_exactly_one_audience_row_and_every_row_names_a_field() {
        for f in FIELDS {
            let rows = AUDIENCES.iter().filter(|r| r.path == f.path).count();
            assert_eq!(rows, 1, "{} has {rows} audience rows", f.path);
        }
        for r in AUDIENCES {
            assert!(
                FIELDS.iter().any(|f| f.path == r.path),
                "{} is not a path of FIELDS",
                r.path
            );
            assert!(!r.why.trim().is_empty(), "{} says no reason", r.path);
        }
    }

    #[test]
    fn police_and_social_care_read_every_field_and_an_extra_address_reads_less() {
        for f in FIELDS {
            assert!(reaches(f.path, Audience::Police), "{}", f.path);
            assert!(reaches(f.path, Audience::SocialCare), "{}", f.path);
        }
        assert!(reaches("identity.legal_name", Audience::ExtraAddress));
        assert!(!reaches("people.associates", Audience::ExtraAddress));
        assert!(!reaches("health.gp", Audience::SecondForce));
        assert!(!reaches("no.such_field", Audience::Police));
        assert!(reaches("people.associates", Audience::ExtraAddressWidened));
    }

    #[test]
    fn stored_words_round_trip() {
        for a in Audience::ALL {
            assert_eq!(Audience::parse(a.as_str()), Some(a));
        }
        assert_eq!(Audience::parse("everyone"), None);
    }

    #[test]
    fn the_full_immigration_status_and_protected_addresses_are_cut_for_those_who_do_not_read_them()
    {
        let mut form = crate::sample::complete_form(
            "Demo Child",
            "DC",
            jiff::civil::date(2011, 5, 4),
            jiff::civil::date(2026, 11, 20),
        );
        form.identity.immigration_status = "Leave to remain pending (fictional)".into();
        let dee = &form.people.associates[0];
        assert!(dee.protected_address && !dee.address.is_empty());
        let police = form_for(&form, Audience::Police);
        assert!(police.identity.immigration_status.is_empty());
        assert_eq!(
            police.identity.unaccompanied_asylum_seeker,
            form.identity.unaccompanied_asylum_seeker
        );
        assert_eq!(
            police.people, form.people,
            "police read protected addresses"
        );
        let care = form_for(&form, Audience::SocialCare);
        assert_eq!(
            care.identity.immigration_status,
            form.identity.immigration_status
        );
        let dee = &care.people.associates[0];
        assert!(dee.address.is_empty() && dee.phones.is_empty() && dee.vehicle.is_empty());
        assert_eq!(dee.name, form.people.associates[0].name);
        assert!(dee.protected_address);
        let second = form_for(&form, Audience::SecondForce);
        assert!(second.identity.immigration_status.is_empty());
        assert_eq!(second.people.associates[0], form.people.associates[0]);
        let widened = form_for(&form, Audience::ExtraAddressWidened);
        assert!(widened.identity.immigration_status.is_empty());
        assert!(widened.people.associates[0].address.is_empty());
    }
}
