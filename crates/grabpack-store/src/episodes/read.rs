//! Reading episodes: the episode as it stands (the newest version of each entry, in the order the
//! entries were first made), lists, open flags, and closed episodes as Part 1's missing history.

use crate::ids::{ChildId, EpisodeId};
use std::collections::BTreeMap;

use grabpack_core::PastEpisode;
use grabpack_core::readiness::age_on;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Deserialize;

use super::{
    AlsoRecorded, ChildFlag, Episode, EpisodeSummary, EpisodeType, EventInfo, EventKind,
    RETURN_HOME_INTERVIEW_WITHIN, RhiDeadline, RhiOutcome, Timed, json_col, ts_col,
};
use crate::children::parse_form;
use crate::error::{Result, StoreError};
use crate::store::{Store, damaged};

impl Store {
    /// The episode as it stands now, with its whole history.
    pub fn episode(&self, episode_id: &EpisodeId) -> Result<Episode> {
        let conn = self.conn();
        let header: Option<(ChildId, Timestamp, String, String, bool, Option<String>)> = conn
            .query_row(
                "SELECT child_id, noticed_at, opened_at, opened_by_name, immediate_danger, missing_from_unit FROM episodes WHERE id = ?1",
                [episode_id],
                |r| Ok((r.get(0)?, ts_col(r, 1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()?;
        let (child_id, noticed_at, opened_at, opened_by_name, immediate_danger, missing_from_unit) =
            header.ok_or_else(|| StoreError::EpisodeNotFound(episode_id.to_string()))?;
        let mut stmt = conn.prepare(
            "SELECT e.id, e.kind, e.item_key, e.at, e.recorded_at, e.recorded_by, e.recorded_by_name, e.body_json, e.supersedes, e.reason,
                    (SELECT min(l.id) FROM episode_events l WHERE l.supersedes = e.id),
                    e.global_id
             FROM episode_events e WHERE e.episode_id = ?1 ORDER BY e.id",
        )?;
        // Which version of an entry is the newest: by when it was recorded, then by global id,
        // so every device of the home shows the same one whatever order they arrived in.
        let mut newest_key: BTreeMap<i64, (Timestamp, String)> = BTreeMap::new();
        let history: Vec<EventInfo> = stmt
            .query_map([episode_id], |r| {
                Ok(EventInfo {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    item_key: r.get(2)?,
                    at: ts_col(r, 3)?,
                    recorded_at: r.get(4)?,
                    recorded_by: r.get(5)?,
                    recorded_by_name: r.get(6)?,
                    body: json_col(r, 7)?,
                    supersedes: r.get(8)?,
                    reason: r.get(9)?,
                    superseded_by: r.get(10)?,
                })
                .and_then(|info| {
                    let recorded: Timestamp = info.recorded_at.parse().unwrap_or(info.at);
                    let gid: Option<String> = r.get(11)?;
                    Ok((info, (recorded, gid.unwrap_or_default())))
                })
            })?
            .map(|row| {
                row.map(|(info, key)| {
                    newest_key.insert(info.id, key);
                    info
                })
            })
            .collect::<std::result::Result<_, _>>()?;

        // The newest version of each entry, in the order the entries were first made.
        let mut current: BTreeMap<String, &EventInfo> = BTreeMap::new();
        let mut first_seen: Vec<String> = Vec::new();
        for e in &history {
            match current.get(&e.item_key) {
                None => {
                    first_seen.push(e.item_key.clone());
                    current.insert(e.item_key.clone(), e);
                }
                Some(shown) if newest_key.get(&e.id) >= newest_key.get(&shown.id) => {
                    current.insert(e.item_key.clone(), e);
                }
                Some(_) => {}
            }
        }
        // An entry whose body this build cannot read is damage, never left out of the episode.
        fn timed<T: for<'de> Deserialize<'de>>(e: &EventInfo) -> Result<Option<Timed<T>>> {
            let value = serde_json::from_value(e.body.clone()).map_err(|err| {
                damaged(format!(
                    "episode entry {} ({}): {err}",
                    e.id,
                    e.kind.as_str()
                ))
            })?;
            Ok(Some(Timed {
                event_id: e.id,
                at: e.at,
                recorded_by_name: e.recorded_by_name.clone(),
                value,
            }))
        }
        let mut ep = Episode {
            id: episode_id.clone(),
            child_id: child_id.clone(),
            noticed_at,
            opened_at,
            opened_by_name,
            immediate_danger,
            missing_from_unit,
            call_999_now: immediate_danger,
            age_when_noticed: None,
            episode_type: EpisodeType::Missing,
            type_changes: vec![],
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
            strategy_meetings: vec![],
            closed: None,
            history: vec![],
            also_recorded: vec![],
        };
        for key in &first_seen {
            let Some(e) = current.get(key) else { continue };
            match e.kind {
                EventKind::Step => ep.steps.extend(timed(e)?),
                EventKind::Part2 => ep.part2 = timed(e)?,
                EventKind::Report => ep.reports.extend(timed(e)?),
                EventKind::NotAccepted => ep.not_accepted.extend(timed(e)?),
                EventKind::Update => ep.updates.extend(timed(e)?),
                EventKind::Found => ep.found = timed(e)?,
                EventKind::PreventionInterview => ep.prevention_interview = timed(e)?,
                EventKind::ReturnHomeInterview => ep.return_home_interview = timed(e)?,
                EventKind::Acknowledgement => ep.acknowledgements.extend(timed(e)?),
                EventKind::Recipients => ep.recipients.extend(timed(e)?),
                EventKind::Close => ep.closed = timed(e)?,
                EventKind::EpisodeType => ep.type_changes.extend(timed(e)?),
                EventKind::StrategyMeeting => ep.strategy_meetings.extend(timed(e)?),
            }
        }
        ep.steps.sort_by_key(|s| s.at);
        ep.updates.sort_by_key(|s| s.at);
        ep.type_changes.sort_by_key(|s| s.at);
        ep.strategy_meetings.sort_by_key(|s| s.at);
        if let Some(last) = ep.type_changes.last() {
            ep.episode_type = last.value.episode_type;
        }
        ep.return_home_interview_deadline = rhi_deadline(&ep, Timestamp::now());
        // The national 999 line; the episode screen's view applies the force's own.
        let dob = child_date_of_birth(conn, &child_id)?;
        let day = noticed_at.to_zoned(jiff::tz::TimeZone::UTC).date();
        ep.age_when_noticed = dob.and_then(|dob| age_on(dob, day));
        let practice = grabpack_core::practice::Practice::shipped()?;
        ep.call_999_now = practice
            .national()
            .call_999
            .must_call_999(ep.age_when_noticed, ep.immediate_danger);
        ep.history = history;
        ep.also_recorded = also_recorded(conn, &ep)?;
        Ok(ep)
    }

    /// The episode, checked to be this child's: a pack or a read-out for one child must never
    /// carry another child's Part 2. Refused with `store.episode_other_child`.
    pub fn episode_of_child(&self, child_id: &ChildId, episode_id: &EpisodeId) -> Result<Episode> {
        let ep = self.episode(episode_id)?;
        if ep.child_id != *child_id {
            return Err(StoreError::EpisodeOtherChild { episode_id: ep.id });
        }
        Ok(ep)
    }

    /// The child's episodes, newest first.
    pub fn episodes_for_child(&self, child_id: &ChildId) -> Result<Vec<EpisodeSummary>> {
        self.list_episodes(Some(child_id), false)
    }

    /// Every episode (or only the open ones), newest first.
    pub fn list_episodes(
        &self,
        child_id: Option<&ChildId>,
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
                noticed_at: ts_col(r, 2)?,
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
    pub fn find_episode(&self, query: &str) -> Result<EpisodeId> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id FROM episodes WHERE id LIKE ?1 || '%' LIMIT 2")?;
        let ids: Vec<EpisodeId> = stmt
            .query_map([query], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        match ids.as_slice() {
            [one] if !query.is_empty() => Ok(one.clone()),
            _ => Err(StoreError::EpisodeNotFound(query.to_string())),
        }
    }

    /// Flags raised on a child and not yet cleared.
    pub fn child_flags(&self, child_id: &ChildId) -> Result<Vec<ChildFlag>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, child_id, kind, episode_id, raised_at, detail_json FROM child_flags
             WHERE child_id = ?1 AND cleared_at IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([child_id], |r| {
            Ok(ChildFlag {
                id: r.get(0)?,
                child_id: r.get(1)?,
                kind: r.get(2)?,
                episode_id: r.get(3)?,
                raised_at: r.get(4)?,
                detail: json_col(r, 5)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Closed episodes as Part 1's missing history, for the pack.
    pub fn past_episodes(&self, child_id: &ChildId) -> Result<Vec<PastEpisode>> {
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

fn child_date_of_birth(conn: &Connection, child_id: &ChildId) -> Result<Option<jiff::civil::Date>> {
    let row: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, form_json FROM revisions WHERE child_id = ?1 ORDER BY seq DESC LIMIT 1",
            [child_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        None => Ok(None),
        Some((seq, json)) => Ok(parse_form(child_id, seq, &json)?.identity.date_of_birth),
    }
}

/// The return-home interview's deadline: 72 hours from the return to the placement (found, when
/// no later return was recorded). Met only by an interview carried out by then: an offer is not
/// an interview, and a refusal is recorded as a refusal.
fn rhi_deadline(ep: &Episode, now: Timestamp) -> Option<RhiDeadline> {
    let found = ep.found.as_ref()?;
    let back = found.value.returned_to_placement_at.unwrap_or(found.at);
    let due_by = back
        .checked_add(RETURN_HOME_INTERVIEW_WITHIN)
        .unwrap_or(back);
    let rhi = ep.return_home_interview.as_ref();
    let outcome = rhi.map(|r| r.value.outcome.unwrap_or(RhiOutcome::Offered));
    let carried_out = outcome == Some(RhiOutcome::CarriedOut);
    let refused = outcome == Some(RhiOutcome::Refused);
    Some(RhiDeadline {
        due_by,
        offered: rhi.is_some(),
        carried_out,
        met: carried_out && rhi.is_some_and(|r| r.at <= due_by),
        refused,
        overdue: !carried_out && !refused && now > due_by,
    })
}

/// The child's other episodes that cover part of the same time as this one: one absence
/// recorded on two devices that could not reach the hub when each pressed Missing.
fn also_recorded(conn: &Connection, ep: &Episode) -> Result<Vec<AlsoRecorded>> {
    let closed_at = |conn: &Connection, id: &EpisodeId| -> Result<Option<Timestamp>> {
        let at: Option<String> = conn
            .query_row(
                "SELECT at FROM episode_events WHERE episode_id = ?1 AND kind = 'close'
                 ORDER BY recorded_at DESC, global_id DESC LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(at.and_then(|a| a.parse().ok()))
    };
    let this_end = ep.closed.as_ref().map(|c| c.at);
    let mut stmt = conn.prepare(
        "SELECT id, noticed_at, opened_at, opened_by_name FROM episodes
         WHERE child_id = ?1 AND id != ?2 ORDER BY noticed_ms, id",
    )?;
    let others: Vec<(EpisodeId, Timestamp, String, String)> = stmt
        .query_map(params![ep.child_id, ep.id], |r| {
            Ok((r.get(0)?, ts_col(r, 1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::new();
    for (id, noticed_at, opened_at, opened_by_name) in others {
        let other_end = closed_at(conn, &id)?;
        // Two spans [noticed, closed) overlap when each starts before the other ends.
        let starts_before_other_ends = other_end.is_none_or(|end| ep.noticed_at < end);
        let other_starts_before_this_ends = this_end.is_none_or(|end| noticed_at < end);
        if starts_before_other_ends && other_starts_before_this_ends {
            out.push(AlsoRecorded {
                episode_id: id,
                noticed_at,
                opened_at,
                opened_by_name,
                closed: other_end.is_some(),
            });
        }
    }
    Ok(out)
}
