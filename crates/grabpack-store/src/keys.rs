//! Key lifecycle: creating a store, unlocking it, the failed-unlock journal, PINs (and their move
//! from the version 1 model), passphrase, rotation and device recovery.
//!
//! Why together: these are the only operations that touch the key slots and the database key, and
//! their order of writes (slots before database, both generations during a rotation) is what
//! keeps a store openable after a crash at any instant. Reading them side by side is how that
//! order is checked. The design is in `docs/keys.md`.

use std::path::Path;
use std::sync::Arc;

use grabpack_core::StaffRole;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::audit_action::AuditAction;
use crate::db;
use crate::error::{Result, StoreError};
use crate::keychain::DeviceKeychain;
use crate::keyslots::{
    self, Generation, MIN_PIN_DIGITS, MemberSlot, PIN_COST, PinInput, SlotFile, SlotKind,
    SlotSecret,
};
use crate::lockout::{self, Lockout};
use crate::secret::{Sensitive, format_recovery_key, parse_recovery_key, random_bytes, random_key};
use crate::settings::HomeSettings;
use crate::staff::load_staff_actor;
use crate::store::{Actor, Store, exists, now, to_json, today};

const FAILURES_FILE: &str = "unlock-failures.jsonl";
pub use crate::lockout::FREE_ATTEMPTS;

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

/// A new PIN: 6 to 12 digits. (Shorter PINs from older stores still unlock until changed.)
pub(crate) fn check_pin(pin: &str) -> Result<()> {
    if (MIN_PIN_DIGITS..=12).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit()) {
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
    for m in &file.members {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(&m.staff_name)) {
            names.push(m.staff_name.clone());
        }
    }
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

/// The keychain entry that holds the device secret of a generation: the store's own name for
/// stores never recovered, a name of its own after each device recovery (so the old and new
/// secrets both exist until a recovery has finished, whatever instant it stops at).
pub(crate) fn device_account(store_id: &str, device_secret_id: Option<&str>) -> String {
    match device_secret_id {
        None => store_id.to_string(),
        Some(id) => format!("{store_id}.{id}"),
    }
}

fn newest_account(file: &SlotFile) -> String {
    device_account(
        &file.store_id,
        file.generations
            .first()
            .and_then(|g| g.device_secret_id.as_deref()),
    )
}

fn load_device_secret(
    keychain: Option<&Arc<dyn DeviceKeychain>>,
    account: &str,
) -> Result<Sensitive<Vec<u8>>> {
    let kc = keychain
        .ok_or_else(|| StoreError::KeychainUnavailable("no keychain on this device".into()))?;
    let entry = kc.load(account)?.ok_or(StoreError::DeviceSecretMissing)?;
    Ok(lockout::device_secret_of(entry))
}

/// Whose PIN a name selects, read before anything is unwrapped: each staff id of that name, with
/// its version 2 member slot when there is one. More than one only in a home whose devices each
/// had a member of that name before they joined it (both are kept; the PIN decides who).
fn pin_owners<'f>(file: &'f SlotFile, staff_name: &str) -> Vec<(String, Option<&'f MemberSlot>)> {
    let named = |n: &str| n.eq_ignore_ascii_case(staff_name.trim());
    let members: Vec<_> = file
        .members
        .iter()
        .filter(|m| named(&m.staff_name))
        .map(|m| (m.staff_id.clone(), Some(m)))
        .collect();
    if !members.is_empty() {
        return members;
    }
    file.generations
        .iter()
        .flat_map(|g| g.slots.iter())
        .find(|s| s.kind == SlotKind::DevicePin && s.staff_name.as_deref().is_some_and(named))
        .and_then(|s| s.staff_id.clone())
        .map(|id| vec![(id, None)])
        .unwrap_or_default()
}

/// Refuses an agency member whose engagement has ended, from the date bound into their slot.
fn check_engagement(member: &MemberSlot) -> Result<()> {
    if let Some(ends) = &member.ends_on {
        let ends_on: jiff::civil::Date = ends
            .parse()
            .map_err(|_| StoreError::KeySlotsDamaged("an end date that is not a date".into()))?;
        if ends_on < today() {
            return Err(StoreError::EngagementEnded(
                member.staff_name.clone(),
                ends.clone(),
            ));
        }
    }
    Ok(())
}

/// The end date bound into an agency member's slot.
pub(crate) fn ends_on_of(role: &StaffRole) -> Option<String> {
    match role {
        StaffRole::Agency { ends_on } => Some(ends_on.to_string()),
        _ => None,
    }
}

/// A new member key and the slots that let `pin` open the store through it on this device.
pub(crate) struct NewPin {
    pub member_key: Sensitive<[u8; 32]>,
    pub member: MemberSlot,
}

pub(crate) fn new_member_slot(
    staff_id: &str,
    staff_name: &str,
    role: &StaffRole,
    member_key: Option<Sensitive<[u8; 32]>>,
    pin: &str,
) -> Result<NewPin> {
    let member_key = match member_key {
        Some(k) => k,
        None => random_key()?,
    };
    let pin_salt: [u8; 16] = random_bytes()?;
    let stretched = keyslots::stretch_pin(pin, &pin_salt, PIN_COST)?;
    let member = keyslots::make_member_slot(
        staff_id,
        staff_name,
        ends_on_of(role).as_deref(),
        member_key.expose(),
        stretched.expose(),
        &pin_salt,
        PIN_COST,
    )?;
    Ok(NewPin { member_key, member })
}

pub(crate) fn staff_slot(
    store_id: &str,
    db_key: &[u8; 32],
    staff_id: &str,
    device_secret: &[u8],
    member_key: &[u8; 32],
) -> Result<keyslots::Slot> {
    keyslots::make_slot(
        store_id,
        db_key,
        &SlotSecret::Staff {
            staff_id,
            device_secret,
            member_key,
        },
    )
}

/// A version 1 staff row: id, name, role, PIN salt, Argon2id(PIN), member key if already made.
type LegacyPinRow = (String, String, String, Vec<u8>, Vec<u8>, Option<Vec<u8>>);

/// How one generation is tried by a credential.
enum Attempt<'a> {
    Secret(SlotSecret<'a>),
    Member {
        staff_id: &'a str,
        member_key: &'a [u8; 32],
    },
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
        let role = StaffRole::Manager;

        let mut generation = Generation {
            created_at: now(),
            device_secret_id: None,
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
        let mut file = SlotFile::new(&store_id);
        let mut member_key = None;
        if let (Some(pin), Some(kc)) = (&setup.manager_pin, &keychain) {
            let device_secret = random_key()?;
            kc.save(&store_id, device_secret.expose())?;
            let new = new_member_slot(&manager_id, &setup.manager_name, &role, None, pin.expose())?;
            generation.slots.push(staff_slot(
                &store_id,
                db_key.expose(),
                &manager_id,
                device_secret.expose(),
                new.member_key.expose(),
            )?);
            file.members.push(new.member);
            member_key = Some(new.member_key);
        }
        file.generations.push(generation);
        // Slots first: a database must never exist that no slot opens.
        file.write(dir)?;

        let mut conn = db::open(&dir.join(db::FILE_NAME), db_key.expose(), true)?;
        db::prepare(&mut conn)?;
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
                "INSERT INTO staff (id, name, role_json, created_at, member_key, member_slot_json, changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?4)",
                params![
                    manager_id,
                    setup.manager_name,
                    to_json(&role)?,
                    at,
                    member_key.as_ref().map(|k| &k.expose()[..]),
                    file.members.first().map(to_json).transpose()?,
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
            pin_change_due: false,
        };
        Ok((store, format_recovery_key(recovery.expose())))
    }

    /// Open an existing store. A wrong secret is refused before the database is touched, counted
    /// against that staff member's PIN (or the passphrase) only, and recorded in a small journal
    /// beside the database that joins the audit log at the next good unlock.
    pub fn unlock(
        dir: &Path,
        credential: Credential<'_>,
        keychain: Option<Arc<dyn DeviceKeychain>>,
    ) -> Result<Store> {
        if !exists(dir) {
            return Err(StoreError::NotInitialised);
        }
        let file = SlotFile::read(dir)?;
        let lockout = Lockout::new(dir, keychain.as_ref(), newest_account(&file));
        let (counted, staff_name) = match &credential {
            Credential::Pin { staff_name, .. } => (
                pin_owners(&file, staff_name)
                    .first()
                    .map(|(id, _)| lockout::pin_key(id)),
                Some(staff_name.to_string()),
            ),
            Credential::Passphrase(_) => (Some(lockout::PASSPHRASE.to_string()), None),
            // Never locked out: 256 random bits, and the way in of last resort.
            Credential::RecoveryKey(_) => (None, None),
        };
        if let Some(what) = &counted
            && let Some(seconds) = lockout.remaining(what)
        {
            return Err(StoreError::TooManyAttempts { seconds });
        }
        match Self::try_unlock(dir, &file, &credential, keychain.clone()) {
            Ok((mut store, winning_generation, home_slot)) => {
                if let Some(what) = &counted {
                    lockout.clear(what);
                }
                let failures = read_failures(dir);
                store.after_unlock(
                    &file,
                    winning_generation,
                    credential.method(),
                    failures,
                    home_slot,
                )?;
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
                if matches!(e, StoreError::WrongSecret)
                    && let Some(what) = &counted
                {
                    lockout.record_failure(what);
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
    ) -> Result<(Store, usize, Option<MemberSlot>)> {
        let store_id = file.store_id.as_str();
        let recovery;
        let device_secret;
        let member_key;
        let mut staff_id: Option<String> = None;
        let mut short_pin = false;
        // A slot bound to this store, opened with its PIN: made again as a home slot.
        let mut home_slot = None;
        let attempt = match credential {
            Credential::Passphrase(p) => {
                if !file
                    .generations
                    .iter()
                    .any(|g| g.slots.iter().any(|s| s.kind == SlotKind::Passphrase))
                {
                    return Err(StoreError::NoPassphraseSlot);
                }
                Attempt::Secret(SlotSecret::Passphrase(p.expose()))
            }
            Credential::RecoveryKey(k) => {
                recovery = parse_recovery_key(k.expose())?;
                Attempt::Secret(SlotSecret::Recovery(recovery.expose()))
            }
            Credential::Pin { staff_name, pin } => {
                let owners = pin_owners(file, staff_name);
                short_pin = pin.expose().len() < MIN_PIN_DIGITS;
                match owners.as_slice() {
                    [] => return Err(StoreError::NoPinSlot(staff_name.to_string())),
                    [(_, Some(_)), ..] => {
                        // A lost keychain entry is its own error, whatever the PIN.
                        load_device_secret(keychain.as_ref(), &newest_account(file))?;
                        let (mut ended, mut tried, mut opened) = (None, false, None);
                        for (id, member) in &owners {
                            let Some(member) = member else { continue };
                            // Before any key is unwrapped: an ended engagement opens nothing.
                            if let Err(e) = check_engagement(member) {
                                ended.get_or_insert(e);
                                continue;
                            }
                            match keyslots::open_member_slot(store_id, member, pin.expose()) {
                                Ok(o) => {
                                    opened = Some((id.clone(), *member, o));
                                    break;
                                }
                                Err(StoreError::WrongSecret) => tried = true,
                                Err(e) => return Err(e),
                            }
                        }
                        let Some((id, member, o)) = opened else {
                            // A PIN tried and wrong is "wrong PIN", whoever else of that name
                            // has ended.
                            return Err(match ended {
                                Some(e) if !tried => e,
                                _ => StoreError::WrongSecret,
                            });
                        };
                        if !member.home {
                            home_slot = Some(keyslots::make_member_slot(
                                &id,
                                &member.staff_name,
                                member.ends_on.as_deref(),
                                o.member_key.expose(),
                                o.stretched.expose(),
                                &keyslots::decode_b64(&member.pin_salt)?,
                                member.cost,
                            )?);
                        }
                        staff_id = Some(id);
                        member_key = o.member_key;
                        Attempt::Member {
                            staff_id: staff_id.as_deref().unwrap_or(""),
                            member_key: member_key.expose(),
                        }
                    }
                    [(id, None), ..] => {
                        staff_id = Some(id.clone());
                        let id = staff_id.as_deref().unwrap_or("");
                        device_secret =
                            load_device_secret(keychain.as_ref(), &newest_account(file))?;
                        Attempt::Secret(SlotSecret::DevicePin {
                            staff_id: id,
                            device_secret: device_secret.expose(),
                            pin: PinInput::Pin(pin.expose()),
                        })
                    }
                }
            }
        };
        let mut last_err = StoreError::WrongSecret;
        // The database under `key`. `store.damaged` from the open itself means it may be another
        // key's: an older or newer generation may be the one the database is under (a rotation
        // that was cut short), so the caller tries the others before calling it damaged.
        let open_with = |key: Sensitive<[u8; 32]>,
                         keychain: Option<Arc<dyn DeviceKeychain>>|
         -> Result<Store> {
            let mut conn = db::open(&dir.join(db::FILE_NAME), key.expose(), false)?;
            db::prepare(&mut conn)?;
            let actor = match (credential, &staff_id) {
                (Credential::Pin { .. }, Some(id)) => load_staff_actor(&conn, id)?,
                (Credential::RecoveryKey(_), _) => Actor::RecoveryKey,
                _ => Actor::Passphrase,
            };
            Ok(Store {
                conn,
                dir: dir.to_path_buf(),
                store_id: store_id.to_string(),
                actor,
                keychain,
                db_key: key,
                pin_change_due: short_pin,
            })
        };
        for (i, generation) in file.generations.iter().enumerate() {
            let opened = match &attempt {
                Attempt::Secret(secret) => keyslots::open_slot(store_id, generation, secret),
                Attempt::Member {
                    staff_id,
                    member_key,
                } => {
                    let account = device_account(store_id, generation.device_secret_id.as_deref());
                    match load_device_secret(keychain.as_ref(), &account) {
                        Ok(secret) => keyslots::open_slot(
                            store_id,
                            generation,
                            &SlotSecret::Staff {
                                staff_id,
                                device_secret: secret.expose(),
                                member_key,
                            },
                        ),
                        Err(e) => Err(e),
                    }
                }
            };
            let key = match opened {
                Ok(Some(k)) => k,
                Ok(None) => continue,
                Err(e) => {
                    last_err = e;
                    continue;
                }
            };
            match open_with(key, keychain.clone()) {
                Ok(store) => return Ok((store, i, home_slot)),
                Err(e @ StoreError::Damaged(_)) => last_err = e,
                Err(e) => return Err(e),
            }
        }
        // The recovery key the home last confirmed, after a rotation whose new key nobody has
        // confirmed yet: it reaches the current database key through the successors.
        if let (Credential::RecoveryKey(typed), Some(superseded)) =
            (credential, &file.superseded_recovery)
        {
            let recovery = parse_recovery_key(typed.expose())?;
            match keyslots::open_superseded(store_id, superseded, recovery.expose()) {
                Ok(keys) => {
                    for key in keys.into_iter().rev() {
                        match open_with(key, keychain.clone()) {
                            Ok(store) => return Ok((store, 0, home_slot)),
                            Err(e @ StoreError::Damaged(_)) => last_err = e,
                            Err(e) => return Err(e),
                        }
                    }
                }
                Err(StoreError::WrongSecret) => {}
                Err(e) => last_err = e,
            }
        }
        Err(last_err)
    }

    fn after_unlock(
        &mut self,
        file: &SlotFile,
        winning: usize,
        method: &str,
        failures: Vec<FailedUnlock>,
        home_slot: Option<MemberSlot>,
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
        let mut file = file.clone();
        if file.generations.len() > 1 {
            // A rotation was cut short: keep only the generation the database is really under.
            file.generations = vec![file.generations[winning].clone()];
            // Cut short before its swap, it left the confirmed recovery slot current: nothing
            // waits for confirmation.
            if let Some(superseded) = &file.superseded_recovery
                && file.generations[0].slots.iter().any(|s| {
                    s.kind == SlotKind::Recovery && s.wrapped_key == superseded.slot.wrapped_key
                })
            {
                file.superseded_recovery = None;
            }
            file.write(&self.dir)?;
        }
        self.upgrade_pins(&mut file)?;
        if let Some(slot) = home_slot {
            // The PIN's slot as the home's, kept with the member so it travels; the file then
            // follows the database.
            crate::staff::keep_member_slot(&self.conn, &slot)?;
        }
        self.follow_staff_in_slots()?;
        self.rebuild_old_photos()?;
        Ok(())
    }

    /// Moves version 1 PIN slots (Argon2id(PIN) kept in the database) to member slots, then
    /// erases the Argon2id outputs from the database. Needs this device's keychain; until then
    /// the old slots keep working. Each step can be repeated after a crash: the member key is
    /// written to the database before any slot uses it, and the old outputs are erased last.
    fn upgrade_pins(&mut self, file: &mut SlotFile) -> Result<()> {
        let legacy: Vec<LegacyPinRow> = {
            let mut stmt = self.conn.prepare(
                "SELECT id, name, role_json, pin_salt, pin_key, member_key FROM staff WHERE pin_key IS NOT NULL",
            )?;
            stmt.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        if legacy.is_empty() {
            return Ok(());
        }
        let Ok(device_secret) = self.device_secret() else {
            return Ok(());
        };
        let mut upgraded = 0;
        for (id, name, role_json, pin_salt, mut pin_key, member_key) in legacy {
            let stretched = <[u8; 32]>::try_from(pin_key.as_slice()).map(Sensitive::new);
            zeroize::Zeroize::zeroize(&mut pin_key);
            let Ok(stretched) = stretched else { continue };
            let member_key = match member_key.as_deref().map(<[u8; 32]>::try_from) {
                Some(Ok(k)) => Sensitive::new(k),
                _ => {
                    let k = random_key()?;
                    self.conn.execute(
                        "UPDATE staff SET member_key = ?1 WHERE id = ?2",
                        params![&k.expose()[..], id],
                    )?;
                    k
                }
            };
            let role = crate::staff::parse_role(&name, &role_json)?;
            // A disabled member's slot was removed when they were disabled: none comes back.
            let had_slot = file.generations.iter().any(|g| {
                g.slots
                    .iter()
                    .any(|s| s.staff_id.as_deref() == Some(id.as_str()))
            }) || file.members.iter().any(|m| m.staff_id == id);
            if had_slot && !file.members.iter().any(|m| m.staff_id == id) {
                let slot = keyslots::make_member_slot(
                    &id,
                    &name,
                    ends_on_of(&role).as_deref(),
                    member_key.expose(),
                    stretched.expose(),
                    &pin_salt,
                    keyslots::LEGACY_PIN_COST,
                )?;
                crate::staff::keep_member_slot(&self.conn, &slot)?;
                file.members.push(slot);
                for g in &mut file.generations {
                    g.slots
                        .retain(|s| s.staff_id.as_deref() != Some(id.as_str()));
                    g.slots.push(staff_slot(
                        &self.store_id,
                        self.db_key.expose(),
                        &id,
                        device_secret.expose(),
                        member_key.expose(),
                    )?);
                }
                upgraded += 1;
            }
        }
        file.write(&self.dir)?;
        // The old Argon2id outputs, overwritten in place (secure_delete) and out of the WAL.
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        self.conn
            .execute("UPDATE staff SET pin_key = NULL, pin_salt = NULL", [])?;
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        self.record(
            AuditAction::PinSlotsUpgraded,
            None,
            &format!("{upgraded} PIN slots moved to member keys; stored PIN hashes erased"),
        )
    }

    /// The device secret of the newest generation.
    pub(crate) fn device_secret(&self) -> Result<Sensitive<Vec<u8>>> {
        let file = SlotFile::read(&self.dir)?;
        load_device_secret(self.keychain.as_ref(), &newest_account(&file))
    }

    /// True after unlocking with a PIN shorter than new PINs may be: the app and the command line
    /// ask the member to choose a new one.
    pub fn pin_change_due(&self) -> bool {
        self.pin_change_due
    }

    /// Set a staff member's PIN on this device: their own (anyone) or anyone's (administrators).
    /// The member key stays the same, so no other slot changes.
    pub fn set_pin(&mut self, staff_name: &str, pin: &Sensitive<String>) -> Result<()> {
        check_pin(pin.expose())?;
        let named: Vec<_> = self
            .staff()?
            .into_iter()
            .filter(|s| s.name.eq_ignore_ascii_case(staff_name.trim()) && s.disabled_at.is_none())
            .collect();
        let is_actor = |m: &crate::staff::StaffMember| matches!(&self.actor, Actor::Staff { id, .. } if *id == m.id);
        // Of two members of one name (kept from two devices), the one unlocked is "me".
        let member = named
            .iter()
            .find(|m| is_actor(m))
            .or(named.first())
            .cloned()
            .ok_or_else(|| StoreError::NoSuchStaff(staff_name.to_string()))?;
        let own = is_actor(&member);
        if !own {
            self.require_admin()?;
        }
        let device_secret = self.device_secret()?;
        let stored: Option<Vec<u8>> = self.conn.query_row(
            "SELECT member_key FROM staff WHERE id = ?1",
            [&member.id],
            |r| r.get(0),
        )?;
        let member_key = match stored.as_deref().map(<[u8; 32]>::try_from) {
            Some(Ok(k)) => Some(Sensitive::new(k)),
            _ => None,
        };
        let new = new_member_slot(
            &member.id,
            &member.name,
            &member.role,
            member_key,
            pin.expose(),
        )?;
        // The member key in the database before any slot uses it, with the PIN's slot, which
        // travels to the home's other devices as a new version of the member.
        self.conn.execute(
            "UPDATE staff SET member_key = ?1 WHERE id = ?2",
            params![&new.member_key.expose()[..], member.id],
        )?;
        crate::staff::keep_member_slot(&self.conn, &new.member)?;
        let mut file = SlotFile::read(&self.dir)?;
        file.members.retain(|m| m.staff_id != member.id);
        file.members.push(new.member);
        if let Some(g) = file.generations.first_mut() {
            g.slots
                .retain(|s| s.staff_id.as_deref() != Some(member.id.as_str()));
            g.slots.push(staff_slot(
                &self.store_id,
                self.db_key.expose(),
                &member.id,
                device_secret.expose(),
                new.member_key.expose(),
            )?);
        }
        file.generations.truncate(1);
        file.write(&self.dir)?;
        if own {
            self.pin_change_due = false;
        }
        self.record(AuditAction::PinChanged, None, &member.name)
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
    /// returned to print. The recovery key the home last confirmed keeps opening the store until
    /// the new one is typed back ([`Store::confirm_recovery_key`]): at no instant does the home
    /// depend on a key it may never have seen printed.
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
            device_secret_id: None,
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
        let (slots, ended) = self.staff_slots(&new_key, &generation_device(&file))?;
        let pins_rewrapped = slots.len();
        generation.device_secret_id = file
            .generations
            .first()
            .and_then(|g| g.device_secret_id.clone());
        generation.slots.extend(slots);
        // An ended agency member's slot is destroyed now: their member key opens nothing new.
        file.members.retain(|m| !ended.contains(&m.staff_id));
        // The confirmed recovery slot stays, reaching the new key through a successor. A
        // recovery key from an earlier rotation that was never confirmed is dropped: the
        // confirmed one is what the home is known to hold.
        let successor =
            keyslots::make_successor(&self.store_id, self.db_key.expose(), new_key.expose())?;
        file.superseded_recovery = match file.superseded_recovery.take() {
            Some(mut superseded) => {
                superseded.successors.push(successor);
                Some(superseded)
            }
            None => file
                .generations
                .first()
                .and_then(|g| g.slots.iter().find(|s| s.kind == SlotKind::Recovery))
                .cloned()
                .map(|slot| keyslots::SupersededRecovery {
                    slot,
                    successors: vec![successor],
                }),
        };

        // 1. The re-keyed copy, complete and on disk, beside the live database.
        let db_path = self.dir.join(db::FILE_NAME);
        let rotated = self.dir.join("grabpack.db.rotating");
        let _ = std::fs::remove_file(&rotated);
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        let attach_key = db::key_literal(new_key.expose());
        let attached = self.conn.execute(
            "ATTACH DATABASE ?1 AS rotated KEY ?2",
            params![rotated.to_string_lossy(), attach_key.expose()],
        );
        drop(attach_key);
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
        test_step("rotate: re-keyed copy written");
        // 2. Slots for both keys: whichever file is in place after a crash, one generation opens it.
        file.generations.insert(0, generation);
        file.write(&self.dir)?;
        test_step("rotate: both generations written");
        // 3. Swap the files. The live connection leaves WAL mode first so no stale WAL survives.
        self.conn
            .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))?;
        let placeholder = Connection::open_in_memory()?;
        drop(std::mem::replace(&mut self.conn, placeholder));
        std::fs::rename(&rotated, &db_path)?;
        keyslots::sync_dir(&self.dir)?;
        test_step("rotate: database swapped");
        let mut conn = db::open(&db_path, new_key.expose(), false)?;
        db::prepare(&mut conn)?;
        self.conn = conn;
        self.db_key = new_key;
        // 4. Only the new generation remains.
        file.generations.truncate(1);
        file.write(&self.dir)?;
        test_step("rotate: old generation removed");
        self.record(AuditAction::KeysRotated,
            None,
            &format!(
                "new database key; new recovery key; {pins_rewrapped} PIN slots re-wrapped; {} ended PIN slots destroyed; passphrase {}",
                ended.len(),
                if passphrase.is_some() { "kept" } else { "none" }
            ),
        )?;
        test_step("rotate: audited");
        Ok(format_recovery_key(recovery.expose()))
    }

    /// True from a rotation (or device recovery) until its new recovery key is confirmed: until
    /// then the previous recovery key also opens the store, and the shells keep reminding.
    pub fn recovery_key_unconfirmed(&self) -> Result<bool> {
        Ok(SlotFile::read(&self.dir)?.superseded_recovery.is_some())
    }

    /// The home has recorded the recovery key the last rotation showed: typed back, it must open
    /// the current recovery slot (`store.wrong_secret` otherwise, and nothing changes). Then the
    /// previous recovery key stops opening the store. Audited once; `false` when there was
    /// nothing to confirm.
    pub fn confirm_recovery_key(&mut self, typed: &Sensitive<String>) -> Result<bool> {
        self.require_admin()?;
        let key = parse_recovery_key(typed.expose())?;
        let mut file = SlotFile::read(&self.dir)?;
        let current = file
            .generations
            .first()
            .ok_or(StoreError::KeySlotsMissing)?;
        let opened =
            keyslots::open_slot(&self.store_id, current, &SlotSecret::Recovery(key.expose()))?
                .ok_or(StoreError::WrongSecret)?;
        if opened.expose() != self.db_key.expose() {
            return Err(StoreError::WrongSecret);
        }
        if file.superseded_recovery.take().is_none() {
            return Ok(false);
        }
        file.generations.truncate(1);
        file.write(&self.dir)?;
        self.record(
            AuditAction::RecoveryKeyConfirmed,
            None,
            "the new recovery key was typed back; the previous one no longer opens the store",
        )?;
        Ok(true)
    }

    /// Staff slots for `db_key` under this device's secret, made from the member keys in the
    /// database (no PIN needed), for every active member whose engagement has not ended; and the
    /// ids of those whose engagement has ended. None without the device secret.
    fn staff_slots(
        &self,
        db_key: &Sensitive<[u8; 32]>,
        account: &str,
    ) -> Result<(Vec<keyslots::Slot>, Vec<String>)> {
        let mut slots = Vec::new();
        let mut ended = Vec::new();
        let Ok(device_secret) = load_device_secret(self.keychain.as_ref(), account) else {
            return Ok((slots, ended));
        };
        let file = SlotFile::read(&self.dir)?;
        let mut stmt = self.conn.prepare(
            "SELECT id, name, role_json, member_key FROM staff WHERE disabled_at IS NULL AND member_key IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Vec<u8>>(3)?,
            ))
        })?;
        for row in rows {
            let (id, name, role_json, mut key) = row?;
            let member_key = <[u8; 32]>::try_from(key.as_slice()).map(Sensitive::new);
            zeroize::Zeroize::zeroize(&mut key);
            let Ok(member_key) = member_key else { continue };
            let role = crate::staff::parse_role(&name, &role_json)?;
            if let StaffRole::Agency { ends_on } = role
                && ends_on < today()
            {
                ended.push(id);
                continue;
            }
            // Only members with a PIN on this device.
            if !file.members.iter().any(|m| m.staff_id == id) {
                continue;
            }
            slots.push(staff_slot(
                &self.store_id,
                db_key.expose(),
                &id,
                device_secret.expose(),
                member_key.expose(),
            )?);
        }
        Ok((slots, ended))
    }

    /// After unlocking with the recovery key on a device whose keychain entry is lost: a new
    /// device secret, every staff PIN working again, and a rotation (the recovery key has been
    /// out of the safe, so it is replaced).
    ///
    /// The new secret gets a keychain entry of its own, and the live generation's PIN slots are
    /// moved to it before the rotation starts: at every instant each generation's PIN slots use
    /// a secret that is in the keychain, so a crash leaves every PIN working.
    pub fn recover_device(
        &mut self,
        passphrase: Option<&Sensitive<String>>,
        drop_passphrase: bool,
    ) -> Result<Sensitive<String>> {
        self.require_admin()?;
        let mut old_account = None;
        if let Some(kc) = self.keychain.clone() {
            let mut file = SlotFile::read(&self.dir)?;
            let account = newest_account(&file);
            let id = uuid::Uuid::new_v4().simple().to_string();
            let new_account = device_account(&self.store_id, Some(&id));
            let device_secret = random_key()?;
            let old_entry = kc.load(&account).ok().flatten();
            let entry = lockout::entry_with_counts_of(device_secret.expose(), old_entry);
            kc.save(&new_account, entry.expose())?;
            test_step("recover: new device secret saved");
            let (slots, _) = self.staff_slots(&self.db_key, &new_account)?;
            if let Some(g) = file.generations.first_mut() {
                g.slots
                    .retain(|s| !matches!(s.kind, SlotKind::Staff | SlotKind::DevicePin));
                g.slots.extend(slots);
                g.device_secret_id = Some(id);
            }
            file.generations.truncate(1);
            file.write(&self.dir)?;
            test_step("recover: PIN slots moved to the new secret");
            self.record(AuditAction::DeviceSecretReplaced, None, "")?;
            old_account = Some(account);
        }
        let recovery = self.rotate(passphrase, drop_passphrase)?;
        if let (Some(kc), Some(account)) = (&self.keychain, old_account) {
            // Nothing uses the old entry any more; a leftover is harmless.
            let _ = kc.remove(&account);
        }
        Ok(recovery)
    }
}

fn generation_device(file: &SlotFile) -> String {
    newest_account(file)
}

/// Test-only observation points for the crash tests: with `GRABPACK_PAUSE_AT_STEP` set to a
/// step's name, the process says so on standard output and waits there to be killed. Unset (as
/// always outside those tests) it does nothing.
fn test_step(name: &str) {
    if let Some(target) = std::env::var_os("GRABPACK_PAUSE_AT_STEP")
        && target == name
    {
        use std::io::Write as _;
        println!("paused at {name}");
        let _ = std::io::stdout().flush();
        loop {
            std::thread::sleep(std::time::Duration::from_secs(60));
        }
    }
}

fn read_failures(dir: &Path) -> Vec<FailedUnlock> {
    std::fs::read_to_string(dir.join(FAILURES_FILE))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
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
