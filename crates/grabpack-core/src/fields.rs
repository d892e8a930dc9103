//! The one table of form fields and their priorities.
//!
//! No force makes any field legally mandatory; which fields make a pack "ready" is our product
//! decision, and it must be made once. Validation, readiness, the app's form screens and the PDF
//! all read the priority, label and group from [`FIELDS`], so a change here changes them all.

use serde::Serialize;

use crate::form::ChildForm;

/// How much a field matters to the police in the first hours.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// The form is not ready without it.
    Critical,
    /// Warn when empty.
    High,
    Optional,
}

/// The groups of Part 1, lettered as on the London form.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Administration,
    Identity,
    Description,
    Placement,
    Health,
    PhonesOnline,
    MoneyTravel,
    People,
    Places,
    MissingHistory,
    Risks,
}

impl Group {
    pub const ALL: [Group; 11] = [
        Group::Administration,
        Group::Identity,
        Group::Description,
        Group::Placement,
        Group::Health,
        Group::PhonesOnline,
        Group::MoneyTravel,
        Group::People,
        Group::Places,
        Group::MissingHistory,
        Group::Risks,
    ];

    pub fn letter(self) -> char {
        match self {
            Group::Administration => 'A',
            Group::Identity => 'B',
            Group::Description => 'C',
            Group::Placement => 'D',
            Group::Health => 'E',
            Group::PhonesOnline => 'F',
            Group::MoneyTravel => 'G',
            Group::People => 'H',
            Group::Places => 'I',
            Group::MissingHistory => 'J',
            Group::Risks => 'K',
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Group::Administration => "Administration",
            Group::Identity => "Identity",
            Group::Description => "Description and photos",
            Group::Placement => "Placement and professionals",
            Group::Health => "Health",
            Group::PhonesOnline => "Phones and online",
            Group::MoneyTravel => "Money and travel",
            Group::People => "People",
            Group::Places => "Places",
            Group::MissingHistory => "Missing history",
            Group::Risks => "Risks",
        }
    }
}

/// One field of Part 1: where it lives, what it is called, how much it matters.
#[derive(Clone, Copy)]
pub struct FieldSpec {
    /// The serialised path, e.g. `identity.legal_name`; also the key of `confirmed_none` and
    /// `do_not_share`.
    pub path: &'static str,
    pub group: Group,
    pub label: &'static str,
    pub priority: Priority,
    /// Whether the carer has filled it in (blank text and empty lists are not filled).
    pub filled: fn(&ChildForm) -> bool,
}

impl std::fmt::Debug for FieldSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FieldSpec")
            .field("path", &self.path)
            .field("priority", &self.priority)
            .finish_non_exhaustive()
    }
}

impl FieldSpec {
    /// Filled, or confirmed by the carer as having nothing to record.
    pub fn answered(&self, form: &ChildForm) -> bool {
        (self.filled)(form) || form.confirmed_none.contains(self.path)
    }
}

fn text(s: &str) -> bool {
    !s.trim().is_empty()
}

macro_rules! field {
    ($path:literal, $group:ident, $prio:ident, $label:literal, |$f:ident| $filled:expr) => {
        FieldSpec {
            path: $path,
            group: Group::$group,
            label: $label,
            priority: Priority::$prio,
            filled: |$f: &ChildForm| $filled,
        }
    };
}

/// Every field of Part 1 that readiness, validation, the app and the pack talk about.
pub static FIELDS: &[FieldSpec] = &[
    // A. Administration
    field!(
        "administration.completed_by",
        Administration,
        Critical,
        "Completed by (name, role, organisation)",
        |f| text(&f.administration.completed_by.name) && text(&f.administration.completed_by.role)
    ),
    field!(
        "administration.completed_on",
        Administration,
        Critical,
        "Date completed",
        |f| f.administration.completed_on.is_some()
    ),
    field!(
        "administration.protective_marking",
        Administration,
        High,
        "Protective marking",
        |f| text(&f.administration.protective_marking)
    ),
    field!(
        "administration.child_contribution",
        Administration,
        Optional,
        "The child's own contribution",
        |f| text(&f.administration.child_contribution)
    ),
    field!(
        "administration.child_told_when_shared",
        Administration,
        Optional,
        "Child told when this will be shared",
        |f| f.administration.child_told_when_shared.is_some()
    ),
    field!(
        "administration.transfer_history",
        Administration,
        Optional,
        "Transfer history",
        |f| !f.administration.transfer_history.is_empty()
    ),
    // B. Identity
    field!(
        "identity.legal_name",
        Identity,
        Critical,
        "Legal name",
        |f| text(&f.identity.legal_name)
    ),
    field!(
        "identity.known_as",
        Identity,
        Critical,
        "Known as, nicknames, aliases, other spellings",
        |f| f.identity.known_as.iter().any(|s| text(s))
    ),
    field!(
        "identity.date_of_birth",
        Identity,
        Critical,
        "Date of birth",
        |f| f.identity.date_of_birth.is_some()
    ),
    field!("identity.gender", Identity, Critical, "Gender", |f| text(
        &f.identity.gender
    )),
    field!(
        "identity.ethnicity_appearance",
        Identity,
        High,
        "Ethnicity and appearance",
        |f| text(&f.identity.ethnicity_appearance)
    ),
    field!(
        "identity.nationality",
        Identity,
        High,
        "Nationality and immigration status",
        |f| text(&f.identity.nationality) || text(&f.identity.immigration_status)
    ),
    field!(
        "identity.first_language",
        Identity,
        High,
        "First language, accent, interpreter need",
        |f| text(&f.identity.first_language)
    ),
    field!(
        "identity.identifiers",
        Identity,
        Optional,
        "Identifiers (police, NRM references)",
        |f| !f.identity.identifiers.is_empty()
    ),
    field!(
        "identity.passport_id",
        Identity,
        Optional,
        "Passport or ID held, and where",
        |f| text(&f.identity.passport_id)
    ),
    // C. Description
    field!(
        "description.height_cm",
        Description,
        Critical,
        "Height",
        |f| f.description.height_cm.is_some()
    ),
    field!("description.build", Description, Critical, "Build", |f| {
        text(&f.description.build)
    }),
    field!("description.hair", Description, Critical, "Hair", |f| text(
        &f.description.hair
    )),
    field!("description.eyes", Description, Critical, "Eyes", |f| text(
        &f.description.eyes
    )),
    field!(
        "description.marks",
        Description,
        Critical,
        "Scars, tattoos, piercings, birthmarks",
        |f| !f.description.marks.is_empty()
    ),
    field!(
        "description.glasses_aids",
        Description,
        High,
        "Glasses and aids",
        |f| text(&f.description.glasses_aids)
    ),
    field!(
        "description.usual_dress",
        Description,
        Optional,
        "Usual style of dress",
        |f| text(&f.description.usual_dress)
    ),
    // D. Placement and professionals
    field!(
        "placement.address",
        Placement,
        Critical,
        "Placement address",
        |f| !f.placement.address.is_empty()
    ),
    field!(
        "placement.placement_type",
        Placement,
        Critical,
        "Placement type",
        |f| f.placement.placement_type.is_some()
    ),
    field!(
        "placement.home_phone_24h",
        Placement,
        Critical,
        "24/7 home contact",
        |f| text(&f.placement.home_phone_24h)
    ),
    field!(
        "placement.registered_manager",
        Placement,
        Critical,
        "Registered manager",
        |f| text(&f.placement.registered_manager.name)
    ),
    field!(
        "placement.placing_council",
        Placement,
        Critical,
        "Placing council",
        |f| text(&f.placement.placing_council)
    ),
    field!(
        "placement.host_council",
        Placement,
        Critical,
        "Host council",
        |f| text(&f.placement.host_council)
    ),
    field!(
        "placement.legal_status",
        Placement,
        Critical,
        "Legal status",
        |f| f.placement.legal_status.is_some()
    ),
    field!(
        "placement.social_worker",
        Placement,
        Critical,
        "Social worker (name, team, phone, email)",
        |f| text(&f.placement.social_worker.name)
            && (text(&f.placement.social_worker.phone) || text(&f.placement.social_worker.email))
    ),
    field!(
        "placement.out_of_hours",
        Placement,
        Critical,
        "Out-of-hours (EDT) contact",
        |f| text(&f.placement.out_of_hours.phone) || text(&f.placement.out_of_hours.email)
    ),
    field!(
        "placement.iro",
        Placement,
        Optional,
        "Independent Reviewing Officer",
        |f| !f.placement.iro.is_empty()
    ),
    field!(
        "placement.placement_start",
        Placement,
        High,
        "Placement start",
        |f| f.placement.placement_start.is_some()
    ),
    field!(
        "placement.previous_placements",
        Placement,
        High,
        "Previous placements",
        |f| !f.placement.previous_placements.is_empty()
    ),
    field!(
        "placement.family_addresses",
        Placement,
        High,
        "Family home addresses",
        |f| !f.placement.family_addresses.is_empty()
    ),
    field!(
        "placement.contact_restrictions",
        Placement,
        High,
        "Contact restrictions and court orders",
        |f| text(&f.placement.contact_restrictions)
    ),
    field!(
        "placement.school",
        Placement,
        High,
        "School or college",
        |f| !f.placement.school.is_empty()
    ),
    field!(
        "placement.ehc_plan_sen",
        Placement,
        Optional,
        "EHC plan / SEN",
        |f| text(&f.placement.ehc_plan_sen)
    ),
    // E. Health
    field!(
        "health.conditions",
        Health,
        Critical,
        "Medical conditions",
        |f| text(&f.health.conditions)
    ),
    field!(
        "health.medication",
        Health,
        Critical,
        "Medication, dose, effect if missed",
        |f| !f.health.medication.is_empty()
    ),
    field!(
        "health.mental_health",
        Health,
        Critical,
        "Mental health, self-harm, suicide risk",
        |f| text(&f.health.mental_health) || f.health.self_harm_risk.is_some()
    ),
    field!("health.gp", Health, High, "GP", |f| !f.health.gp.is_empty()),
    field!("health.allergies", Health, High, "Allergies", |f| text(
        &f.health.allergies
    )),
    field!(
        "health.disability_communication",
        Health,
        High,
        "Disability, learning disability, autism, communication",
        |f| text(&f.health.disability_communication)
    ),
    field!("health.substance_use", Health, High, "Substance use", |f| {
        text(&f.health.substance_use)
    }),
    field!("health.pregnancy", Health, Optional, "Pregnancy", |f| text(
        &f.health.pregnancy
    )),
    // F. Phones and online
    field!(
        "phones_online.mobiles",
        PhonesOnline,
        Critical,
        "Mobile numbers",
        |f| f.phones_online.mobiles.iter().any(|p| text(&p.number))
    ),
    field!(
        "phones_online.handsets",
        PhonesOnline,
        High,
        "Handset and network",
        |f| f
            .phones_online
            .mobiles
            .iter()
            .any(|p| text(&p.handset) || text(&p.network))
    ),
    field!(
        "phones_online.email",
        PhonesOnline,
        Optional,
        "Email",
        |f| text(&f.phones_online.email)
    ),
    field!(
        "phones_online.social_handles",
        PhonesOnline,
        High,
        "Social media and gaming handles",
        |f| !f.phones_online.social_handles.is_empty()
    ),
    field!(
        "phones_online.location_sharing",
        PhonesOnline,
        Optional,
        "Location-sharing apps",
        |f| text(&f.phones_online.location_sharing)
    ),
    // G. Money and travel
    field!(
        "money_travel.bank_cards",
        MoneyTravel,
        High,
        "Bank cards (last 4 digits)",
        |f| !f.money_travel.bank_cards.is_empty()
    ),
    field!(
        "money_travel.cash_benefits",
        MoneyTravel,
        High,
        "Access to cash and benefits",
        |f| text(&f.money_travel.cash_benefits)
    ),
    field!(
        "money_travel.travel_cards",
        MoneyTravel,
        High,
        "Travel cards",
        |f| !f.money_travel.travel_cards.is_empty()
    ),
    field!(
        "money_travel.vehicles",
        MoneyTravel,
        Optional,
        "Bicycle, scooter, vehicles",
        |f| text(&f.money_travel.vehicles)
    ),
    // H. People
    field!("people.family", People, Critical, "Family", |f| !f
        .people
        .family
        .is_empty()),
    field!("people.friends", People, Critical, "Friends", |f| !f
        .people
        .friends
        .is_empty()),
    field!(
        "people.partners",
        People,
        High,
        "Boyfriend or girlfriend",
        |f| !f.people.partners.is_empty()
    ),
    field!(
        "people.associates",
        People,
        Critical,
        "Associates, including adults of concern",
        |f| !f.people.associates.is_empty()
    ),
    field!(
        "people.trusted_adults",
        People,
        High,
        "Trusted adults",
        |f| !f.people.trusted_adults.is_empty()
    ),
    // I. Places
    field!(
        "places.frequented",
        Places,
        Critical,
        "Locations frequented",
        |f| !f.places.frequented.is_empty()
    ),
    field!(
        "places.significant",
        Places,
        High,
        "Places of significance and interests",
        |f| !f.places.significant.is_empty()
    ),
    field!(
        "places.risk_assessed",
        Places,
        Critical,
        "Risk-assessed locations",
        |f| !f.places.risk_assessed.is_empty()
    ),
    field!(
        "places.found_before",
        Places,
        Critical,
        "Places found in past episodes",
        |f| !f.places.found_before.is_empty()
    ),
    field!(
        "places.out_of_area",
        Places,
        High,
        "Out-of-area connections",
        |f| !f.places.out_of_area.is_empty()
    ),
    // J. Missing history
    field!(
        "missing_history.previous_episodes",
        MissingHistory,
        Critical,
        "Previous missing episodes",
        |f| !f.missing_history.previous_episodes.is_empty()
    ),
    field!(
        "missing_history.usual_pattern",
        MissingHistory,
        High,
        "Usual pattern (times, triggers, routes)",
        |f| text(&f.missing_history.usual_pattern)
    ),
    field!(
        "missing_history.police_references",
        MissingHistory,
        Optional,
        "Previous police references",
        |f| !f.missing_history.police_references.is_empty()
    ),
    // K. Risks
    field!(
        "risks.sexual_exploitation",
        Risks,
        Critical,
        "Sexual exploitation",
        |f| f.risks.sexual_exploitation.concern.is_some()
    ),
    field!(
        "risks.criminal_exploitation",
        Risks,
        Critical,
        "Criminal exploitation, county lines, gangs",
        |f| f.risks.criminal_exploitation.concern.is_some()
    ),
    field!(
        "risks.trafficking",
        Risks,
        Critical,
        "Trafficking and modern slavery",
        |f| f.risks.trafficking.concern.is_some()
    ),
    field!("risks.radicalisation", Risks, High, "Radicalisation", |f| f
        .risks
        .radicalisation
        .concern
        .is_some()),
    field!(
        "risks.harmful_practices",
        Risks,
        High,
        "FGM, forced marriage, honour-based abuse",
        |f| f.risks.harmful_practices.concern.is_some()
    ),
    field!(
        "risks.domestic_abuse",
        Risks,
        High,
        "Domestic abuse, family conflict",
        |f| f.risks.domestic_abuse.concern.is_some()
    ),
    field!(
        "risks.youth_justice",
        Risks,
        High,
        "Bail conditions, orders, youth justice",
        |f| f.risks.youth_justice.concern.is_some()
    ),
    field!(
        "risks.child_protection_plan",
        Risks,
        High,
        "Child protection plan",
        |f| f.risks.child_protection_plan.concern.is_some()
    ),
    field!("risks.risk_to_others", Risks, High, "Risk to others", |f| f
        .risks
        .risk_to_others
        .concern
        .is_some()),
    field!(
        "risks.abduction_warning_notices",
        Risks,
        Optional,
        "Abduction warning notices",
        |f| f.risks.abduction_warning_notices.concern.is_some()
    ),
];

/// The field with this path, if there is one.
pub fn field(path: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|f| f.path == path)
}

/// The priority of the field at `path`, or of the field it sits inside (`people.associates[3].name`
/// takes the priority of `people.associates`).
pub fn priority_of(path: &str) -> Option<Priority> {
    let mut best: Option<&FieldSpec> = None;
    for f in FIELDS {
        if path == f.path
            || path
                .strip_prefix(f.path)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        {
            best = Some(f);
        }
    }
    best.map(|f| f.priority)
}
