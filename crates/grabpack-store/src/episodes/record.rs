//! Every write to an episode: opening it, each entry, corrections that supersede, closing, and
//! the flags a close raises. Each write is one transaction with its audit entry.

use crate::ids::{ChildId, EpisodeId};
use grabpack_core::Part2;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{
    Acknowledgement, Closure, Episode, EpisodeTypeChange, EpisodeUpdate, EventKind, FlagKind,
    Found, NewEpisode, NotAccepted, PoliceReport, PreventionInterview, RecipientChoice,
    ReturnHomeInterview, StepEntry, StrategyMeeting, episode_child, is_closed, now_string,
};
use crate::audit;
use crate::audit_action::AuditAction;
use crate::error::{Result, StoreError};
use crate::store::{Store, damaged, to_json};

impl Store {
    /// Open an episode. Nothing is gated: a child with an incomplete form can still be reported.
    ///
    /// One open episode per child: while one is open, opening another is refused with
    /// `store.episode_already_open`, naming the open one so a shell can carry on with it (a
    /// second tap on "missing" must not start a second record of the same absence). The
    /// database holds the rule too (`open_episodes`, migration 4).
    pub fn open_episode(&mut self, new: &NewEpisode) -> Result<Episode> {
        let id = EpisodeId::new_random();
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
            return Err(StoreError::ChildNotFound(new.child_id.to_string()));
        }
        if let Some(episode_id) = newest_open_episode(&tx, &new.child_id)? {
            return Err(StoreError::EpisodeAlreadyOpen { episode_id });
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
        tx.execute(
            "INSERT INTO open_episodes (child_id, episode_id) VALUES (?1, ?2)",
            params![new.child_id, id],
        )?;
        audit::append(
            &tx,
            &at,
            &actor.id(),
            AuditAction::EpisodeOpened.as_str(),
            Some(new.child_id.as_str()),
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
        episode_id: &EpisodeId,
        kind: EventKind,
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
        episode_id: &EpisodeId,
        at: Timestamp,
        step: &StepEntry,
    ) -> Result<i64> {
        let key = format!("step:{}", step.step_id);
        self.record_or_supersede(episode_id, EventKind::Step, &key, at, step)
    }

    /// Save the Part 2 answers (a later save supersedes, the earlier one is kept).
    pub fn record_part2(
        &mut self,
        episode_id: &EpisodeId,
        at: Timestamp,
        part2: &Part2,
    ) -> Result<i64> {
        self.record_or_supersede(episode_id, EventKind::Part2, "part2", at, part2)
    }

    pub fn record_report(
        &mut self,
        episode_id: &EpisodeId,
        at: Timestamp,
        report: &PoliceReport,
    ) -> Result<i64> {
        let key = format!("report:{}", uuid::Uuid::new_v4());
        self.record_event(episode_id, EventKind::Report, &key, at, report)
    }

    /// Police would not accept the report. The caller tells the social worker at once
    /// (grabpack-send queues the notice).
    pub fn record_not_accepted(
        &mut self,
        episode_id: &EpisodeId,
        at: Timestamp,
        what: &NotAccepted,
    ) -> Result<i64> {
        let key = format!("not_accepted:{}", uuid::Uuid::new_v4());
        self.record_event(episode_id, EventKind::NotAccepted, &key, at, what)
    }

    pub fn record_update(
        &mut self,
        episode_id: &EpisodeId,
        at: Timestamp,
        update: &EpisodeUpdate,
    ) -> Result<i64> {
        let key = format!("update:{}", uuid::Uuid::new_v4());
        self.record_event(episode_id, EventKind::Update, &key, at, update)
    }

    pub fn record_found(
        &mut self,
        episode_id: &EpisodeId,
        at: Timestamp,
        found: &Found,
    ) -> Result<i64> {
        self.record_or_supersede(episode_id, EventKind::Found, "found", at, found)
    }

    pub fn record_prevention_interview(
        &mut self,
        episode_id: &EpisodeId,
        at: Timestamp,
        pi: &PreventionInterview,
    ) -> Result<i64> {
        self.record_or_supersede(
            episode_id,
            EventKind::PreventionInterview,
            "prevention_interview",
            at,
            pi,
        )
    }

    pub fn record_return_home_interview(
        &mut self,
        episode_id: &EpisodeId,
        at: Timestamp,
        rhi: &ReturnHomeInterview,
    ) -> Result<i64> {
        self.record_or_supersede(
            episode_id,
            EventKind::ReturnHomeInterview,
            "return_home_interview",
            at,
            rhi,
        )
    }

    /// The episode changes type (missing, or away from placement without authorisation): a new
    /// entry each time, so every change stays on the record with its time, who and why.
    pub fn record_episode_type(
        &mut self,
        episode_id: &EpisodeId,
        at: Timestamp,
        change: &EpisodeTypeChange,
    ) -> Result<i64> {
        let key = format!("episode_type:{}", uuid::Uuid::new_v4());
        self.record_event(episode_id, EventKind::EpisodeType, &key, at, change)
    }

    /// A strategy meeting held (`at`: when), recorded on the episode that raised it; it may be
    /// held after the episode closed.
    pub fn record_strategy_meeting(
        &mut self,
        episode_id: &EpisodeId,
        at: Timestamp,
        meeting: &StrategyMeeting,
    ) -> Result<i64> {
        let key = format!("strategy_meeting:{}", uuid::Uuid::new_v4());
        self.record_event(episode_id, EventKind::StrategyMeeting, &key, at, meeting)
    }

    /// Record who the pack went to (proposed and chosen).
    pub fn record_recipients(
        &mut self,
        episode_id: &EpisodeId,
        at: Timestamp,
        choice: &RecipientChoice,
    ) -> Result<i64> {
        let key = recipients_key(&choice.outbox_message_id);
        self.record_event(episode_id, EventKind::Recipients, &key, at, choice)
    }

    /// Record an acknowledgement from an intake, once per cursor. Returns `None` when it was
    /// already recorded.
    pub fn record_acknowledgement(
        &mut self,
        episode_id: &EpisodeId,
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
        self.record_event(episode_id, EventKind::Acknowledgement, &key, at, ack)
            .map(Some)
    }

    /// Close the episode: the child's form is flagged for review (with the new places and people
    /// offered as additions), and reaching the home's strategy-meeting threshold (a local rule,
    /// `HomeSettings::strategy_meeting`, 3 episodes in 30 days unless changed) raises a flag.
    pub fn close_episode(
        &mut self,
        episode_id: &EpisodeId,
        at: Timestamp,
        closure: &Closure,
    ) -> Result<i64> {
        self.record_event(episode_id, EventKind::Close, "close", at, closure)
    }

    /// Correct an earlier entry: a new entry that supersedes it; the original is kept.
    pub fn amend_event<T: Serialize>(
        &mut self,
        event_id: i64,
        at: Timestamp,
        body: &T,
        reason: &str,
    ) -> Result<i64> {
        let row: Option<(EpisodeId, EventKind, String)> = self
            .conn()
            .query_row(
                "SELECT episode_id, kind, item_key FROM episode_events WHERE id = ?1",
                [event_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (episode_id, kind, key) = row.ok_or(StoreError::EventNotFound(event_id))?;
        self.insert_superseding(&episode_id, kind, &key, at, body, Some(event_id), reason)
    }

    fn record_or_supersede<T: Serialize>(
        &mut self,
        episode_id: &EpisodeId,
        kind: EventKind,
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
        episode_id: &EpisodeId,
        kind: EventKind,
        key: &str,
        at: Timestamp,
        body: &T,
        supersedes: Option<i64>,
        reason: &str,
    ) -> Result<i64> {
        let body = to_json(body)?;
        let recorded_at = now_string();
        let actor = self.actor().clone();
        let tx = self.conn_mut().transaction()?;
        let child = episode_child(&tx, episode_id)?;
        // Late corrections to a closed episode are allowed only for the record itself:
        // return-home interviews and found details often arrive after closure.
        if kind != EventKind::Close
            && kind != EventKind::Acknowledgement
            && !kind.may_follow_close()
            && is_closed(&tx, episode_id)?
        {
            return Err(StoreError::EpisodeClosed);
        }
        tx.execute(
            "INSERT INTO episode_events (episode_id, kind, item_key, at, recorded_at, recorded_by, recorded_by_name, body_json, supersedes, reason, global_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![episode_id, kind, key, at.to_string(), recorded_at, actor.id(), actor.display_name(), body, supersedes, reason, crate::sync::new_global_id()],
        )?;
        let event_id = tx.last_insert_rowid();
        audit::append(
            &tx,
            &recorded_at,
            &actor.id(),
            &format!("episode_{}_amended", kind.as_str()),
            Some(child.as_str()),
            &format!(
                "episode {episode_id}; entry {event_id} supersedes {}; {key}; reason: {reason}",
                supersedes.unwrap_or_default()
            ),
        )?;
        tx.commit()?;
        Ok(event_id)
    }
}

pub(crate) fn raise_flags_after_close(
    tx: &Connection,
    child: &ChildId,
    episode_id: &EpisodeId,
    at: &str,
    closure_json: &str,
) -> Result<()> {
    let closure: Closure = serde_json::from_str(closure_json)
        .map_err(|e| damaged(format!("the closure of episode {episode_id}: {e}")))?;
    // Places and people met in this episode, offered as additions to Part 1.
    let mut places = closure.new_places.clone();
    let mut people = closure.new_people.clone();
    let mut stmt = tx.prepare(
        "SELECT id, kind, body_json FROM episode_events WHERE episode_id = ?1 AND kind IN ('found', 'part2') ORDER BY id",
    )?;
    let rows: Vec<(i64, EventKind, String)> = stmt
        .query_map([episode_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<std::result::Result<_, _>>()?;
    for (id, kind, body) in rows {
        let unreadable = |e: serde_json::Error| damaged(format!("episode entry {id}: {e}"));
        if kind == EventKind::Found {
            let f: Found = serde_json::from_str(&body).map_err(unreadable)?;
            places.push(f.found_where);
            people.push(f.found_with);
        } else {
            let p: Part2 = serde_json::from_str(&body).map_err(unreadable)?;
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
        "INSERT INTO child_flags (child_id, kind, episode_id, raised_at, detail_json) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![child, FlagKind::ReviewAfterEpisode, episode_id, at, detail.to_string()],
    )?;
    audit::append(
        tx,
        at,
        "system",
        AuditAction::FlagRaised.as_str(),
        Some(child.as_str()),
        &format!("review_after_episode; episode {episode_id}"),
    )?;

    let noticed_ms: i64 = tx.query_row(
        "SELECT noticed_ms FROM episodes WHERE id = ?1",
        [episode_id],
        |r| r.get(0),
    )?;
    let rule = crate::settings::settings_in(tx)?.strategy_meeting;
    let window_ms = rule.window().as_millis() as i64;
    let count: i64 = tx.query_row(
        "SELECT count(*) FROM episodes WHERE child_id = ?1 AND noticed_ms > ?2 AND noticed_ms <= ?3",
        params![child, noticed_ms - window_ms, noticed_ms],
        |r| r.get(0),
    )?;
    if count >= i64::from(rule.episodes) {
        let already: Option<i64> = tx
            .query_row(
                "SELECT id FROM child_flags WHERE child_id = ?1 AND kind = 'strategy_meeting' AND cleared_at IS NULL",
                [child],
                |r| r.get(0),
            )
            .optional()?;
        if already.is_none() {
            let detail = serde_json::json!({
                "reason": format!(
                    "{count} missing episodes in {} days: the home's rule calls a strategy meeting at {}.",
                    rule.within_days, rule.episodes
                ),
                "episodes_in_window": count,
                "episodes": rule.episodes,
                "within_days": rule.within_days,
            });
            tx.execute(
                "INSERT INTO child_flags (child_id, kind, episode_id, raised_at, detail_json) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![child, FlagKind::StrategyMeeting, episode_id, at, detail.to_string()],
            )?;
            audit::append(
                tx,
                at,
                "system",
                AuditAction::FlagRaised.as_str(),
                Some(child.as_str()),
                &format!(
                    "strategy_meeting; {count} episodes in {} days (threshold {})",
                    rule.within_days, rule.episodes
                ),
            )?;
        }
    }
    Ok(())
}

/// The child's newest episode with no close, if any. A child can have more than one: a store
/// migrated with two, or one absence recorded on two devices while they could not reach the hub
/// (`sync`: the two are shown linked). The newest is the one a person is shown; ties go by id,
/// so every device of the home shows the same one.
pub(crate) fn newest_open_episode(
    conn: &Connection,
    child_id: &ChildId,
) -> Result<Option<EpisodeId>> {
    Ok(conn
        .query_row(
            "SELECT e.id FROM episodes e
             WHERE e.child_id = ?1
               AND NOT EXISTS (SELECT 1 FROM episode_events v WHERE v.episode_id = e.id AND v.kind = 'close')
             ORDER BY e.noticed_ms DESC, e.id DESC LIMIT 1",
            [child_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// A closed episode gives up the child's row in `open_episodes`; an older episode still open
/// (only in a store migrated with duplicates) takes it over, so the row is there exactly while
/// the child has an open episode.
pub(crate) fn release_open_episode(
    tx: &Connection,
    child: &ChildId,
    episode_id: &EpisodeId,
) -> Result<()> {
    tx.execute(
        "DELETE FROM open_episodes WHERE episode_id = ?1",
        [episode_id],
    )?;
    if let Some(still_open) = newest_open_episode(tx, child)? {
        tx.execute(
            "INSERT OR IGNORE INTO open_episodes (child_id, episode_id) VALUES (?1, ?2)",
            params![child, still_open],
        )?;
    }
    Ok(())
}

/// Where one episode entry goes: which episode, what kind, its idempotency key, when it happened.
pub(crate) struct EventRow<'a> {
    pub episode_id: &'a EpisodeId,
    pub kind: EventKind,
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
    let body = to_json(body)?;
    let child = episode_child(tx, episode_id)?;
    if !matches!(kind, EventKind::Acknowledgement | EventKind::Recipients)
        && !kind.may_follow_close()
        && is_closed(tx, episode_id)?
    {
        return Err(StoreError::EpisodeClosed);
    }
    tx.execute(
        "INSERT INTO episode_events (episode_id, kind, item_key, at, recorded_at, recorded_by, recorded_by_name, body_json, global_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![episode_id, kind, item_key, at.to_string(), recorded_at, actor.id(), actor.display_name(), body, crate::sync::new_global_id()],
    )?;
    let event_id = tx.last_insert_rowid();
    audit::append(
        tx,
        recorded_at,
        &actor.id(),
        &format!("episode_{}", kind.as_str()),
        Some(child.as_str()),
        &format!("episode {episode_id}; entry {event_id}; {item_key}; at {at}"),
    )?;
    if kind == EventKind::Close {
        release_open_episode(tx, &child, episode_id)?;
        raise_flags_after_close(tx, &child, episode_id, recorded_at, body.as_str())?;
    }
    Ok(event_id)
}

/// The idempotency key of "who this message went to" on its episode.
pub(crate) fn recipients_key(outbox_message_id: &str) -> String {
    format!("recipients:{outbox_message_id}")
}
