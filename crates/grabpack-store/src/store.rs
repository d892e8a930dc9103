//! The unlocked store: one encrypted database and the key slots beside it.
//!
//! Every change is one SQLite transaction that also appends its audit row, so a crash at any
//! instant leaves either the whole change with its audit entry or neither. Forms are never
//! updated in place: each save is a new immutable revision (triggers refuse UPDATE and DELETE).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use grabpack_core::diff::{FieldChange, diff};
use grabpack_core::interchange::{ChildDocument, ImportedChild, PhotoRecord};
use grabpack_core::readiness::{PhotoFact, age_on, assess};
use grabpack_core::validate::validate;
use grabpack_core::{
    ChildForm, PhotoKind, Readiness, ReadinessFacts, ReadinessSettings, StaffRole,
};
use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit::{self, AuditEntry, ChainReport};
use crate::db;
use crate::error::{Result, StoreError};
use crate::keychain::DeviceKeychain;
use crate::keyslots::{self, Generation, PinInput, SlotFile, SlotKind, SlotSecret};
use crate::secret::{Sensitive, format_recovery_key, parse_recovery_key, random_bytes, random_key};

const FAILURES_FILE: &str = "unlock-failures.jsonl";
/// Failed unlocks allowed before a wait is imposed.
pub const FREE_ATTEMPTS: usize = 5;

/// Who is acting: every revision and audit row names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    Staff {
        id: String,
        name: String,
        role: StaffRole,
    },
    /// Unlocked with the passphrase (a headless machine or an administrator).
    Passphrase,
    /// Unlocked with the recovery key from the home's safe.
    RecoveryKey,
}

impl Actor {
    /// The id kept in revisions and the audit log.
    pub fn id(&self) -> String {
        match self {
            Self::Staff { id, .. } => format!("staff:{id}"),
            Self::Passphrase => "passphrase".into(),
            Self::RecoveryKey => "recovery-key".into(),
        }
    }

    pub fn display_name(&self) -> String {
        match self {
            Self::Staff { name, .. } => name.clone(),
            Self::Passphrase => "Passphrase holder".into(),
            Self::RecoveryKey => "Recovery key holder".into(),
        }
    }

    /// Managers, and whoever holds the passphrase or the recovery key, administer the store.
    pub fn can_administer(&self) -> bool {
        !matches!(
            self,
            Self::Staff {
                role: StaffRole::Keyworker | StaffRole::Agency { .. },
                ..
            }
        )
    }
}

/// How a person proves they may open the store.
#[derive(Debug)]
pub enum Credential<'a> {
    Pin {
        staff_name: &'a str,
        pin: &'a Sensitive<String>,
    },
    Passphrase(&'a Sensitive<String>),
    RecoveryKey(&'a Sensitive<String>),
}

impl Credential<'_> {
    fn method(&self) -> &'static str {
        match self {
            Self::Pin { .. } => "pin",
            Self::Passphrase(_) => "passphrase",
            Self::RecoveryKey(_) => "recovery_key",
        }
    }
}

/// What a new store needs.
#[derive(Debug)]
pub struct Setup {
    pub home_name: String,
    pub manager_name: String,
    /// The first manager's PIN (needs a keychain on this device).
    pub manager_pin: Option<Sensitive<String>>,
    /// For machines with no keychain, and for administrators.
    pub passphrase: Option<Sensitive<String>>,
}

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
        }
    }
}

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

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisionInfo {
    pub seq: i64,
    pub kind: String,
    pub saved_at: String,
    pub saved_by: String,
    pub saved_by_name: String,
    pub changed_paths: Vec<String>,
    pub note: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhotoInfo {
    pub id: String,
    pub kind: PhotoKind,
    pub taken_on: Option<Date>,
    pub added_at: String,
    pub width: u32,
    pub height: u32,
    pub sha256: String,
}

/// A child's current record.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChildRecord {
    pub id: String,
    pub form: ChildForm,
    pub revision: RevisionInfo,
    pub archived_at: Option<String>,
    /// Newest first: face photos lead, then by date taken.
    pub photos: Vec<PhotoInfo>,
}

/// One card on the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DashboardRow {
    pub id: String,
    pub legal_name: String,
    pub known_as: Vec<String>,
    pub age: Option<i16>,
    pub readiness: Readiness,
    pub face_photo_id: Option<String>,
}

/// What a pack is built from (see [`Store::pack_material`]).
#[derive(Clone, PartialEq)]
pub struct PackMaterial {
    pub child_id: String,
    pub revision: i64,
    pub form: ChildForm,
    pub photos: Vec<PackMaterialPhoto>,
    /// The child's own marking if set, else the home's.
    pub marking: String,
}

#[derive(Clone, PartialEq)]
pub struct PackMaterialPhoto {
    pub kind: PhotoKind,
    pub taken_on: Option<Date>,
    pub jpeg: Vec<u8>,
}

/// Never prints the form or the photos: a child's record must not reach a log by accident.
impl std::fmt::Debug for PackMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackMaterial")
            .field("child_id", &self.child_id)
            .field("revision", &self.revision)
            .field("photos", &self.photos.len())
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for PackMaterialPhoto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PackMaterialPhoto({:?}, {} bytes)",
            self.kind,
            self.jpeg.len()
        )
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct FailedUnlock {
    at: String,
    method: String,
    #[serde(default)]
    staff: Option<String>,
    reason: String,
}

/// An open, unlocked store.
pub struct Store {
    conn: Connection,
    dir: PathBuf,
    store_id: String,
    actor: Actor,
    keychain: Option<Arc<dyn DeviceKeychain>>,
    db_key: Sensitive<[u8; 32]>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .field("actor", &self.actor)
            .finish_non_exhaustive()
    }
}

fn now() -> String {
    Timestamp::now().to_string()
}

fn check_pin(pin: &str) -> Result<()> {
    if (4..=12).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(StoreError::PinFormat)
    }
}

fn check_passphrase(p: &str) -> Result<()> {
    if p.chars().count() >= 12 {
        Ok(())
    } else {
        Err(StoreError::PassphraseTooShort)
    }
}

/// The staff who can unlock with a PIN on this device, for the unlock screen's picker. Read from
/// the key slots beside the database (names only, nothing about any child), newest generation, in
/// the order they were added.
pub fn staff_on_this_device(dir: &Path) -> Result<Vec<String>> {
    let file = SlotFile::read(dir)?;
    let mut names: Vec<String> = Vec::new();
    if let Some(generation) = file.generations.first() {
        for slot in &generation.slots {
            if slot.kind == SlotKind::DevicePin
                && let Some(name) = &slot.staff_name
                && !names.contains(name)
            {
                names.push(name.clone());
            }
        }
    }
    Ok(names)
}

/// True when a store exists in `dir`.
pub fn exists(dir: &Path) -> bool {
    dir.join(db::FILE_NAME).exists()
}

impl Store {
    /// Create a new store in `dir`. Returns it unlocked as the first manager, with the recovery
    /// key to print: it is shown once and never stored in the clear.
    pub fn create(
        dir: &Path,
        setup: Setup,
        keychain: Option<Arc<dyn DeviceKeychain>>,
    ) -> Result<(Store, Sensitive<String>)> {
        if exists(dir) {
            return Err(StoreError::AlreadyInitialised);
        }
        if let Some(pin) = &setup.manager_pin {
            check_pin(pin.expose())?;
        }
        if let Some(p) = &setup.passphrase {
            check_passphrase(p.expose())?;
        }
        if setup.manager_pin.is_some() && keychain.is_none() {
            return Err(StoreError::KeychainUnavailable(
                "a PIN needs the system keychain on this device".into(),
            ));
        }
        std::fs::create_dir_all(dir)?;
        let store_id = uuid::Uuid::new_v4().to_string();
        let db_key = random_key()?;
        let recovery = random_key()?;
        let manager_id = uuid::Uuid::new_v4().to_string();

        let mut generation = Generation {
            created_at: now(),
            slots: vec![keyslots::make_slot(
                &store_id,
                db_key.expose(),
                &SlotSecret::Recovery(recovery.expose()),
            )?],
        };
        if let Some(p) = &setup.passphrase {
            generation.slots.push(keyslots::make_slot(
                &store_id,
                db_key.expose(),
                &SlotSecret::Passphrase(p.expose()),
            )?);
        }
        let mut pin_material = None;
        if let (Some(pin), Some(kc)) = (&setup.manager_pin, &keychain) {
            let device_secret = random_key()?;
            kc.save(&store_id, device_secret.expose())?;
            let pin_salt: [u8; 16] = random_bytes()?;
            let pin_key = keyslots::pin_key(pin.expose(), &pin_salt)?;
            let mut slot = keyslots::make_slot(
                &store_id,
                db_key.expose(),
                &SlotSecret::DevicePin {
                    staff_id: &manager_id,
                    device_secret: device_secret.expose(),
                    pin: PinInput::Key {
                        pin_key: pin_key.expose(),
                        pin_salt: &pin_salt,
                    },
                },
            )?;
            slot.staff_name = Some(setup.manager_name.clone());
            generation.slots.push(slot);
            pin_material = Some((pin_salt, pin_key));
        }
        let mut file = SlotFile::new(&store_id);
        file.generations.push(generation);
        // Slots first: a database must never exist that no slot opens.
        file.write(dir)?;

        let mut conn = db::open(&dir.join(db::FILE_NAME), db_key.expose(), true)?;
        db::prepare(&mut conn)?;
        let role = StaffRole::Manager;
        let at = now();
        let settings = HomeSettings {
            home_name: setup.home_name.clone(),
            ..HomeSettings::default()
        };
        {
            let tx = conn.transaction()?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('store_id', ?1)",
                [&store_id],
            )?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('settings', ?1)",
                [serde_json::to_string(&settings).unwrap_or_default()],
            )?;
            tx.execute(
                "INSERT INTO staff (id, name, role_json, created_at, pin_salt, pin_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    manager_id,
                    setup.manager_name,
                    serde_json::to_string(&role).unwrap_or_default(),
                    at,
                    pin_material.as_ref().map(|(s, _)| s.to_vec()),
                    pin_material.as_ref().map(|(_, k)| k.expose().to_vec()),
                ],
            )?;
            let actor = format!("staff:{manager_id}");
            audit::append(
                &tx,
                &at,
                &actor,
                "store_created",
                None,
                &format!("home: {}", setup.home_name),
            )?;
            audit::append(
                &tx,
                &at,
                &actor,
                "staff_added",
                None,
                &format!("{} (manager)", setup.manager_name),
            )?;
            tx.commit()?;
        }
        let store = Store {
            conn,
            dir: dir.to_path_buf(),
            store_id,
            actor: Actor::Staff {
                id: manager_id,
                name: setup.manager_name,
                role,
            },
            keychain,
            db_key,
        };
        Ok((store, format_recovery_key(recovery.expose())))
    }

    /// Open an existing store. A wrong secret is refused before the database is touched, and
    /// recorded in a small journal beside it that joins the audit log at the next good unlock.
    pub fn unlock(
        dir: &Path,
        credential: Credential<'_>,
        keychain: Option<Arc<dyn DeviceKeychain>>,
    ) -> Result<Store> {
        if !exists(dir) {
            return Err(StoreError::NotInitialised);
        }
        let file = SlotFile::read(dir)?;
        let failures = read_failures(dir);
        if let Some(seconds) = lockout_remaining(&failures) {
            return Err(StoreError::TooManyAttempts { seconds });
        }
        let staff_name = match &credential {
            Credential::Pin { staff_name, .. } => Some(staff_name.to_string()),
            _ => None,
        };
        match Self::try_unlock(dir, &file, &credential, keychain.clone()) {
            Ok((mut store, winning_generation)) => {
                store.after_unlock(&file, winning_generation, credential.method(), failures)?;
                Ok(store)
            }
            Err(e) => {
                if matches!(
                    e,
                    StoreError::WrongSecret
                        | StoreError::NoSuchStaff(_)
                        | StoreError::NoPinSlot(_)
                        | StoreError::DeviceSecretMissing
                        | StoreError::RecoveryKeyFormat
                        | StoreError::NoPassphraseSlot
                        | StoreError::StaffDisabled(_)
                        | StoreError::EngagementEnded(..)
                ) {
                    record_failure(dir, credential.method(), staff_name, e.code());
                }
                Err(e)
            }
        }
    }

    fn try_unlock(
        dir: &Path,
        file: &SlotFile,
        credential: &Credential<'_>,
        keychain: Option<Arc<dyn DeviceKeychain>>,
    ) -> Result<(Store, usize)> {
        let store_id = file.store_id.as_str();
        let recovery;
        let device_secret;
        let mut staff: Option<(String, String)> = None;
        let secret = match credential {
            Credential::Passphrase(p) => {
                if !file
                    .generations
                    .iter()
                    .any(|g| g.slots.iter().any(|s| s.kind == SlotKind::Passphrase))
                {
                    return Err(StoreError::NoPassphraseSlot);
                }
                SlotSecret::Passphrase(p.expose())
            }
            Credential::RecoveryKey(k) => {
                recovery = parse_recovery_key(k.expose())?;
                SlotSecret::Recovery(recovery.expose())
            }
            Credential::Pin { staff_name, pin } => {
                let slot = file
                    .generations
                    .iter()
                    .flat_map(|g| g.slots.iter())
                    .find(|s| {
                        s.kind == SlotKind::DevicePin
                            && s.staff_name
                                .as_deref()
                                .is_some_and(|n| n.eq_ignore_ascii_case(staff_name))
                    })
                    .ok_or_else(|| StoreError::NoPinSlot(staff_name.to_string()))?;
                let id = slot.staff_id.clone().unwrap_or_default();
                staff = Some((id, slot.staff_name.clone().unwrap_or_default()));
                let kc = keychain.as_ref().ok_or_else(|| {
                    StoreError::KeychainUnavailable("no keychain on this device".into())
                })?;
                device_secret = kc.load(store_id)?.ok_or(StoreError::DeviceSecretMissing)?;
                SlotSecret::DevicePin {
                    staff_id: staff.as_ref().map(|(id, _)| id.as_str()).unwrap_or(""),
                    device_secret: device_secret.expose(),
                    pin: PinInput::Pin(pin.expose()),
                }
            }
        };
        let mut last_err = StoreError::WrongSecret;
        for (i, generation) in file.generations.iter().enumerate() {
            let key = match keyslots::open_slot(store_id, generation, &secret) {
                Ok(Some(k)) => k,
                Ok(None) => continue,
                Err(e) => {
                    last_err = e;
                    continue;
                }
            };
            let mut conn = match db::open(&dir.join(db::FILE_NAME), key.expose(), false) {
                Ok(c) => c,
                // An older or newer generation may be the one the database is under (a rotation
                // that was cut short): try the others before calling it damaged.
                Err(e @ StoreError::Damaged(_)) => {
                    last_err = e;
                    continue;
                }
                Err(e) => return Err(e),
            };
            db::prepare(&mut conn)?;
            let actor = match (credential, &staff) {
                (Credential::Pin { .. }, Some((id, _))) => load_staff_actor(&conn, id)?,
                (Credential::RecoveryKey(_), _) => Actor::RecoveryKey,
                _ => Actor::Passphrase,
            };
            let store = Store {
                conn,
                dir: dir.to_path_buf(),
                store_id: store_id.to_string(),
                actor,
                keychain,
                db_key: key,
            };
            return Ok((store, i));
        }
        Err(last_err)
    }

    fn after_unlock(
        &mut self,
        file: &SlotFile,
        winning: usize,
        method: &str,
        failures: Vec<FailedUnlock>,
    ) -> Result<()> {
        let at = now();
        let actor = self.actor.id();
        let tx = self.conn.transaction()?;
        for f in &failures {
            let detail = format!(
                "method: {}; {}reason: {}",
                f.method,
                f.staff
                    .as_ref()
                    .map(|s| format!("staff: {s}; "))
                    .unwrap_or_default(),
                f.reason
            );
            audit::append(&tx, &f.at, "unknown", "unlock_failed", None, &detail)?;
        }
        audit::append(
            &tx,
            &at,
            &actor,
            "unlock",
            None,
            &format!("method: {method}"),
        )?;
        tx.commit()?;
        if !failures.is_empty() {
            let _ = std::fs::remove_file(self.dir.join(FAILURES_FILE));
        }
        if file.generations.len() > 1 {
            // A rotation was cut short: keep only the generation the database is really under.
            let mut kept = file.clone();
            kept.generations = vec![file.generations[winning].clone()];
            kept.write(&self.dir)?;
        }
        Ok(())
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn store_id(&self) -> &str {
        &self.store_id
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn require_admin(&self) -> Result<()> {
        if self.actor.can_administer() {
            Ok(())
        } else {
            Err(StoreError::NotPermitted)
        }
    }

    /// Append an audit entry on its own (for actions outside the store, such as rendering a pack).
    pub fn record(&mut self, action: &str, child_id: Option<&str>, detail: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        audit::append(&tx, &now(), &self.actor.id(), action, child_id, detail)?;
        tx.commit()?;
        Ok(())
    }

    // ----- settings -----

    pub fn settings(&self) -> Result<HomeSettings> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'settings'", [], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(json
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default())
    }

    pub fn set_settings(&mut self, settings: &HomeSettings) -> Result<()> {
        self.require_admin()?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('settings', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [serde_json::to_string(settings).unwrap_or_default()],
        )?;
        audit::append(&tx, &now(), &self.actor.id(), "settings_changed", None, "")?;
        tx.commit()?;
        Ok(())
    }

    // ----- children and revisions -----

    /// Add a child with their first revision.
    pub fn create_child(&mut self, form: &ChildForm, note: &str) -> Result<String> {
        validate(form, today()).map_err(StoreError::FormInvalid)?;
        let id = uuid::Uuid::new_v4().to_string();
        let at = now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO children (id, created_at) VALUES (?1, ?2)",
            params![id, at],
        )?;
        let changed = diff(&ChildForm::default(), form);
        insert_revision(
            &tx,
            &id,
            1,
            "create",
            &at,
            &self.actor,
            form,
            &changed,
            note,
        )?;
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            "child_created",
            Some(&id),
            &format!("revision 1; {} fields", changed.len()),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Save an edited form as a new revision. A save that changes nothing is recorded as
    /// "reviewed, no changes".
    pub fn save_form(
        &mut self,
        child_id: &str,
        form: &ChildForm,
        note: &str,
    ) -> Result<RevisionInfo> {
        validate(form, today()).map_err(StoreError::FormInvalid)?;
        let at = now();
        let tx = self.conn.transaction()?;
        let (seq, archived) = latest_seq(&tx, child_id)?;
        if archived {
            return Err(StoreError::ChildArchived);
        }
        let previous = load_form(&tx, child_id, seq)?;
        let changed = diff(&previous, form);
        let kind = if changed.is_empty() { "review" } else { "edit" };
        insert_revision(
            &tx,
            child_id,
            seq + 1,
            kind,
            &at,
            &self.actor,
            form,
            &changed,
            note,
        )?;
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            if changed.is_empty() {
                "reviewed"
            } else {
                "edited"
            },
            Some(child_id),
            &format!(
                "revision {}; changed: {}",
                seq + 1,
                paths(&changed).join(", ")
            ),
        )?;
        tx.commit()?;
        self.revision_info(child_id, seq + 1)
    }

    /// Stamp "reviewed, no changes": the current form, confirmed by the person now.
    pub fn review(&mut self, child_id: &str, note: &str) -> Result<RevisionInfo> {
        let at = now();
        let tx = self.conn.transaction()?;
        let (seq, archived) = latest_seq(&tx, child_id)?;
        if archived {
            return Err(StoreError::ChildArchived);
        }
        let form = load_form(&tx, child_id, seq)?;
        insert_revision(
            &tx,
            child_id,
            seq + 1,
            "review",
            &at,
            &self.actor,
            &form,
            &[],
            note,
        )?;
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            "reviewed",
            Some(child_id),
            &format!("revision {}", seq + 1),
        )?;
        tx.commit()?;
        self.revision_info(child_id, seq + 1)
    }

    /// Archive a child who left the placement: kept read-only, out of the dashboard.
    pub fn archive(&mut self, child_id: &str) -> Result<()> {
        self.require_admin()?;
        let at = now();
        let tx = self.conn.transaction()?;
        let (_, archived) = latest_seq(&tx, child_id)?;
        if archived {
            return Err(StoreError::ChildArchived);
        }
        tx.execute(
            "UPDATE children SET archived_at = ?1 WHERE id = ?2",
            params![at, child_id],
        )?;
        audit::append(&tx, &at, &self.actor.id(), "archived", Some(child_id), "")?;
        tx.commit()?;
        Ok(())
    }

    /// The child's current record; viewing is audited.
    pub fn child(&mut self, child_id: &str) -> Result<ChildRecord> {
        let record = self.child_unaudited(child_id)?;
        self.record(
            "viewed",
            Some(child_id),
            &format!("revision {}", record.revision.seq),
        )?;
        Ok(record)
    }

    /// The current record without an audit entry, for internal use by other store operations
    /// (export, render) that audit their own action.
    pub fn child_unaudited(&self, child_id: &str) -> Result<ChildRecord> {
        let (seq, _) = latest_seq(&self.conn, child_id)?;
        let archived_at: Option<String> = self.conn.query_row(
            "SELECT archived_at FROM children WHERE id = ?1",
            [child_id],
            |r| r.get(0),
        )?;
        Ok(ChildRecord {
            id: child_id.to_string(),
            form: load_form(&self.conn, child_id, seq)?,
            revision: self.revision_info(child_id, seq)?,
            archived_at,
            photos: self.photos(child_id)?,
        })
    }

    /// Find a child by id (or its first 8+ characters) or by part of a name or known-as name.
    pub fn find_child(&self, query: &str) -> Result<String> {
        let q = query.trim();
        let mut stmt = self.conn.prepare(
            "SELECT c.id, r.form_json FROM children c JOIN revisions r ON r.child_id = c.id AND r.seq = c.latest_seq",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let lower = q.to_lowercase();
        let mut by_name = Vec::new();
        for row in rows {
            let (id, json) = row?;
            if id == q || (q.len() >= 8 && id.starts_with(q)) {
                return Ok(id);
            }
            let form: ChildForm = serde_json::from_str(&json).unwrap_or_default();
            let names =
                std::iter::once(&form.identity.legal_name).chain(form.identity.known_as.iter());
            if !q.is_empty() && names.into_iter().any(|n| n.to_lowercase().contains(&lower)) {
                by_name.push(id);
            }
        }
        match by_name.len() {
            1 => Ok(by_name.remove(0)),
            0 => Err(StoreError::ChildNotFound(q.to_string())),
            _ => Err(StoreError::ChildAmbiguous(q.to_string())),
        }
    }

    pub fn history(&self, child_id: &str) -> Result<Vec<RevisionInfo>> {
        latest_seq(&self.conn, child_id)?;
        let mut stmt = self.conn.prepare(
            "SELECT seq, kind, saved_at, saved_by, saved_by_name, changed_paths, note FROM revisions WHERE child_id = ?1 ORDER BY seq DESC",
        )?;
        let rows = stmt.query_map([child_id], revision_from_row)?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    pub fn revision_form(&self, child_id: &str, seq: i64) -> Result<ChildForm> {
        load_form(&self.conn, child_id, seq)
    }

    /// Field-level differences between two revisions of one child.
    pub fn diff(&self, child_id: &str, from_seq: i64, to_seq: i64) -> Result<Vec<FieldChange>> {
        Ok(diff(
            &self.revision_form(child_id, from_seq)?,
            &self.revision_form(child_id, to_seq)?,
        ))
    }

    fn revision_info(&self, child_id: &str, seq: i64) -> Result<RevisionInfo> {
        self.conn
            .query_row(
                "SELECT seq, kind, saved_at, saved_by, saved_by_name, changed_paths, note FROM revisions WHERE child_id = ?1 AND seq = ?2",
                params![child_id, seq],
                revision_from_row,
            )
            .optional()?
            .ok_or(StoreError::RevisionNotFound(seq))
    }

    /// Every child not archived, with readiness, sorted so what needs attention comes first.
    pub fn dashboard(&self, today: Date) -> Result<Vec<DashboardRow>> {
        let settings = self.settings()?.readiness;
        let mut photo_facts: std::collections::HashMap<String, ChildPhotoFacts> =
            std::collections::HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT p.child_id, p.id, p.kind, p.taken_on FROM photos p JOIN children c ON c.id = p.child_id WHERE c.archived_at IS NULL")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })?;
            for row in rows {
                let (child, photo_id, kind, taken) = row?;
                let kind = PhotoKind::parse(&kind).unwrap_or(PhotoKind::Mark);
                let taken_on = taken.and_then(|t| t.parse::<Date>().ok());
                let entry = photo_facts.entry(child).or_default();
                entry.0.push(PhotoFact { kind, taken_on });
                if kind == PhotoKind::Face {
                    let d = taken_on.unwrap_or(Date::MIN);
                    if entry.1.as_ref().is_none_or(|(best, _)| d >= *best) {
                        entry.1 = Some((d, photo_id));
                    }
                }
            }
        }
        let closed = last_episode_closed(&self.conn, None)?;
        let mut stmt = self.conn.prepare(
            "SELECT c.id, r.form_json,
                    (SELECT max(saved_at) FROM revisions l WHERE l.child_id = c.id AND l.kind != 'import')
             FROM children c
             JOIN revisions r ON r.child_id = c.id AND r.seq = c.latest_seq
             WHERE c.archived_at IS NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, json, saved_at) = row?;
            let form: ChildForm = serde_json::from_str(&json).unwrap_or_default();
            let (photos, face) = photo_facts.remove(&id).unwrap_or_default();
            let facts = ReadinessFacts {
                photos,
                last_reviewed: last_reviewed(saved_at.as_deref(), &form),
                last_episode_closed: closed.get(&id).copied(),
            };
            let readiness = assess(&form, &facts, &settings, today);
            out.push(DashboardRow {
                age: form.identity.date_of_birth.and_then(|d| age_on(d, today)),
                legal_name: form.identity.legal_name,
                known_as: form.identity.known_as,
                readiness,
                face_photo_id: face.map(|(_, id)| id),
                id,
            });
        }
        out.sort_by(|a, b| {
            a.readiness
                .state
                .cmp(&b.readiness.state)
                .then_with(|| b.readiness.reasons.len().cmp(&a.readiness.reasons.len()))
                .then_with(|| a.legal_name.cmp(&b.legal_name))
        });
        Ok(out)
    }

    /// Readiness of one child today.
    pub fn readiness(&self, child_id: &str, today: Date) -> Result<Readiness> {
        let record = self.child_unaudited(child_id)?;
        let local: Option<String> = self.conn.query_row(
            "SELECT max(saved_at) FROM revisions WHERE child_id = ?1 AND kind != 'import'",
            [child_id],
            |r| r.get(0),
        )?;
        let facts = ReadinessFacts {
            photos: record
                .photos
                .iter()
                .map(|p| PhotoFact {
                    kind: p.kind,
                    taken_on: p.taken_on,
                })
                .collect(),
            last_reviewed: last_reviewed(local.as_deref(), &record.form),
            last_episode_closed: last_episode_closed(&self.conn, Some(&record.id))?
                .get(&record.id)
                .copied(),
        };
        Ok(assess(
            &record.form,
            &facts,
            &self.settings()?.readiness,
            today,
        ))
    }

    // ----- photos -----

    /// Take a photo from a file's bytes: checked, turned upright, stripped of all metadata,
    /// scaled, and stored inside the encrypted database. `taken_on` overrides the camera's date.
    pub fn add_photo(
        &mut self,
        child_id: &str,
        bytes: &[u8],
        kind: PhotoKind,
        taken_on: Option<Date>,
    ) -> Result<PhotoInfo> {
        let processed = grabpack_photo::process(bytes, &grabpack_photo::PhotoLimits::default())?;
        let taken = taken_on.or_else(|| processed.taken_at.map(|t| t.date()));
        let at = now();
        let tx = self.conn.transaction()?;
        let (_, archived) = latest_seq(&tx, child_id)?;
        if archived {
            return Err(StoreError::ChildArchived);
        }
        let info = insert_photo_row(
            &tx,
            child_id,
            kind,
            taken,
            &at,
            &self.actor.id(),
            &processed.jpeg,
            (processed.width, processed.height),
        )?;
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            "photo_added",
            Some(child_id),
            &format!(
                "{} photo {}, taken {}, sha256 {}",
                kind.as_str(),
                info.id,
                taken
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "unknown".into()),
                info.sha256
            ),
        )?;
        tx.commit()?;
        Ok(info)
    }

    /// A child's photos, face photos first, each kind newest first.
    pub fn photos(&self, child_id: &str) -> Result<Vec<PhotoInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, kind, taken_on, added_at, width, height, sha256 FROM photos WHERE child_id = ?1
             ORDER BY CASE kind WHEN 'face' THEN 0 WHEN 'full_length' THEN 1 ELSE 2 END,
                      taken_on IS NULL, taken_on DESC, added_at DESC",
        )?;
        let rows = stmt.query_map([child_id], |r| {
            Ok(PhotoInfo {
                id: r.get(0)?,
                kind: PhotoKind::parse(&r.get::<_, String>(1)?).unwrap_or(PhotoKind::Mark),
                taken_on: r.get::<_, Option<String>>(2)?.and_then(|t| t.parse().ok()),
                added_at: r.get(3)?,
                width: r.get(4)?,
                height: r.get(5)?,
                sha256: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    pub fn photo_jpeg(&self, photo_id: &str) -> Result<Vec<u8>> {
        self.conn
            .query_row("SELECT jpeg FROM photos WHERE id = ?1", [photo_id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::ChildNotFound(format!("photo {photo_id}")))
    }

    /// Everything a grab pack is built from, read in one go: the current form and revision, every
    /// photo (face photos first, newest first) with its bytes, and the marking to print.
    pub fn pack_material(&self, child_id: &str) -> Result<PackMaterial> {
        let record = self.child_unaudited(child_id)?;
        let mut photos = Vec::with_capacity(record.photos.len());
        for p in &record.photos {
            photos.push(PackMaterialPhoto {
                kind: p.kind,
                taken_on: p.taken_on,
                jpeg: self.photo_jpeg(&p.id)?,
            });
        }
        let settings = self.settings()?;
        let marking = if record
            .form
            .administration
            .protective_marking
            .trim()
            .is_empty()
        {
            settings.protective_marking
        } else {
            record.form.administration.protective_marking.clone()
        };
        Ok(PackMaterial {
            child_id: record.id,
            revision: record.revision.seq,
            form: record.form,
            photos,
            marking,
        })
    }

    // ----- interchange -----

    /// The child as a document for the next placement. Audited; the caller decides where it goes.
    pub fn export(&mut self, child_id: &str) -> Result<ChildDocument> {
        let record = self.child_unaudited(child_id)?;
        let mut photos = Vec::new();
        for p in &record.photos {
            let added: Timestamp = p.added_at.parse().unwrap_or(Timestamp::UNIX_EPOCH);
            photos.push(PhotoRecord::new(
                p.kind,
                p.taken_on,
                added,
                &self.photo_jpeg(&p.id)?,
            ));
        }
        self.record(
            "exported",
            Some(child_id),
            &format!("revision {}; {} photos", record.revision.seq, photos.len()),
        )?;
        Ok(ChildDocument::new(
            Timestamp::now(),
            child_id.to_string(),
            record.form,
            photos,
        ))
    }

    /// Import a child from a document: the form is validated, each photo re-checked through the
    /// photo intake (metadata stripped again). All or nothing.
    pub fn import(&mut self, json: &str) -> Result<String> {
        let imported: ImportedChild = grabpack_core::interchange::import(json, today())?;
        // Check every photo before anything is written, so a bad photo changes nothing.
        let mut photos = Vec::new();
        for p in &imported.photos {
            let clean = crate::photo_import::sanitise(&p.jpeg)?;
            photos.push((p, clean));
        }
        let id = uuid::Uuid::new_v4().to_string();
        let at = now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO children (id, created_at) VALUES (?1, ?2)",
            params![id, at],
        )?;
        let changed = diff(&ChildForm::default(), &imported.form);
        let note = format!("imported from {}", imported.source_id);
        insert_revision(
            &tx,
            &id,
            1,
            "import",
            &at,
            &self.actor,
            &imported.form,
            &changed,
            &note,
        )?;
        for (p, clean) in &photos {
            insert_photo_row(
                &tx,
                &id,
                p.kind,
                p.taken_on,
                &p.added_at.to_string(),
                &self.actor.id(),
                &clean.jpeg,
                (clean.width, clean.height),
            )?;
        }
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            "imported",
            Some(&id),
            &format!("{note}; {} photos", photos.len()),
        )?;
        tx.commit()?;
        Ok(id)
    }

    // ----- staff -----

    pub fn staff(&self) -> Result<Vec<StaffMember>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, role_json, created_at, disabled_at, pin_key IS NOT NULL FROM staff ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(StaffMember {
                id: r.get(0)?,
                name: r.get(1)?,
                role: serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or(StaffRole::Keyworker),
                created_at: r.get(3)?,
                disabled_at: r.get(4)?,
                has_pin: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
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
            let pin_salt: [u8; 16] = random_bytes()?;
            let key = keyslots::pin_key(pin.expose(), &pin_salt)?;
            material = Some((pin_salt, key, device_secret));
        }
        let at = now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO staff (id, name, role_json, created_at, pin_salt, pin_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                id,
                name,
                serde_json::to_string(&role).unwrap_or_default(),
                at,
                material.as_ref().map(|m| m.0.to_vec()),
                material.as_ref().map(|m| m.1.expose().to_vec()),
            ],
        )?;
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            "staff_added",
            None,
            &format!("{name} ({})", role.label()),
        )?;
        tx.commit()?;
        if let Some((pin_salt, key, device_secret)) = material {
            let mut file = SlotFile::read(&self.dir)?;
            let mut slot = keyslots::make_slot(
                &self.store_id,
                self.db_key.expose(),
                &SlotSecret::DevicePin {
                    staff_id: &id,
                    device_secret: device_secret.expose(),
                    pin: PinInput::Key {
                        pin_key: key.expose(),
                        pin_salt: &pin_salt,
                    },
                },
            )?;
            slot.staff_name = Some(name.to_string());
            if let Some(g) = file.generations.first_mut() {
                g.slots.push(slot);
            }
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
            "staff_disabled",
            None,
            &member.name,
        )?;
        tx.commit()?;
        Ok(())
    }

    fn device_secret(&self) -> Result<Sensitive<Vec<u8>>> {
        let kc = self
            .keychain
            .as_ref()
            .ok_or_else(|| StoreError::KeychainUnavailable("no keychain on this device".into()))?;
        kc.load(&self.store_id)?
            .ok_or(StoreError::DeviceSecretMissing)
    }

    // ----- keys -----

    /// Add or replace the passphrase slot.
    pub fn set_passphrase(&mut self, passphrase: &Sensitive<String>) -> Result<()> {
        self.require_admin()?;
        check_passphrase(passphrase.expose())?;
        let mut file = SlotFile::read(&self.dir)?;
        let slot = keyslots::make_slot(
            &self.store_id,
            self.db_key.expose(),
            &SlotSecret::Passphrase(passphrase.expose()),
        )?;
        if let Some(g) = file.generations.first_mut() {
            g.slots.retain(|s| s.kind != SlotKind::Passphrase);
            g.slots.push(slot);
        }
        file.write(&self.dir)?;
        self.record("passphrase_set", None, "")
    }

    /// Rotate the database key: a new random key, every page re-encrypted, every slot re-wrapped
    /// (staff PINs from their stored PIN keys, so nobody re-enters anything) and a new recovery key
    /// returned to print; the old recovery key stops working.
    ///
    /// `passphrase`: `Some` keeps (or sets) the passphrase slot under the new key; `None` drops it,
    /// which is refused with `store.passphrase_needed` when one exists unless `drop_passphrase`.
    pub fn rotate(
        &mut self,
        passphrase: Option<&Sensitive<String>>,
        drop_passphrase: bool,
    ) -> Result<Sensitive<String>> {
        self.require_admin()?;
        let mut file = SlotFile::read(&self.dir)?;
        let has_passphrase = file
            .generations
            .first()
            .is_some_and(|g| g.slots.iter().any(|s| s.kind == SlotKind::Passphrase));
        if has_passphrase && passphrase.is_none() && !drop_passphrase {
            return Err(StoreError::PassphraseNeeded);
        }
        if let Some(p) = passphrase {
            check_passphrase(p.expose())?;
        }
        let new_key = random_key()?;
        let recovery = random_key()?;
        let mut generation = Generation {
            created_at: now(),
            slots: vec![keyslots::make_slot(
                &self.store_id,
                new_key.expose(),
                &SlotSecret::Recovery(recovery.expose()),
            )?],
        };
        if let Some(p) = passphrase {
            generation.slots.push(keyslots::make_slot(
                &self.store_id,
                new_key.expose(),
                &SlotSecret::Passphrase(p.expose()),
            )?);
        }
        let mut pins_rewrapped = 0;
        if let Ok(device_secret) = self.device_secret() {
            let mut stmt = self
                .conn
                .prepare("SELECT id, name, pin_salt, pin_key FROM staff WHERE disabled_at IS NULL AND pin_key IS NOT NULL")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            })?;
            for row in rows {
                let (id, name, pin_salt, mut key) = row?;
                let Ok(key_arr) = <[u8; 32]>::try_from(key.as_slice()) else {
                    continue;
                };
                let key_arr = Sensitive::new(key_arr);
                zeroize::Zeroize::zeroize(&mut key);
                let mut slot = keyslots::make_slot(
                    &self.store_id,
                    new_key.expose(),
                    &SlotSecret::DevicePin {
                        staff_id: &id,
                        device_secret: device_secret.expose(),
                        pin: PinInput::Key {
                            pin_key: key_arr.expose(),
                            pin_salt: &pin_salt,
                        },
                    },
                )?;
                slot.staff_name = Some(name);
                generation.slots.push(slot);
                pins_rewrapped += 1;
            }
        }

        // 1. The re-keyed copy, complete and on disk, beside the live database.
        let db_path = self.dir.join(db::FILE_NAME);
        let rotated = self.dir.join("grabpack.db.rotating");
        let _ = std::fs::remove_file(&rotated);
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        let mut attach_key = format!("x'{}'", hex::encode(new_key.expose()));
        let attached = self.conn.execute(
            "ATTACH DATABASE ?1 AS rotated KEY ?2",
            params![rotated.to_string_lossy(), attach_key],
        );
        zeroize::Zeroize::zeroize(&mut attach_key);
        attached?;
        let exported = self
            .conn
            .query_row("SELECT sqlcipher_export('rotated')", [], |_| Ok(()))
            .and_then(|_| {
                self.conn
                    .pragma_update(Some("rotated"), "user_version", db::SCHEMA_VERSION)
            });
        self.conn.execute_batch("DETACH DATABASE rotated;")?;
        exported?;
        std::fs::File::open(&rotated)?.sync_all()?;
        // 2. Slots for both keys: whichever file is in place after a crash, one generation opens it.
        file.generations.insert(0, generation);
        file.write(&self.dir)?;
        // 3. Swap the files. The live connection leaves WAL mode first so no stale WAL survives.
        self.conn
            .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))?;
        let placeholder = Connection::open_in_memory()?;
        drop(std::mem::replace(&mut self.conn, placeholder));
        std::fs::rename(&rotated, &db_path)?;
        keyslots::sync_dir(&self.dir)?;
        let mut conn = db::open(&db_path, new_key.expose(), false)?;
        db::prepare(&mut conn)?;
        self.conn = conn;
        self.db_key = new_key;
        // 4. Only the new generation remains.
        file.generations.truncate(1);
        file.write(&self.dir)?;
        self.record(
            "keys_rotated",
            None,
            &format!(
                "new database key; new recovery key; {pins_rewrapped} PIN slots re-wrapped; passphrase {}",
                if passphrase.is_some() { "kept" } else { "none" }
            ),
        )?;
        Ok(format_recovery_key(recovery.expose()))
    }

    /// After unlocking with the recovery key on a device whose keychain entry is lost: a new
    /// device secret, every staff PIN working again, and a rotation (the recovery key has been
    /// out of the safe, so it is replaced).
    pub fn recover_device(
        &mut self,
        passphrase: Option<&Sensitive<String>>,
        drop_passphrase: bool,
    ) -> Result<Sensitive<String>> {
        self.require_admin()?;
        if let Some(kc) = &self.keychain {
            let device_secret = random_key()?;
            kc.save(&self.store_id, device_secret.expose())?;
            self.record("device_secret_replaced", None, "")?;
        }
        self.rotate(passphrase, drop_passphrase)
    }

    // ----- audit -----

    pub fn audit_list(
        &self,
        child_id: Option<&str>,
        action: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        audit::list(&self.conn, child_id, action, limit)
    }

    pub fn audit_verify(&self) -> Result<ChainReport> {
        audit::verify(&self.conn)
    }

    /// SQLCipher's page-by-page integrity check (HMAC of every page); empty when all is well.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA cipher_integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut problems: Vec<String> = rows.collect::<std::result::Result<_, _>>()?;
        let quick: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if quick != "ok" {
            problems.push(quick);
        }
        Ok(problems)
    }

    /// The connection, for the store's own episode and outbox modules.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// For tests and tools that must reach below the API (for example to prove tampering is seen).
    pub fn connection_for_tests(&self) -> &Connection {
        &self.conn
    }
}

/// A child's photo facts for readiness, and their newest face photo (date, id) for the card.
type ChildPhotoFacts = (Vec<PhotoFact>, Option<(Date, String)>);

fn today() -> Date {
    Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date()
}

fn date_of(ts: &str) -> Option<Date> {
    ts.parse::<Timestamp>()
        .ok()
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// When Part 1 was last reviewed: the newest save or review stamp made in this store, or, for a
/// child handed over from another placement, the date that placement completed the form (an
/// import is not a review by anyone here).
/// The UK date each child's most recent missing episode was closed (all children, or one): Part 1
/// must be reviewed after every episode, so readiness needs it.
fn last_episode_closed(
    conn: &Connection,
    child_id: Option<&str>,
) -> Result<std::collections::HashMap<String, Date>> {
    let mut stmt = conn.prepare(
        "SELECT e.child_id, v.at FROM episode_events v JOIN episodes e ON e.id = v.episode_id
         WHERE v.kind = 'close' AND (?1 IS NULL OR e.child_id = ?1)",
    )?;
    let rows = stmt.query_map([child_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = std::collections::HashMap::new();
    for row in rows {
        let (child, at) = row?;
        let Ok(at) = at.parse::<Timestamp>() else {
            continue;
        };
        let day = at
            .in_tz("Europe/London")
            .map(|z| z.date())
            .unwrap_or_else(|_| at.to_zoned(jiff::tz::TimeZone::UTC).date());
        let latest = out.entry(child).or_insert(day);
        if day > *latest {
            *latest = day;
        }
    }
    Ok(out)
}

fn last_reviewed(local_save: Option<&str>, form: &ChildForm) -> Option<Date> {
    local_save
        .and_then(date_of)
        .max(form.administration.completed_on)
}

fn paths(changes: &[FieldChange]) -> Vec<String> {
    changes.iter().map(|c| c.path.clone()).collect()
}

/// The one place a photo row is written (new photos and imported ones alike), inside the caller's
/// transaction so the photo and its audit entry commit together.
#[allow(clippy::too_many_arguments)]
fn insert_photo_row(
    conn: &Connection,
    child_id: &str,
    kind: PhotoKind,
    taken_on: Option<Date>,
    added_at: &str,
    added_by: &str,
    jpeg: &[u8],
    (width, height): (u32, u32),
) -> Result<PhotoInfo> {
    let id = uuid::Uuid::new_v4().to_string();
    let sha = hex::encode(Sha256::digest(jpeg));
    conn.execute(
        "INSERT INTO photos (id, child_id, kind, taken_on, added_at, added_by, width, height, sha256, jpeg)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            id,
            child_id,
            kind.as_str(),
            taken_on.map(|d| d.to_string()),
            added_at,
            added_by,
            width,
            height,
            sha,
            jpeg
        ],
    )?;
    Ok(PhotoInfo {
        id,
        kind,
        taken_on,
        added_at: added_at.to_string(),
        width,
        height,
        sha256: sha,
    })
}

fn load_staff_actor(conn: &Connection, id: &str) -> Result<Actor> {
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
            let role = serde_json::from_str(&role).unwrap_or(StaffRole::Keyworker);
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

fn latest_seq(conn: &Connection, child_id: &str) -> Result<(i64, bool)> {
    conn.query_row(
        "SELECT latest_seq, archived_at IS NOT NULL FROM children WHERE id = ?1",
        [child_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| StoreError::ChildNotFound(child_id.to_string()))
}

fn load_form(conn: &Connection, child_id: &str, seq: i64) -> Result<ChildForm> {
    let json: String = conn
        .query_row(
            "SELECT form_json FROM revisions WHERE child_id = ?1 AND seq = ?2",
            params![child_id, seq],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(StoreError::RevisionNotFound(seq))?;
    serde_json::from_str(&json).map_err(|e| {
        StoreError::Damaged(rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            Box::new(e),
        ))
    })
}

#[allow(clippy::too_many_arguments)]
fn insert_revision(
    conn: &Connection,
    child_id: &str,
    seq: i64,
    kind: &str,
    at: &str,
    actor: &Actor,
    form: &ChildForm,
    changed: &[FieldChange],
    note: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO revisions (child_id, seq, kind, saved_at, saved_by, saved_by_name, form_json, changed_paths, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            child_id,
            seq,
            kind,
            at,
            actor.id(),
            actor.display_name(),
            serde_json::to_string(form).unwrap_or_default(),
            serde_json::to_string(&paths(changed)).unwrap_or_default(),
            note
        ],
    )?;
    conn.execute(
        "UPDATE children SET latest_seq = ?1 WHERE id = ?2",
        params![seq, child_id],
    )?;
    Ok(())
}

fn revision_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RevisionInfo> {
    Ok(RevisionInfo {
        seq: r.get(0)?,
        kind: r.get(1)?,
        saved_at: r.get(2)?,
        saved_by: r.get(3)?,
        saved_by_name: r.get(4)?,
        changed_paths: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_default(),
        note: r.get(6)?,
    })
}

fn read_failures(dir: &Path) -> Vec<FailedUnlock> {
    std::fs::read_to_string(dir.join(FAILURES_FILE))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Seconds still to wait: none for the first five failures, then 30 s doubling to 15 minutes.
fn lockout_remaining(failures: &[FailedUnlock]) -> Option<u64> {
    if failures.len() < FREE_ATTEMPTS {
        return None;
    }
    let extra = (failures.len() - FREE_ATTEMPTS).min(5) as u32;
    let wait = (30u64 << extra).min(900);
    let last: Timestamp = failures.last()?.at.parse().ok()?;
    let elapsed = Timestamp::now().duration_since(last).as_secs().max(0) as u64;
    (elapsed < wait).then(|| wait - elapsed)
}

fn record_failure(dir: &Path, method: &str, staff: Option<String>, reason: &str) {
    use std::io::Write as _;
    let line = serde_json::to_string(&FailedUnlock {
        at: now(),
        method: method.to_string(),
        staff,
        reason: reason.to_string(),
    })
    .unwrap_or_default();
    // Best effort: failing to record a failure must not turn a wrong PIN into a different error.
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(FAILURES_FILE))
    {
        let _ = writeln!(f, "{line}");
        let _ = f.sync_all();
    }
}
