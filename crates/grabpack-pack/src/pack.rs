//! The grab pack itself: page 1 for the officer with 30 seconds, then the whole of Part 1, the
//! missing history and Part 2.
//!
//! What goes in is decided here and only here: empty fields are left out (never blank boxes), and a
//! field the carer marked "do not share" ([`ChildForm::do_not_share`], keyed by the field paths of
//! [`grabpack_core::FIELDS`]) is left out of every part of the pack, page 1 and read-out included.
//! Everything is built in memory; the caller decides whether a person saves the bytes.

use std::sync::Arc;

use grabpack_core::form::*;
use grabpack_core::readiness::{age_on, days_between, describe_age};
use jiff::Timestamp;
use jiff::civil::Date;
use sha2::{Digest, Sha256};

use crate::PackError;
use crate::layout::{Colour, Column, Layout, Row, RunningHeader, TextStyle, uk_and_utc};

/// The marking printed on every page when neither the home nor the child's form sets one.
pub const DEFAULT_MARKING: &str = "OFFICIAL-SENSITIVE";

/// The lead photo's box on page 1, in points (it sits at the top left of the body).
pub const PHOTO_WIDTH: f32 = 180.0;
/// See [`PHOTO_WIDTH`].
pub const PHOTO_HEIGHT: f32 = 230.0;

/// A photo as the pack receives it: JPEG bytes already cleaned by `grabpack-photo` (upright, no EXIF).
#[derive(Clone, PartialEq)]
pub struct PackPhoto {
    /// JPEG bytes, embedded in the PDF unchanged.
    pub jpeg: Arc<Vec<u8>>,
    /// Face, full length or a mark.
    pub kind: PhotoKind,
    /// The day it was taken, if known.
    pub taken_on: Option<Date>,
}

impl std::fmt::Debug for PackPhoto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackPhoto")
            .field("bytes", &self.jpeg.len())
            .field("kind", &self.kind)
            .field("taken_on", &self.taken_on)
            .finish()
    }
}

/// The home's pack settings.
#[derive(Debug, Clone, PartialEq)]
pub struct PackSettings {
    /// At most this many photos are printed (the newest face photo always comes first).
    pub max_photos: usize,
    /// Longest text on page 1 for one fact before it is cut with a pointer to the full form.
    pub page1_text_limit: usize,
}

impl Default for PackSettings {
    fn default() -> Self {
        Self {
            max_photos: 6,
            page1_text_limit: 220,
        }
    }
}

/// Everything a pack is built from. Nothing is read from disk or the clock.
#[derive(Debug, Clone, PartialEq)]
pub struct PackInput {
    /// The child's current Part 1.
    pub form: ChildForm,
    /// The form revision this pack is built from (printed on every page).
    pub revision: String,
    /// Photos in any order; the pack puts the newest face photo first.
    pub photos: Vec<PackPhoto>,
    /// Part 2 of the open episode, when the child is missing now.
    pub episode: Option<Part2>,
    /// Episodes recorded by the app itself (closed ones), added to the form's own missing history.
    pub app_episodes: Vec<PastEpisode>,
    /// The home's protective marking; the child's form may override it.
    pub marking: String,
    /// When the pack is generated.
    pub generated_at: Timestamp,
    /// The home's settings.
    pub settings: PackSettings,
}

impl PackInput {
    /// A pack of `form` at `revision`, generated at `generated_at`, with the default marking and settings.
    pub fn new(form: ChildForm, revision: impl Into<String>, generated_at: Timestamp) -> Self {
        Self {
            form,
            revision: revision.into(),
            photos: Vec::new(),
            episode: None,
            app_episodes: Vec::new(),
            marking: DEFAULT_MARKING.to_owned(),
            generated_at,
            settings: PackSettings::default(),
        }
    }
}

/// A built pack, in memory.
#[derive(Debug)]
pub struct RenderedPack {
    /// The PDF bytes.
    pub pdf: Vec<u8>,
    /// SHA-256 of `pdf`, for the audit log when a person saves or sends it.
    pub sha256_hex: String,
    /// Pages in the PDF.
    pub page_count: usize,
    /// The short content hash printed in every footer (see [`content_hash`]).
    pub content_hash: String,
    /// Problems that did not stop the pack (an unreadable photo is left out, for example).
    pub warnings: Vec<PackError>,
}

/// The pack's view of one child: the form with "do not share" applied, plus the facts around it.
pub(crate) struct Facts<'a> {
    pub input: &'a PackInput,
    pub form: &'a ChildForm,
    pub today: Date,
}

impl<'a> Facts<'a> {
    pub fn new(input: &'a PackInput) -> Self {
        let today = input
            .generated_at
            .in_tz("Europe/London")
            .map(|z| z.date())
            .unwrap_or_else(|_| input.generated_at.to_zoned(jiff::tz::TimeZone::UTC).date());
        Self {
            input,
            form: &input.form,
            today,
        }
    }

    /// Whether the field at `path` may be printed.
    pub fn shared(&self, path: &str) -> bool {
        !self.form.do_not_share.contains(path)
            && !path
                .rsplit_once('.')
                .is_some_and(|(group, _)| self.form.do_not_share.contains(group))
    }

    /// `text` if the field may be printed and is not blank.
    pub fn text(&self, path: &str, text: &str) -> Option<String> {
        let t = text.trim();
        (self.shared(path) && !t.is_empty()).then(|| t.to_owned())
    }

    pub fn name(&self) -> String {
        self.text("identity.legal_name", &self.form.identity.legal_name)
            .unwrap_or_else(|| "Name withheld".to_owned())
    }

    pub fn known_as(&self) -> Option<String> {
        self.shared("identity.known_as")
            .then(|| join(self.form.identity.known_as.iter().map(String::as_str), ", "))
            .filter(|s| !s.is_empty())
    }

    pub fn age_and_birth(&self) -> Option<String> {
        let dob = self
            .form
            .identity
            .date_of_birth
            .filter(|_| self.shared("identity.date_of_birth"))?;
        let born = dob.strftime("%-d %b %Y").to_string();
        Some(match age_on(dob, self.today) {
            Some(age) => format!("{age} (born {born})"),
            None => format!("born {born}"),
        })
    }

    pub fn height(&self) -> Option<String> {
        let cm = self
            .form
            .description
            .height_cm
            .filter(|_| self.shared("description.height_cm"))?;
        let inches = (f32::from(cm) / 2.54).round() as u32;
        Some(format!("{cm} cm ({} ft {} in)", inches / 12, inches % 12))
    }

    pub fn marks(&self) -> Option<String> {
        if !self.shared("description.marks") {
            return None;
        }
        let marks: Vec<String> = self
            .form
            .description
            .marks
            .iter()
            .map(|m| {
                let kind = match m.kind {
                    MarkKind::Scar => "Scar",
                    MarkKind::Tattoo => "Tattoo",
                    MarkKind::Piercing => "Piercing",
                    MarkKind::Birthmark => "Birthmark",
                    MarkKind::Other => "Mark",
                };
                join([kind, m.location.trim(), m.description.trim()], ", ")
            })
            .collect();
        (!marks.is_empty()).then(|| marks.join("; "))
    }

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
                if extra.is_empty() {
                    p.number.trim().to_owned()
                } else {
                    format!("{} ({extra})", p.number.trim())
                }
            })
            .collect();
        (!phones.is_empty()).then(|| phones.join("; "))
    }

    /// Critical risks for page 1, each as (label text, colour).
    pub fn critical_labels(&self) -> Vec<(String, Colour)> {
        let mut labels = Vec::new();
        let risks = &self.form.risks;
        for (path, title, entry) in [
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
        ] {
            if self.shared(path) && entry.is_flagged() {
                let concern = entry.concern.map(Concern::label).unwrap_or_default();
                labels.push((
                    join([&format!("{title}: {concern}"), entry.note.trim()], ". "),
                    Colour::DANGER,
                ));
            }
        }
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
            for m in &health.medication {
                if m.name.trim().is_empty() {
                    continue;
                }
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
        let conditions = self
            .text("health.conditions", &health.conditions)
            .unwrap_or_default();
        let allergies = self
            .text("health.allergies", &health.allergies)
            .map(|a| format!("Allergies: {a}"))
            .unwrap_or_default();
        let medical = join([conditions.as_str(), &allergies], ". ");
        if !medical.is_empty() {
            labels.push((format!("MEDICAL NEEDS: {medical}"), Colour::MEDICAL));
        }
        labels
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
                add(place_line(p, "found here before", false));
            }
        }
        if self.shared("places.risk_assessed") {
            let mut assessed: Vec<&RiskAssessedLocation> = places.risk_assessed.iter().collect();
            assessed.sort_by_key(|l| std::cmp::Reverse(l.risk_level));
            for l in assessed {
                let risk = l
                    .risk_level
                    .map(|r| format!("{} risk", r.label()))
                    .unwrap_or_default();
                let why = join([risk.as_str(), l.reason.trim()], ": ");
                let place = join([l.name.trim(), &l.address.one_line()], ", ");
                add(join([place.as_str(), &paren(&why)], " "));
            }
        }
        if self.shared("places.frequented") {
            for p in &places.frequented {
                add(place_line(p, "", false));
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

    pub fn placement_address(&self) -> Option<String> {
        self.shared("placement.address")
            .then(|| self.form.placement.address.one_line())
            .filter(|a| !a.is_empty())
    }

    pub fn home_phone(&self) -> Option<String> {
        self.text(
            "placement.home_phone_24h",
            &self.form.placement.home_phone_24h,
        )
    }

    pub fn home_line(&self) -> Option<String> {
        let placement = &self.form.placement;
        let phone = self.text("placement.home_phone_24h", &placement.home_phone_24h)?;
        let address = if self.shared("placement.address") {
            placement.address.one_line()
        } else {
            String::new()
        };
        Some(if address.is_empty() {
            phone
        } else {
            format!("{phone} ({address})")
        })
    }

    pub fn social_worker(&self) -> Option<String> {
        let sw = &self.form.placement.social_worker;
        self.shared("placement.social_worker")
            .then(|| {
                join(
                    [
                        sw.name.trim(),
                        sw.team.trim(),
                        sw.phone.trim(),
                        sw.email.trim(),
                    ],
                    ", ",
                )
            })
            .filter(|s| !s.is_empty())
    }

    pub fn out_of_hours(&self) -> Option<String> {
        let c = &self.form.placement.out_of_hours;
        self.shared("placement.out_of_hours")
            .then(|| join([c.name.trim(), c.phone.trim(), c.email.trim()], ", "))
            .filter(|s| !s.is_empty())
    }

    pub fn marking(&self) -> String {
        self.text(
            "administration.protective_marking",
            &self.form.administration.protective_marking,
        )
        .or_else(|| Some(self.input.marking.trim().to_owned()).filter(|m| !m.is_empty()))
        .unwrap_or_else(|| DEFAULT_MARKING.to_owned())
    }

    /// Photos to print, newest face photo first, then the others newest first; empty if photos are not shared.
    pub fn photos(&self) -> Vec<(usize, &'a PackPhoto)> {
        if !self.shared("description.photos") {
            return Vec::new();
        }
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
                format!("{kind}, taken {} ({ago})", date.strftime("%-d %b %Y"))
            }
            None => format!("{kind}, date taken unknown"),
        }
    }
}

fn place_line(p: &Place, note: &str, with_when: bool) -> String {
    let when = if with_when { p.when.trim() } else { "" };
    let why = join([note, p.why.trim(), when], "; ");
    let place = join([p.name.trim(), &p.address.one_line()], ", ");
    join([place.as_str(), &paren(&why)], " ")
}

fn paren(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("({s})")
    }
}

/// Joins the non-blank parts.
pub(crate) fn join<'s>(parts: impl IntoIterator<Item = &'s str>, sep: &str) -> String {
    parts
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

fn yes_no(v: Option<bool>) -> Option<String> {
    v.map(|b| if b { "Yes".to_owned() } else { "No".to_owned() })
}

fn date(d: Option<Date>) -> Option<String> {
    d.map(|d| d.strftime("%-d %b %Y").to_string())
}

fn cut(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(limit).collect();
        format!("{}… (full text in the form below)", kept.trim_end())
    }
}

/// A short hash of everything the pack was built from (form, photos, episode, history, marking, time):
/// the first 12 hex digits of a SHA-256. It is printed in every footer so a printed page can be
/// matched to the revision it came from (the PDF's own hash cannot be printed inside it).
pub fn content_hash(input: &PackInput) -> String {
    let mut hasher = Sha256::new();
    hasher.update(serde_json::to_vec(&input.form).unwrap_or_default());
    hasher.update(input.revision.as_bytes());
    for photo in &input.photos {
        hasher.update(Sha256::digest(photo.jpeg.as_slice()));
        hasher.update(photo.kind.as_str());
        hasher.update(photo.taken_on.map(|d| d.to_string()).unwrap_or_default());
    }
    hasher.update(serde_json::to_vec(&input.episode).unwrap_or_default());
    hasher.update(serde_json::to_vec(&input.app_episodes).unwrap_or_default());
    hasher.update(input.marking.as_bytes());
    hasher.update(input.generated_at.to_string());
    hex::encode(hasher.finalize())[..12].to_owned()
}

/// Builds the grab-pack PDF in memory.
///
/// # Errors
/// [`PackError::RenderFailed`] if the PDF writer fails. An unreadable photo does not fail the pack: it
/// is left out and reported in [`RenderedPack::warnings`] (code `pack.photo_unreadable`).
pub fn render_pack(input: &PackInput) -> Result<RenderedPack, PackError> {
    // A bug in layout or a library must cost the carer the PDF, not the app: they still have the
    // read-out. (No unwrap or expect is reachable from input; this is the belt to those braces.)
    std::panic::catch_unwind(|| build_pack(input)).unwrap_or_else(|_| {
        Err(PackError::RenderFailed(
            "the pack builder stopped unexpectedly".into(),
        ))
    })
}

fn build_pack(input: &PackInput) -> Result<RenderedPack, PackError> {
    let facts = Facts::new(input);
    let mut layout = Layout::new();
    let mut warnings = Vec::new();
    page_one(&facts, &mut layout, &mut warnings);
    layout.page_break();
    part_one(&facts, &mut layout, &mut warnings);
    missing_history(&facts, &mut layout);
    if let Some(episode) = &input.episode {
        part_two(&facts, episode, &mut layout);
    }
    let page_count = layout.page_count();
    let content_hash = content_hash(input);
    let running = RunningHeader {
        marking: facts.marking(),
        child_name: facts.name(),
        generated_at: input.generated_at,
        revision: input.revision.clone(),
        short_hash: content_hash.clone(),
        title: format!("Grab pack: {}", facts.name()),
    };
    let pdf = layout.finish(&running)?;
    let sha256_hex = hex::encode(Sha256::digest(&pdf));
    Ok(RenderedPack {
        pdf,
        sha256_hex,
        page_count,
        content_hash,
        warnings,
    })
}

fn page_one(facts: &Facts<'_>, layout: &mut Layout, warnings: &mut Vec<PackError>) {
    let limit = facts.input.settings.page1_text_limit;
    let form = facts.form;
    let photos = facts.photos();
    let lead = photos.first().copied();
    let identity = |l: &mut Layout| {
        l.text(&facts.name(), TextStyle::TITLE);
        if let Some(known) = facts.known_as() {
            l.label_value("Known as", &cut(&known, limit));
        }
        l.label_value("Age", &facts.age_and_birth().unwrap_or_default());
        l.label_value(
            "Gender",
            &facts
                .text("identity.gender", &form.identity.gender)
                .unwrap_or_default(),
        );
        l.label_value("Height", &facts.height().unwrap_or_default());
        let d = &form.description;
        for (path, label, value) in [
            ("description.build", "Build", &d.build),
            ("description.hair", "Hair", &d.hair),
            ("description.eyes", "Eyes", &d.eyes),
            ("description.facial_hair", "Facial hair", &d.facial_hair),
            (
                "identity.ethnicity_appearance",
                "Appearance",
                &form.identity.ethnicity_appearance,
            ),
            ("description.glasses_aids", "Glasses, aids", &d.glasses_aids),
        ] {
            l.label_value(
                label,
                &cut(&facts.text(path, value).unwrap_or_default(), limit),
            );
        }
        l.label_value("Marks", &cut(&facts.marks().unwrap_or_default(), limit));
        l.label_value("Mobile", &cut(&facts.mobiles().unwrap_or_default(), limit));
    };
    match lead {
        Some((index, photo)) => {
            let placed = layout.side_by_side(
                PHOTO_WIDTH,
                |l| {
                    let placed = l.photo(photo.jpeg.clone(), index, PHOTO_WIDTH, PHOTO_HEIGHT);
                    if placed.is_ok() {
                        l.space(2.0);
                        l.text(&facts.photo_caption(photo), TextStyle::SMALL);
                    } else {
                        l.callout(
                            "The photo could not be printed: send it from the app",
                            Colour::GREY,
                        );
                    }
                    placed
                },
                identity,
            );
            if let Err(e) = placed {
                warnings.push(e);
            }
        }
        None => {
            identity(layout);
            layout.callout("No photo is held for this child", Colour::GREY);
        }
    }
    layout.space(6.0);
    for (text, colour) in facts.critical_labels() {
        layout.callout(&cut(&text, limit), colour);
    }
    if let Some(episode) = &facts.input.episode {
        layout.subheading("MISSING NOW: last seen");
        layout.label_value(
            "Police reference",
            &facts.police_reference().unwrap_or_default(),
        );
        let seen = episode.last_seen_at.map(uk_and_utc).unwrap_or_default();
        let noticed = episode
            .absence_noticed_at
            .map(|t| format!("noticed missing {}", uk_and_utc(t)))
            .unwrap_or_default();
        layout.label_value("When", &join([seen.as_str(), &noticed], "; "));
        layout.label_value(
            "Where",
            &cut(
                &join(
                    [
                        episode.last_seen_where.as_str(),
                        &paren(&join([episode.last_seen_by.as_str()], "")),
                    ],
                    " ",
                ),
                limit,
            ),
        );
        layout.label_value("Clothing", &cut(&episode.clothing, limit));
        layout.label_value("Who with", &cut(&episode.who_with, limit));
        layout.label_value(
            "Heading",
            &cut(
                &join(
                    [
                        episode.direction_transport.as_str(),
                        episode.intended_destination.as_str(),
                    ],
                    "; ",
                ),
                limit,
            ),
        );
    }
    let places = facts.places_to_look();
    if !places.is_empty() {
        layout.subheading("Most likely places to look");
        for (i, place) in places.iter().enumerate() {
            layout.label_value(&format!("{}", i + 1), &cut(place, limit));
        }
    }
    layout.subheading("Contacts");
    layout.label_value("Home, 24/7", &facts.home_line().unwrap_or_default());
    layout.label_value("Social worker", &facts.social_worker().unwrap_or_default());
    layout.label_value(
        "Out of hours (EDT)",
        &facts.out_of_hours().unwrap_or_default(),
    );
}

fn part_one(facts: &Facts<'_>, layout: &mut Layout, warnings: &mut Vec<PackError>) {
    let form = facts.form;
    let t = |path: &str, value: &str| facts.text(path, value).unwrap_or_default();
    layout.heading("Part 1: the child's profile");

    // A. Administration
    layout.subheading("A. Administration");
    let a = &form.administration;
    if facts.shared("administration.completed_by") {
        layout.label_value(
            "Completed by",
            &join(
                [
                    a.completed_by.name.as_str(),
                    &a.completed_by.role,
                    &a.completed_by.organisation,
                ],
                ", ",
            ),
        );
    }
    layout.label_value(
        "Date completed",
        &date(
            a.completed_on
                .filter(|_| facts.shared("administration.completed_on")),
        )
        .unwrap_or_default(),
    );
    layout.label_value(
        "The child's own words",
        &t("administration.child_contribution", &a.child_contribution),
    );
    if facts.shared("administration.child_told_when_shared") {
        layout.label_value(
            "Child told when shared",
            &yes_no(a.child_told_when_shared).unwrap_or_default(),
        );
    }
    if facts.shared("administration.transfer_history") {
        for tr in &a.transfer_history {
            layout.label_value(
                "Transfer",
                &join(
                    [
                        date(tr.date).unwrap_or_default().as_str(),
                        &tr.from,
                        "to",
                        &tr.to,
                        &tr.note,
                    ],
                    " ",
                ),
            );
        }
    }

    // B. Identity
    layout.subheading("B. Identity");
    let i = &form.identity;
    layout.label_value("Legal name", &facts.name());
    layout.label_value("Known as", &facts.known_as().unwrap_or_default());
    layout.label_value(
        "Age and date of birth",
        &facts.age_and_birth().unwrap_or_default(),
    );
    layout.label_value("Gender", &t("identity.gender", &i.gender));
    layout.label_value(
        "Ethnicity, appearance",
        &t("identity.ethnicity_appearance", &i.ethnicity_appearance),
    );
    if facts.shared("identity.nationality") {
        layout.label_value("Nationality", &i.nationality);
        layout.label_value("Immigration status", &i.immigration_status);
        if i.unaccompanied_asylum_seeker == Some(true) {
            layout.label_value("Unaccompanied asylum seeker", "Yes");
        }
    }
    if facts.shared("identity.first_language") {
        layout.label_value("First language", &i.first_language);
        layout.label_value("Accent", &i.accent);
        layout.label_value(
            "Interpreter needed",
            &yes_no(i.interpreter_needed).unwrap_or_default(),
        );
    }
    if facts.shared("identity.identifiers") {
        for id in &i.identifiers {
            layout.label_value(
                if id.kind.trim().is_empty() {
                    "Identifier"
                } else {
                    &id.kind
                },
                &id.value,
            );
        }
    }
    layout.label_value("Passport or ID", &t("identity.passport_id", &i.passport_id));

    // C. Description and photos
    layout.subheading("C. Description and photos");
    let d = &form.description;
    layout.label_value("Height", &facts.height().unwrap_or_default());
    for (path, label, value) in [
        ("description.build", "Build", &d.build),
        ("description.hair", "Hair", &d.hair),
        ("description.eyes", "Eyes", &d.eyes),
        ("description.facial_hair", "Facial hair", &d.facial_hair),
        ("description.glasses_aids", "Glasses, aids", &d.glasses_aids),
        ("description.usual_dress", "Usual dress", &d.usual_dress),
    ] {
        layout.label_value(label, &t(path, value));
    }
    layout.label_value("Scars, tattoos, marks", &facts.marks().unwrap_or_default());
    let photos: Vec<(Arc<Vec<u8>>, usize, String)> = facts
        .photos()
        .into_iter()
        .map(|(i, p)| (p.jpeg.clone(), i, facts.photo_caption(p)))
        .collect();
    if !photos.is_empty() {
        layout.space(4.0);
        // Errors here repeat page 1's for the lead photo; keep each photo's first report only.
        for e in layout.gallery(&photos, 3, 190.0) {
            if let PackError::PhotoUnreadable { index, .. } = &e {
                let seen = warnings.iter().any(
                    |w| matches!(w, PackError::PhotoUnreadable { index: i, .. } if i == index),
                );
                if !seen {
                    warnings.push(e);
                }
            }
        }
    }

    // D. Placement and professionals
    layout.subheading("D. Placement and professionals");
    let p = &form.placement;
    if facts.shared("placement.address") {
        layout.label_value("Placement address", &p.address.one_line());
    }
    if facts.shared("placement.placement_type") {
        layout.label_value(
            "Placement type",
            p.placement_type
                .map(PlacementType::label)
                .unwrap_or_default(),
        );
    }
    layout.label_value(
        "24/7 home number",
        &t("placement.home_phone_24h", &p.home_phone_24h),
    );
    if facts.shared("placement.registered_manager") {
        let m = &p.registered_manager;
        layout.label_value(
            "Registered manager",
            &join([m.name.as_str(), &m.phone, &m.email], ", "),
        );
    }
    layout.label_value(
        "Placing council",
        &t("placement.placing_council", &p.placing_council),
    );
    layout.label_value(
        "Host council",
        &t("placement.host_council", &p.host_council),
    );
    if facts.shared("placement.legal_status") {
        layout.label_value(
            "Legal status",
            p.legal_status.map(LegalStatus::label).unwrap_or_default(),
        );
    }
    layout.label_value("Social worker", &facts.social_worker().unwrap_or_default());
    layout.label_value(
        "Out of hours (EDT)",
        &facts.out_of_hours().unwrap_or_default(),
    );
    if facts.shared("placement.iro") {
        let iro = &p.iro;
        layout.label_value(
            "IRO",
            &join([iro.name.as_str(), &iro.team, &iro.phone, &iro.email], ", "),
        );
    }
    layout.label_value(
        "Placement start",
        &date(
            p.placement_start
                .filter(|_| facts.shared("placement.placement_start")),
        )
        .unwrap_or_default(),
    );
    if facts.shared("placement.previous_placements") {
        for prev in &p.previous_placements {
            let when = join(
                [
                    date(prev.from).unwrap_or_default().as_str(),
                    &date(prev.to).unwrap_or_default(),
                ],
                " to ",
            );
            layout.label_value(
                "Previous placement",
                &join(
                    [prev.description.as_str(), &prev.address.one_line(), &when],
                    "; ",
                ),
            );
        }
    }
    if facts.shared("placement.family_addresses") {
        for a in &p.family_addresses {
            layout.label_value("Family address", &a.one_line());
        }
    }
    if let Some(r) = facts.text("placement.contact_restrictions", &p.contact_restrictions) {
        layout.callout(&format!("CONTACT RESTRICTIONS: {r}"), Colour::DANGER);
    }
    if facts.shared("placement.school") && !p.school.is_empty() {
        let s = &p.school;
        layout.label_value(
            "School or college",
            &join(
                [
                    s.name.as_str(),
                    &s.address.one_line(),
                    &s.contact.name,
                    &s.contact.phone,
                    &s.contact.email,
                ],
                ", ",
            ),
        );
    }
    layout.label_value(
        "EHC plan, SEN",
        &t("placement.ehc_plan_sen", &p.ehc_plan_sen),
    );

    // E. Health
    layout.subheading("E. Health");
    let h = &form.health;
    layout.label_value("Conditions", &t("health.conditions", &h.conditions));
    if facts.shared("health.medication") {
        for m in &h.medication {
            let missed = if m.effect_if_missed.trim().is_empty() {
                String::new()
            } else {
                format!("If missed: {}", m.effect_if_missed.trim())
            };
            layout.label_value(
                "Medication",
                &join([m.name.as_str(), &m.dose, &missed], "; "),
            );
        }
    }
    layout.label_value(
        "Mental health, self-harm",
        &t("health.mental_health", &h.mental_health),
    );
    if facts.shared("health.mental_health") && h.self_harm_risk == Some(true) {
        layout.label_value("Self-harm or suicide risk", "Yes");
    }
    if facts.shared("health.gp") {
        layout.label_value(
            "GP",
            &join([h.gp.name.as_str(), &h.gp.phone, &h.gp.email], ", "),
        );
    }
    layout.label_value("Allergies", &t("health.allergies", &h.allergies));
    layout.label_value(
        "Disability, communication",
        &t(
            "health.disability_communication",
            &h.disability_communication,
        ),
    );
    layout.label_value(
        "Substance use",
        &t("health.substance_use", &h.substance_use),
    );
    layout.label_value("Pregnancy", &t("health.pregnancy", &h.pregnancy));

    // F. Phones and online
    layout.subheading("F. Phones and online");
    let f = &form.phones_online;
    layout.label_value("Mobiles", &facts.mobiles().unwrap_or_default());
    if facts.shared("phones_online.mobiles") {
        for ph in f.mobiles.iter().filter(|p| !p.note.trim().is_empty()) {
            layout.label_value(&format!("Note on {}", ph.number.trim()), &ph.note);
        }
    }
    layout.label_value("Email", &t("phones_online.email", &f.email));
    if facts.shared("phones_online.social_handles") {
        let handles = f
            .social_handles
            .iter()
            .map(|s| join([s.platform.as_str(), &s.handle], ": "))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>();
        layout.label_value("Social media, gaming", &handles.join("; "));
    }
    layout.label_value(
        "Location sharing",
        &t("phones_online.location_sharing", &f.location_sharing),
    );

    // G. Money and travel
    layout.subheading("G. Money and travel");
    let g = &form.money_travel;
    if facts.shared("money_travel.bank_cards") {
        for c in &g.bank_cards {
            let last4 = if c.last4.trim().is_empty() {
                String::new()
            } else {
                format!("card ending {}", c.last4.trim())
            };
            layout.label_value("Bank card", &join([c.bank.as_str(), &last4], ", "));
        }
    }
    layout.label_value(
        "Cash, benefits",
        &t("money_travel.cash_benefits", &g.cash_benefits),
    );
    if facts.shared("money_travel.travel_cards") {
        for c in &g.travel_cards {
            layout.label_value("Travel card", &join([c.kind.label(), &c.reference], ": "));
        }
    }
    layout.label_value(
        "Bicycle, scooter, vehicles",
        &t("money_travel.vehicles", &g.vehicles),
    );

    // H. People
    people_tables(facts, layout);
    // I. Places
    place_tables(facts, layout);
    // K. Risks (J, the missing history, follows as its own section)
    layout.subheading("K. Risks");
    let r = &form.risks;
    for (path, label, entry) in [
        (
            "risks.sexual_exploitation",
            "Sexual exploitation",
            &r.sexual_exploitation,
        ),
        (
            "risks.criminal_exploitation",
            "Criminal exploitation, county lines, gangs",
            &r.criminal_exploitation,
        ),
        (
            "risks.trafficking",
            "Trafficking, modern slavery",
            &r.trafficking,
        ),
        ("risks.radicalisation", "Radicalisation", &r.radicalisation),
        (
            "risks.harmful_practices",
            "FGM, forced marriage, honour-based abuse",
            &r.harmful_practices,
        ),
        (
            "risks.domestic_abuse",
            "Domestic abuse, family conflict",
            &r.domestic_abuse,
        ),
        (
            "risks.youth_justice",
            "Bail, orders, youth justice",
            &r.youth_justice,
        ),
        (
            "risks.child_protection_plan",
            "Child protection plan",
            &r.child_protection_plan,
        ),
        ("risks.risk_to_others", "Risk to others", &r.risk_to_others),
        (
            "risks.abduction_warning_notices",
            "Abduction warning notices",
            &r.abduction_warning_notices,
        ),
    ] {
        if facts.shared(path) {
            let value = join(
                [
                    entry.concern.map(Concern::label).unwrap_or_default(),
                    &entry.note,
                ],
                ". ",
            );
            layout.label_value(label, &value);
        }
    }
}

fn person_rows(people: &[Person], facts: &Facts<'_>) -> Vec<Row> {
    let _ = facts;
    people
        .iter()
        .map(|p| {
            let handles = p
                .handles
                .iter()
                .map(|s| join([s.platform.as_str(), &s.handle], ": "))
                .collect::<Vec<_>>()
                .join("; ");
            let contact = join([p.phones.join("; ").as_str(), &handles], "; ");
            let concern = if p.of_concern { "OF CONCERN" } else { "" };
            let note = join([concern, &p.risk_note, &p.vehicle], ". ");
            Row {
                cells: vec![
                    join([p.name.as_str(), &p.relationship], ", "),
                    p.address.one_line(),
                    contact,
                    note,
                ],
                highlight: p.of_concern.then_some(Colour::HIGHLIGHT),
            }
        })
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
        .collect()
}

fn people_tables(facts: &Facts<'_>, layout: &mut Layout) {
    let people = &facts.form.people;
    let columns = [
        Column {
            heading: "Name, relationship".into(),
            share: 1.2,
        },
        Column {
            heading: "Address".into(),
            share: 1.3,
        },
        Column {
            heading: "Phones, handles".into(),
            share: 1.1,
        },
        Column {
            heading: "Risk note, vehicle".into(),
            share: 1.4,
        },
    ];
    let groups = [
        ("people.family", "Family", &people.family),
        ("people.friends", "Friends", &people.friends),
        (
            "people.partners",
            "Boyfriend or girlfriend",
            &people.partners,
        ),
        (
            "people.associates",
            "Associates (adults of concern highlighted)",
            &people.associates,
        ),
        (
            "people.trusted_adults",
            "Trusted adults the child would go to",
            &people.trusted_adults,
        ),
    ];
    let any = groups
        .iter()
        .any(|(path, _, list)| facts.shared(path) && !list.is_empty());
    if !any {
        return;
    }
    layout.subheading("H. People");
    for (path, title, list) in groups {
        if !facts.shared(path) {
            continue;
        }
        let rows = person_rows(list, facts);
        if rows.is_empty() {
            continue;
        }
        table_title(layout, title);
        layout.table(&columns, &rows);
    }
}

fn place_tables(facts: &Facts<'_>, layout: &mut Layout) {
    let places = &facts.form.places;
    let columns = [
        Column {
            heading: "Place".into(),
            share: 1.2,
        },
        Column {
            heading: "Address".into(),
            share: 1.4,
        },
        Column {
            heading: "Why, when".into(),
            share: 1.6,
        },
    ];
    let rows_of = |list: &[Place]| -> Vec<Row> {
        list.iter()
            .map(|p| Row {
                cells: vec![
                    p.name.trim().to_owned(),
                    p.address.one_line(),
                    join([p.why.as_str(), &p.when], "; "),
                ],
                highlight: None,
            })
            .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
            .collect()
    };
    let mut sections: Vec<(&str, Vec<Column>, Vec<Row>)> = Vec::new();
    if facts.shared("places.risk_assessed") {
        let rows: Vec<Row> = places
            .risk_assessed
            .iter()
            .map(|l| Row {
                cells: vec![
                    l.name.trim().to_owned(),
                    l.address.one_line(),
                    join(
                        [
                            l.risk_level.map(RiskGrading::label).unwrap_or_default(),
                            &l.reason,
                        ],
                        ": ",
                    ),
                    l.local_contact.trim().to_owned(),
                ],
                highlight: Some(Colour::HIGHLIGHT),
            })
            .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
            .collect();
        let cols = vec![
            Column {
                heading: "Risk-assessed location".into(),
                share: 1.2,
            },
            Column {
                heading: "Address".into(),
                share: 1.3,
            },
            Column {
                heading: "Risk, reason".into(),
                share: 1.5,
            },
            Column {
                heading: "Local contact".into(),
                share: 1.0,
            },
        ];
        sections.push(("Risk-assessed locations", cols, rows));
    }
    for (path, title, list) in [
        (
            "places.found_before",
            "Found here in past episodes",
            &places.found_before,
        ),
        (
            "places.frequented",
            "Places the child often goes",
            &places.frequented,
        ),
        (
            "places.significant",
            "Places of significance, interests",
            &places.significant,
        ),
        (
            "places.out_of_area",
            "Out-of-area connections",
            &places.out_of_area,
        ),
    ] {
        if facts.shared(path) {
            sections.push((title, columns.to_vec(), rows_of(list)));
        }
    }
    sections.retain(|(_, _, rows)| !rows.is_empty());
    if sections.is_empty() {
        return;
    }
    layout.subheading("I. Places");
    for (title, cols, rows) in sections {
        table_title(layout, title);
        layout.table(&cols, &rows);
    }
}

fn missing_history(facts: &Facts<'_>, layout: &mut Layout) {
    let history = &facts.form.missing_history;
    let mut episodes: Vec<&PastEpisode> = Vec::new();
    if facts.shared("missing_history.previous_episodes") {
        episodes.extend(&history.previous_episodes);
    }
    episodes.extend(&facts.input.app_episodes);
    episodes.sort_by_key(|e| std::cmp::Reverse(e.started));
    let pattern = facts.text("missing_history.usual_pattern", &history.usual_pattern);
    let refs = if facts.shared("missing_history.police_references") {
        join(history.police_references.iter().map(String::as_str), "; ")
    } else {
        String::new()
    };
    if episodes.is_empty() && pattern.is_none() && refs.is_empty() {
        return;
    }
    layout.subheading("J. Missing history");
    layout.label_value("Usual pattern", &pattern.unwrap_or_default());
    layout.label_value("Police references", &refs);
    if !episodes.is_empty() {
        let columns = [
            Column {
                heading: "Started".into(),
                share: 0.9,
            },
            Column {
                heading: "Hours".into(),
                share: 0.5,
            },
            Column {
                heading: "Where found".into(),
                share: 1.4,
            },
            Column {
                heading: "Who with".into(),
                share: 1.0,
            },
            Column {
                heading: "Harm".into(),
                share: 1.0,
            },
            Column {
                heading: "Police ref".into(),
                share: 0.9,
            },
        ];
        let rows: Vec<Row> = episodes
            .iter()
            .map(|e| Row {
                cells: vec![
                    date(e.started).unwrap_or_default(),
                    e.duration_hours.map(|h| h.to_string()).unwrap_or_default(),
                    e.where_found.clone(),
                    e.who_with.clone(),
                    e.harm.clone(),
                    e.police_reference.clone(),
                ],
                highlight: None,
            })
            .collect();
        layout.table(&columns, &rows);
    }
}

fn part_two(facts: &Facts<'_>, e: &Part2, layout: &mut Layout) {
    let _ = facts;
    layout.heading("Part 2: this episode");
    let at = |t: Option<Timestamp>| t.map(uk_and_utc).unwrap_or_default();
    layout.label_value("Absence noticed", &at(e.absence_noticed_at));
    layout.label_value("Last seen", &at(e.last_seen_at));
    layout.label_value("Where last seen", &e.last_seen_where);
    layout.label_value("Seen by", &e.last_seen_by);
    layout.label_value("Clothing, items worn", &e.clothing);
    layout.label_value("Who with", &e.who_with);
    layout.label_value("Direction, transport", &e.direction_transport);
    layout.label_value("Intended destination", &e.intended_destination);
    let taken = taken_text(&e.taken);
    layout.label_value("Taken with them", &taken);
    layout.label_value("Circumstances, trigger, mood", &e.circumstances);
    let view = join(
        [
            e.carer_risk_view
                .map(RiskGrading::label)
                .unwrap_or_default(),
            &e.carer_risk_reasons,
        ],
        ": ",
    );
    layout.label_value("Carer's view of risk", &view);
    layout.label_value("Reporting person", &e.reporting_person);
    layout.label_value("Call-back number", &e.call_back_number);
    if !e.actions_taken.is_empty() {
        table_title(layout, "Actions already taken");
        let mut actions: Vec<&ActionTaken> = e.actions_taken.iter().collect();
        actions.sort_by_key(|a| a.at);
        let rows: Vec<Row> = actions
            .iter()
            .map(|a| Row {
                cells: vec![uk_and_utc(a.at), a.action.clone(), a.outcome.clone()],
                highlight: None,
            })
            .collect();
        let columns = [
            Column {
                heading: "Time".into(),
                share: 1.1,
            },
            Column {
                heading: "Action".into(),
                share: 1.6,
            },
            Column {
                heading: "Outcome".into(),
                share: 1.6,
            },
        ];
        layout.table(&columns, &rows);
    }
    if !e.notifications.is_empty() {
        table_title(layout, "Notifications made");
        let rows: Vec<Row> = e
            .notifications
            .iter()
            .map(|n| Row {
                cells: vec![
                    uk_and_utc(n.at),
                    notified_label(n.to).to_owned(),
                    n.reference.clone(),
                    join([n.officer_name.as_str(), &n.collar_number], " "),
                ],
                highlight: None,
            })
            .collect();
        let columns = [
            Column {
                heading: "Time".into(),
                share: 1.1,
            },
            Column {
                heading: "Who".into(),
                share: 0.9,
            },
            Column {
                heading: "Reference".into(),
                share: 1.2,
            },
            Column {
                heading: "Officer, collar number".into(),
                share: 1.1,
            },
        ];
        layout.table(&columns, &rows);
    }
}

/// A table's title, kept on the same page as the table's header and first row.
fn table_title(layout: &mut Layout, title: &str) {
    layout.ensure(TextStyle::STRONG.line_height() + 3.0 * TextStyle::BODY.line_height() + 16.0);
    layout.text(title, TextStyle::STRONG);
}

pub(crate) fn taken_text(t: &TakenItems) -> String {
    let mut items = Vec::new();
    for (label, v) in [
        ("phone", t.phone),
        ("money", t.money),
        ("bank cards", t.bank_cards),
        ("passport", t.passport),
        ("medication", t.medication),
    ] {
        match v {
            Some(true) => items.push(label.to_owned()),
            Some(false) => items.push(format!("no {label}")),
            None => {}
        }
    }
    if !t.other.trim().is_empty() {
        items.push(t.other.trim().to_owned());
    }
    items.join(", ")
}

pub(crate) fn notified_label(p: NotifiedParty) -> &'static str {
    match p {
        NotifiedParty::Police => "Police",
        NotifiedParty::SocialWorker => "Social worker",
        NotifiedParty::OutOfHours => "Out of hours (EDT)",
        NotifiedParty::Manager => "Manager",
        NotifiedParty::Ofsted => "Ofsted",
        NotifiedParty::Parent => "Parent",
        NotifiedParty::Other => "Other",
    }
}
