//! Home-wide settings, kept inside the encrypted database: the home's name, address and type,
//! readiness thresholds, the protective marking, the auto-lock time, and the sending settings and
//! directory edits the outbox uses.
//!
//! Why here and not in a file beside the database: the sending settings hold the SMTP password
//! and intake bearer tokens, and the home's address is personal data; only the encrypted
//! database may hold them.

use grabpack_core::ReadinessSettings;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::audit_action::AuditAction;
use crate::error::{Result, StoreError};
use crate::outbox::sha256_hex;
use crate::store::{Store, damaged, now, to_json};

/// What kind of placement this store serves: the words on the pack and the checklist differ a
/// little (a foster carer is not "staff on shift").
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HomeType {
    #[default]
    ChildrensHome,
    FosterHome,
    SupportedAccommodation,
    Other,
}

/// When repeat episodes call a strategy meeting: a local rule (one council's is 3 episodes in 30
/// days, the default), so each home sets its own.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StrategyMeetingRule {
    /// This many episodes (the one just closed included) ...
    pub episodes: u32,
    /// ... noticed within this many days raise the strategy-meeting flag.
    pub within_days: u32,
}

impl Default for StrategyMeetingRule {
    fn default() -> Self {
        Self {
            episodes: 3,
            within_days: 30,
        }
    }
}

impl StrategyMeetingRule {
    /// The window the episodes are counted in.
    pub fn window(self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_hours(i64::from(self.within_days) * 24)
    }

    /// A rule a home may set: at least 2 episodes (one episode is not a repeat) within 1 to 365
    /// days.
    pub fn check(self) -> Result<()> {
        if self.episodes < 2
            || self.episodes > 50
            || self.within_days == 0
            || self.within_days > 365
        {
            return Err(StoreError::BadStrategyRule {
                episodes: self.episodes,
                within_days: self.within_days,
            });
        }
        Ok(())
    }
}

/// Home-wide settings, kept encrypted in the store.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HomeSettings {
    pub home_name: String,
    /// The home's postal address (it goes to police with the pack's cover note).
    pub home_address: String,
    pub home_type: HomeType,
    pub readiness: ReadinessSettings,
    /// Printed on every page of every pack.
    pub protective_marking: String,
    pub auto_lock_minutes: u32,
    /// When repeat episodes raise a strategy-meeting flag.
    pub strategy_meeting: StrategyMeetingRule,
}

impl Default for HomeSettings {
    fn default() -> Self {
        Self {
            home_name: String::new(),
            home_address: String::new(),
            home_type: HomeType::default(),
            readiness: ReadinessSettings::default(),
            protective_marking: "OFFICIAL-SENSITIVE".into(),
            auto_lock_minutes: 5,
            strategy_meeting: StrategyMeetingRule::default(),
        }
    }
}

/// The home settings as the connection (or a transaction on it) sees them.
pub(crate) fn settings_in(conn: &rusqlite::Connection) -> Result<HomeSettings> {
    let json: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'settings'", [], |r| {
            r.get(0)
        })
        .optional()?;
    // No row yet (a store created before settings existed) is the defaults; a row this build
    // cannot read is damage, not a reason to forget the home's marking and address.
    match json {
        None => Ok(HomeSettings::default()),
        Some(j) => serde_json::from_str(&j).map_err(|e| damaged(format!("home settings: {e}"))),
    }
}

impl Store {
    pub fn settings(&self) -> Result<HomeSettings> {
        settings_in(&self.conn)
    }

    /// Change only the strategy-meeting rule (a manager's setting), checked, audited.
    pub fn set_strategy_meeting_rule(&mut self, rule: StrategyMeetingRule) -> Result<()> {
        rule.check()?;
        let mut settings = self.settings()?;
        settings.strategy_meeting = rule;
        self.set_settings(&settings)
    }

    pub fn set_settings(&mut self, settings: &HomeSettings) -> Result<()> {
        self.require_admin()?;
        settings.strategy_meeting.check()?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('settings', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [to_json(settings)?],
        )?;
        // Which save this is, for the home's other devices (`sync`): the newest save wins there.
        crate::sync::note_settings_saved(&tx, &self.actor.id())?;
        audit::append(
            &tx,
            &now(),
            &self.actor.id(),
            AuditAction::SettingsChanged.as_str(),
            None,
            "",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Where an intake's acknowledgement feed was read up to.
    pub fn intake_cursor(&self, base_url: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT cursor FROM intake_cursors WHERE base_url = ?1",
                [base_url],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn set_intake_cursor(&mut self, base_url: &str, cursor: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO intake_cursors (base_url, cursor) VALUES (?1, ?2) ON CONFLICT (base_url) DO UPDATE SET cursor = excluded.cursor",
            params![base_url, cursor],
        )?;
        Ok(())
    }

    /// Sending settings (SMTP, intakes, the home's police unit) as JSON, kept encrypted in the
    /// store because they hold the SMTP password and bearer tokens: the JSON text is handed out
    /// as a sensitive value (zeroised when dropped), never as a plain string.
    pub fn send_settings_json(&self) -> Result<Option<crate::Sensitive<String>>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT value FROM meta WHERE key = 'send_settings'",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(crate::Sensitive::new))
    }

    /// Replace the sending settings (managers only). The audit names what changed, never a secret.
    pub fn set_send_settings_json(&mut self, json: &str, summary: &str) -> Result<()> {
        if !self.actor().can_administer() {
            return Err(StoreError::NotPermitted);
        }
        let at = now();
        let actor = self.actor().id();
        let tx = self.conn_mut().transaction()?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('send_settings', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [json],
        )?;
        audit::append(
            &tx,
            &at,
            &actor,
            AuditAction::SendSettingsChanged.as_str(),
            None,
            summary,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The home's edits to the police directory: the newest entry per unit, by when it was
    /// saved and then by its id, so every device of the home shows the same one whichever
    /// device's edit arrived last.
    pub fn directory_overrides(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn().prepare(
            "SELECT unit_id, entry_json, saved_at, coalesce(global_id, ''), seq FROM directory_entries",
        )?;
        type Key = (Option<Timestamp>, String, i64);
        let mut newest: std::collections::BTreeMap<String, (Key, String)> =
            std::collections::BTreeMap::new();
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (unit, json, saved_at, gid, seq) = row?;
            let key: Key = (saved_at.parse().ok(), gid, seq);
            if newest.get(&unit).is_none_or(|(k, _)| key > *k) {
                newest.insert(unit, (key, json));
            }
        }
        Ok(newest.into_iter().map(|(u, (_, j))| (u, j)).collect())
    }

    /// Save an edited directory entry (managers only); earlier versions are kept.
    pub fn save_directory_entry(&mut self, unit_id: &str, entry_json: &str) -> Result<()> {
        if !self.actor().can_administer() {
            return Err(StoreError::NotPermitted);
        }
        let at = now();
        let actor = self.actor().id();
        let tx = self.conn_mut().transaction()?;
        tx.execute(
            "INSERT INTO directory_entries (unit_id, entry_json, saved_at, saved_by, global_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![unit_id, entry_json, at, actor, crate::sync::new_global_id()],
        )?;
        audit::append(
            &tx,
            &at,
            &actor,
            AuditAction::DirectoryEdited.as_str(),
            None,
            &format!(
                "unit {unit_id}; sha256 {}",
                sha256_hex(entry_json.as_bytes())
            ),
        )?;
        tx.commit()?;
        Ok(())
    }
}
