//! Readiness: is this child's pack fit to hand to the police tonight?
//!
//! Computed every time from the form's gaps, the photos and the review dates, never stored, so it
//! can never disagree with the data. The gaps depend on the form alone, so the store keeps them per
//! revision ([`FormGaps`], checked against the field table's fingerprint) instead of parsing every
//! child's form for the dashboard. It only ever informs: a pack that is not ready is still built and
//! sent the moment a child goes missing (a stale review warns, never blocks).

use jiff::civil::Date;
use serde::Serialize;

use crate::fields::{FIELDS, Priority};
use crate::form::{ChildForm, PhotoKind};

/// The home's thresholds. Settings, not constants: a home may review more often.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct ReadinessSettings {
    /// A face photo older than this many days makes the pack need attention.
    pub photo_max_age_days: u32,
    /// Part 1 must be reviewed at least this often.
    pub review_interval_days: u32,
}

impl Default for ReadinessSettings {
    fn default() -> Self {
        Self {
            photo_max_age_days: 90,
            review_interval_days: 30,
        }
    }
}

/// What readiness needs to know about one photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoFact {
    pub kind: PhotoKind,
    pub taken_on: Option<Date>,
}

/// Everything outside the form that readiness depends on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadinessFacts {
    pub photos: Vec<PhotoFact>,
    /// The last save or "reviewed, no changes" stamp.
    pub last_reviewed: Option<Date>,
    /// The most recent closed missing episode: Part 1 must be reviewed after every episode.
    pub last_episode_closed: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReadinessState {
    NotReady,
    Attention,
    Ready,
}

impl ReadinessState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ready => "ready",
            Self::Attention => "attention",
            Self::NotReady => "not_ready",
        }
    }
}

/// One reason a pack is not ready or needs attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum ReadinessReason {
    MissingCritical {
        path: &'static str,
        label: &'static str,
    },
    NoFacePhoto,
    FacePhotoUndated,
    PhotoStale {
        age_days: i64,
        limit_days: u32,
    },
    NeverReviewed,
    ReviewOverdue {
        days_overdue: i64,
    },
    ReviewDueAfterEpisode,
    HighEmpty {
        path: &'static str,
        label: &'static str,
    },
}

impl ReadinessReason {
    /// Stable code the UI branches on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingCritical { .. } => "readiness.missing_critical",
            Self::NoFacePhoto => "readiness.no_face_photo",
            Self::FacePhotoUndated => "readiness.face_photo_undated",
            Self::PhotoStale { .. } => "readiness.photo_stale",
            Self::NeverReviewed => "readiness.never_reviewed",
            Self::ReviewOverdue { .. } => "readiness.review_overdue",
            Self::ReviewDueAfterEpisode => "readiness.review_after_episode",
            Self::HighEmpty { .. } => "readiness.high_empty",
        }
    }

    /// Whether this reason stops the pack being ready (as opposed to needing attention).
    pub fn blocks_ready(&self) -> bool {
        matches!(self, Self::MissingCritical { .. } | Self::NoFacePhoto)
    }

    /// The words on the dashboard card.
    pub fn message(&self) -> String {
        match self {
            Self::MissingCritical { label, .. } => format!("Critical field empty: {label}"),
            Self::NoFacePhoto => "No face photo".into(),
            Self::FacePhotoUndated => "Face photo has no date taken".into(),
            Self::PhotoStale { age_days, .. } => format!("Photo {} old", describe_age(*age_days)),
            Self::NeverReviewed => "Never reviewed".into(),
            Self::ReviewOverdue { days_overdue } => {
                format!("Review overdue {days_overdue} day{}", plural(*days_overdue))
            }
            Self::ReviewDueAfterEpisode => "Review due after the last missing episode".into(),
            Self::HighEmpty { label, .. } => format!("Empty: {label}"),
        }
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "12 days", "4 months", "2 years": how a carer says a photo's age.
pub fn describe_age(days: i64) -> String {
    if days < 60 {
        format!("{days} day{}", plural(days))
    } else if days < 730 {
        let m = days / 30;
        format!("{m} month{}", plural(m))
    } else {
        let y = days / 365;
        format!("{y} year{}", plural(y))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Readiness {
    pub state: ReadinessState,
    /// Blocking reasons first, then attention reasons, each in field-table order.
    pub reasons: Vec<ReadinessReason>,
}

impl Readiness {
    /// How many critical fields are empty ("2 critical fields empty" on the card).
    pub fn critical_missing(&self) -> usize {
        self.reasons
            .iter()
            .filter(|r| matches!(r, ReadinessReason::MissingCritical { .. }))
            .count()
    }
}

/// What readiness needs from the form alone: the table's unanswered critical and high fields, in
/// table order. It depends on the form and the field table only (not on today, the photos or the
/// home's thresholds), so the store keeps one per revision and the dashboard never has to read
/// and parse every child's whole form.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub struct FormGaps {
    /// Paths of empty critical fields.
    pub critical: Vec<String>,
    /// Paths of empty high-priority fields.
    pub high: Vec<String>,
}

/// The form's gaps against today's field table, at the priorities for the form's own placement
/// type (a foster placement's gaps are not a children's home's).
pub fn form_gaps(form: &ChildForm) -> FormGaps {
    let mut gaps = FormGaps::default();
    for f in FIELDS {
        if f.answered(form) {
            continue;
        }
        match f.priority_in(form) {
            Priority::Critical => gaps.critical.push(f.path.to_owned()),
            Priority::High => gaps.high.push(f.path.to_owned()),
            Priority::Optional => {}
        }
    }
    gaps
}

/// A fingerprint of the field table's paths and priorities (for every placement type). Gaps kept
/// with another fingerprint were worked out against another table (an older or newer build) and
/// must be worked out again.
pub fn field_table_fingerprint() -> u64 {
    static FINGERPRINT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *FINGERPRINT.get_or_init(|| fingerprint_of(FIELDS))
}

/// The fingerprint of a field table (see [`field_table_fingerprint`]).
pub fn fingerprint_of(fields: &[crate::fields::FieldSpec]) -> u64 {
    fn prio(p: Priority) -> u8 {
        match p {
            Priority::Critical => 1,
            Priority::High => 2,
            Priority::Optional => 3,
        }
    }
    // FNV-1a: stable across builds and platforms, unlike std's hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for f in fields {
        eat(f.path.as_bytes());
        eat(&[0, prio(f.priority)]);
        for (placement, p) in f.by_placement {
            // The placement type's interchange word: stable, unlike a discriminant.
            let word = serde_json::to_string(placement).unwrap_or_default();
            eat(word.as_bytes());
            eat(&[prio(*p)]);
        }
    }
    h
}

/// Work out readiness on `today` (the home's local date).
pub fn assess(
    form: &ChildForm,
    facts: &ReadinessFacts,
    settings: &ReadinessSettings,
    today: Date,
) -> Readiness {
    assess_gaps(&form_gaps(form), facts, settings, today)
}

/// Readiness from gaps kept earlier (see [`FormGaps`]); the same answer as [`assess`] on the form
/// they came from. A path the table no longer has is left out (the fingerprint catches a changed
/// table before it gets here).
pub fn assess_gaps(
    gaps: &FormGaps,
    facts: &ReadinessFacts,
    settings: &ReadinessSettings,
    today: Date,
) -> Readiness {
    let mut blocking = Vec::new();
    let mut attention = Vec::new();
    let field = |path: &str| FIELDS.iter().find(|f| f.path == path);
    for f in gaps.critical.iter().filter_map(|p| field(p)) {
        blocking.push(ReadinessReason::MissingCritical {
            path: f.path,
            label: f.label,
        });
    }
    for f in gaps.high.iter().filter_map(|p| field(p)) {
        attention.push(ReadinessReason::HighEmpty {
            path: f.path,
            label: f.label,
        });
    }

    let faces = facts.photos.iter().filter(|p| p.kind == PhotoKind::Face);
    let newest_dated = faces.clone().filter_map(|p| p.taken_on).max();
    match (faces.count(), newest_dated) {
        (0, _) => blocking.push(ReadinessReason::NoFacePhoto),
        (_, None) => attention.push(ReadinessReason::FacePhotoUndated),
        (_, Some(taken)) => {
            let age_days = days_between(taken, today);
            if age_days > i64::from(settings.photo_max_age_days) {
                attention.push(ReadinessReason::PhotoStale {
                    age_days,
                    limit_days: settings.photo_max_age_days,
                });
            }
        }
    }

    match facts.last_reviewed {
        None => attention.push(ReadinessReason::NeverReviewed),
        Some(reviewed) => {
            let overdue = days_between(reviewed, today) - i64::from(settings.review_interval_days);
            if overdue > 0 {
                attention.push(ReadinessReason::ReviewOverdue {
                    days_overdue: overdue,
                });
            }
            if facts
                .last_episode_closed
                .is_some_and(|closed| closed > reviewed)
            {
                attention.push(ReadinessReason::ReviewDueAfterEpisode);
            }
        }
    }

    let state = if !blocking.is_empty() {
        ReadinessState::NotReady
    } else if !attention.is_empty() {
        ReadinessState::Attention
    } else {
        ReadinessState::Ready
    };
    blocking.extend(attention);
    Readiness {
        state,
        reasons: blocking,
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    // Both dates are valid civil dates, so the span always fits in days.
    from.until(to).map(|s| i64::from(s.get_days())).unwrap_or(0)
}

/// The child's age in whole years on `today`.
pub fn age_on(date_of_birth: Date, today: Date) -> Option<i16> {
    if today < date_of_birth {
        return None;
    }
    let mut years = today.year() - date_of_birth.year();
    if (today.month(), today.day()) < (date_of_birth.month(), date_of_birth.day()) {
        years -= 1;
    }
    Some(years)
}
