//! The one table of form fields: path, group, label, priority, and how each is printed.
//!
//! No force makes any field legally mandatory; which fields make a pack "ready" is our product
//! decision, and it must be made once. Validation, readiness, the app's form screens and the PDF
//! all read the priority, label and group from [`FIELDS`], so a change here changes them all.
//!
//! Each row also carries its own accessors, written beside its path: `filled` (for readiness) and
//! `value` (the field as printable text, lines or a table, for the pack). A path typed in one
//! place and a lookup typed in another could disagree; an accessor next to its path cannot, and a
//! test proves that every leaf of a full form is printed by exactly one row, so a field added to
//! the form but not to this table is caught.

use jiff::civil::Date;
use serde::Serialize;

use crate::form::*;

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

/// The groups of Part 1, lettered A to K in the order DOMAIN.md gives them.
///
/// Checked against the published forms DOMAIN.md cites: their sections are not lettered and
/// differ in order and name, so no letter here is claimed to be theirs. The London "Looked After
/// Child Information Sharing form" itself could NOT be checked (it is not published, and this
/// build has no network): the letters and titles are this project's map of the form, not a copy
/// of the London form's. What the published forms hold and ours lacked (parental responsibility,
/// the other professionals, the trigger plan, missing and wanted, NRM status, self-defined
/// ethnicity, risk words for places) is in version 2 of the form.
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

/// One field of Part 1: where it lives, what it is called, how much it matters, how it prints.
#[derive(Clone, Copy)]
pub struct FieldSpec {
    /// The serialised path, e.g. `identity.legal_name`; also the key of `confirmed_none` and
    /// `do_not_share`.
    pub path: &'static str,
    pub group: Group,
    pub label: &'static str,
    /// The priority for any placement type not named in `by_placement` (and before the type is
    /// chosen).
    pub priority: Priority,
    /// Where the placement type changes what a field is worth: the registered manager and the
    /// host council matter for a children's home, the fostering agency's contacts for foster
    /// care. Read through [`FieldSpec::priority_for`], by readiness and the form screens alike.
    pub by_placement: &'static [(PlacementType, Priority)],
    /// Whether the carer has filled it in (blank text and empty lists are not filled).
    pub filled: fn(&ChildForm) -> bool,
    /// The field as the pack prints it (blank parts left out). Every leaf of the form is printed
    /// by exactly one field's `value` (a test over a fully marked form proves it).
    pub value: fn(&ChildForm) -> FieldValue,
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
    /// The same field with its priority set for some placement types.
    pub const fn for_placements(self, by_placement: &'static [(PlacementType, Priority)]) -> Self {
        Self {
            by_placement,
            ..self
        }
    }

    /// The field's priority for a child in this type of placement (`None`: not chosen yet).
    pub fn priority_for(&self, placement: Option<PlacementType>) -> Priority {
        placement
            .and_then(|t| {
                self.by_placement
                    .iter()
                    .find(|(p, _)| *p == t)
                    .map(|(_, prio)| *prio)
            })
            .unwrap_or(self.priority)
    }

    /// The field's priority for this child (by the form's own placement type).
    pub fn priority_in(&self, form: &ChildForm) -> Priority {
        self.priority_for(form.placement.placement_type)
    }

    /// Filled, or confirmed by the carer as having nothing to record.
    pub fn answered(&self, form: &ChildForm) -> bool {
        (self.filled)(form) || form.confirmed_none.contains(self.path)
    }

    /// The field's printable value in `form` (it knows nothing of "do not share": the caller
    /// decides whether to print it).
    pub fn value(&self, form: &ChildForm) -> FieldValue {
        (self.value)(form)
    }
}

/// A field as printable text. Blank parts are already left out; an empty value prints nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// Nothing recorded.
    Empty,
    /// One piece of text.
    Text(String),
    /// Text the reader must not miss (contact restrictions, a suspected or known risk).
    Flagged(String),
    /// A short list, one line per item, each item's parts joined readably (medication, phones).
    Items(Vec<String>),
    /// A list of items with the same parts, one row per item (people, places, episodes).
    Table(ValueTable),
}

/// The rows of a [`FieldValue::Table`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueTable {
    /// Column headings, one per cell of every row.
    pub columns: &'static [&'static str],
    pub rows: Vec<ValueRow>,
}

/// One item of a [`ValueTable`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueRow {
    pub cells: Vec<String>,
    /// The row must stand out (an adult of concern, a risk-assessed location).
    pub flagged: bool,
}

impl FieldValue {
    /// Trimmed text, or [`FieldValue::Empty`] when blank.
    pub fn text(s: &str) -> Self {
        let t = s.trim();
        if t.is_empty() {
            Self::Empty
        } else {
            Self::Text(t.to_owned())
        }
    }

    /// Trimmed text that must stand out when `flagged`, or [`FieldValue::Empty`] when blank.
    pub fn flagged_if(flagged: bool, s: &str) -> Self {
        match Self::text(s) {
            Self::Text(t) if flagged => Self::Flagged(t),
            other => other,
        }
    }

    /// The non-blank items, or [`FieldValue::Empty`] when there are none.
    pub fn items(items: impl IntoIterator<Item = String>) -> Self {
        let items: Vec<String> = items
            .into_iter()
            .map(|i| i.trim().to_owned())
            .filter(|i| !i.is_empty())
            .collect();
        if items.is_empty() {
            Self::Empty
        } else {
            Self::Items(items)
        }
    }

    /// The rows with anything in them, or [`FieldValue::Empty`] when there are none.
    pub fn table(
        columns: &'static [&'static str],
        rows: impl IntoIterator<Item = ValueRow>,
    ) -> Self {
        let rows: Vec<ValueRow> = rows
            .into_iter()
            .map(|mut r| {
                r.cells.resize(columns.len(), String::new());
                for c in &mut r.cells {
                    *c = c.trim().to_owned();
                }
                r
            })
            .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
            .collect();
        if rows.is_empty() {
            Self::Empty
        } else {
            Self::Table(ValueTable { columns, rows })
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Self::Empty)
    }

    /// Every printed piece of text (without column headings), for read-outs and tests.
    pub fn texts(&self) -> Vec<&str> {
        match self {
            Self::Empty => Vec::new(),
            Self::Text(t) | Self::Flagged(t) => vec![t.as_str()],
            Self::Items(items) => items.iter().map(String::as_str).collect(),
            Self::Table(table) => table
                .rows
                .iter()
                .flat_map(|r| r.cells.iter().map(String::as_str))
                .filter(|c| !c.is_empty())
                .collect(),
        }
    }
}

fn text(s: &str) -> bool {
    !s.trim().is_empty()
}

/// Joins the non-blank parts.
pub fn join<'s>(parts: impl IntoIterator<Item = &'s str>, sep: &str) -> String {
    parts
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

/// `label: value`, or nothing when the value is blank.
fn labelled(label: &str, value: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        String::new()
    } else {
        format!("{label}: {v}")
    }
}

/// A date as the pack prints it: `3 Mar 2011`.
pub fn print_date(d: Option<Date>) -> String {
    d.map(|d| d.strftime("%-d %b %Y").to_string())
        .unwrap_or_default()
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "",
    }
}

/// An address on one line, with its borough (which routes a report) in brackets.
pub fn print_address(a: &Address) -> String {
    let borough = a.borough.trim();
    let line = a.one_line();
    if borough.is_empty() {
        line
    } else {
        join([line.as_str(), &format!("({borough})")], " ")
    }
}

fn contact(c: &Contact) -> FieldValue {
    FieldValue::text(&join([c.name.as_str(), &c.phone, &c.email], ", "))
}

fn professional(p: &Professional) -> FieldValue {
    FieldValue::text(&join([p.name.as_str(), &p.team, &p.phone, &p.email], ", "))
}

fn handles(list: &[SocialHandle]) -> Vec<String> {
    list.iter()
        .map(|s| join([s.platform.as_str(), &s.handle], ": "))
        .filter(|s| !s.is_empty())
        .collect()
}

fn risk(entry: &RiskEntry) -> FieldValue {
    let concern = entry.concern.map(Concern::label).unwrap_or_default();
    FieldValue::flagged_if(entry.is_flagged(), &join([concern, &entry.note], ". "))
}

/// The phone's position when the child has several, so a handset can be matched to its number.
fn phone_prefix(form: &ChildForm, i: usize) -> String {
    if form.phones_online.mobiles.len() > 1 {
        format!("Phone {}: ", i + 1)
    } else {
        String::new()
    }
}

const PERSON_COLUMNS: &[&str] = &[
    "Name, relationship",
    "Address",
    "Phones, handles",
    "Risk note, vehicle",
];

/// Printed with a person marked as a protected address: beside the address for police, alone for
/// everyone else (who never get the address: `audience::form_for`).
pub const PROTECTED_WARNING: &str = "Risk: do not return the child here";

fn people(list: &[Person]) -> FieldValue {
    FieldValue::table(
        PERSON_COLUMNS,
        list.iter().map(|p| {
            let contact = join(
                [
                    p.phones.join("; ").as_str(),
                    &handles(&p.handles).join("; "),
                ],
                "; ",
            );
            let concern = if p.of_concern { "OF CONCERN" } else { "" };
            let warning = if p.protected_address {
                PROTECTED_WARNING
            } else {
                ""
            };
            ValueRow {
                cells: vec![
                    join([p.name.as_str(), &p.relationship], ", "),
                    join([warning, &print_address(&p.address)], ": "),
                    contact,
                    join([concern, &p.risk_note, &p.vehicle], ". "),
                ],
                flagged: p.of_concern || p.protected_address,
            }
        }),
    )
}

const PLACE_COLUMNS: &[&str] = &["Place", "Address", "Why", "When"];

fn places(list: &[Place]) -> FieldValue {
    FieldValue::table(
        PLACE_COLUMNS,
        list.iter().map(|p| ValueRow {
            cells: vec![
                p.name.clone(),
                print_address(&p.address),
                p.why.clone(),
                p.when.clone(),
            ],
            flagged: false,
        }),
    )
}

macro_rules! field {
    // A field that is one piece of text: filled when not blank, printed trimmed.
    ($path:literal, $group:ident, $prio:ident, $label:literal, text: |$f:ident| $text:expr) => {
        FieldSpec {
            path: $path,
            group: Group::$group,
            label: $label,
            priority: Priority::$prio,
            by_placement: &[],
            filled: |$f: &ChildForm| text($text),
            value: |$f: &ChildForm| FieldValue::text($text),
        }
    };
    ($path:literal, $group:ident, $prio:ident, $label:literal,
     filled: |$f:ident| $filled:expr, value: |$g:ident| $value:expr) => {
        FieldSpec {
            path: $path,
            group: Group::$group,
            label: $label,
            priority: Priority::$prio,
            by_placement: &[],
            filled: |$f: &ChildForm| $filled,
            value: |$g: &ChildForm| $value,
        }
    };
}

/// Every field of Part 1 that readiness, validation, the app and the pack talk about, in the
/// order the form and the pack show them.
pub static FIELDS: &[FieldSpec] = &[
    // A. Administration
    field!("administration.completed_by", Administration, Critical,
    "Completed by (name, role, organisation)",
    filled: |f| text(&f.administration.completed_by.name)
        && text(&f.administration.completed_by.role),
    value: |f| {
        let c = &f.administration.completed_by;
        FieldValue::text(&join([c.name.as_str(), &c.role, &c.organisation], ", "))
    }),
    field!("administration.completed_on", Administration, Critical, "Date completed",
        filled: |f| f.administration.completed_on.is_some(),
        value: |f| FieldValue::text(&print_date(f.administration.completed_on))),
    field!("administration.protective_marking", Administration, High, "Protective marking",
        text: |f| &f.administration.protective_marking),
    field!("administration.child_contribution", Administration, Optional,
        "The child's own contribution",
        text: |f| &f.administration.child_contribution),
    field!("administration.child_told_when_shared", Administration, Optional,
        "Child told when this will be shared",
        filled: |f| f.administration.child_told_when_shared.is_some(),
        value: |f| FieldValue::text(yes_no(f.administration.child_told_when_shared))),
    field!("administration.transfer_history", Administration, Optional, "Transfer history",
    filled: |f| !f.administration.transfer_history.is_empty(),
    value: |f| FieldValue::table(
        &["Date", "From", "To", "Note"],
        f.administration.transfer_history.iter().map(|t| ValueRow {
            cells: vec![print_date(t.date), t.from.clone(), t.to.clone(), t.note.clone()],
            flagged: false,
        }),
    )),
    // B. Identity
    field!("identity.legal_name", Identity, Critical, "Legal name",
        text: |f| &f.identity.legal_name),
    field!("identity.known_as", Identity, Critical,
        "Known as, nicknames, aliases, other spellings",
        filled: |f| f.identity.known_as.iter().any(|s| text(s)),
        value: |f| FieldValue::text(&join(f.identity.known_as.iter().map(String::as_str), ", "))),
    field!("identity.date_of_birth", Identity, Critical, "Date of birth",
        filled: |f| f.identity.date_of_birth.is_some(),
        value: |f| FieldValue::text(&print_date(f.identity.date_of_birth))),
    field!("identity.gender", Identity, Critical, "Gender", text: |f| &f.identity.gender),
    field!("identity.ethnicity", Identity, High, "Ethnicity (self-defined)",
    filled: |f| f.identity.ethnicity.is_some() || text(&f.identity.ethnicity_own_words),
    value: |f| FieldValue::text(&join(
        [
            f.identity.ethnicity.map(Ethnicity::label).unwrap_or_default(),
            &labelled("In their own words", &f.identity.ethnicity_own_words),
        ],
        ". ",
    ))),
    field!("identity.appearance", Identity, High, "Appearance (police description)",
        text: |f| &f.identity.appearance),
    field!("identity.nationality", Identity, High, "Nationality and immigration status",
    filled: |f| text(&f.identity.nationality) || text(&f.identity.immigration_status),
    value: |f| {
        let i = &f.identity;
        FieldValue::text(&join(
            [
                i.nationality.as_str(),
                &labelled("Immigration status", &i.immigration_status),
            ],
            ". ",
        ))
    }),
    field!("identity.unaccompanied_asylum_seeker", Identity, High,
        "Unaccompanied asylum-seeking child",
        filled: |f| f.identity.unaccompanied_asylum_seeker.is_some(),
        value: |f| FieldValue::text(yes_no(f.identity.unaccompanied_asylum_seeker))),
    field!("identity.trafficking_concern", Identity, High, "Trafficking concern",
    filled: |f| f.identity.trafficking_concern.is_some(),
    value: |f| FieldValue::flagged_if(
        f.identity.trafficking_concern == Some(true),
        yes_no(f.identity.trafficking_concern),
    )),
    field!("identity.nrm", Identity, Optional, "NRM status",
    filled: |f| f.identity.nrm != NrmStatus::default(),
    value: |f| {
        let n = &f.identity.nrm;
        let decision = |d: Option<NrmDecision>, on: Option<Date>| {
            join([d.map(NrmDecision::label).unwrap_or_default(), &print_date(on)], ", ")
        };
        FieldValue::text(&join(
            [
                labelled(
                    "Referred",
                    &join([yes_no(n.referred), &print_date(n.referred_on)], ", "),
                )
                .as_str(),
                &labelled(
                    "Reasonable grounds",
                    &decision(n.reasonable_grounds, n.reasonable_grounds_on),
                ),
                &labelled(
                    "Conclusive grounds",
                    &decision(n.conclusive_grounds, n.conclusive_grounds_on),
                ),
            ],
            ". ",
        ))
    }),
    field!("identity.first_language", Identity, High,
    "First language, accent, interpreter need",
    filled: |f| text(&f.identity.first_language),
    value: |f| {
        let i = &f.identity;
        FieldValue::text(&join(
            [
                i.first_language.as_str(),
                &labelled("Accent", &i.accent),
                &labelled("Interpreter needed", yes_no(i.interpreter_needed)),
            ],
            ". ",
        ))
    }),
    field!("identity.identifiers", Identity, Optional, "Identifiers (police, NRM references)",
    filled: |f| !f.identity.identifiers.is_empty(),
    value: |f| FieldValue::items(
        f.identity.identifiers.iter().map(|i| join([i.kind.as_str(), &i.value], ": ")),
    )),
    field!("identity.passport_id", Identity, Optional, "Passport or ID held, and where",
        text: |f| &f.identity.passport_id),
    // C. Description
    field!("description.height_cm", Description, Critical, "Height",
    filled: |f| f.description.height_cm.is_some(),
    value: |f| match f.description.height_cm {
        Some(cm) => {
            let inches = (f32::from(cm) / 2.54).round() as u32;
            FieldValue::Text(format!("{cm} cm ({} ft {} in)", inches / 12, inches % 12))
        }
        None => FieldValue::Empty,
    }),
    field!("description.build", Description, Critical, "Build", text: |f| &f.description.build),
    field!("description.hair", Description, Critical, "Hair", text: |f| &f.description.hair),
    field!("description.facial_hair", Description, Optional, "Facial hair",
        text: |f| &f.description.facial_hair),
    field!("description.eyes", Description, Critical, "Eyes", text: |f| &f.description.eyes),
    field!("description.marks", Description, Critical, "Scars, tattoos, piercings, birthmarks",
    filled: |f| !f.description.marks.is_empty(),
    value: |f| FieldValue::items(f.description.marks.iter().map(|m| {
        join([m.kind.label(), &m.location, &m.description], ", ")
    }))),
    field!("description.glasses_aids", Description, High, "Glasses and aids",
        text: |f| &f.description.glasses_aids),
    field!("description.usual_dress", Description, Optional, "Usual style of dress",
        text: |f| &f.description.usual_dress),
    // D. Placement and professionals
    field!("placement.address", Placement, Critical, "Placement address",
        filled: |f| !f.placement.address.is_empty(),
        value: |f| FieldValue::text(&print_address(&f.placement.address))),
    field!("placement.placement_type", Placement, Critical, "Placement type",
    filled: |f| f.placement.placement_type.is_some(),
    value: |f| FieldValue::text(
        f.placement.placement_type.map(PlacementType::label).unwrap_or_default(),
    )),
    field!("placement.home_phone_24h", Placement, Critical, "24/7 home contact",
        text: |f| &f.placement.home_phone_24h),
    field!("placement.registered_manager", Placement, Critical, "Registered manager",
        filled: |f| text(&f.placement.registered_manager.name),
        value: |f| contact(&f.placement.registered_manager))
    .for_placements(&[
        (PlacementType::FosterCare, Priority::Optional),
        (PlacementType::KinshipCare, Priority::Optional),
    ]),
    field!("placement.placing_council", Placement, Critical, "Placing council",
        text: |f| &f.placement.placing_council),
    field!("placement.host_council", Placement, Critical, "Host council",
        text: |f| &f.placement.host_council)
    .for_placements(&[
        (PlacementType::FosterCare, Priority::High),
        (PlacementType::KinshipCare, Priority::High),
    ]),
    field!("placement.fostering_agency", Placement, Optional, "Fostering agency",
        filled: |f| text(&f.placement.fostering_agency.name)
            && (text(&f.placement.fostering_agency.phone)
                || text(&f.placement.fostering_agency.email)),
        value: |f| contact(&f.placement.fostering_agency))
    .for_placements(&[(PlacementType::FosterCare, Priority::Critical)]),
    field!("placement.supervising_social_worker", Placement, Optional,
        "Supervising social worker",
        filled: |f| text(&f.placement.supervising_social_worker.name)
            && (text(&f.placement.supervising_social_worker.phone)
                || text(&f.placement.supervising_social_worker.email)),
        value: |f| professional(&f.placement.supervising_social_worker))
    .for_placements(&[
        (PlacementType::FosterCare, Priority::Critical),
        (PlacementType::KinshipCare, Priority::Critical),
    ]),
    field!("placement.agency_out_of_hours", Placement, Optional,
        "Agency out-of-hours line",
        filled: |f| text(&f.placement.agency_out_of_hours.phone)
            || text(&f.placement.agency_out_of_hours.email),
        value: |f| contact(&f.placement.agency_out_of_hours))
    .for_placements(&[
        (PlacementType::FosterCare, Priority::Critical),
        (PlacementType::KinshipCare, Priority::High),
    ]),
    field!("placement.legal_status", Placement, Critical, "Legal status",
    filled: |f| f.placement.legal_status.is_some(),
    value: |f| FieldValue::text(
        f.placement.legal_status.map(LegalStatus::label).unwrap_or_default(),
    )),
    field!("placement.social_worker", Placement, Critical,
        "Social worker (name, team, phone, email)",
        filled: |f| text(&f.placement.social_worker.name)
            && (text(&f.placement.social_worker.phone) || text(&f.placement.social_worker.email)),
        value: |f| professional(&f.placement.social_worker)),
    field!("placement.out_of_hours", Placement, Critical, "Out-of-hours (EDT) contact",
        filled: |f| text(&f.placement.out_of_hours.phone) || text(&f.placement.out_of_hours.email),
        value: |f| contact(&f.placement.out_of_hours)),
    field!("placement.parental_responsibility", Placement, High,
    "Parental responsibility",
    filled: |f| !f.placement.parental_responsibility.is_empty(),
    value: |f| FieldValue::table(
        &["Name, relationship", "Phone", "Told of an episode", "How told"],
        f.placement.parental_responsibility.iter().map(|p| ValueRow {
            cells: vec![
                join([p.name.as_str(), &p.relationship], ", "),
                p.phone.clone(),
                yes_no(p.told_of_episode).to_owned(),
                p.how_told.clone(),
            ],
            flagged: false,
        }),
    )),
    field!("placement.other_professionals", Placement, High, "Other professionals",
    filled: |f| !f.placement.other_professionals.is_empty(),
    value: |f| FieldValue::table(
        &["Role", "Name, organisation", "Phone, email"],
        f.placement.other_professionals.iter().map(|p| ValueRow {
            cells: vec![
                p.role.label().to_owned(),
                join([p.name.as_str(), &p.organisation], ", "),
                join([p.phone.as_str(), &p.email], ", "),
            ],
            flagged: false,
        }),
    )),
    field!("placement.iro", Placement, Optional, "Independent Reviewing Officer",
        filled: |f| !f.placement.iro.is_empty(),
        value: |f| professional(&f.placement.iro)),
    field!("placement.placement_start", Placement, High, "Placement start",
        filled: |f| f.placement.placement_start.is_some(),
        value: |f| FieldValue::text(&print_date(f.placement.placement_start))),
    field!("placement.previous_placements", Placement, High, "Previous placements",
    filled: |f| !f.placement.previous_placements.is_empty(),
    value: |f| FieldValue::table(
        &["Dates", "Placement", "Address"],
        f.placement.previous_placements.iter().map(|p| ValueRow {
            cells: vec![
                join([print_date(p.from).as_str(), &print_date(p.to)], " to "),
                p.description.clone(),
                print_address(&p.address),
            ],
            flagged: false,
        }),
    )),
    field!("placement.family_addresses", Placement, High, "Family home addresses",
        filled: |f| !f.placement.family_addresses.is_empty(),
        value: |f| FieldValue::items(f.placement.family_addresses.iter().map(print_address))),
    field!("placement.contact_restrictions", Placement, High,
        "Contact restrictions and court orders",
        filled: |f| text(&f.placement.contact_restrictions),
        value: |f| FieldValue::flagged_if(true, &f.placement.contact_restrictions)),
    field!("placement.school", Placement, High, "School or college",
    filled: |f| !f.placement.school.is_empty(),
    value: |f| {
        let s = &f.placement.school;
        let c = &s.contact;
        FieldValue::text(&join(
            [
                s.name.as_str(),
                &print_address(&s.address),
                &join([c.name.as_str(), &c.phone, &c.email], ", "),
            ],
            ". ",
        ))
    }),
    field!("placement.ehc_plan_sen", Placement, Optional, "EHC plan / SEN",
        text: |f| &f.placement.ehc_plan_sen),
    // E. Health
    field!("health.conditions", Health, Critical, "Medical conditions",
        text: |f| &f.health.conditions),
    field!("health.medication", Health, Critical, "Medication, dose, effect if missed",
    filled: |f| !f.health.medication.is_empty(),
    value: |f| FieldValue::items(f.health.medication.iter().map(|m| {
        join(
            [
                join([m.name.as_str(), &m.dose], ", ").as_str(),
                &labelled("If missed", &m.effect_if_missed),
            ],
            ". ",
        )
    }))),
    field!("health.mental_health", Health, Critical, "Mental health, self-harm, suicide risk",
    filled: |f| text(&f.health.mental_health) || f.health.self_harm_risk.is_some(),
    value: |f| FieldValue::flagged_if(
        f.health.self_harm_risk == Some(true),
        &join(
            [
                f.health.mental_health.as_str(),
                &labelled("Self-harm or suicide risk", yes_no(f.health.self_harm_risk)),
            ],
            ". ",
        ),
    )),
    field!("health.gp", Health, High, "GP",
        filled: |f| !f.health.gp.is_empty(),
        value: |f| contact(&f.health.gp)),
    field!("health.allergies", Health, High, "Allergies", text: |f| &f.health.allergies),
    field!("health.disability_communication", Health, High,
        "Disability, learning disability, autism, communication",
        text: |f| &f.health.disability_communication),
    field!("health.substance_use", Health, High, "Substance use",
        text: |f| &f.health.substance_use),
    field!("health.pregnancy", Health, Optional, "Pregnancy", text: |f| &f.health.pregnancy),
    // F. Phones and online
    field!("phones_online.mobiles", PhonesOnline, Critical, "Mobile numbers",
    filled: |f| f.phones_online.mobiles.iter().any(|p| text(&p.number)),
    value: |f| FieldValue::items(f.phones_online.mobiles.iter().enumerate().map(|(i, p)| {
        let phone = join([p.number.as_str(), &p.note], ", ");
        if phone.is_empty() { phone } else { format!("{}{phone}", phone_prefix(f, i)) }
    }))),
    field!("phones_online.handsets", PhonesOnline, High, "Handset and network",
    filled: |f| f.phones_online.mobiles.iter().any(|p| text(&p.handset) || text(&p.network)),
    value: |f| FieldValue::items(f.phones_online.mobiles.iter().enumerate().map(|(i, p)| {
        let handset = join([p.handset.as_str(), &p.network], ", ");
        if handset.is_empty() { handset } else { format!("{}{handset}", phone_prefix(f, i)) }
    }))),
    field!("phones_online.email", PhonesOnline, Optional, "Email",
        text: |f| &f.phones_online.email),
    field!("phones_online.social_handles", PhonesOnline, High,
        "Social media and gaming handles",
        filled: |f| !f.phones_online.social_handles.is_empty(),
        value: |f| FieldValue::items(handles(&f.phones_online.social_handles))),
    field!("phones_online.location_sharing", PhonesOnline, Optional, "Location-sharing apps",
        text: |f| &f.phones_online.location_sharing),
    // G. Money and travel
    field!("money_travel.bank_cards", MoneyTravel, High, "Bank cards (last 4 digits)",
    filled: |f| !f.money_travel.bank_cards.is_empty(),
    value: |f| FieldValue::items(f.money_travel.bank_cards.iter().map(|c| {
        let last4 = c.last4.trim();
        let ending = if last4.is_empty() { String::new() } else { format!("card ending {last4}") };
        join([c.bank.as_str(), &ending], ", ")
    }))),
    field!("money_travel.cash_benefits", MoneyTravel, High, "Access to cash and benefits",
        text: |f| &f.money_travel.cash_benefits),
    field!("money_travel.travel_cards", MoneyTravel, High, "Travel cards",
    filled: |f| !f.money_travel.travel_cards.is_empty(),
    value: |f| FieldValue::items(f.money_travel.travel_cards.iter().map(|c| {
        join([c.kind.label(), &c.reference], ": ")
    }))),
    field!("money_travel.vehicles", MoneyTravel, Optional, "Bicycle, scooter, vehicles",
        text: |f| &f.money_travel.vehicles),
    // H. People
    field!("people.family", People, Critical, "Family",
        filled: |f| !f.people.family.is_empty(),
        value: |f| people(&f.people.family)),
    field!("people.friends", People, Critical, "Friends",
        filled: |f| !f.people.friends.is_empty(),
        value: |f| people(&f.people.friends)),
    field!("people.partners", People, High, "Boyfriend or girlfriend",
        filled: |f| !f.people.partners.is_empty(),
        value: |f| people(&f.people.partners)),
    field!("people.associates", People, Critical, "Associates, including adults of concern",
        filled: |f| !f.people.associates.is_empty(),
        value: |f| people(&f.people.associates)),
    field!("people.trusted_adults", People, High, "Trusted adults",
        filled: |f| !f.people.trusted_adults.is_empty(),
        value: |f| people(&f.people.trusted_adults)),
    // I. Places
    field!("places.frequented", Places, Critical, "Locations frequented",
        filled: |f| !f.places.frequented.is_empty(),
        value: |f| places(&f.places.frequented)),
    field!("places.significant", Places, High, "Places of significance and interests",
        filled: |f| !f.places.significant.is_empty(),
        value: |f| places(&f.places.significant)),
    field!("places.risk_assessed", Places, Critical, "Risk-assessed locations",
    filled: |f| !f.places.risk_assessed.is_empty(),
    value: |f| FieldValue::table(
        &["Place", "Address", "Risk, reason", "Local contact"],
        f.places.risk_assessed.iter().map(|l| ValueRow {
            cells: vec![
                l.name.clone(),
                print_address(&l.address),
                join([l.risk_level.map(LocationRisk::label).unwrap_or_default(), &l.reason], ": "),
                l.local_contact.clone(),
            ],
            flagged: true,
        }),
    )),
    field!("places.found_before", Places, Critical, "Places found in past episodes",
        filled: |f| !f.places.found_before.is_empty(),
        value: |f| places(&f.places.found_before)),
    field!("places.out_of_area", Places, High, "Out-of-area connections",
        filled: |f| !f.places.out_of_area.is_empty(),
        value: |f| places(&f.places.out_of_area)),
    // J. Missing history
    field!("missing_history.previous_episodes", MissingHistory, Critical,
    "Previous missing episodes",
    filled: |f| !f.missing_history.previous_episodes.is_empty(),
    value: |f| {
        // Newest first (undated last): the last few episodes say most about this one.
        let mut episodes: Vec<&PastEpisode> =
            f.missing_history.previous_episodes.iter().collect();
        episodes.sort_by_key(|e| std::cmp::Reverse(e.started));
        FieldValue::table(
            &["Started", "Hours", "Where found", "Who with", "Harm", "Police ref"],
            episodes.into_iter().map(|e| ValueRow {
                cells: vec![
                    print_date(e.started),
                    e.duration_hours.map(|h| h.to_string()).unwrap_or_default(),
                    e.where_found.clone(),
                    e.who_with.clone(),
                    e.harm.clone(),
                    e.police_reference.clone(),
                ],
                flagged: false,
            }),
        )
    }),
    field!("missing_history.usual_pattern", MissingHistory, High,
        "Usual pattern (times, triggers, routes)",
        text: |f| &f.missing_history.usual_pattern),
    field!("missing_history.police_references", MissingHistory, Optional,
        "Previous police references",
        filled: |f| !f.missing_history.police_references.is_empty(),
        value: |f| FieldValue::items(f.missing_history.police_references.iter().cloned())),
    field!("missing_history.trigger_plan", MissingHistory, High,
    "Agreed trigger plan",
    filled: |f| text(&f.missing_history.trigger_plan.when_to_report),
    value: |f| FieldValue::text(&trigger_plan_text(&f.missing_history.trigger_plan))),
    // K. Risks
    field!("risks.sexual_exploitation", Risks, Critical, "Sexual exploitation",
        filled: |f| f.risks.sexual_exploitation.concern.is_some(),
        value: |f| risk(&f.risks.sexual_exploitation)),
    field!("risks.criminal_exploitation", Risks, Critical,
        "Criminal exploitation, county lines, gangs",
        filled: |f| f.risks.criminal_exploitation.concern.is_some(),
        value: |f| risk(&f.risks.criminal_exploitation)),
    field!("risks.trafficking", Risks, Critical, "Trafficking and modern slavery",
        filled: |f| f.risks.trafficking.concern.is_some(),
        value: |f| risk(&f.risks.trafficking)),
    field!("risks.radicalisation", Risks, High, "Radicalisation",
        filled: |f| f.risks.radicalisation.concern.is_some(),
        value: |f| risk(&f.risks.radicalisation)),
    field!("risks.harmful_practices", Risks, High, "FGM, forced marriage, honour-based abuse",
        filled: |f| f.risks.harmful_practices.concern.is_some(),
        value: |f| risk(&f.risks.harmful_practices)),
    field!("risks.domestic_abuse", Risks, High, "Domestic abuse, family conflict",
        filled: |f| f.risks.domestic_abuse.concern.is_some(),
        value: |f| risk(&f.risks.domestic_abuse)),
    field!("risks.youth_justice", Risks, High, "Bail conditions, orders, youth justice",
        filled: |f| f.risks.youth_justice.concern.is_some(),
        value: |f| risk(&f.risks.youth_justice)),
    field!("risks.child_protection_plan", Risks, High, "Child protection plan",
        filled: |f| f.risks.child_protection_plan.concern.is_some(),
        value: |f| risk(&f.risks.child_protection_plan)),
    field!("risks.risk_to_others", Risks, High, "Risk to others",
        filled: |f| f.risks.risk_to_others.concern.is_some(),
        value: |f| risk(&f.risks.risk_to_others)),
    field!("risks.abduction_warning_notices", Risks, Optional, "Abduction warning notices",
        filled: |f| f.risks.abduction_warning_notices.concern.is_some(),
        value: |f| risk(&f.risks.abduction_warning_notices)),
    field!("risks.wanted", Risks, High, "Missing and wanted",
    filled: |f| f.risks.wanted.status.is_some(),
    value: |f| {
        let w = &f.risks.wanted;
        FieldValue::flagged_if(
            w.is_flagged(),
            &join(
                [
                    w.status.map(WantedStatus::label).unwrap_or_default(),
                    &labelled("By", &w.force),
                    w.reason.as_str(),
                ],
                ". ",
            ),
        )
    }),
];

/// The trigger plan as the Missing and episode screens show it when staff decide to report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TriggerPlanSummary {
    /// When to report, in the words agreed.
    pub when_to_report: String,
    /// Who agreed it and when ("Agreed with Police (PC 1234); Social worker (J Lee) on 14 Sep
    /// 2026"); empty when nobody is recorded.
    pub agreed: String,
}

impl TriggerPlanSummary {
    /// The plan of `form`, or `None` when no trigger is recorded.
    pub fn of(plan: &TriggerPlan) -> Option<Self> {
        let when = plan.when_to_report.trim();
        if when.is_empty() {
            return None;
        }
        let with = agreed_with(plan);
        let on = print_date(plan.agreed_on);
        let agreed = match (with.is_empty(), on.is_empty()) {
            (true, true) => String::new(),
            (false, true) => format!("Agreed with {with}"),
            (true, false) => format!("Agreed on {on}"),
            (false, false) => format!("Agreed with {with} on {on}"),
        };
        Some(Self {
            when_to_report: when.to_owned(),
            agreed,
        })
    }
}

/// "Police (PC 1234); Social worker (J Lee)": each party, with the name when one is given.
fn agreed_with(plan: &TriggerPlan) -> String {
    plan.agreed_with
        .iter()
        .map(|a| {
            let name = a.name.trim();
            if name.is_empty() {
                a.party.label().to_owned()
            } else {
                format!("{} ({name})", a.party.label())
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The trigger plan in one paragraph, as the pack prints it: when to report, then who agreed it
/// and when.
pub fn trigger_plan_text(plan: &TriggerPlan) -> String {
    join(
        [
            plan.when_to_report.as_str(),
            &labelled("Agreed with", &agreed_with(plan)),
            &labelled("Agreed on", &print_date(plan.agreed_on)),
        ],
        ". ",
    )
}

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
