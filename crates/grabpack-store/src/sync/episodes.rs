//! Missing episodes between a home's devices: each episode's header and each of its entries
//! travel as records of their own, so the night worker's laptop shows the episode the day
//! worker opened on the office laptop, step by step, and pressing Missing there carries on with
//! it instead of starting a second record of the same absence.
//!
//! Why entries carry their own global id and name the entry they correct by it: an entry's
//! integer id is this device's own numbering, different on every device. Entries are history,
//! never merged: an entry recorded on another device is taken in as it was recorded (a step
//! ticked there after the episode closed here is still what happened), and the episode a person
//! sees takes the newest version of each entry by when it was recorded, the same on every device
//! (`episodes::read`). A close taken in has the same effect as one recorded here: the child's
//! open-episode row moves on and the form is flagged for review.
//!
//! One absence recorded on two devices that could not reach the hub (both pressed Missing):
//! both records are kept whole, nothing is merged or closed on anyone's behalf. The episode
//! screen shows each with the other ("also recorded on another device"), so staff can tell
//! police it is one absence; the audit log says when the second arrived.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::{Outcome, RECORD_FORMAT, SyncRecord, exists, invalid, not_sent};
use crate::audit;
use crate::audit_action::AuditAction;
use crate::episodes::EventKind;
use crate::episodes::record::{newest_open_episode, raise_flags_after_close, release_open_episode};
use crate::error::Result;
use crate::ids::ChildId;
use crate::store::to_json;

/// A missing episode's header: who opened it, when the absence was noticed.
pub const RECORD_EPISODE: &str = "episode";
/// One entry of an episode (a step, a report, found, closed...), or a correction of one.
pub const RECORD_EPISODE_ENTRY: &str = "episode_entry";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EpisodeRecord {
    format: u32,
    id: String,
    child_id: String,
    noticed_at: String,
    noticed_ms: i64,
    opened_at: String,
    opened_by: String,
    opened_by_name: String,
    immediate_danger: bool,
    missing_from_unit: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryRecord {
    format: u32,
    global_id: String,
    episode_id: String,
    kind: String,
    item_key: String,
    at: String,
    recorded_at: String,
    recorded_by: String,
    recorded_by_name: String,
    body_json: String,
    /// The global id of the entry this one corrects.
    supersedes: Option<String>,
    reason: String,
}

/// How many episode headers and entries the hub does not hold yet.
pub(super) fn unsent(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM episodes e WHERE NOT EXISTS (SELECT 1 FROM sync_known k
                   WHERE k.record_kind = 'episode' AND k.record_id = e.id))
              + (SELECT count(*) FROM episode_events v WHERE v.global_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM sync_known k
                   WHERE k.record_kind = 'episode_entry' AND k.record_id = v.global_id))",
        [],
        |r| r.get(0),
    )?)
}

/// Up to `limit` unsent episode records, each episode's header before its entries and an entry
/// before any correction of it, episode by episode: a header and its close seldom land in two
/// different pages, so a device taking in an old episode does not see it open in between.
pub(super) fn outgoing(conn: &Connection, limit: i64) -> Result<Vec<SyncRecord>> {
    // (episode's rowid, 0 for the header or 1 for an entry, entry id) orders them.
    let mut out: Vec<((i64, i64, i64), SyncRecord)> = Vec::new();
    let unsent = not_sent(RECORD_EPISODE, "e.id");
    let mut stmt = conn.prepare(&format!(
        "SELECT e.rowid, e.id, e.child_id, e.noticed_at, e.noticed_ms, e.opened_at, e.opened_by,
                e.opened_by_name, e.immediate_danger, e.missing_from_unit
         FROM episodes e WHERE {unsent} ORDER BY e.rowid LIMIT ?1"
    ))?;
    let mut rows = stmt.query([limit])?;
    while let Some(r) = rows.next()? {
        let record = EpisodeRecord {
            format: RECORD_FORMAT,
            id: r.get(1)?,
            child_id: r.get(2)?,
            noticed_at: r.get(3)?,
            noticed_ms: r.get(4)?,
            opened_at: r.get(5)?,
            opened_by: r.get(6)?,
            opened_by_name: r.get(7)?,
            immediate_danger: r.get(8)?,
            missing_from_unit: r.get(9)?,
        };
        out.push((
            (r.get(0)?, 0, 0),
            SyncRecord {
                kind: RECORD_EPISODE.into(),
                record_id: record.id.clone(),
                body: to_json(&record)?.into_bytes(),
            },
        ));
    }
    let unsent = format!(
        "v.global_id IS NOT NULL AND {}",
        not_sent(RECORD_EPISODE_ENTRY, "v.global_id")
    );
    let mut stmt = conn.prepare(&format!(
        "SELECT ep.rowid, v.id, v.global_id, v.episode_id, v.kind, v.item_key, v.at,
                v.recorded_at, v.recorded_by, v.recorded_by_name, v.body_json,
                (SELECT s.global_id FROM episode_events s WHERE s.id = v.supersedes), v.reason
         FROM episode_events v JOIN episodes ep ON ep.id = v.episode_id
         WHERE {unsent} ORDER BY ep.rowid, v.id LIMIT ?1"
    ))?;
    let mut rows = stmt.query([limit])?;
    while let Some(r) = rows.next()? {
        let record = EntryRecord {
            format: RECORD_FORMAT,
            global_id: r.get(2)?,
            episode_id: r.get(3)?,
            kind: r.get(4)?,
            item_key: r.get(5)?,
            at: r.get(6)?,
            recorded_at: r.get(7)?,
            recorded_by: r.get(8)?,
            recorded_by_name: r.get(9)?,
            body_json: r.get(10)?,
            supersedes: r.get(11)?,
            reason: r.get(12)?,
        };
        out.push((
            (r.get(0)?, 1, r.get(1)?),
            SyncRecord {
                kind: RECORD_EPISODE_ENTRY.into(),
                record_id: record.global_id.clone(),
                body: to_json(&record)?.into_bytes(),
            },
        ));
    }
    out.sort_by_key(|(order, _)| *order);
    out.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(out.into_iter().map(|(_, r)| r).collect())
}

fn timestamp(s: &str, what: &str) -> Result<jiff::Timestamp> {
    s.parse()
        .map_err(|_| invalid(format!("{what}: '{s}' is not a time")))
}

/// An episode opened on another device. Waits for its child; an episode already here is
/// skipped. When this device has its own open episode for the child, the two are one absence
/// recorded twice: both kept, the newest shown first, the audit log told.
pub(super) fn receive_episode(conn: &Connection, body: &[u8], device_id: &str) -> Result<Outcome> {
    let r: EpisodeRecord =
        serde_json::from_slice(body).map_err(|e| invalid(format!("an episode: {e}")))?;
    if r.format != RECORD_FORMAT {
        return Err(invalid(format!("episode format {}", r.format)));
    }
    let noticed = timestamp(&r.noticed_at, "an episode's noticed time")?;
    if noticed.as_millisecond() != r.noticed_ms {
        return Err(invalid("an episode's two noticed times differ"));
    }
    timestamp(&r.opened_at, "an episode's opening time")?;
    if uuid::Uuid::parse_str(&r.id).is_err() {
        return Err(invalid(format!("episode id '{}'", r.id)));
    }
    let here = exists(conn, "episodes", "id", &r.id)?;
    if here {
        return Ok(Outcome::AlreadyHere);
    }
    let child = ChildId::from(r.child_id.clone());
    let child_known = exists(conn, "children", "id", child.as_str())?;
    if !child_known {
        return Ok(Outcome::Wait);
    }
    let open_here = newest_open_episode(conn, &child)?;
    conn.execute(
        "INSERT INTO episodes (id, child_id, noticed_at, noticed_ms, opened_at, opened_by, opened_by_name, immediate_danger, missing_from_unit)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            r.id,
            child,
            r.noticed_at,
            r.noticed_ms,
            r.opened_at,
            r.opened_by,
            r.opened_by_name,
            r.immediate_danger,
            r.missing_from_unit
        ],
    )?;
    // Open until its close arrives: the child's row shows the newest open episode.
    if let Some(newest) = newest_open_episode(conn, &child)? {
        conn.execute(
            "INSERT INTO open_episodes (child_id, episode_id) VALUES (?1, ?2)
             ON CONFLICT (child_id) DO UPDATE SET episode_id = excluded.episode_id",
            params![child, newest],
        )?;
    }
    if let Some(other) = &open_here {
        audit::append(
            conn,
            &crate::store::now(),
            "sync",
            AuditAction::EpisodesLinked.as_str(),
            Some(child.as_str()),
            &format!(
                "episode {} (opened by {} on device {device_id}, noticed {}) arrived while episode {other} was open here: one absence recorded twice; both kept and shown together",
                r.id, r.opened_by_name, r.noticed_at
            ),
        )?;
    }
    Ok(Outcome::Episode {
        child_id: child.to_string(),
        linked: open_here.is_some(),
    })
}

/// An episode entry recorded on another device. Waits for its episode and for the entry it
/// corrects; taken in as it was recorded.
pub(super) fn receive_entry(conn: &Connection, body: &[u8]) -> Result<Outcome> {
    let r: EntryRecord =
        serde_json::from_slice(body).map_err(|e| invalid(format!("an episode entry: {e}")))?;
    if r.format != RECORD_FORMAT {
        return Err(invalid(format!("episode entry format {}", r.format)));
    }
    let kind = EventKind::parse(&r.kind)
        .ok_or_else(|| invalid(format!("episode entry kind '{}'", r.kind)))?;
    timestamp(&r.at, "an episode entry's time")?;
    timestamp(&r.recorded_at, "an episode entry's recording time")?;
    serde_json::from_str::<serde_json::Value>(&r.body_json)
        .map_err(|e| invalid(format!("an episode entry's body: {e}")))?;
    let here = exists(conn, "episode_events", "global_id", &r.global_id)?;
    if here {
        return Ok(Outcome::AlreadyHere);
    }
    let child: Option<String> = conn
        .query_row(
            "SELECT child_id FROM episodes WHERE id = ?1",
            [&r.episode_id],
            |row| row.get(0),
        )
        .optional()?;
    let Some(child) = child else {
        return Ok(Outcome::Wait);
    };
    let supersedes: Option<i64> = match &r.supersedes {
        None => None,
        Some(gid) => {
            let local: Option<(i64, String)> = conn
                .query_row(
                    "SELECT id, episode_id FROM episode_events WHERE global_id = ?1",
                    [gid],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            match local {
                None => return Ok(Outcome::Wait),
                Some((_, episode)) if episode != r.episode_id => {
                    return Err(invalid(
                        "an episode entry corrects an entry of another episode",
                    ));
                }
                Some((id, _)) => Some(id),
            }
        }
    };
    let was_closed =
        crate::episodes::is_closed(conn, &crate::ids::EpisodeId::from(r.episode_id.clone()))?;
    conn.execute(
        "INSERT INTO episode_events (episode_id, kind, item_key, at, recorded_at, recorded_by, recorded_by_name, body_json, supersedes, reason, global_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            r.episode_id,
            kind,
            r.item_key,
            r.at,
            r.recorded_at,
            r.recorded_by,
            r.recorded_by_name,
            r.body_json,
            supersedes,
            r.reason,
            r.global_id
        ],
    )?;
    if kind == EventKind::Close {
        serde_json::from_str::<crate::episodes::Closure>(&r.body_json)
            .map_err(|e| invalid(format!("an episode's closure: {e}")))?;
    }
    if kind == EventKind::Close && !was_closed {
        let child = ChildId::from(child.clone());
        let episode = crate::ids::EpisodeId::from(r.episode_id.clone());
        release_open_episode(conn, &child, &episode)?;
        raise_flags_after_close(conn, &child, &episode, &r.recorded_at, &r.body_json)?;
    }
    Ok(Outcome::EpisodeEntry { child_id: child })
}
