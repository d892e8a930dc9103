//! What belongs to the whole home rather than one child's record: its settings (name, address,
//! type of home, review interval, photo age, marking, auto-lock, strategy-meeting rule), its
//! edits to the police directory, and which children have left (archived).
//!
//! Why the newest save wins here, when a child's form is merged field by field: these are a
//! manager's settings, changed rarely and whole, and two managers setting them differently at
//! the same minute is best settled by the later one, the same on every device (by when each was
//! saved, then by id). How this device sends (its mail account, intake tokens, trusted
//! certificates) stays on this device: it is this device's sending, and its secrets never
//! travel. An archive is final: a child archived on any device is archived on all.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::{Outcome, RECORD_FORMAT, SyncRecord, exists, invalid, not_sent};
use crate::error::Result;
use crate::settings::HomeSettings;
use crate::store::to_json;

/// The home's settings as one manager saved them.
pub const RECORD_HOME_SETTINGS: &str = "home_settings";
/// One edit of the police directory (a unit's confirmed contacts).
pub const RECORD_DIRECTORY_ENTRY: &str = "directory_entry";
/// A child who left the placement and was archived.
pub const RECORD_CHILD_ARCHIVED: &str = "child_archived";

/// Which save of the settings this device holds (kept in `meta` beside them).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct SettingsVersion {
    id: String,
    saved_at: String,
    saved_by: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsRecord {
    format: u32,
    id: String,
    saved_at: String,
    saved_by: String,
    settings: HomeSettings,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectoryRecord {
    format: u32,
    global_id: String,
    unit_id: String,
    entry_json: String,
    saved_at: String,
    saved_by: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArchiveRecord {
    format: u32,
    child_id: String,
    archived_at: String,
}

fn settings_version(conn: &Connection) -> Result<Option<SettingsVersion>> {
    let json: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'settings_version'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

fn keep_version(conn: &Connection, v: &SettingsVersion) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('settings_version', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [to_json(v)?],
    )?;
    Ok(())
}

/// A save of the settings here: a new version for the home's other devices.
pub(crate) fn note_settings_saved(conn: &Connection, saved_by: &str) -> Result<()> {
    keep_version(
        conn,
        &SettingsVersion {
            id: super::new_global_id(),
            saved_at: crate::store::now(),
            saved_by: saved_by.to_string(),
        },
    )
}

/// This device's own save is not the home's (it is joining one): forgotten, so the first
/// settings received are taken whatever their time.
pub(super) fn forget_own_settings_save(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM meta WHERE key = 'settings_version'", [])?;
    Ok(())
}

/// Which of two saves is the newer: by when, then by id.
fn newer(a: &SettingsVersion, b: &SettingsVersion) -> bool {
    let at = |v: &SettingsVersion| v.saved_at.parse::<jiff::Timestamp>().ok();
    (at(a), &a.id) > (at(b), &b.id)
}

fn unsent_one(conn: &Connection, kind: &str, id: &str) -> Result<bool> {
    Ok(
        conn.query_row(&format!("SELECT {}", not_sent(kind, "?1")), [id], |r| {
            r.get(0)
        })?,
    )
}

/// How many of these records the hub does not hold yet.
pub(super) fn unsent(conn: &Connection) -> Result<i64> {
    let settings = match settings_version(conn)? {
        Some(v) => i64::from(conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM sync_known WHERE record_kind = 'home_settings' AND record_id = ?1)",
            [&v.id],
            |r| r.get::<_, bool>(0),
        )?),
        None => 0,
    };
    let rest: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM directory_entries d WHERE d.global_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM sync_known k
                       WHERE k.record_kind = 'directory_entry' AND k.record_id = d.global_id))
              + (SELECT count(*) FROM children c WHERE c.archived_at IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM sync_known k
                       WHERE k.record_kind = 'child_archived' AND k.record_id = c.id))",
        [],
        |r| r.get(0),
    )?;
    Ok(settings + rest)
}

/// Up to `limit` of these records the hub does not hold yet.
pub(super) fn outgoing(conn: &Connection, limit: i64) -> Result<Vec<SyncRecord>> {
    let mut out = Vec::new();
    if let Some(v) = settings_version(conn)?
        && unsent_one(conn, RECORD_HOME_SETTINGS, &v.id)?
    {
        let record = SettingsRecord {
            format: RECORD_FORMAT,
            id: v.id.clone(),
            saved_at: v.saved_at,
            saved_by: v.saved_by,
            settings: crate::settings::settings_in(conn)?,
        };
        out.push(SyncRecord {
            kind: RECORD_HOME_SETTINGS.into(),
            record_id: v.id,
            body: to_json(&record)?.into_bytes(),
        });
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT global_id, unit_id, entry_json, saved_at, saved_by FROM directory_entries d
         WHERE d.global_id IS NOT NULL
           AND {}
         ORDER BY seq LIMIT ?1",
        not_sent(RECORD_DIRECTORY_ENTRY, "d.global_id")
    ))?;
    let entries: Vec<DirectoryRecord> = stmt
        .query_map([limit], |r| {
            Ok(DirectoryRecord {
                format: RECORD_FORMAT,
                global_id: r.get(0)?,
                unit_id: r.get(1)?,
                entry_json: r.get(2)?,
                saved_at: r.get(3)?,
                saved_by: r.get(4)?,
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    for e in entries {
        out.push(SyncRecord {
            kind: RECORD_DIRECTORY_ENTRY.into(),
            record_id: e.global_id.clone(),
            body: to_json(&e)?.into_bytes(),
        });
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT id, archived_at FROM children c WHERE c.archived_at IS NOT NULL
           AND {}
         ORDER BY rowid LIMIT ?1",
        not_sent(RECORD_CHILD_ARCHIVED, "c.id")
    ))?;
    let archived: Vec<ArchiveRecord> = stmt
        .query_map([limit], |r| {
            Ok(ArchiveRecord {
                format: RECORD_FORMAT,
                child_id: r.get(0)?,
                archived_at: r.get(1)?,
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    for a in archived {
        out.push(SyncRecord {
            kind: RECORD_CHILD_ARCHIVED.into(),
            record_id: a.child_id.clone(),
            body: to_json(&a)?.into_bytes(),
        });
    }
    out.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(out)
}

/// Settings saved on another device: taken when newer than the save this device holds.
pub(super) fn receive_settings(conn: &Connection, body: &[u8]) -> Result<Outcome> {
    let r: SettingsRecord =
        serde_json::from_slice(body).map_err(|e| invalid(format!("home settings: {e}")))?;
    if r.format != RECORD_FORMAT {
        return Err(invalid(format!("home settings format {}", r.format)));
    }
    r.saved_at
        .parse::<jiff::Timestamp>()
        .map_err(|_| invalid("home settings saved at a time that does not parse"))?;
    r.settings
        .strategy_meeting
        .check()
        .map_err(|e| invalid(format!("home settings: {e}")))?;
    let theirs = SettingsVersion {
        id: r.id,
        saved_at: r.saved_at,
        saved_by: r.saved_by,
    };
    if let Some(mine) = settings_version(conn)?
        && !newer(&theirs, &mine)
    {
        return Ok(Outcome::AlreadyHere);
    }
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('settings', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [to_json(&r.settings)?],
    )?;
    keep_version(conn, &theirs)?;
    Ok(Outcome::Home)
}

/// A police-directory edit made on another device (kept beside this device's own edits).
pub(super) fn receive_directory(conn: &Connection, body: &[u8]) -> Result<Outcome> {
    let r: DirectoryRecord =
        serde_json::from_slice(body).map_err(|e| invalid(format!("a directory edit: {e}")))?;
    if r.format != RECORD_FORMAT {
        return Err(invalid(format!("directory edit format {}", r.format)));
    }
    serde_json::from_str::<serde_json::Value>(&r.entry_json)
        .map_err(|e| invalid(format!("a directory edit's entry: {e}")))?;
    r.saved_at
        .parse::<jiff::Timestamp>()
        .map_err(|_| invalid("a directory edit saved at a time that does not parse"))?;
    let here = exists(conn, "directory_entries", "global_id", &r.global_id)?;
    if here {
        return Ok(Outcome::AlreadyHere);
    }
    conn.execute(
        "INSERT INTO directory_entries (unit_id, entry_json, saved_at, saved_by, global_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![r.unit_id, r.entry_json, r.saved_at, r.saved_by, r.global_id],
    )?;
    Ok(Outcome::Home)
}

/// A child archived on another device: archived here too (waits for the child).
pub(super) fn receive_archive(conn: &Connection, body: &[u8]) -> Result<Outcome> {
    let r: ArchiveRecord =
        serde_json::from_slice(body).map_err(|e| invalid(format!("an archive: {e}")))?;
    if r.format != RECORD_FORMAT {
        return Err(invalid(format!("archive format {}", r.format)));
    }
    r.archived_at
        .parse::<jiff::Timestamp>()
        .map_err(|_| invalid("an archive at a time that does not parse"))?;
    let state: Option<Option<String>> = conn
        .query_row(
            "SELECT archived_at FROM children WHERE id = ?1",
            [&r.child_id],
            |row| row.get(0),
        )
        .optional()?;
    match state {
        None => Ok(Outcome::Wait),
        Some(Some(_)) => Ok(Outcome::AlreadyHere),
        Some(None) => {
            conn.execute(
                "UPDATE children SET archived_at = ?1 WHERE id = ?2",
                params![r.archived_at, r.child_id],
            )?;
            Ok(Outcome::Archived {
                child_id: r.child_id,
            })
        }
    }
}
