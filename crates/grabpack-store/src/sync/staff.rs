//! The home's staff across its devices: a member set up on one device unlocks every device of
//! the home with the same PIN, and a member disabled on one is disabled on all.
//!
//! Why the PIN's slot travels and nothing else PIN-derived does: a device can only check a PIN
//! against something made from it, and the member's home slot (their random member key wrapped
//! under Argon2id(PIN), `keyslots::MemberSlot`) is exactly what this device keeps beside its own
//! database already. It leaves inside the member's record, which is sealed under the home key
//! before it leaves, so the hub holds it only as ciphertext it cannot open: no PIN-derived value
//! reaches the hub in any form it can test a PIN against. The member key travels with it (it is
//! random and opens nothing without a device's own keychain secret): each device makes its own
//! staff slot from it as the record arrives.
//!
//! Why the newest change wins with one exception: a member's changes (added, PIN set, disabled)
//! are whole and rare, so the later one is the member on every device (by when, then by id); but
//! disabling is final, whatever arrives later, because a PIN that should have stopped working
//! must never work again because of an older device's clock.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::{Outcome, RECORD_FORMAT, SyncRecord, invalid, not_sent};
use crate::error::Result;
use crate::keys::ends_on_of;
use crate::keyslots::{MemberSlot, decode_b64};
use crate::store::to_json;
use grabpack_core::StaffRole;

/// One version of a staff member: who they are, their role, and their PIN's home slot.
pub const RECORD_STAFF_MEMBER: &str = "staff_member";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StaffRecord {
    format: u32,
    version_id: String,
    changed_at: String,
    staff_id: String,
    name: String,
    role: StaffRole,
    created_at: String,
    disabled_at: Option<String>,
    /// Base64 of the random member key (never derived from the PIN).
    member_key: Option<String>,
    member_slot: Option<MemberSlot>,
}

const COLUMNS: &str = "s.version_id, s.changed_at, s.id, s.name, s.role_json, s.created_at, \
                       s.disabled_at, s.member_key, s.member_slot_json";

/// How many versions of staff members the hub does not hold yet.
pub(super) fn unsent(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        &format!(
            "SELECT count(*) FROM staff s WHERE {}",
            not_sent(RECORD_STAFF_MEMBER, "s.version_id")
        ),
        [],
        |r| r.get(0),
    )?)
}

/// Up to `limit` versions of staff members the hub does not hold yet.
pub(super) fn outgoing(conn: &Connection, limit: i64) -> Result<Vec<SyncRecord>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM staff s WHERE {} ORDER BY s.changed_at LIMIT ?1",
        not_sent(RECORD_STAFF_MEMBER, "s.version_id")
    ))?;
    type Row = (
        String,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<Vec<u8>>,
        Option<String>,
    );
    let rows: Vec<Row> = stmt
        .query_map([limit], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })?
        .collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::new();
    for (version_id, changed_at, staff_id, name, role_json, created_at, disabled_at, key, slot) in
        rows
    {
        let role = crate::staff::parse_role(&name, &role_json)?;
        let member_slot: Option<MemberSlot> = slot
            .map(|j| serde_json::from_str(&j))
            .transpose()
            .map_err(|e| crate::store::damaged(format!("the PIN slot of {name}: {e}")))?;
        let record = StaffRecord {
            format: RECORD_FORMAT,
            version_id: version_id.clone(),
            changed_at,
            staff_id,
            name,
            role,
            created_at,
            disabled_at,
            member_key: key.map(|k| {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD.encode(k)
            }),
            member_slot,
        };
        out.push(SyncRecord {
            kind: RECORD_STAFF_MEMBER.into(),
            record_id: version_id,
            body: to_json(&record)?.into_bytes(),
        });
    }
    Ok(out)
}

/// A version of a staff member from another device: taken when newer than the one here (a
/// disable is kept whatever its time). The key slots follow after the batch
/// (`Store::follow_staff_in_slots`).
pub(super) fn receive(conn: &Connection, body: &[u8]) -> Result<Outcome> {
    let r: StaffRecord =
        serde_json::from_slice(body).map_err(|e| invalid(format!("a staff member: {e}")))?;
    if r.format != RECORD_FORMAT {
        return Err(invalid(format!("staff member format {}", r.format)));
    }
    let time = |at: &str, what: &str| {
        at.parse::<jiff::Timestamp>().map_err(|_| {
            invalid(format!(
                "a staff member {what} at a time that does not parse"
            ))
        })
    };
    let changed = time(&r.changed_at, "changed")?;
    time(&r.created_at, "added")?;
    if let Some(d) = &r.disabled_at {
        time(d, "disabled")?;
    }
    if r.name.trim().is_empty() {
        return Err(invalid("a staff member without a name"));
    }
    let member_key = match &r.member_key {
        Some(k) => {
            let bytes = decode_b64(k).map_err(|_| invalid("a member key that is not base64"))?;
            if bytes.len() != 32 {
                return Err(invalid("a member key that is not 32 bytes"));
            }
            Some(bytes)
        }
        None => None,
    };
    if let Some(slot) = &r.member_slot {
        // Only a home slot opens on this device, and only for this member with their end date.
        if !slot.home || slot.staff_id != r.staff_id || slot.ends_on != ends_on_of(&r.role) {
            return Err(invalid(format!(
                "the PIN slot of {} is not this member's home slot",
                r.name
            )));
        }
        if member_key.is_none() {
            return Err(invalid(format!(
                "the PIN slot of {} came without its member key",
                r.name
            )));
        }
    }
    let slot_json = r.member_slot.as_ref().map(to_json).transpose()?;
    let here: Option<(String, String, Option<String>)> = conn
        .query_row(
            "SELECT version_id, changed_at, disabled_at FROM staff WHERE id = ?1",
            [&r.staff_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let Some((version, changed_at, disabled_at)) = here else {
        conn.execute(
            "INSERT INTO staff (id, name, role_json, created_at, disabled_at, member_key, member_slot_json, version_id, changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                r.staff_id,
                r.name,
                to_json(&r.role)?,
                r.created_at,
                r.disabled_at,
                member_key,
                slot_json,
                r.version_id,
                r.changed_at
            ],
        )?;
        return Ok(Outcome::Staff);
    };
    if version == r.version_id {
        return Ok(Outcome::AlreadyHere);
    }
    let mine = changed_at.parse::<jiff::Timestamp>().ok();
    let newer = (Some(changed), &r.version_id) > (mine, &version);
    if newer {
        // The member as the later change left them; a disable here stays; the PIN's slot and
        // its member key are one pair, taken together or not at all.
        conn.execute(
            "UPDATE staff SET name = ?2, role_json = ?3, disabled_at = coalesce(disabled_at, ?4),
                    member_key = CASE WHEN ?6 IS NULL THEN member_key ELSE ?5 END,
                    member_slot_json = coalesce(?6, member_slot_json),
                    version_id = ?7, changed_at = ?8
             WHERE id = ?1",
            params![
                r.staff_id,
                r.name,
                to_json(&r.role)?,
                r.disabled_at,
                member_key,
                slot_json,
                r.version_id,
                r.changed_at
            ],
        )?;
        return Ok(Outcome::Staff);
    }
    if let (Some(theirs), None) = (&r.disabled_at, &disabled_at) {
        // An older change, but a disable: final whatever its time.
        conn.execute(
            "UPDATE staff SET disabled_at = ?2 WHERE id = ?1",
            params![r.staff_id, theirs],
        )?;
        return Ok(Outcome::Staff);
    }
    Ok(Outcome::AlreadyHere)
}
