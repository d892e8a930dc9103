//! What an episode is, as the shells, the pack and the outbox see it. No queries here.

use crate::ids::{ChildId, EpisodeId};
use grabpack_core::{Part2, RiskGrading};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What opening an episode needs.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEpisode {
    pub child_id: ChildId,
    /// When staff noticed the child was absent.
    pub noticed_at: Timestamp,
    /// The child may be in immediate danger: report at once on 999.
    pub immediate_danger: bool,
    /// The police unit for where the child went missing, when not the home's own area.
    pub missing_from_unit: Option<String>,
}

/// One checklist step, ticked with its time and outcome.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepEntry {
    pub step_id: String,
    pub label: String,
    pub outcome: String,
}

/// How the report reached the police.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportChannel {
    Phone999,
    Phone101,
    Email,
    OnlinePortal,
    Intake,
    InPerson,
}

/// The report to police, as the call handler or officer gave it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PoliceReport {
    pub how: Option<ReportChannel>,
    pub unit: String,
    /// Incident or CAD reference.
    pub reference: String,
    pub officer_name: String,
    pub collar_number: String,
    /// The category, in the form's vocabulary (the force's categories are offered; a grading
    /// recorded before, such as "no apparent risk", reads back as it was recorded).
    pub risk_grading: Option<RiskGrading>,
    /// The police's own words for the grading, verbatim, beside the category.
    pub police_words: String,
}

/// What kind of episode this is. Councils count them apart (DfE 2014): a child whose
/// whereabouts are unknown is missing; one whose whereabouts are known but who is not where they
/// should be is away from placement without authorisation.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EpisodeType {
    /// Whereabouts cannot be established. Every episode opens as this.
    #[default]
    Missing,
    /// Whereabouts known, but not where the child should be, without permission.
    AwayWithoutAuthorisation,
}

/// The episode changed type (for example: the child was found at a friend's and stays there
/// tonight without permission), recorded with why.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EpisodeTypeChange {
    pub episode_type: EpisodeType,
    pub reason: String,
}

/// A strategy meeting held about the child's repeat episodes.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StrategyMeeting {
    /// Who attended (names and roles, as given).
    pub attended: Vec<String>,
    pub police_attended: Option<bool>,
    pub decisions: String,
}

/// "Police would not accept the report": the record councils say they never get.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotAccepted {
    pub reason: String,
    pub officer_name: String,
    pub collar_number: String,
    pub reference: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateKind {
    Sighting,
    Information,
    Call,
    PassedToPolice,
}

/// New information or a sighting during the episode.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpisodeUpdate {
    pub kind: UpdateKind,
    pub text: String,
    #[serde(default)]
    pub from: String,
}

/// Found or returned.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Found {
    pub found_where: String,
    pub found_by: String,
    pub found_with: String,
    pub injuries: String,
    pub disclosures: String,
    pub new_risks: String,
    /// When the child was back at the placement, when later than being found: the return-home
    /// interview's 72 hours run from here.
    pub returned_to_placement_at: Option<Timestamp>,
}

/// How an interview was done.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterviewMethod {
    FaceToFace,
    Phone,
}

/// Who the police spoke to for the prevention interview.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterviewWith {
    Child,
    Carer,
}

/// What became of the return-home interview: only one carried out counts.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RhiOutcome {
    /// Offered, not (yet) carried out.
    Offered,
    CarriedOut,
    /// The child refused: recorded as a refusal, never as met.
    Refused,
}

/// The police prevention interview (safe-and-well check).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PreventionInterview {
    pub officer: String,
    pub note: String,
    pub how: Option<InterviewMethod>,
    pub with_whom: Option<InterviewWith>,
    pub child_engaged: Option<bool>,
    pub disclosed: Option<bool>,
}

/// The independent return-home interview. Its entry's time is when it was carried out (or
/// offered, or refused).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReturnHomeInterview {
    /// Who did it.
    pub by: String,
    pub accepted: Option<bool>,
    pub note: String,
    /// `None` on entries recorded before outcomes were kept: read as offered.
    pub outcome: Option<RhiOutcome>,
    pub organisation: String,
    /// The same worker as the child's last return-home interview (continuity).
    pub same_worker_as_last_time: Option<bool>,
    /// The interview's report came back to the home.
    pub report_received: Option<bool>,
}

/// Closing the episode, with what was learned for Part 1.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Closure {
    pub summary: String,
    /// Places from this episode that Part 1 should now list.
    pub new_places: Vec<String>,
    /// People from this episode that Part 1 should now list.
    pub new_people: Vec<String>,
    pub harm: String,
}

/// An acknowledgement from a police intake, as it travelled back.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Acknowledgement {
    pub intake: String,
    pub cursor: String,
    pub receipt_id: String,
    pub idempotency_key: String,
    /// "accepted" or "not_accepted".
    pub status: String,
    pub officer_name: String,
    pub collar_number: String,
    pub police_reference: String,
    pub risk_grading: Option<RiskGrading>,
    pub note: String,
    pub reason: String,
}

/// Who the pack was sent to: what the rules proposed and what the person chose.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecipientChoice {
    pub proposed: Vec<serde_json::Value>,
    pub chosen: Vec<serde_json::Value>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub outbox_message_id: String,
}

/// What an entry records. Stored as `as_str()` (the audit action is `episode_<kind>`); a kind
/// this build does not know is `store.damaged`, never skipped.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Step,
    Part2,
    Report,
    NotAccepted,
    Update,
    Found,
    PreventionInterview,
    ReturnHomeInterview,
    Acknowledgement,
    Recipients,
    Close,
    EpisodeType,
    StrategyMeeting,
}

impl EventKind {
    pub const ALL: [EventKind; 13] = [
        Self::Step,
        Self::Part2,
        Self::Report,
        Self::NotAccepted,
        Self::Update,
        Self::Found,
        Self::PreventionInterview,
        Self::ReturnHomeInterview,
        Self::Acknowledgement,
        Self::Recipients,
        Self::Close,
        Self::EpisodeType,
        Self::StrategyMeeting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Step => "step",
            Self::Part2 => "part2",
            Self::Report => "report",
            Self::NotAccepted => "not_accepted",
            Self::Update => "update",
            Self::Found => "found",
            Self::PreventionInterview => "prevention_interview",
            Self::ReturnHomeInterview => "return_home_interview",
            Self::Acknowledgement => "acknowledgement",
            Self::Recipients => "recipients",
            Self::Close => "close",
            Self::EpisodeType => "episode_type",
            Self::StrategyMeeting => "strategy_meeting",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Entries that often arrive after the episode is closed (the interviews, the strategy
    /// meeting, found details): recorded on a closed episode too.
    pub fn may_follow_close(self) -> bool {
        matches!(
            self,
            Self::Found
                | Self::PreventionInterview
                | Self::ReturnHomeInterview
                | Self::StrategyMeeting
        )
    }
}

/// A flag raised on a child. Stored as `as_str()`; unknown is `store.damaged`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// Review Part 1 with what the episode taught.
    ReviewAfterEpisode,
    /// Three or more episodes in 30 days.
    StrategyMeeting,
}

impl FlagKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReviewAfterEpisode => "review_after_episode",
            Self::StrategyMeeting => "strategy_meeting",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::ReviewAfterEpisode, Self::StrategyMeeting]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

// Both kinds travel as their stored words (`crate::db::stored_as_text`).
crate::db::stored_as_text!(EventKind);
crate::db::stored_as_text!(FlagKind);

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl std::fmt::Display for FlagKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// One recorded entry: kept for ever, even when a later entry corrects it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventInfo {
    pub id: i64,
    pub kind: EventKind,
    pub item_key: String,
    /// When it happened (as the person said).
    pub at: Timestamp,
    /// When it was written down, and by whom.
    pub recorded_at: String,
    pub recorded_by: String,
    pub recorded_by_name: String,
    pub body: serde_json::Value,
    pub supersedes: Option<i64>,
    pub reason: String,
    /// A later entry corrected this one.
    pub superseded_by: Option<i64>,
}

/// An entry as currently true, with when it happened.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timed<T> {
    pub event_id: i64,
    pub at: Timestamp,
    pub recorded_by_name: String,
    #[serde(flatten)]
    pub value: T,
}

/// The return-home interview deadline: 72 hours from the child's return to the placement (or
/// from being found, when no later return was recorded).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RhiDeadline {
    pub due_by: Timestamp,
    /// An interview was recorded (offered, carried out or refused).
    pub offered: bool,
    pub carried_out: bool,
    /// Carried out, not merely offered, within the 72 hours: the only way the deadline is met.
    pub met: bool,
    pub refused: bool,
    /// Past the deadline with no interview carried out and no refusal recorded.
    pub overdue: bool,
}

/// The whole episode as it stands, and its full history.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Episode {
    pub id: EpisodeId,
    pub child_id: ChildId,
    pub noticed_at: Timestamp,
    pub opened_at: String,
    pub opened_by_name: String,
    pub immediate_danger: bool,
    pub missing_from_unit: Option<String>,
    /// Immediate danger, or a child at or under the national age line (the episode screen's
    /// view applies the force's own line): call 999 now, before any checklist step.
    pub call_999_now: bool,
    /// The child's age on the day the absence was noticed.
    pub age_when_noticed: Option<i16>,
    /// Missing, or away from placement without authorisation: the newest recorded change.
    pub episode_type: EpisodeType,
    /// Each change of type, oldest first (the episode opened as missing).
    pub type_changes: Vec<Timed<EpisodeTypeChange>>,
    pub steps: Vec<Timed<StepEntry>>,
    pub part2: Option<Timed<Part2>>,
    pub reports: Vec<Timed<PoliceReport>>,
    pub not_accepted: Vec<Timed<NotAccepted>>,
    pub updates: Vec<Timed<EpisodeUpdate>>,
    pub found: Option<Timed<Found>>,
    pub prevention_interview: Option<Timed<PreventionInterview>>,
    pub return_home_interview: Option<Timed<ReturnHomeInterview>>,
    pub return_home_interview_deadline: Option<RhiDeadline>,
    pub acknowledgements: Vec<Timed<Acknowledgement>>,
    pub recipients: Vec<Timed<RecipientChoice>>,
    pub strategy_meetings: Vec<Timed<StrategyMeeting>>,
    pub closed: Option<Timed<Closure>>,
    pub history: Vec<EventInfo>,
    /// The same absence recorded again on another of the home's devices (both pressed Missing
    /// while they could not reach the hub): the child's other episodes covering part of the same
    /// time. Both records are kept whole; staff tell police it is one absence.
    pub also_recorded: Vec<AlsoRecorded>,
}

/// Another episode of the same child covering part of the same time.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlsoRecorded {
    pub episode_id: EpisodeId,
    pub noticed_at: Timestamp,
    pub opened_at: String,
    pub opened_by_name: String,
    pub closed: bool,
}

impl AlsoRecorded {
    /// What staff are told, in words, on every screen and print-out of the episode.
    pub fn words(&self) -> String {
        format!(
            "The same absence was also recorded on another device: episode {} opened by {}, noticed {} ({}). Both records are kept; tell the police it is one absence, so two first packs are not taken for two children or two absences.",
            self.episode_id.short(),
            self.opened_by_name,
            self.noticed_at,
            if self.closed { "closed" } else { "open" }
        )
    }
}

impl Episode {
    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }
}

/// A flag raised on a child by an episode.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChildFlag {
    pub id: i64,
    pub child_id: ChildId,
    pub kind: FlagKind,
    pub episode_id: Option<EpisodeId>,
    pub raised_at: String,
    pub detail: serde_json::Value,
}

/// A short line for lists.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EpisodeSummary {
    pub id: EpisodeId,
    pub child_id: ChildId,
    pub noticed_at: Timestamp,
    pub closed: bool,
}
