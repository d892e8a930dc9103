//! Missing episodes: from "absence noticed" to closure, every step timestamped and attributed.
//!
//! Why events and not a row that is updated: councils, inspectors and courts ask what the home
//! knew and did, and when. Each thing recorded (a checklist step, the Part 2 answers, the report
//! to police, "police would not accept the report", an update, found, the interviews, closure, an
//! acknowledgement from an intake) is one immutable row in `episode_events`, written in the same
//! transaction as its audit entry. Correcting an entry writes a new row that supersedes the old
//! one; the original stays (triggers refuse UPDATE and DELETE). The episode a person sees is the
//! newest version of each entry.

use std::collections::BTreeMap;

use grabpack_core::readiness::age_on;
use grabpack_core::{Part2, PastEpisode, RiskGrading};
use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::error::{Result, StoreError};
use crate::store::Store;

/// The independent return-home interview must be offered within this time of the child's return.
pub const RETURN_HOME_INTERVIEW_WITHIN: SignedDuration = SignedDuration::from_hours(72);
/// Three or more episodes within this window raise a strategy-meeting flag.
pub const STRATEGY_WINDOW: SignedDuration = SignedDuration::from_hours(30 * 24);
pub const STRATEGY_THRESHOLD: i64 = 3;

/// What opening an episode needs.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEpisode {
    pub child_id: String,
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
    pub risk_grading: Option<RiskGrading>,
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
}

/// The police prevention interview (safe-and-well check).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PreventionInterview {
    pub officer: String,
    pub note: String,
}

/// The independent return-home interview offer.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReturnHomeInterview {
    pub by: String,
    pub accepted: Option<bool>,
    pub note: String,
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

/// One recorded entry: kept for ever, even when a later entry corrects it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventInfo {
    pub id: i64,
    pub kind: String,
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

/// The return-home interview deadline, computed from when the child was found.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RhiDeadline {
    pub due_by: Timestamp,
    pub offered: bool,
    pub overdue: bool,
}

/// The whole episode as it stands, and its full history.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Episode {
    pub id: String,
    pub child_id: String,
    pub noticed_at: Timestamp,
    pub opened_at: String,
    pub opened_by_name: String,
    pub immediate_danger: bool,
    pub missing_from_unit: Option<String>,
    /// Immediate danger, or a child aged 12 or under: call 999 now, before any checklist step.
    pub call_999_now: bool,
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
    pub closed: Option<Timed<Closure>>,
    pub history: Vec<EventInfo>,
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
    pub child_id: String,
    /// `review_after_episode` or `strategy_meeting`.
    pub kind: String,
    pub episode_id: Option<String>,
    pub raised_at: String,
    pub detail: serde_json::Value,
}

/// A short line for lists.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EpisodeSummary {
    pub id: String,
    pub child_id: String,
    pub noticed_at: Timestamp,
    pub closed: bool,
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap_or(Timestamp::UNIX_EPOCH)
}

pub(crate) fn now_string() -> String {
    Timestamp::now().to_string()
}

fn episode_child(conn: &Connection, episode_id: &str) -> Result<String> {
    conn.query_row(
        "SELECT child_id FROM episodes WHERE id = ?1",
        [episode_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| StoreError::EpisodeNotFound(episode_id.to_string()))
}

fn is_closed(conn: &Connection, episode_id: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM episode_events WHERE episode_id = ?1 AND kind = 'close' LIMIT 1",
            [episode_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

impl Store {
    /// Open an episode. Nothing is gated: a child with an incomplete form can still be reported.
    pub fn open_episode(&mut self, new: &NewEpisode) -> Result<Episode> {
        let id = uuid::Uuid::new_v4().to_string();
        let at = now_string();
        let actor = self.actor().clone();
        let tx = self.conn_mut().transaction()?;
        let exists: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM children WHERE id = ?1",
                [&new.child_id],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_none() {
            return Err(StoreError::ChildNotFound(new.child_id.clone()));
        }
        tx.execute(
            "INSERT INTO episodes (id, child_id, noticed_at, noticed_ms, opened_at, opened_by, opened_by_name, immediate_danger, missing_from_unit)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id,
                new.child_id,
                new.noticed_at.to_string(),
                new.noticed_at.as_millisecond(),
                at,
                actor.id(),
                actor.display_name(),
                new.immediate_danger,
                new.missing_from_unit
            ],
        )?;
        audit::append(
            &tx,
            &at,
            &actor.id(),
            "episode_opened",
            Some(&new.child_id),
            &format!(
                "episode {id}; noticed {}; immediate danger: {}",
                new.noticed_at, new.immediate_danger
            ),
        )?;
        tx.commit()?;
        self.episode(&id)
    }

    /// Record one entry on an open episode (or, for `acknowledgement`, on any episode).
    fn record_event<T: Serialize>(
        &mut self,
        episode_id: &str,
        kind: &str,
        item_key: &str,
        at: Timestamp,
        body: &T,
    ) -> Result<i64> {
        let recorded_at = now_string();
        let actor = self.actor().clone();
        let tx = self.conn_mut().transaction()?;
        let event_id = insert_event(
            &tx,
            &actor,
            &recorded_at,
            EventRow {
                episode_id,
                kind,
                item_key,
                at,
            },
            body,
        )?;
        tx.commit()?;
        Ok(event_id)
    }

    /// Tick a checklist step with its time and outcome. Ticking the same step again corrects it.
    pub fn record_step(
        &mut self,
        episode_id: &str,
        at: Timestamp,
        step: &StepEntry,
    ) -> Result<i64> {
        let key = format!("step:{}", step.step_id);
        self.record_or_supersede(episode_id, "step", &key, at, step)
    }

    /// Save the Part 2 answers (a later save supersedes, the earlier one is kept).
    pub fn record_part2(&mut self, episode_id: &str, at: Timestamp, part2: &Part2) -> Result<i64> {
        self.record_or_supersede(episode_id, "part2", "part2", at, part2)
    }

    pub fn record_report(
        &mut self,
        episode_id: &str,
        at: Timestamp,
        report: &PoliceReport,
    ) -> Result<i64> {
        let key = format!("report:{}", uuid::Uuid::new_v4());
        self.record_event(episode_id, "report", &key, at, report)
    }

    /// Police would not accept the report. The caller tells the social worker at once
    /// (grabpack-send queues the notice).
    pub fn record_not_accepted(
        &mut self,
        episode_id: &str,
        at: Timestamp,
        what: &NotAccepted,
    ) -> Result<i64> {
        let key = format!("not_accepted:{}", uuid::Uuid::new_v4());
        self.record_event(episode_id, "not_accepted", &key, at, what)
    }

    pub fn record_update(
        &mut self,
        episode_id: &str,
        at: Timestamp,
        update: &EpisodeUpdate,
    ) -> Result<i64> {
        let key = format!("update:{}", uuid::Uuid::new_v4());
        self.record_event(episode_id, "update", &key, at, update)
    }

    pub fn record_found(&mut self, episode_id: &str, at: Timestamp, found: &Found) -> Result<i64> {
        self.record_or_supersede(episode_id, "found", "found", at, found)
    }

    pub fn record_prevention_interview(
        &mut self,
        episode_id: &str,
        at: Timestamp,
        pi: &PreventionInterview,
    ) -> Result<i64> {
        self.record_or_supersede(
            episode_id,
            "prevention_interview",
            "prevention_interview",
            at,
            pi,
        )
    }

    pub fn record_return_home_interview(
        &mut self,
        episode_id: &str,
        at: Timestamp,
        rhi: &ReturnHomeInterview,
    ) -> Result<i64> {
        self.record_or_supersede(
            episode_id,
            "return_home_interview",
            "return_home_interview",
            at,
            rhi,
        )
    }

    /// Record who the pack went to (proposed and chosen).
    pub fn record_recipients(
        &mut self,
        episode_id: &str,
        at: Timestamp,
        choice: &RecipientChoice,
    ) -> Result<i64> {
        let key = recipients_key(&choice.outbox_message_id);
        self.record_event(episode_id, "recipients", &key, at, choice)
    }

    /// Record an acknowledgement from an intake, once per cursor. Returns `None` when it was
    /// already recorded.
    pub fn record_acknowledgement(
        &mut self,
        episode_id: &str,
        at: Timestamp,
        ack: &Acknowledgement,
    ) -> Result<Option<i64>> {
        let key = format!("ack:{}:{}", ack.intake, ack.cursor);
        let seen: Option<i64> = self
            .conn()
            .query_row(
                "SELECT id FROM episode_events WHERE episode_id = ?1 AND item_key = ?2",
                params![episode_id, key],
                |r| r.get(0),
            )
            .optional()?;
        if seen.is_some() {
            return Ok(None);
        }
        self.record_event(episode_id, "acknowledgement", &key, at, ack)
            .map(Some)
    }

    /// Close the episode: the child's form is flagged for review (with the new places and people
    /// offered as additions), and a third episode within 30 days raises a strategy-meeting flag.
    pub fn close_episode(
        &mut self,
        episode_id: &str,
        at: Timestamp,
        closure: &Closure,
    ) -> Result<i64> {
        self.record_event(episode_id, "close", "close", at, closure)
    }

    /// Correct an earlier entry: a new entry that supersedes it; the original is kept.
    pub fn amend_event<T: Serialize>(
        &mut self,
        event_id: i64,
        at: Timestamp,
        body: &T,
        reason: &str,
    ) -> Result<i64> {
        let row: Option<(String, String, String)> = self
            .conn()
            .query_row(
                "SELECT episode_id, kind, item_key FROM episode_events WHERE id = ?1",
                [event_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (episode_id, kind, key) = row.ok_or(StoreError::EventNotFound(event_id))?;
        self.insert_superseding(&episode_id, &kind, &key, at, body, Some(event_id), reason)
    }

    fn record_or_supersede<T: Serialize>(
        &mut self,
        episode_id: &str,
        kind: &str,
        key: &str,
        at: Timestamp,
        body: &T,
    ) -> Result<i64> {
        let previous: Option<i64> = self
            .conn()
            .query_row(
                "SELECT max(id) FROM episode_events WHERE episode_id = ?1 AND item_key = ?2",
                params![episode_id, key],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        match previous {
            None => self.record_event(episode_id, kind, key, at, body),
            Some(prev) => {
                self.insert_superseding(episode_id, kind, key, at, body, Some(prev), "updated")
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn insert_superseding<T: Serialize>(
        &mut self,
        episode_id: &str,
        kind: &str,
        key: &str,
        at: Timestamp,
        body: &T,
        supersedes: Option<i64>,
        reason: &str,
    ) -> Result<i64> {
        let body =
            serde_json::to_string(body).map_err(|e| StoreError::Io(std::io::Error::other(e)))?;
        let recorded_at = now_string();
        let actor = self.actor().clone();
        let tx = self.conn_mut().transaction()?;
        let child = episode_child(&tx, episode_id)?;
        if kind != "close" && is_closed(&tx, episode_id)? && kind != "acknowledgement" {
            // Late corrections to a closed episode are allowed only for the record itself:
            // return-home interviews and found details often arrive after closure.
            if !matches!(
                kind,
                "found" | "prevention_interview" | "return_home_interview"
            ) {
                return Err(StoreError::EpisodeClosed);
            }
        }
        tx.execute(
            "INSERT INTO episode_events (episode_id, kind, item_key, at, recorded_at, recorded_by, recorded_by_name, body_json, supersedes, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![episode_id, kind, key, at.to_string(), recorded_at, actor.id(), actor.display_name(), body, supersedes, reason],
        )?;
        let event_id = tx.last_insert_rowid();
        audit::append(
            &tx,
            &recorded_at,
            &actor.id(),
            &format!("episode_{kind}_amended"),
            Some(&child),
            &format!(
                "episode {episode_id}; entry {event_id} supersedes {}; {key}; reason: {reason}",
                supersedes.unwrap_or_default()
            ),
        )?;
        tx.commit()?;
        Ok(event_id)
    }

    /// The episode as it stands now, with its whole history.
    pub fn episode(&self, episode_id: &str) -> Result<Episode> {
        let conn = self.conn();
        let header: Option<(String, String, String, String, bool, Option<String>)> = conn
            .query_row(
                "SELECT child_id, noticed_at, opened_at, opened_by_name, immediate_danger, missing_from_unit FROM episodes WHERE id = ?1",
                [episode_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()?;
        let (child_id, noticed_at, opened_at, opened_by_name, immediate_danger, missing_from_unit) =
            header.ok_or_else(|| StoreError::EpisodeNotFound(episode_id.to_string()))?;
        let noticed_at = ts(&noticed_at);
        let mut stmt = conn.prepare(
            "SELECT e.id, e.kind, e.item_key, e.at, e.recorded_at, e.recorded_by, e.recorded_by_name, e.body_json, e.supersedes, e.reason,
                    (SELECT min(l.id) FROM episode_events l WHERE l.supersedes = e.id)
             FROM episode_events e WHERE e.episode_id = ?1 ORDER BY e.id",
        )?;
        let history: Vec<EventInfo> = stmt
            .query_map([episode_id], |r| {
                let body: String = r.get(7)?;
                Ok(EventInfo {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    item_key: r.get(2)?,
                    at: ts(&r.get::<_, String>(3)?),
                    recorded_at: r.get(4)?,
                    recorded_by: r.get(5)?,
                    recorded_by_name: r.get(6)?,
                    body: serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
                    supersedes: r.get(8)?,
                    reason: r.get(9)?,
                    superseded_by: r.get(10)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;

        // The newest version of each entry, in the order the entries were first made.
        let mut current: BTreeMap<String, &EventInfo> = BTreeMap::new();
        let mut first_seen: Vec<String> = Vec::new();
        for e in &history {
            if !current.contains_key(&e.item_key) {
                first_seen.push(e.item_key.clone());
            }
            current.insert(e.item_key.clone(), e);
        }
        fn timed<T: for<'de> Deserialize<'de>>(e: &EventInfo) -> Option<Timed<T>> {
            serde_json::from_value(e.body.clone())
                .ok()
                .map(|value| Timed {
                    event_id: e.id,
                    at: e.at,
                    recorded_by_name: e.recorded_by_name.clone(),
                    value,
                })
        }
        let mut ep = Episode {
            id: episode_id.to_string(),
            child_id: child_id.clone(),
            noticed_at,
            opened_at,
            opened_by_name,
            immediate_danger,
            missing_from_unit,
            call_999_now: immediate_danger,
            steps: vec![],
            part2: None,
            reports: vec![],
            not_accepted: vec![],
            updates: vec![],
            found: None,
            prevention_interview: None,
            return_home_interview: None,
            return_home_interview_deadline: None,
            acknowledgements: vec![],
            recipients: vec![],
            closed: None,
            history: vec![],
        };
        for key in &first_seen {
            let Some(e) = current.get(key) else { continue };
            match e.kind.as_str() {
                "step" => ep.steps.extend(timed(e)),
                "part2" => ep.part2 = timed(e),
                "report" => ep.reports.extend(timed(e)),
                "not_accepted" => ep.not_accepted.extend(timed(e)),
                "update" => ep.updates.extend(timed(e)),
                "found" => ep.found = timed(e),
                "prevention_interview" => ep.prevention_interview = timed(e),
                "return_home_interview" => ep.return_home_interview = timed(e),
                "acknowledgement" => ep.acknowledgements.extend(timed(e)),
                "recipients" => ep.recipients.extend(timed(e)),
                "close" => ep.closed = timed(e),
                _ => {}
            }
        }
        ep.steps.sort_by_key(|s| s.at);
        ep.updates.sort_by_key(|s| s.at);
        if let Some(found) = &ep.found {
            let due_by = found
                .at
                .checked_add(RETURN_HOME_INTERVIEW_WITHIN)
                .unwrap_or(found.at);
            let offered = ep.return_home_interview.is_some();
            ep.return_home_interview_deadline = Some(RhiDeadline {
                due_by,
                offered,
                overdue: !offered && Timestamp::now() > due_by,
            });
        }
        // A child aged 12 or under always goes straight to 999.
        let dob = child_date_of_birth(conn, &child_id)?;
        let day = noticed_at.to_zoned(jiff::tz::TimeZone::UTC).date();
        let age = dob.and_then(|dob| age_on(dob, day));
        ep.call_999_now = grabpack_core::readiness::must_call_999(age, ep.immediate_danger);
        ep.history = history;
        Ok(ep)
    }

    /// The child's episodes, newest first.
    pub fn episodes_for_child(&self, child_id: &str) -> Result<Vec<EpisodeSummary>> {
        self.list_episodes(Some(child_id), false)
    }

    /// Every episode (or only the open ones), newest first.
    pub fn list_episodes(
        &self,
        child_id: Option<&str>,
        open_only: bool,
    ) -> Result<Vec<EpisodeSummary>> {
        let mut stmt = self.conn().prepare(
            "SELECT e.id, e.child_id, e.noticed_at,
                    EXISTS (SELECT 1 FROM episode_events v WHERE v.episode_id = e.id AND v.kind = 'close')
             FROM episodes e WHERE (?1 IS NULL OR e.child_id = ?1) ORDER BY e.noticed_ms DESC",
        )?;
        let rows = stmt.query_map(params![child_id], |r| {
            Ok(EpisodeSummary {
                id: r.get(0)?,
                child_id: r.get(1)?,
                noticed_at: ts(&r.get::<_, String>(2)?),
                closed: r.get(3)?,
            })
        })?;
        let all: Vec<EpisodeSummary> = rows.collect::<std::result::Result<_, _>>()?;
        Ok(all
            .into_iter()
            .filter(|e| !open_only || !e.closed)
            .collect())
    }

    /// Find an episode by id or unique id prefix.
    pub fn find_episode(&self, query: &str) -> Result<String> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id FROM episodes WHERE id LIKE ?1 || '%' LIMIT 2")?;
        let ids: Vec<String> = stmt
            .query_map([query], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        match ids.as_slice() {
            [one] if !query.is_empty() => Ok(one.clone()),
            _ => Err(StoreError::EpisodeNotFound(query.to_string())),
        }
    }

    /// Flags raised on a child and not yet cleared.
    pub fn child_flags(&self, child_id: &str) -> Result<Vec<ChildFlag>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, child_id, kind, episode_id, raised_at, detail_json FROM child_flags
             WHERE child_id = ?1 AND cleared_at IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([child_id], |r| {
            let detail: String = r.get(5)?;
            Ok(ChildFlag {
                id: r.get(0)?,
                child_id: r.get(1)?,
                kind: r.get(2)?,
                episode_id: r.get(3)?,
                raised_at: r.get(4)?,
                detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Closed episodes as Part 1's missing history, for the pack.
    pub fn past_episodes(&self, child_id: &str) -> Result<Vec<PastEpisode>> {
        let mut out = Vec::new();
        for summary in self.episodes_for_child(child_id)? {
            let ep = self.episode(&summary.id)?;
            let Some(closed) = &ep.closed else { continue };
            let end = ep.found.as_ref().map(|f| f.at).unwrap_or(closed.at);
            let hours = end.duration_since(ep.noticed_at).as_hours().max(0);
            out.push(PastEpisode {
                started: Some(ep.noticed_at.to_zoned(jiff::tz::TimeZone::UTC).date()),
                duration_hours: u32::try_from(hours).ok(),
                where_found: ep
                    .found
                    .as_ref()
                    .map(|f| f.value.found_where.clone())
                    .unwrap_or_default(),
                who_with: ep
                    .found
                    .as_ref()
                    .map(|f| f.value.found_with.clone())
                    .unwrap_or_default(),
                harm: closed.value.harm.clone(),
                ..Default::default()
            });
        }
        Ok(out)
    }
}

fn child_date_of_birth(conn: &Connection, child_id: &str) -> Result<Option<jiff::civil::Date>> {
    let json: Option<String> = conn
        .query_row(
            "SELECT form_json FROM revisions WHERE child_id = ?1 ORDER BY seq DESC LIMIT 1",
            [child_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(json
        .and_then(|j| serde_json::from_str::<grabpack_core::ChildForm>(&j).ok())
        .and_then(|f| f.identity.date_of_birth))
}

fn raise_flags_after_close(
    tx: &Connection,
    child: &str,
    episode_id: &str,
    at: &str,
    closure_json: &str,
) -> Result<()> {
    let closure: Closure = serde_json::from_str(closure_json).unwrap_or_default();
    // Places and people met in this episode, offered as additions to Part 1.
    let mut places = closure.new_places.clone();
    let mut people = closure.new_people.clone();
    let mut stmt = tx.prepare(
        "SELECT kind, body_json FROM episode_events WHERE episode_id = ?1 AND kind IN ('found', 'part2') ORDER BY id",
    )?;
    let rows: Vec<(String, String)> = stmt
        .query_map([episode_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<_, _>>()?;
    for (kind, body) in rows {
        if kind == "found" {
            if let Ok(f) = serde_json::from_str::<Found>(&body) {
                places.push(f.found_where);
                people.push(f.found_with);
            }
        } else if let Ok(p) = serde_json::from_str::<Part2>(&body) {
            people.push(p.who_with);
            places.push(p.intended_destination);
        }
    }
    let clean = |v: Vec<String>| {
        let mut v: Vec<String> = v
            .into_iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let detail = serde_json::json!({
        "reason": "A missing episode closed: review Part 1 with what was learned.",
        "suggested_places": clean(places),
        "suggested_people": clean(people),
    });
    tx.execute(
        "INSERT INTO child_flags (child_id, kind, episode_id, raised_at, detail_json) VALUES (?1, 'review_after_episode', ?2, ?3, ?4)",
        params![child, episode_id, at, detail.to_string()],
    )?;
    audit::append(
        tx,
        at,
        "system",
        "flag_raised",
        Some(child),
        &format!("review_after_episode; episode {episode_id}"),
    )?;

    let noticed_ms: i64 = tx.query_row(
        "SELECT noticed_ms FROM episodes WHERE id = ?1",
        [episode_id],
        |r| r.get(0),
    )?;
    let window_ms = STRATEGY_WINDOW.as_millis() as i64;
    let count: i64 = tx.query_row(
        "SELECT count(*) FROM episodes WHERE child_id = ?1 AND noticed_ms > ?2 AND noticed_ms <= ?3",
        params![child, noticed_ms - window_ms, noticed_ms],
        |r| r.get(0),
    )?;
    if count >= STRATEGY_THRESHOLD {
        let already: Option<i64> = tx
            .query_row(
                "SELECT id FROM child_flags WHERE child_id = ?1 AND kind = 'strategy_meeting' AND cleared_at IS NULL",
                [child],
                |r| r.get(0),
            )
            .optional()?;
        if already.is_none() {
            let detail = serde_json::json!({
                "reason": format!("{count} missing episodes in 30 days: a strategy meeting is usually called."),
                "episodes_in_30_days": count,
            });
            tx.execute(
                "INSERT INTO child_flags (child_id, kind, episode_id, raised_at, detail_json) VALUES (?1, 'strategy_meeting', ?2, ?3, ?4)",
                params![child, episode_id, at, detail.to_string()],
            )?;
            audit::append(
                tx,
                at,
                "system",
                "flag_raised",
                Some(child),
                &format!("strategy_meeting; {count} episodes in 30 days"),
            )?;
        }
    }
    Ok(())
}

/// Where one episode entry goes: which episode, what kind, its idempotency key, when it happened.
pub(crate) struct EventRow<'a> {
    pub episode_id: &'a str,
    pub kind: &'a str,
    pub item_key: &'a str,
    pub at: Timestamp,
}

/// Write one episode entry and its audit row inside the caller's transaction (so the outbox can
/// commit a message and "who it went to" together).
pub(crate) fn insert_event<T: Serialize>(
    tx: &Connection,
    actor: &crate::store::Actor,
    recorded_at: &str,
    row: EventRow<'_>,
    body: &T,
) -> Result<i64> {
    let EventRow {
        episode_id,
        kind,
        item_key,
        at,
    } = row;
    let body = serde_json::to_string(body).map_err(|e| StoreError::Io(std::io::Error::other(e)))?;
    let child = episode_child(tx, episode_id)?;
    if kind != "acknowledgement" && kind != "recipients" && is_closed(tx, episode_id)? {
        return Err(StoreError::EpisodeClosed);
    }
    tx.execute(
        "INSERT INTO episode_events (episode_id, kind, item_key, at, recorded_at, recorded_by, recorded_by_name, body_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![episode_id, kind, item_key, at.to_string(), recorded_at, actor.id(), actor.display_name(), body],
    )?;
    let event_id = tx.last_insert_rowid();
    audit::append(
        tx,
        recorded_at,
        &actor.id(),
        &format!("episode_{kind}"),
        Some(&child),
        &format!("episode {episode_id}; entry {event_id}; {item_key}; at {at}"),
    )?;
    if kind == "close" {
        raise_flags_after_close(tx, &child, episode_id, recorded_at, body.as_str())?;
    }
    Ok(event_id)
}

/// The idempotency key of "who this message went to" on its episode.
pub(crate) fn recipients_key(outbox_message_id: &str) -> String {
    format!("recipients:{outbox_message_id}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::{Sensitive, Setup};
    use grabpack_core::ChildForm;

    fn home() -> (tempfile::TempDir, Store, String) {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = Store::create(
            dir.path(),
            Setup {
                home_name: "Maple House (fictional)".into(),
                manager_name: "Amira Test (fictional)".into(),
                manager_pin: None,
                passphrase: Some(Sensitive::from("correct horse battery staple")),
            },
            None,
        )
        .unwrap();
        let mut form = ChildForm::default();
        form.identity.legal_name = "Jordan Testchild (fictional)".into();
        form.identity.date_of_birth = Some(jiff::civil::date(2011, 3, 14));
        let child = store.create_child(&form, "").unwrap();
        (dir, store, child)
    }

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn open(store: &mut Store, child: &str, noticed: &str) -> String {
        store
            .open_episode(&NewEpisode {
                child_id: child.into(),
                noticed_at: t(noticed),
                immediate_danger: false,
                missing_from_unit: None,
            })
            .unwrap()
            .id
    }

    #[test]
    fn a_closed_episode_asks_for_a_review_unless_the_form_was_reviewed_after_it() {
        use grabpack_core::ReadinessReason;
        let (_dir, mut store, child) = home();
        let tomorrow = Timestamp::now() + SignedDuration::from_hours(24);
        let day_after = tomorrow.to_zoned(jiff::tz::TimeZone::UTC).date();
        let ep = store
            .open_episode(&NewEpisode {
                child_id: child.clone(),
                noticed_at: Timestamp::now(),
                immediate_danger: false,
                missing_from_unit: None,
            })
            .unwrap();
        store
            .close_episode(&ep.id, tomorrow, &Closure::default())
            .unwrap();
        let asks = |store: &Store| {
            store
                .readiness(&child, day_after)
                .unwrap()
                .reasons
                .contains(&ReadinessReason::ReviewDueAfterEpisode)
        };
        assert!(asks(&store), "closed after the last review: review due");
        let row = store.dashboard(day_after).unwrap().remove(0);
        assert!(
            row.readiness
                .reasons
                .contains(&ReadinessReason::ReviewDueAfterEpisode)
        );

        // An episode closed before the last review asks for nothing.
        let (_dir2, mut store2, child2) = home();
        let ep = store2
            .open_episode(&NewEpisode {
                child_id: child2.clone(),
                noticed_at: t("2026-01-01T10:00:00Z"),
                immediate_danger: false,
                missing_from_unit: None,
            })
            .unwrap();
        store2
            .close_episode(&ep.id, t("2026-01-02T10:00:00Z"), &Closure::default())
            .unwrap();
        store2
            .review(&child2, "reviewed after the episode")
            .unwrap();
        let today = Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
        assert!(
            !store2
                .readiness(&child2, today)
                .unwrap()
                .reasons
                .contains(&ReadinessReason::ReviewDueAfterEpisode)
        );
    }

    #[test]
    fn every_step_is_timestamped_and_attributed() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        let step = StepEntry {
            step_id: "search_home".into(),
            label: "Search the home".into(),
            outcome: "not in the home or garden".into(),
        };
        store
            .record_step(&ep, t("2026-11-01T21:05:00Z"), &step)
            .unwrap();
        let e = store.episode(&ep).unwrap();
        assert_eq!(e.steps.len(), 1);
        assert_eq!(e.steps[0].at, t("2026-11-01T21:05:00Z"));
        assert_eq!(e.steps[0].recorded_by_name, store.actor().display_name());
        assert_eq!(e.steps[0].value.outcome, "not in the home or garden");
    }

    #[test]
    fn correcting_a_step_keeps_the_original() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        let mut step = StepEntry {
            step_id: "call_child".into(),
            label: "Call and text".into(),
            outcome: "no answer".into(),
        };
        let first = store
            .record_step(&ep, t("2026-11-01T21:10:00Z"), &step)
            .unwrap();
        step.outcome = "no answer; phone off".into();
        let second = store
            .amend_event(first, t("2026-11-01T21:10:00Z"), &step, "added detail")
            .unwrap();
        let e = store.episode(&ep).unwrap();
        assert_eq!(e.steps.len(), 1);
        assert_eq!(e.steps[0].value.outcome, "no answer; phone off");
        assert_eq!(e.history.len(), 2, "the original is kept");
        assert_eq!(e.history[0].superseded_by, Some(second));
        assert_eq!(e.history[1].supersedes, Some(first));
        let refused = store.connection_for_tests().execute(
            "UPDATE episode_events SET body_json = '{}' WHERE id = ?1",
            [first],
        );
        assert!(refused.is_err(), "history cannot be rewritten");
    }

    #[test]
    fn a_child_aged_twelve_or_under_goes_straight_to_999() {
        let (_d, mut store, child) = home();
        // Born 2011-03-14: 12 until 2024-03-14.
        let young = open(&mut store, &child, "2024-01-10T21:00:00Z");
        assert!(store.episode(&young).unwrap().call_999_now);
        let older = open(&mut store, &child, "2026-11-01T21:00:00Z");
        assert!(!store.episode(&older).unwrap().call_999_now);
    }

    #[test]
    fn the_return_home_interview_is_due_72_hours_after_the_child_is_found() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        store
            .record_found(
                &ep,
                t("2026-11-02T09:30:00Z"),
                &Found {
                    found_where: "Brixton station (fictional)".into(),
                    found_by: "PC Test (fictional)".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        let e = store.episode(&ep).unwrap();
        let deadline = e.return_home_interview_deadline.unwrap();
        assert_eq!(deadline.due_by, t("2026-11-05T09:30:00Z"));
        assert!(!deadline.offered);
        store
            .record_return_home_interview(
                &ep,
                t("2026-11-03T10:00:00Z"),
                &ReturnHomeInterview {
                    by: "Independent advocate (fictional)".into(),
                    accepted: Some(true),
                    note: String::new(),
                },
            )
            .unwrap();
        assert!(
            store
                .episode(&ep)
                .unwrap()
                .return_home_interview_deadline
                .unwrap()
                .offered
        );
    }

    #[test]
    fn police_not_accepting_the_report_is_recorded() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        store
            .record_not_accepted(
                &ep,
                t("2026-11-01T21:40:00Z"),
                &NotAccepted {
                    reason: "probably at an address in the grab pack".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        let e = store.episode(&ep).unwrap();
        assert_eq!(
            e.not_accepted[0].value.reason,
            "probably at an address in the grab pack"
        );
        assert_eq!(
            store
                .audit_list(Some(&child), Some("episode_not_accepted"), 5)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn closing_flags_the_form_for_review_with_new_places_and_people() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        store
            .record_found(
                &ep,
                t("2026-11-02T09:30:00Z"),
                &Found {
                    found_where: "A flat on Test Road (fictional)".into(),
                    found_with: "Alex Adult (fictional)".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        store
            .close_episode(&ep, t("2026-11-02T12:00:00Z"), &Closure::default())
            .unwrap();
        let flags = store.child_flags(&child).unwrap();
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].kind, "review_after_episode");
        assert_eq!(
            flags[0].detail["suggested_places"][0],
            "A flat on Test Road (fictional)"
        );
        assert_eq!(
            flags[0].detail["suggested_people"][0],
            "Alex Adult (fictional)"
        );
        let err = store
            .record_update(
                &ep,
                Timestamp::now(),
                &EpisodeUpdate {
                    kind: UpdateKind::Information,
                    text: "late".into(),
                    from: String::new(),
                },
            )
            .unwrap_err();
        assert_eq!(err.code(), "store.episode_closed");
        assert_eq!(
            store.past_episodes(&child).unwrap()[0].duration_hours,
            Some(12)
        );
    }

    #[test]
    fn a_third_episode_in_thirty_days_raises_a_strategy_meeting_flag() {
        let (_d, mut store, child) = home();
        for (i, day) in ["2026-11-01", "2026-11-10", "2026-11-25"]
            .iter()
            .enumerate()
        {
            let ep = open(&mut store, &child, &format!("{day}T21:00:00Z"));
            store
                .close_episode(&ep, t(&format!("{day}T23:00:00Z")), &Closure::default())
                .unwrap();
            let strategy = store
                .child_flags(&child)
                .unwrap()
                .into_iter()
                .filter(|f| f.kind == "strategy_meeting")
                .count();
            assert_eq!(strategy, usize::from(i == 2), "after episode {}", i + 1);
        }
    }

    #[test]
    fn three_episodes_spread_over_more_than_thirty_days_raise_no_strategy_flag() {
        let (_d, mut store, child) = home();
        for day in ["2026-09-01", "2026-10-05", "2026-11-10"] {
            let ep = open(&mut store, &child, &format!("{day}T21:00:00Z"));
            store
                .close_episode(&ep, t(&format!("{day}T23:00:00Z")), &Closure::default())
                .unwrap();
        }
        assert!(
            store
                .child_flags(&child)
                .unwrap()
                .iter()
                .all(|f| f.kind != "strategy_meeting")
        );
    }
}
