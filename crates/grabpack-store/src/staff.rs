//! Staff: who may act in this store, their roles, and their member keys.
//!
//! Why a member key (random, not derived from the PIN) is kept inside the database: rotation and
//! device recovery re-wrap every staff slot without asking anyone for their PIN, while nothing a
//! colleague can read is derived from the PIN (see `keyslots` and `docs/keys.md`).
//! Disabling a member removes their slot first, so a crash halfway leaves them unable to unlock,
//! the safe half of the change.

use grabpack_core::StaffRole;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::audit;
use crate::audit_action::AuditAction;
use crate::error::{Result, StoreError};
use crate::keys::{check_pin, new_member_slot, staff_slot};
use crate::keyslots::{MemberSlot, SlotFile};
use crate::secret::Sensitive;
use crate::store::{Actor, Store, damaged, now, to_json, today};

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffMember {
    pub id: String,
    pub name: String,
    pub role: StaffRole,
    pub created_at: String,
    pub disabled_at: Option<String>,
    pub has_pin: bool,
}

impl Store {
    pub fn staff(&self) -> Result<Vec<StaffMember>> {
        // "Has a PIN" means one that unlocks this device: a member slot in this device's file
        // (one received from another device is written there as it arrives), or a version 1
        // PIN kept in the database until its upgrade.
        let on_this_device: Vec<String> = SlotFile::read(&self.dir)
            .map(|f| f.members.into_iter().map(|m| m.staff_id).collect())
            .unwrap_or_default();
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, role_json, created_at, disabled_at, pin_key IS NOT NULL FROM staff ORDER BY name, created_at")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(2)?,
                StaffMember {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    role: StaffRole::Keyworker,
                    created_at: r.get(3)?,
                    disabled_at: r.get(4)?,
                    has_pin: r.get(5)?,
                },
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (role, mut member) = row?;
            member.role = parse_role(&member.name, &role)?;
            member.has_pin |= on_this_device.contains(&member.id);
            out.push(member);
        }
        Ok(out)
    }

    /// Add a staff member, with a PIN for this device when given.
    pub fn add_staff(
        &mut self,
        name: &str,
        role: StaffRole,
        pin: Option<&Sensitive<String>>,
    ) -> Result<StaffMember> {
        self.require_admin()?;
        let name = name.trim();
        if self
            .staff()?
            .iter()
            .any(|s| s.name.eq_ignore_ascii_case(name))
        {
            return Err(StoreError::StaffExists(name.to_string()));
        }
        let id = uuid::Uuid::new_v4().to_string();
        let mut material = None;
        if let Some(pin) = pin {
            check_pin(pin.expose())?;
            let device_secret = self.device_secret()?;
            let new = new_member_slot(&id, name, &role, None, pin.expose())?;
            material = Some((new, device_secret));
        }
        let at = now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO staff (id, name, role_json, created_at, member_key, member_slot_json, changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?4)",
            params![
                id,
                name,
                to_json(&role)?,
                at,
                material.as_ref().map(|(new, _)| &new.member_key.expose()[..]),
                material
                    .as_ref()
                    .map(|(new, _)| to_json(&new.member))
                    .transpose()?,
            ],
        )?;
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            AuditAction::StaffAdded.as_str(),
            None,
            &format!("{name} ({})", role.label()),
        )?;
        tx.commit()?;
        if let Some((new, device_secret)) = material {
            let mut file = SlotFile::read(&self.dir)?;
            let slot = staff_slot(
                &self.store_id,
                self.db_key.expose(),
                &id,
                device_secret.expose(),
                new.member_key.expose(),
            )?;
            if let Some(g) = file.generations.first_mut() {
                g.slots.push(slot);
            }
            file.members.push(new.member);
            file.write(&self.dir)?;
        }
        Ok(StaffMember {
            id,
            name: name.to_string(),
            role,
            created_at: at,
            disabled_at: None,
            has_pin: pin.is_some(),
        })
    }

    /// Disable a staff member: their PIN stops working at once, on this device and, as the change
    /// arrives, on every device of the home; their history stays theirs. A name kept twice (two
    /// devices each had a member of that name before they joined one home) is one person: both
    /// are disabled.
    pub fn disable_staff(&mut self, name: &str) -> Result<()> {
        self.require_admin()?;
        let all = self.staff()?;
        let named: Vec<&StaffMember> = all
            .iter()
            .filter(|s| s.name.eq_ignore_ascii_case(name.trim()) && s.disabled_at.is_none())
            .collect();
        let Some(first) = named.first() else {
            return Err(StoreError::NoSuchStaff(name.to_string()));
        };
        let managers_left = all
            .iter()
            .filter(|s| s.disabled_at.is_none() && s.role == StaffRole::Manager)
            .filter(|s| !named.iter().any(|n| n.id == s.id))
            .count();
        if named.iter().any(|s| s.role == StaffRole::Manager) && managers_left == 0 {
            return Err(StoreError::LastManager(first.name.clone()));
        }
        // Slot first: a crash after this leaves a disabled-in-slots member who can no longer
        // unlock, which is the safe half of the change.
        let mut file = SlotFile::read(&self.dir)?;
        let gone = |id: Option<&str>| named.iter().any(|n| Some(n.id.as_str()) == id);
        for g in &mut file.generations {
            g.slots.retain(|s| !gone(s.staff_id.as_deref()));
        }
        file.members.retain(|m| !gone(Some(&m.staff_id)));
        file.write(&self.dir)?;
        let at = now();
        let tx = self.conn.transaction()?;
        for member in &named {
            tx.execute(
                "UPDATE staff SET disabled_at = ?1 WHERE id = ?2",
                params![at, member.id],
            )?;
            new_version(&tx, &member.id, &at)?;
        }
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            AuditAction::StaffDisabled.as_str(),
            None,
            &first.name,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Makes this device's key slots say what its staff records say (the records are what travel
    /// between the home's devices; the slots are this device's): a disabled member's slots go; an
    /// active member with a home slot gets it, and a staff slot for this device made from their
    /// member key. Run after every unlock and every sync that took in staff, so a crash between
    /// the database and the file is mended at the next. Without this device's keychain nothing
    /// is added (a PIN needs it), and a rotation under way is left to finish first.
    pub(crate) fn follow_staff_in_slots(&mut self) -> Result<()> {
        let mut file = SlotFile::read(&self.dir)?;
        if file.generations.len() != 1 {
            return Ok(());
        }
        // id, disabled at, member key, PIN slot, name.
        type Row = (
            String,
            Option<String>,
            Option<Vec<u8>>,
            Option<String>,
            String,
        );
        let rows: Vec<Row> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id, disabled_at, member_key, member_slot_json, name FROM staff")?;
            stmt.query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        // Asked of the keychain only when a slot is to be made: this runs at every unlock, where
        // there is usually nothing to do.
        let mut device_secret: Option<Option<Sensitive<Vec<u8>>>> = None;
        let mut changed = false;
        for (id, disabled_at, mut key, slot_json, name) in rows {
            // The member key as read, converted once and the read copy wiped (as `staff_slots`).
            let member_key = key
                .as_deref()
                .and_then(|k| <[u8; 32]>::try_from(k).ok())
                .map(Sensitive::new);
            if let Some(k) = key.as_mut() {
                zeroize::Zeroize::zeroize(k);
            }
            let has = |f: &SlotFile| f.members.iter().find(|m| m.staff_id == id).cloned();
            if disabled_at.is_some() {
                let before = (file.members.len(), file.generations[0].slots.len());
                file.members.retain(|m| m.staff_id != id);
                file.generations[0]
                    .slots
                    .retain(|s| s.staff_id.as_deref() != Some(id.as_str()));
                changed |= before != (file.members.len(), file.generations[0].slots.len());
                continue;
            }
            let Some(json) = slot_json else {
                continue;
            };
            let slot: MemberSlot = serde_json::from_str(&json)
                .map_err(|e| damaged(format!("the PIN slot of {name}: {e}")))?;
            if has(&file).as_ref() == Some(&slot) {
                continue;
            }
            let Some(member_key) = member_key else {
                continue;
            };
            let Some(secret) = device_secret
                .get_or_insert_with(|| self.device_secret().ok())
                .as_ref()
            else {
                continue;
            };
            file.members.retain(|m| m.staff_id != id);
            file.members.push(slot);
            let g = &mut file.generations[0];
            g.slots
                .retain(|s| s.staff_id.as_deref() != Some(id.as_str()));
            g.slots.push(staff_slot(
                &self.store_id,
                self.db_key.expose(),
                &id,
                secret.expose(),
                member_key.expose(),
            )?);
            changed = true;
        }
        if changed {
            file.write(&self.dir)?;
        }
        Ok(())
    }
}

/// A staff member's PIN slot as the home's (it opens on every device), kept with them, as a new
/// version of the member for the other devices.
pub(crate) fn keep_member_slot(conn: &Connection, slot: &MemberSlot) -> Result<()> {
    conn.execute(
        "UPDATE staff SET member_slot_json = ?1 WHERE id = ?2",
        params![to_json(slot)?, slot.staff_id],
    )?;
    new_version(conn, &slot.staff_id, &now())
}

/// A change of a staff member made here: a new version the home's other devices take.
pub(crate) fn new_version(conn: &Connection, staff_id: &str, at: &str) -> Result<()> {
    conn.execute(
        "UPDATE staff SET version_id = ?1, changed_at = ?2 WHERE id = ?3",
        params![crate::sync::new_global_id(), at, staff_id],
    )?;
    Ok(())
}

pub(crate) fn load_staff_actor(conn: &Connection, id: &str) -> Result<Actor> {
    let row: Option<(String, String, Option<String>)> = conn
        .query_row(
            "SELECT name, role_json, disabled_at FROM staff WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    match row {
        None => Err(StoreError::NoSuchStaff(id.to_string())),
        Some((name, _, Some(_))) => Err(StoreError::StaffDisabled(name)),
        Some((name, role, None)) => {
            let role = parse_role(&name, &role)?;
            if let StaffRole::Agency { ends_on } = role
                && ends_on < today()
            {
                return Err(StoreError::EngagementEnded(name, ends_on.to_string()));
            }
            Ok(Actor::Staff {
                id: id.to_string(),
                name,
                role,
            })
        }
    }
}

/// A role this build cannot read is damage: never quietly a keyworker (or anything else).
pub(crate) fn parse_role(name: &str, json: &str) -> Result<StaffRole> {
    serde_json::from_str(json).map_err(|e| damaged(format!("the role of {name}: {e}")))
}
