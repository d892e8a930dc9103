//! The grab-pack form as types.
//!
//! Part 1 (the profile) is kept current for every child; Part 2 is written only when the child goes
//! missing; the return record when they come home. The groups follow DOMAIN.md (A to K) so a carer,
//! an inspector and the code all use the same map. Where the domain has a fixed vocabulary (legal
//! status, placement type, risk grading, photo kind) it is an enum, so the police read the same
//! words from every home; everywhere else it is free text, because children's lives do not fit
//! drop-downs.
//!
//! Every struct takes `#[serde(default, deny_unknown_fields)]`: an import may leave things out, but
//! a misspelt field is an error that names the field rather than data silently dropped.

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Part 1 of the grab pack: the live profile of one child, groups A to K.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ChildForm {
    pub administration: Administration,
    pub identity: Identity,
    pub description: Description,
    pub placement: Placement,
    pub health: Health,
    pub phones_online: PhonesOnline,
    pub money_travel: MoneyTravel,
    pub people: People,
    pub places: Places,
    pub missing_history: MissingHistory,
    pub risks: Risks,
    /// Field paths (as in the field table) the carer confirmed have nothing to record, such as
    /// "no medication" or "no marks": they count as answered for readiness.
    pub confirmed_none: BTreeSet<String>,
    /// Field paths the carer marked "do not share": kept in the record, left out of every pack.
    pub do_not_share: BTreeSet<String>,
}

/// A. Administration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Administration {
    /// Who completed the form (name, role, organisation).
    pub completed_by: CompletedBy,
    pub completed_on: Option<Date>,
    /// The child's own words about what they would want police and carers to know.
    pub child_contribution: String,
    /// Whether the child was told when this form will be shared.
    pub child_told_when_shared: Option<bool>,
    pub transfer_history: Vec<Transfer>,
    /// Overrides the home's default protective marking for this child's packs.
    pub protective_marking: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CompletedBy {
    pub name: String,
    pub role: String,
    pub organisation: String,
}

/// A handover of the form between placements.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Transfer {
    pub date: Option<Date>,
    pub from: String,
    pub to: String,
    pub note: String,
}

/// B. Identity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Identity {
    /// Full legal name, in the child's own script where they write it so.
    pub legal_name: String,
    /// Known-as names, nicknames, aliases and other spellings.
    pub known_as: Vec<String>,
    pub date_of_birth: Option<Date>,
    pub gender: String,
    /// The child's own, self-defined ethnicity, as a 2021 census category (England and Wales).
    pub ethnicity: Option<Ethnicity>,
    /// The child's ethnicity in their own words, above all for an "any other" background.
    pub ethnicity_own_words: String,
    /// Appearance as the police would describe it (skin tone, features): not the child's
    /// ethnicity, which is theirs to say. Version 1 kept both in `ethnicity_appearance`.
    pub appearance: String,
    pub nationality: String,
    pub immigration_status: String,
    /// Unaccompanied asylum-seeking child.
    pub unaccompanied_asylum_seeker: Option<bool>,
    /// A concern that the child has been or is being trafficked (the police need the flag, not
    /// the whole immigration history).
    pub trafficking_concern: Option<bool>,
    /// National Referral Mechanism: referral and decisions.
    pub nrm: NrmStatus,
    pub first_language: String,
    pub accent: String,
    pub interpreter_needed: Option<bool>,
    /// Previous police references, National Referral Mechanism reference and the like.
    pub identifiers: Vec<Identifier>,
    /// Passport or ID held, and where it is kept.
    pub passport_id: String,
}

/// Ethnic group, in the words of the 2021 census of England and Wales (the 19 categories), plus
/// "prefers not to say". Chosen by the child, never read off their appearance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ethnicity {
    #[schemars(title = "Asian, Asian British or Asian Welsh: Bangladeshi")]
    AsianBangladeshi,
    #[schemars(title = "Asian, Asian British or Asian Welsh: Chinese")]
    AsianChinese,
    #[schemars(title = "Asian, Asian British or Asian Welsh: Indian")]
    AsianIndian,
    #[schemars(title = "Asian, Asian British or Asian Welsh: Pakistani")]
    AsianPakistani,
    #[schemars(title = "Asian, Asian British or Asian Welsh: Any other Asian background")]
    AsianOther,
    #[schemars(title = "Black, Black British, Black Welsh, Caribbean or African: African")]
    BlackAfrican,
    #[schemars(title = "Black, Black British, Black Welsh, Caribbean or African: Caribbean")]
    BlackCaribbean,
    #[schemars(
        title = "Black, Black British, Black Welsh, Caribbean or African: Any other Black, Black British, or Caribbean background"
    )]
    BlackOther,
    #[schemars(title = "Mixed or Multiple ethnic groups: White and Asian")]
    MixedWhiteAsian,
    #[schemars(title = "Mixed or Multiple ethnic groups: White and Black African")]
    MixedWhiteBlackAfrican,
    #[schemars(title = "Mixed or Multiple ethnic groups: White and Black Caribbean")]
    MixedWhiteBlackCaribbean,
    #[schemars(
        title = "Mixed or Multiple ethnic groups: Any other Mixed or Multiple ethnic background"
    )]
    MixedOther,
    #[schemars(title = "White: English, Welsh, Scottish, Northern Irish or British")]
    WhiteBritish,
    #[schemars(title = "White: Irish")]
    WhiteIrish,
    #[schemars(title = "White: Gypsy or Irish Traveller")]
    WhiteGypsyIrishTraveller,
    #[schemars(title = "White: Roma")]
    WhiteRoma,
    #[schemars(title = "White: Any other White background")]
    WhiteOther,
    #[schemars(title = "Other ethnic group: Arab")]
    Arab,
    #[schemars(title = "Other ethnic group: Any other ethnic group")]
    AnyOther,
    #[schemars(title = "Prefers not to say")]
    PrefersNotToSay,
}

impl Ethnicity {
    pub const ALL: [Ethnicity; 20] = [
        Self::AsianBangladeshi,
        Self::AsianChinese,
        Self::AsianIndian,
        Self::AsianPakistani,
        Self::AsianOther,
        Self::BlackAfrican,
        Self::BlackCaribbean,
        Self::BlackOther,
        Self::MixedWhiteAsian,
        Self::MixedWhiteBlackAfrican,
        Self::MixedWhiteBlackCaribbean,
        Self::MixedOther,
        Self::WhiteBritish,
        Self::WhiteIrish,
        Self::WhiteGypsyIrishTraveller,
        Self::WhiteRoma,
        Self::WhiteOther,
        Self::Arab,
        Self::AnyOther,
        Self::PrefersNotToSay,
    ];

    /// The census wording (the same words as the schema's titles, which the form screens show;
    /// a test holds them together).
    pub fn label(self) -> &'static str {
        match self {
            Self::AsianBangladeshi => "Asian, Asian British or Asian Welsh: Bangladeshi",
            Self::AsianChinese => "Asian, Asian British or Asian Welsh: Chinese",
            Self::AsianIndian => "Asian, Asian British or Asian Welsh: Indian",
            Self::AsianPakistani => "Asian, Asian British or Asian Welsh: Pakistani",
            Self::AsianOther => "Asian, Asian British or Asian Welsh: Any other Asian background",
            Self::BlackAfrican => {
                "Black, Black British, Black Welsh, Caribbean or African: African"
            }
            Self::BlackCaribbean => {
                "Black, Black British, Black Welsh, Caribbean or African: Caribbean"
            }
            Self::BlackOther => {
                "Black, Black British, Black Welsh, Caribbean or African: Any other Black, Black British, or Caribbean background"
            }
            Self::MixedWhiteAsian => "Mixed or Multiple ethnic groups: White and Asian",
            Self::MixedWhiteBlackAfrican => {
                "Mixed or Multiple ethnic groups: White and Black African"
            }
            Self::MixedWhiteBlackCaribbean => {
                "Mixed or Multiple ethnic groups: White and Black Caribbean"
            }
            Self::MixedOther => {
                "Mixed or Multiple ethnic groups: Any other Mixed or Multiple ethnic background"
            }
            Self::WhiteBritish => "White: English, Welsh, Scottish, Northern Irish or British",
            Self::WhiteIrish => "White: Irish",
            Self::WhiteGypsyIrishTraveller => "White: Gypsy or Irish Traveller",
            Self::WhiteRoma => "White: Roma",
            Self::WhiteOther => "White: Any other White background",
            Self::Arab => "Other ethnic group: Arab",
            Self::AnyOther => "Other ethnic group: Any other ethnic group",
            Self::PrefersNotToSay => "Prefers not to say",
        }
    }
}

/// The child's National Referral Mechanism (modern slavery) status: a referral and the two
/// decisions on it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NrmStatus {
    /// Whether a referral has been made.
    pub referred: Option<bool>,
    pub referred_on: Option<Date>,
    /// The reasonable grounds decision.
    pub reasonable_grounds: Option<NrmDecision>,
    pub reasonable_grounds_on: Option<Date>,
    /// The conclusive grounds decision.
    pub conclusive_grounds: Option<NrmDecision>,
    pub conclusive_grounds_on: Option<Date>,
}

/// A decision of the NRM's competent authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NrmDecision {
    #[schemars(title = "Awaited")]
    Awaited,
    #[schemars(title = "Negative")]
    Negative,
    #[schemars(title = "Positive")]
    Positive,
}

impl NrmDecision {
    pub fn label(self) -> &'static str {
        match self {
            Self::Awaited => "Awaited",
            Self::Negative => "Negative",
            Self::Positive => "Positive",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Identifier {
    pub kind: String,
    pub value: String,
}

/// C. Description (photos are stored beside the form, not inside it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Description {
    pub height_cm: Option<u16>,
    pub build: String,
    pub hair: String,
    pub eyes: String,
    pub facial_hair: String,
    /// Scars, tattoos, piercings, birthmarks.
    pub marks: Vec<Mark>,
    /// Glasses, hearing aids and other aids.
    pub glasses_aids: String,
    pub usual_dress: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Mark {
    pub kind: MarkKind,
    pub location: String,
    pub description: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MarkKind {
    Scar,
    Tattoo,
    Piercing,
    Birthmark,
    #[default]
    Other,
}

impl MarkKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Scar => "Scar",
            Self::Tattoo => "Tattoo",
            Self::Piercing => "Piercing",
            Self::Birthmark => "Birthmark",
            Self::Other => "Mark",
        }
    }
}

/// D. Placement and professionals.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Placement {
    pub address: Address,
    pub placement_type: Option<PlacementType>,
    /// The number that is answered 24 hours a day.
    pub home_phone_24h: String,
    pub registered_manager: Contact,
    /// The placing (responsible) council.
    pub placing_council: String,
    /// The council the placement is in.
    pub host_council: String,
    pub legal_status: Option<LegalStatus>,
    pub social_worker: Professional,
    /// The placing council's out-of-hours (emergency duty) team.
    pub out_of_hours: Contact,
    /// Independent Reviewing Officer.
    pub iro: Professional,
    pub placement_start: Option<Date>,
    pub previous_placements: Vec<PreviousPlacement>,
    pub family_addresses: Vec<Address>,
    /// Contact restrictions and court orders: people the child must not see.
    pub contact_restrictions: String,
    pub school: School,
    /// Education, health and care plan or special educational needs.
    pub ehc_plan_sen: String,
    /// Who holds parental responsibility (a child accommodated under section 20 keeps parents
    /// who hold it) and whether and how each is told of an episode.
    pub parental_responsibility: Vec<ParentalResponsibility>,
    /// Youth offending, exploitation, CAMHS, advocate, personal adviser, independent child
    /// trafficking guardian and other professionals around the child.
    pub other_professionals: Vec<OtherProfessional>,
    /// For a foster placement: the fostering agency.
    pub fostering_agency: Contact,
    /// For a foster placement: the carers' supervising social worker.
    pub supervising_social_worker: Professional,
    /// For a foster placement: the fostering agency's out-of-hours line.
    pub agency_out_of_hours: Contact,
}

/// One person or body holding parental responsibility.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ParentalResponsibility {
    pub name: String,
    /// Mother, father, special guardian, the council (under a care order), ...
    pub relationship: String,
    pub phone: String,
    /// Whether they are to be told when the child goes missing.
    pub told_of_episode: Option<bool>,
    /// How and by whom they are told (and anything agreed about it).
    pub how_told: String,
}

/// Another professional around the child, with their organisation and contact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct OtherProfessional {
    pub role: ProfessionalRole,
    pub name: String,
    pub organisation: String,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProfessionalRole {
    #[schemars(title = "Youth offending worker")]
    YouthOffending,
    #[schemars(title = "Exploitation (CSE/CCE) worker")]
    ExploitationWorker,
    #[schemars(title = "CAMHS")]
    Camhs,
    #[schemars(title = "Advocate")]
    Advocate,
    #[schemars(title = "Personal adviser")]
    PersonalAdviser,
    #[schemars(title = "Independent child trafficking guardian")]
    TraffickingGuardian,
    #[default]
    #[schemars(title = "Other")]
    Other,
}

impl ProfessionalRole {
    pub fn label(self) -> &'static str {
        match self {
            Self::YouthOffending => "Youth offending worker",
            Self::ExploitationWorker => "Exploitation (CSE/CCE) worker",
            Self::Camhs => "CAMHS",
            Self::Advocate => "Advocate",
            Self::PersonalAdviser => "Personal adviser",
            Self::TraffickingGuardian => "Independent child trafficking guardian",
            Self::Other => "Other",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Address {
    pub lines: Vec<String>,
    pub town: String,
    pub postcode: String,
    /// The London borough or local authority area, used to route a report.
    pub borough: String,
}

impl Address {
    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.trim().is_empty())
            && self.town.trim().is_empty()
            && self.postcode.trim().is_empty()
    }

    /// One line, for a table cell or the read-out.
    pub fn one_line(&self) -> String {
        self.lines
            .iter()
            .map(String::as_str)
            .chain([self.town.as_str(), self.postcode.as_str()])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlacementType {
    ChildrensHome,
    FosterCare,
    SupportedAccommodation,
    SecureChildrensHome,
    KinshipCare,
    Other,
}

impl PlacementType {
    pub fn label(self) -> &'static str {
        match self {
            Self::ChildrensHome => "Children's home",
            Self::FosterCare => "Foster care",
            Self::SupportedAccommodation => "Supported accommodation",
            Self::SecureChildrensHome => "Secure children's home",
            Self::KinshipCare => "Kinship care",
            Self::Other => "Other",
        }
    }
}

/// The child's legal status in care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegalStatus {
    /// Accommodated by agreement (Children Act 1989 s20).
    Section20,
    /// Full care order (s31).
    CareOrder,
    /// Interim care order (s38).
    InterimCareOrder,
    PlacementOrder,
    /// Remanded to local authority accommodation.
    Remand,
    /// Police protection or emergency protection order.
    EmergencyProtection,
    Other,
}

impl LegalStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Section20 => "Section 20 (accommodated)",
            Self::CareOrder => "Care order (s31)",
            Self::InterimCareOrder => "Interim care order (s38)",
            Self::PlacementOrder => "Placement order",
            Self::Remand => "Remand",
            Self::EmergencyProtection => "Emergency protection",
            Self::Other => "Other",
        }
    }
}

/// A person or team reached by phone and email.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub email: String,
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty() && self.phone.trim().is_empty() && self.email.trim().is_empty()
    }
}

/// A named professional with their team.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Professional {
    pub name: String,
    pub team: String,
    pub phone: String,
    pub email: String,
}

impl Professional {
    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty()
            && self.team.trim().is_empty()
            && self.phone.trim().is_empty()
            && self.email.trim().is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PreviousPlacement {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub description: String,
    pub address: Address,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct School {
    pub name: String,
    pub address: Address,
    pub contact: Contact,
}

impl School {
    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty() && self.address.is_empty() && self.contact.is_empty()
    }
}

/// E. Health.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Health {
    pub conditions: String,
    pub medication: Vec<Medication>,
    /// Mental health, self-harm and suicide risk, in the carer's words.
    pub mental_health: String,
    /// Whether there is a known risk of self-harm or suicide (a page-one label).
    pub self_harm_risk: Option<bool>,
    pub gp: Contact,
    pub allergies: String,
    /// Disability, learning disability, autism, communication needs.
    pub disability_communication: String,
    pub substance_use: String,
    pub pregnancy: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Medication {
    pub name: String,
    pub dose: String,
    /// What happens if doses are missed: this is what makes a short absence dangerous.
    pub effect_if_missed: String,
}

/// F. Phones and online. Handles only: never passwords.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PhonesOnline {
    pub mobiles: Vec<Phone>,
    pub email: String,
    pub social_handles: Vec<SocialHandle>,
    pub location_sharing: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Phone {
    pub number: String,
    pub handset: String,
    pub network: String,
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SocialHandle {
    /// Snapchat, Instagram, TikTok, a game's network, ...
    pub platform: String,
    pub handle: String,
}

/// G. Money and travel. Bank cards by their last 4 digits only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MoneyTravel {
    pub bank_cards: Vec<BankCard>,
    pub cash_benefits: String,
    pub travel_cards: Vec<TravelCard>,
    pub vehicles: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BankCard {
    pub bank: String,
    /// Exactly four digits: the whole number is never stored.
    pub last4: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TravelCard {
    pub kind: TravelCardKind,
    /// The card's printed number or a note (Oyster numbers help police trace journeys).
    pub reference: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TravelCardKind {
    Oyster,
    ZipOyster,
    BusPass,
    Railcard,
    #[default]
    Other,
}

impl TravelCardKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Oyster => "Oyster",
            Self::ZipOyster => "Zip Oyster",
            Self::BusPass => "Bus pass",
            Self::Railcard => "Railcard",
            Self::Other => "Other",
        }
    }
}

/// H. People.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct People {
    pub family: Vec<Person>,
    pub friends: Vec<Person>,
    /// Boyfriend or girlfriend.
    pub partners: Vec<Person>,
    /// Associates, including adults of concern and their vehicles.
    pub associates: Vec<Person>,
    /// Trusted adults the child would go to.
    pub trusted_adults: Vec<Person>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub relationship: String,
    pub address: Address,
    pub phones: Vec<String>,
    pub handles: Vec<SocialHandle>,
    /// Vehicle make, colour and registration, for associates above all.
    pub vehicle: String,
    /// An adult or peer of concern (exploitation, violence): highlighted in the pack.
    pub of_concern: bool,
    pub risk_note: String,
    /// Someone the child must not be placed with or taken to. Police see their address marked
    /// "Risk: do not return the child here"; everyone else who gets the pack sees only the name
    /// and the warning.
    pub protected_address: bool,
}

/// I. Places.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Places {
    /// Locations frequented: where, why, when.
    pub frequented: Vec<Place>,
    /// Places of significance and interests.
    pub significant: Vec<Place>,
    pub risk_assessed: Vec<RiskAssessedLocation>,
    /// Places the child was found in past episodes.
    pub found_before: Vec<Place>,
    pub out_of_area: Vec<Place>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Place {
    pub name: String,
    pub address: Address,
    pub why: String,
    pub when: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RiskAssessedLocation {
    pub name: String,
    pub address: Address,
    pub reason: String,
    /// The place's own risk words (not the police grading of a missing person).
    pub risk_level: Option<LocationRisk>,
    /// Who local to the place can help (a shop, a youth worker, a neighbourhood officer).
    pub local_contact: String,
}

/// How dangerous a risk-assessed place is for this child, in the home's words for places. Not
/// the police grading of a missing person ([`RiskGrading`]): a place is assessed by the home and
/// its partners, and a force's grading words and rules do not apply to it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LocationRisk {
    #[schemars(title = "Some concern: check here")]
    Low,
    #[schemars(title = "Risk known: go with care")]
    Medium,
    #[schemars(title = "Serious harm known here")]
    High,
}

impl LocationRisk {
    pub fn label(self) -> &'static str {
        match self {
            Self::Low => "Some concern: check here",
            Self::Medium => "Risk known: go with care",
            Self::High => "Serious harm known here",
        }
    }
}

/// J. Missing history. The app adds its own episodes; this holds what came before it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MissingHistory {
    pub previous_episodes: Vec<PastEpisode>,
    /// Usual pattern: times, triggers, routes.
    pub usual_pattern: String,
    pub police_references: Vec<String>,
    /// When this child is to be reported missing, as agreed with police and the social worker.
    pub trigger_plan: TriggerPlan,
}

/// The agreed trigger plan: the point at which staff report this child missing (the seed's
/// "trigger assessment"), who agreed it and when. Shown when staff decide to report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TriggerPlan {
    /// When to report, e.g. "not back by 22:00 and not answering their phone".
    pub when_to_report: String,
    /// Who agreed it: the police (officer, unit), the social worker, others.
    pub agreed_with: Vec<TriggerAgreement>,
    pub agreed_on: Option<Date>,
}

impl TriggerPlan {
    pub fn is_empty(&self) -> bool {
        self.when_to_report.trim().is_empty()
            && self.agreed_with.iter().all(|a| a.name.trim().is_empty())
            && self.agreed_on.is_none()
    }
}

/// One party to the trigger plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TriggerAgreement {
    pub party: AgreedParty,
    /// Their name, role or unit (e.g. "PC 1234 Example, Hackney missing persons unit").
    pub name: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgreedParty {
    #[default]
    #[schemars(title = "Police")]
    Police,
    #[schemars(title = "Social worker")]
    SocialWorker,
    #[schemars(title = "Registered manager")]
    Manager,
    #[schemars(title = "Other")]
    Other,
}

impl AgreedParty {
    pub fn label(self) -> &'static str {
        match self {
            Self::Police => "Police",
            Self::SocialWorker => "Social worker",
            Self::Manager => "Registered manager",
            Self::Other => "Other",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PastEpisode {
    pub started: Option<Date>,
    pub duration_hours: Option<u32>,
    pub where_found: String,
    pub who_with: String,
    pub harm: String,
    pub police_reference: String,
}

/// K. Risks, each with the carer's assessment and a note.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Risks {
    pub sexual_exploitation: RiskEntry,
    /// Criminal exploitation, county lines, gangs.
    pub criminal_exploitation: RiskEntry,
    /// Trafficking and modern slavery.
    pub trafficking: RiskEntry,
    pub radicalisation: RiskEntry,
    /// FGM, forced marriage and honour-based abuse.
    pub harmful_practices: RiskEntry,
    /// Domestic abuse and family conflict.
    pub domestic_abuse: RiskEntry,
    /// Bail conditions, orders, youth justice.
    pub youth_justice: RiskEntry,
    pub child_protection_plan: RiskEntry,
    pub risk_to_others: RiskEntry,
    pub abduction_warning_notices: RiskEntry,
    /// Missing and wanted: whether police want the child (a warrant, a breach) or have
    /// circulated them.
    pub wanted: Wanted,
}

/// Whether the child is wanted or circulated by police, beside being missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Wanted {
    /// `None` means not known, which is not the same as "not wanted".
    pub status: Option<WantedStatus>,
    /// The force that wants or circulated the child.
    pub force: String,
    /// Why (a warrant, a breach of bail) and any reference.
    pub reason: String,
}

impl Wanted {
    /// Wanted or circulated: the reader must not miss it.
    pub fn is_flagged(&self) -> bool {
        matches!(
            self.status,
            Some(WantedStatus::Wanted | WantedStatus::Circulated)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WantedStatus {
    #[schemars(title = "Not wanted by police")]
    NotWanted,
    #[schemars(title = "Circulated by police")]
    Circulated,
    #[schemars(title = "Wanted by police")]
    Wanted,
}

impl WantedStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::NotWanted => "Not wanted by police",
            Self::Circulated => "Circulated by police",
            Self::Wanted => "Wanted by police",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RiskEntry {
    /// None means "not yet assessed", which is not the same as "no concern".
    pub concern: Option<Concern>,
    pub note: String,
}

impl RiskEntry {
    /// A concern that belongs on the pack's first page.
    pub fn is_flagged(&self) -> bool {
        matches!(self.concern, Some(Concern::Suspected | Concern::Known))
    }
}

/// The carer's assessment of one risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Concern {
    NoConcern,
    Suspected,
    Known,
}

impl Concern {
    pub fn label(self) -> &'static str {
        match self {
            Self::NoConcern => "No concern",
            Self::Suspected => "Suspected",
            Self::Known => "Known",
        }
    }
}

/// The police grading of risk for a missing person, also used for the carer's view (places have
/// their own words, [`LocationRisk`]).
/// Which of these a force offers, and its words for them, is data (`practice`): "no apparent
/// risk" is kept only so a grading recorded before it was dropped for children still reads back
/// as recorded; it is never offered for a child.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RiskGrading {
    NoApparentRisk,
    VeryLow,
    Low,
    Medium,
    High,
}

impl RiskGrading {
    pub fn label(self) -> &'static str {
        match self {
            Self::NoApparentRisk => "No apparent risk",
            Self::VeryLow => "Very low",
            Self::Low => "Low",
            Self::Medium => "Medium",
            Self::High => "High",
        }
    }
}

/// What a photo shows; the pack leads with the newest face photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhotoKind {
    Face,
    FullLength,
    Mark,
}

impl PhotoKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Face => "face",
            Self::FullLength => "full_length",
            Self::Mark => "mark",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "face" => Some(Self::Face),
            "full_length" | "full-length" => Some(Self::FullLength),
            "mark" => Some(Self::Mark),
            _ => None,
        }
    }
}

/// Part 2: written at the time the child goes missing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Part2 {
    pub absence_noticed_at: Option<Timestamp>,
    pub last_seen_at: Option<Timestamp>,
    pub last_seen_where: String,
    pub last_seen_by: String,
    /// Clothing and items worn.
    pub clothing: String,
    pub who_with: String,
    /// Direction, transport, intended destination.
    pub direction_transport: String,
    pub intended_destination: String,
    pub taken: TakenItems,
    /// Circumstances, trigger, mood.
    pub circumstances: String,
    pub carer_risk_view: Option<RiskGrading>,
    pub carer_risk_reasons: String,
    pub actions_taken: Vec<ActionTaken>,
    pub notifications: Vec<Notification>,
    pub reporting_person: String,
    pub call_back_number: String,
}

/// What the child took with them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TakenItems {
    pub phone: Option<bool>,
    pub money: Option<bool>,
    pub bank_cards: Option<bool>,
    pub passport: Option<bool>,
    pub medication: Option<bool>,
    pub other: String,
}

/// An action already taken before or after reporting, with its time and outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionTaken {
    pub at: Timestamp,
    pub action: String,
    #[serde(default)]
    pub outcome: String,
}

/// Who was told, when, and the reference they gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notification {
    pub to: NotifiedParty,
    pub at: Timestamp,
    /// Police incident or CAD reference, or the person's name.
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub officer_name: String,
    #[serde(default)]
    pub collar_number: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotifiedParty {
    Police,
    SocialWorker,
    OutOfHours,
    Manager,
    Ofsted,
    Parent,
    Other,
}

/// On return.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReturnRecord {
    pub found_at: Option<Timestamp>,
    pub found_where: String,
    pub found_by: String,
    pub found_with: String,
    pub prevention_interview_at: Option<Timestamp>,
    pub prevention_interview_officer: String,
    pub return_home_interview_offered_at: Option<Timestamp>,
    pub return_home_interview_by: String,
    pub return_home_interview_accepted: Option<bool>,
    pub injuries: String,
    pub disclosures: String,
    pub new_risks: String,
    /// What Part 1 should now say, in the carer's words.
    pub part1_updates: String,
}

/// A staff member's role; agency staff carry the end of their engagement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "role")]
pub enum StaffRole {
    Manager,
    Keyworker,
    Agency { ends_on: Date },
}

impl StaffRole {
    pub fn label(&self) -> String {
        match self {
            Self::Manager => "manager".into(),
            Self::Keyworker => "keyworker".into(),
            Self::Agency { ends_on } => format!("agency (until {ends_on})"),
        }
    }
}
