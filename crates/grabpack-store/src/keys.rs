//! Key lifecycle: creating a store, unlocking it, the failed-unlock journal and lockout,
//! passphrase, rotation and device recovery.
//!
//! Why together: these are the only operations that touch the key slots and the database key, and
//! their order of writes (slots before database, both generations during a rotation) is what
//! keeps a store openable after a crash at any instant. Reading them side by side is how that
//! order is checked. The design is in `docs/keys.md`.

use std::path::Path;
use std::sync::Arc;

use grabpack_core::StaffRole;
use jiff::Timestamp;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::audit_action::AuditAction;
use crate::db;
use crate::error::{Result, StoreError};
use crate::keychain::DeviceKeychain;
use crate::keyslots::{self, Generation, PinInput, SlotFile, SlotKind, SlotSecret};
use crate::secret::{Sensitive, format_recovery_key, parse_recovery_key, random_bytes, random_key};
use crate::settings::HomeSettings;
use crate::staff::load_staff_actor;
use crate::store::{Actor, Store, exists, now, to_json};

const FAILURES_FILE: &str = "unlock-failures.jsonl";
/// Failed unlocks allowed before a wait is imposed.
pub const FREE_ATTEMPTS: usize = 5;

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

#[derive(Debug, Serialize, Deserialize)]
struct FailedUnlock {
    at: String,
    method: String,
    #[serde(default)]
    staff: Option<String>,
    reason: String,
}

pub(crate) fn check_pin(pin: &str) -> Result<()> {
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
                [to_json(&settings)?],
            )?;
            tx.execute(
                "INSERT INTO staff (id, name, role_json, created_at, pin_salt, pin_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    manager_id,
                    setup.manager_name,
                    to_json(&role)?,
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
                AuditAction::StoreCreated.as_str(),
                None,
                &format!("home: {}", setup.home_name),
            )?;
            audit::append(
                &tx,
                &at,
                &actor,
                AuditAction::StaffAdded.as_str(),
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
            audit::append(
                &tx,
                &f.at,
                "unknown",
                AuditAction::UnlockFailed.as_str(),
                None,
                &detail,
            )?;
        }
        audit::append(
            &tx,
            &at,
            &actor,
            AuditAction::Unlock.as_str(),
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

    pub(crate) fn device_secret(&self) -> Result<Sensitive<Vec<u8>>> {
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
        self.record(AuditAction::PassphraseSet, None, "")
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
        self.record(AuditAction::KeysRotated,
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
            self.record(AuditAction::DeviceSecretReplaced, None, "")?;
        }
        self.rotate(passphrase, drop_passphrase)
    }
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
    let Ok(line) = serde_json::to_string(&FailedUnlock {
        at: now(),
        method: method.to_string(),
        staff,
        reason: reason.to_string(),
    }) else {
        return;
    };
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
