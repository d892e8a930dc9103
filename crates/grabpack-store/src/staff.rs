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
use crate::keyslots::SlotFile;
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
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, role_json, created_at, disabled_at, member_key IS NOT NULL OR pin_key IS NOT NULL FROM staff ORDER BY name")?;
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
            let new = new_member_slot(&self.store_id, &id, name, &role, None, pin.expose())?;
            material = Some((new, device_secret));
        }
        let at = now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO staff (id, name, role_json, created_at, member_key) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                name,
                to_json(&role)?,
                at,
                material.as_ref().map(|(new, _)| &new.member_key.expose()[..]),
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

    /// Disable a staff member: their PIN stops working at once; their history stays theirs.
    pub fn disable_staff(&mut self, name: &str) -> Result<()> {
        self.require_admin()?;
        let all = self.staff()?;
        let member = all
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name.trim()) && s.disabled_at.is_none())
            .ok_or_else(|| StoreError::NoSuchStaff(name.to_string()))?;
        let active_managers = all
            .iter()
            .filter(|s| s.disabled_at.is_none() && s.role == StaffRole::Manager)
            .count();
        if member.role == StaffRole::Manager && active_managers <= 1 {
            return Err(StoreError::LastManager(member.name.clone()));
        }
        // Slot first: a crash after this leaves a disabled-in-slots member who can no longer
        // unlock, which is the safe half of the change.
        let mut file = SlotFile::read(&self.dir)?;
        for g in &mut file.generations {
            g.slots
                .retain(|s| s.staff_id.as_deref() != Some(member.id.as_str()));
        }
        file.members.retain(|m| m.staff_id != member.id);
        file.write(&self.dir)?;
        let at = now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE staff SET disabled_at = ?1 WHERE id = ?2",
            params![at, member.id],
        )?;
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            AuditAction::StaffDisabled.as_str(),
            None,
            &member.name,
        )?;
        tx.commit()?;
        Ok(())
    }
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
fn parse_role(name: &str, json: &str) -> Result<StaffRole> {
    serde_json::from_str(json).map_err(|e| damaged(format!("the role of {name}: {e}")))
}
