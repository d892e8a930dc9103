//! Key slots: the database key, wrapped under each secret that may open it.
//!
//! The database key is random and opens SQLCipher as a raw key (no slow KDF on every open). It is
//! stored only wrapped (XChaCha20-Poly1305), in `keyslots.json` beside the database, once per way
//! in: a staff member's PIN combined with this device's keychain secret, the recovery key printed
//! at set-up, and an optional passphrase for machines with no keychain. Unwrapping is
//! authenticated, so a wrong secret is told apart from a damaged database before the database is
//! touched.
//!
//! Staff PINs (format version 2) are two layers, so that no PIN-derived key is ever kept where a
//! colleague can read it: a *member slot* per staff member wraps that member's random member key
//! under Argon2id(PIN) (the only PIN-derived key, never stored), and each generation holds a
//! *staff slot* wrapping the database key under HKDF(device secret ‖ member key). Rotation and
//! device recovery re-make staff slots from the member keys kept in the database, so nobody
//! re-enters a PIN; a member key opens nothing without this device's keychain, and reveals
//! nothing about the PIN. Version 1 `device_pin` slots (Argon2id(PIN) kept in the database) are
//! still opened, and moved to version 2 at the next unlock on a device with its keychain.
//!
//! Rotation writes the new key's slots as a new *generation* before the database is re-keyed, and
//! drops the old generation only after: a crash at any instant leaves a generation that opens the
//! database on disk.
//!
//! A recovery key lives on paper in the home's safe, so a rotation cannot re-wrap the new database
//! key under the old one (it is not typed in) and must not strand the home with a key it may never
//! have seen printed. The recovery slot the home last confirmed is therefore kept as it was
//! ([`SupersededRecovery`]), with each later database key wrapped under the key before it, until
//! someone types the new recovery key back (`Store::confirm_recovery_key`).

use std::io::Write as _;
use std::path::Path;
use std::sync::Mutex;

use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroize;

use crate::error::{Result, StoreError};
use crate::secret::{Sensitive, random_bytes};

pub const FILE_NAME: &str = "keyslots.json";
const FORMAT: &str = "grabpack.keyslots";
/// Written by this build. Version 1 (PIN slots only) is still read; an older build refuses 2.
const VERSION: u32 = 2;

/// Argon2id cost for a passphrase: OWASP's 64 MiB / 3 passes, in two lanes computed at once
/// (RFC 9106 allows four). Paid once per passphrase unlock. Two lanes do the same work over the
/// same memory as one (an attacker's guesses per core are unchanged), but a two-core laptop or
/// phone finishes in about half the time: the unlock on the way to the Missing button.
pub const PASSPHRASE_COST: KdfCost = KdfCost {
    m_kib: 65_536,
    t: 3,
    p: 2,
};
/// The cost of a passphrase slot written before slots recorded their cost (one lane).
pub const UNRECORDED_PASSPHRASE_COST: KdfCost = KdfCost {
    m_kib: 65_536,
    t: 3,
    p: 1,
};
/// Argon2id cost for a PIN set from now on: the same as a passphrase's, because a PIN has only a
/// million values and this cost is what one offline guess costs (see `docs/threat-model.md`).
pub const PIN_COST: KdfCost = PASSPHRASE_COST;
/// The cost of version 1 PIN slots, and of member slots migrated from them (the PIN is not known
/// at migration, so its existing Argon2id output is reused until the member sets a new PIN).
pub const LEGACY_PIN_COST: KdfCost = KdfCost {
    m_kib: 19_456,
    t: 2,
    p: 1,
};
/// Digits a new PIN needs. Shorter PINs from older stores keep working until changed.
pub const MIN_PIN_DIGITS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfCost {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    /// Version 1: the database key under HKDF(device secret ‖ Argon2id(PIN)).
    DevicePin,
    /// Version 2: the database key under HKDF(device secret ‖ member key).
    Staff,
    Recovery,
    Passphrase,
}

impl SlotKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::DevicePin => "device_pin",
            Self::Staff => "staff",
            Self::Recovery => "recovery",
            Self::Passphrase => "passphrase",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Slot {
    pub kind: SlotKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_id: Option<String>,
    /// Shown on this device's unlock screen so staff can pick themselves before the database is
    /// open. Staff names only: nothing about any child is ever outside the database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_name: Option<String>,
    /// Salt of this slot's key derivation (base64).
    pub salt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<KdfCost>,
    /// Salt of the PIN's Argon2id (device_pin slots), needed before the database is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin_salt: Option<String>,
    pub nonce: String,
    pub wrapped_key: String,
}

/// A staff member's member key, wrapped under Argon2id(their PIN). Not per generation: rotation
/// never needs the PIN. `ends_on` (agency staff) is bound into the associated data, so it is read
/// before any key is unwrapped and cannot be edited without breaking the slot.
///
/// A *home* slot (every slot made from now on) binds the staff member's id but not this store's
/// id, so the same slot opens on each device of the home: it travels to the others sealed under
/// the home key, inside the record of the staff member (`sync::staff`), and the PIN works
/// everywhere without anyone typing it on each device. Moving it to another store gains nothing:
/// it yields only the member key, and a store's staff slots also need that device's keychain
/// secret. Slots made before (bound to their store) keep opening here and are made again as home
/// slots the next time their member unlocks with the PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSlot {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub home: bool,
    pub staff_id: String,
    pub staff_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<String>,
    pub pin_salt: String,
    pub cost: KdfCost,
    pub salt: String,
    pub nonce: String,
    pub wrapped_key: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Generation {
    pub created_at: String,
    /// Which keychain entry holds the device secret this generation's PIN slots use: `None` is the
    /// entry named after the store (every store before device recovery got its own entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_secret_id: Option<String>,
    pub slots: Vec<Slot>,
}

/// The recovery slot the home last confirmed it holds, kept after a rotation until the new
/// recovery key is confirmed: `slot` wraps the database key of its own time, and each successor
/// wraps the next database key under the one before it, so the confirmed recovery key still
/// reaches the key the database is under now.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SupersededRecovery {
    pub slot: Slot,
    /// Oldest first.
    pub successors: Vec<Successor>,
}

/// One database key wrapped under HKDF(the database key before it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Successor {
    pub salt: String,
    pub nonce: String,
    pub wrapped_key: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SlotFile {
    pub format: String,
    pub version: u32,
    pub store_id: String,
    /// Newest first. More than one only while a rotation is under way (or was cut short).
    pub generations: Vec<Generation>,
    /// One per staff member with a PIN on this device (version 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberSlot>,
    /// Present from a rotation until its new recovery key is confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_recovery: Option<SupersededRecovery>,
}

impl SlotFile {
    pub fn new(store_id: &str) -> Self {
        Self {
            format: FORMAT.into(),
            version: VERSION,
            store_id: store_id.into(),
            generations: Vec::new(),
            members: Vec::new(),
            superseded_recovery: None,
        }
    }

    pub fn read(dir: &Path) -> Result<Self> {
        let path = dir.join(FILE_NAME);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::KeySlotsMissing);
            }
            Err(e) => return Err(e.into()),
        };
        let file: SlotFile = serde_json::from_slice(&bytes)
            .map_err(|e| StoreError::KeySlotsDamaged(e.to_string()))?;
        if file.format != FORMAT || !(1..=VERSION).contains(&file.version) {
            return Err(StoreError::KeySlotsDamaged(format!(
                "unknown format {} version {}",
                file.format, file.version
            )));
        }
        if file.generations.is_empty() {
            return Err(StoreError::KeySlotsDamaged("it holds no keys".into()));
        }
        Ok(file)
    }

    /// Replace the file atomically: write a temporary file, flush it to disk, rename over.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let mut file = self.clone();
        file.version = VERSION;
        let json = serde_json::to_vec_pretty(&file)
            .map_err(|e| StoreError::KeySlotsDamaged(e.to_string()))?;
        write_atomically(dir, FILE_NAME, &json)
    }
}

/// Crash-safe replacement of a small file: after this returns the new content is durable, and at
/// no instant is there a half-written file under `name`.
pub(crate) fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let tmp = dir.join(format!("{name}.tmp"));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, dir.join(name))?;
    sync_dir(dir)
}

pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn aad(store_id: &str, kind: SlotKind, staff_id: Option<&str>) -> String {
    format!(
        "grabpack keyslot v1|{store_id}|{}|{}",
        kind.as_str(),
        staff_id.unwrap_or("")
    )
}

/// Memory for the next Argon2id run, made ready before it is needed. Why: the first touch of a
/// fresh 64 MiB buffer is a page fault for each 4 KiB page, ~25 ms of the ~95 ms an unlock
/// spends in Argon2id on a two-core machine, and the app can pay it while its unlock screen
/// waits for a person to type ([`prepare_kdf_memory`]). The same cost and the same work per guess:
/// only where the memory comes from changes. One run takes it and frees it after, as the crate's
/// own buffer is; it holds nothing but zeros until then.
static READY_KDF_MEMORY: Mutex<Option<Vec<Block>>> = Mutex::new(None);

/// Makes the memory for one Argon2id run at [`PASSPHRASE_COST`] ready (allocated and every page
/// touched), unless it already is. Blocks the caller for the ~25 ms it takes: call it from a
/// thread of its own. An unlock that starts meanwhile waits for it rather than touching a second
/// 64 MiB of its own.
pub fn prepare_kdf_memory() {
    make_ready(&READY_KDF_MEMORY, passphrase_blocks());
}

/// The blocks of one Argon2id run at [`PASSPHRASE_COST`] (and [`PIN_COST`]).
fn passphrase_blocks() -> usize {
    params(PASSPHRASE_COST).map_or(0, |p| p.block_count())
}

/// Argon2id's parameters for `cost`, with our 32-byte output.
fn params(cost: KdfCost) -> Result<Params> {
    Params::new(cost.m_kib, cost.t, cost.p, Some(32))
        .map_err(|e| StoreError::KeySlotsDamaged(format!("bad key derivation cost: {e}")))
}

/// Puts `blocks` blocks, every page touched, in `slot` unless memory of that size is there.
fn make_ready(slot: &Mutex<Option<Vec<Block>>>, blocks: usize) {
    if blocks == 0 {
        return;
    }
    let mut ready = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if ready.as_ref().is_none_or(|memory| memory.len() != blocks) {
        let mut memory = vec![Block::new(); blocks];
        // A write to every 4 KiB page that the optimiser cannot turn into a lazily zeroed
        // allocation (which would leave the page faults to the unlock after all).
        for block in memory.iter_mut().step_by(4) {
            *block = std::hint::black_box(Block::new());
        }
        *ready = Some(memory);
    }
}

/// The memory in `slot`, taken, when it has `blocks` blocks; memory of another size stays.
fn take_ready(slot: &Mutex<Option<Vec<Block>>>, blocks: usize) -> Option<Vec<Block>> {
    let mut ready = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if ready.as_ref().is_some_and(|memory| memory.len() == blocks) {
        ready.take()
    } else {
        None
    }
}

fn argon2id(secret: &[u8], salt: &[u8], cost: KdfCost) -> Result<Sensitive<[u8; 32]>> {
    let params = params(cost)?;
    let memory = take_ready(&READY_KDF_MEMORY, params.block_count());
    argon2id_in(secret, salt, params, memory)
}

/// Argon2id in `memory` when it is given (any content: every block is written before it is read),
/// else in memory of its own.
fn argon2id_in(
    secret: &[u8],
    salt: &[u8],
    params: Params,
    memory: Option<Vec<Block>>,
) -> Result<Sensitive<[u8; 32]>> {
    let mut out = [0u8; 32];
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    match memory {
        Some(memory) => argon2.hash_password_into_with_memory(secret, salt, &mut out, memory),
        None => argon2.hash_password_into(secret, salt, &mut out),
    }
    .map_err(|e| StoreError::KeySlotsDamaged(format!("key derivation failed: {e}")))?;
    let s = Sensitive::new(out);
    out.zeroize();
    Ok(s)
}

fn hkdf(ikm: &[u8], salt: &[u8], info: &[u8]) -> Sensitive<[u8; 32]> {
    let mut out = [0u8; 32];
    // 32 bytes is always a valid HKDF-SHA256 output length.
    let _ = Hkdf::<Sha256>::new(Some(salt), ikm).expand(info, &mut out);
    let s = Sensitive::new(out);
    out.zeroize();
    s
}

/// A PIN stretched by Argon2id: one guess at a PIN costs exactly one call (the figure
/// `benches/store.rs` measures). Never stored.
pub fn stretch_pin(pin: &str, pin_salt: &[u8], cost: KdfCost) -> Result<Sensitive<[u8; 32]>> {
    argon2id(pin.as_bytes(), pin_salt, cost)
}

fn member_aad(store_id: &str, slot: &MemberSlot) -> String {
    let ends_on = slot.ends_on.as_deref().unwrap_or("");
    if slot.home {
        format!("grabpack member slot v3|home|{}|{ends_on}", slot.staff_id)
    } else {
        format!(
            "grabpack member slot v2|{store_id}|{}|{ends_on}",
            slot.staff_id
        )
    }
}

/// Wrap `member_key` under a stretched PIN (fresh from [`stretch_pin`], or a version 1 store's
/// stored Argon2id output during migration) as a home slot, which opens on every device of the
/// home.
pub fn make_member_slot(
    staff_id: &str,
    staff_name: &str,
    ends_on: Option<&str>,
    member_key: &[u8; 32],
    stretched: &[u8; 32],
    pin_salt: &[u8],
    cost: KdfCost,
) -> Result<MemberSlot> {
    seal_member_slot(
        None, staff_id, staff_name, ends_on, member_key, stretched, pin_salt, cost,
    )
}

/// A member slot bound to `store` (as every slot was before home slots), or a home slot.
#[allow(clippy::too_many_arguments)] // each is a distinct part of the slot and its binding
fn seal_member_slot(
    store: Option<&str>,
    staff_id: &str,
    staff_name: &str,
    ends_on: Option<&str>,
    member_key: &[u8; 32],
    stretched: &[u8; 32],
    pin_salt: &[u8],
    cost: KdfCost,
) -> Result<MemberSlot> {
    let salt: [u8; 16] = random_bytes()?;
    let nonce: [u8; 24] = random_bytes()?;
    let wk = hkdf(stretched, &salt, b"grabpack member slot v2");
    let mut slot = MemberSlot {
        home: store.is_none(),
        staff_id: staff_id.into(),
        staff_name: staff_name.into(),
        ends_on: ends_on.map(String::from),
        pin_salt: B64.encode(pin_salt),
        cost,
        salt: B64.encode(salt),
        nonce: B64.encode(nonce),
        wrapped_key: String::new(),
    };
    let aad = member_aad(store.unwrap_or(""), &slot);
    let wrapped = XChaCha20Poly1305::new(wk.expose().into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: member_key,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| StoreError::KeySlotsDamaged("could not wrap the key".into()))?;
    slot.wrapped_key = B64.encode(wrapped);
    Ok(slot)
}

/// A member slot opened with its PIN: the member key, and the stretched PIN that made it (so a
/// slot bound to its store can be made again as a home slot without a second Argon2id).
#[derive(Debug)]
pub struct OpenedMember {
    pub member_key: Sensitive<[u8; 32]>,
    pub stretched: Sensitive<[u8; 32]>,
}

/// The member key, if `pin` is this member's PIN (`Err(WrongSecret)` otherwise).
pub fn open_member_slot(store_id: &str, slot: &MemberSlot, pin: &str) -> Result<OpenedMember> {
    let stretched = stretch_pin(pin, &b64(&slot.pin_salt)?, slot.cost)?;
    let salt = b64(&slot.salt)?;
    let nonce = b64(&slot.nonce)?;
    if nonce.len() != 24 {
        return Err(StoreError::KeySlotsDamaged("bad nonce length".into()));
    }
    let wk = hkdf(stretched.expose(), &salt, b"grabpack member slot v2");
    let aad = member_aad(store_id, slot);
    let mut key = XChaCha20Poly1305::new(wk.expose().into())
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &b64(&slot.wrapped_key)?,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| StoreError::WrongSecret)?;
    let out: [u8; 32] = key
        .as_slice()
        .try_into()
        .map_err(|_| StoreError::KeySlotsDamaged("wrapped key has the wrong length".into()))?;
    key.zeroize();
    Ok(OpenedMember {
        member_key: Sensitive::new(out),
        stretched,
    })
}

/// A secret that can open (or make) one kind of slot.
pub enum SlotSecret<'a> {
    Passphrase(&'a str),
    Recovery(&'a [u8; 32]),
    /// Version 2: the device secret and a member key.
    Staff {
        staff_id: &'a str,
        device_secret: &'a [u8],
        member_key: &'a [u8; 32],
    },
    /// Version 1: the device secret and either the PIN (to unlock) or the stored PIN key (to
    /// re-wrap).
    DevicePin {
        staff_id: &'a str,
        device_secret: &'a [u8],
        pin: PinInput<'a>,
    },
}

pub enum PinInput<'a> {
    Pin(&'a str),
    Key {
        pin_key: &'a [u8; 32],
        pin_salt: &'a [u8],
    },
}

impl std::fmt::Debug for SlotSecret<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SlotSecret::{:?}(<redacted>)", self.kind())
    }
}

impl std::fmt::Debug for PinInput<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PinInput(<redacted>)")
    }
}

impl SlotSecret<'_> {
    fn kind(&self) -> SlotKind {
        match self {
            Self::Passphrase(_) => SlotKind::Passphrase,
            Self::Recovery(_) => SlotKind::Recovery,
            Self::DevicePin { .. } => SlotKind::DevicePin,
            Self::Staff { .. } => SlotKind::Staff,
        }
    }

    fn staff_id(&self) -> Option<&str> {
        match self {
            Self::DevicePin { staff_id, .. } | Self::Staff { staff_id, .. } => Some(staff_id),
            _ => None,
        }
    }

    fn wrapping_key(
        &self,
        salt: &[u8],
        cost: Option<KdfCost>,
        pin_salt: Option<&[u8]>,
    ) -> Result<Sensitive<[u8; 32]>> {
        match self {
            Self::Passphrase(p) => argon2id(
                p.as_bytes(),
                salt,
                cost.unwrap_or(UNRECORDED_PASSPHRASE_COST),
            ),
            Self::Recovery(k) => Ok(hkdf(&k[..], salt, b"grabpack recovery slot v1")),
            Self::Staff {
                staff_id,
                device_secret,
                member_key,
            } => {
                let mut ikm = Vec::with_capacity(device_secret.len() + 32);
                ikm.extend_from_slice(device_secret);
                ikm.extend_from_slice(&member_key[..]);
                let info = format!("grabpack staff slot v2|{staff_id}");
                let k = hkdf(&ikm, salt, info.as_bytes());
                ikm.zeroize();
                Ok(k)
            }
            Self::DevicePin {
                staff_id,
                device_secret,
                pin,
            } => {
                let stretched = match pin {
                    PinInput::Pin(p) => {
                        let pin_salt = pin_salt.ok_or_else(|| {
                            StoreError::KeySlotsDamaged("PIN slot without a PIN salt".into())
                        })?;
                        stretch_pin(p, pin_salt, cost.unwrap_or(LEGACY_PIN_COST))?
                    }
                    PinInput::Key { pin_key, .. } => Sensitive::new(**pin_key),
                };
                let mut ikm = Vec::with_capacity(device_secret.len() + 32);
                ikm.extend_from_slice(device_secret);
                ikm.extend_from_slice(stretched.expose());
                let info = format!("grabpack device-pin slot v1|{staff_id}");
                let k = hkdf(&ikm, salt, info.as_bytes());
                ikm.zeroize();
                Ok(k)
            }
        }
    }
}

/// Wrap `db_key` under `secret` into a new slot.
pub fn make_slot(store_id: &str, db_key: &[u8; 32], secret: &SlotSecret<'_>) -> Result<Slot> {
    let salt: [u8; 16] = random_bytes()?;
    let nonce: [u8; 24] = random_bytes()?;
    let (cost, pin_salt) = match secret {
        SlotSecret::Passphrase(_) => (Some(PASSPHRASE_COST), None),
        SlotSecret::Recovery(_) | SlotSecret::Staff { .. } => (None, None),
        SlotSecret::DevicePin { pin, .. } => (
            Some(LEGACY_PIN_COST),
            Some(match pin {
                PinInput::Key { pin_salt, .. } => pin_salt.to_vec(),
                PinInput::Pin(_) => {
                    return Err(StoreError::KeySlotsDamaged(
                        "a PIN slot is made from the stored PIN key".into(),
                    ));
                }
            }),
        ),
    };
    let wk = secret.wrapping_key(&salt, cost, pin_salt.as_deref())?;
    let cipher = XChaCha20Poly1305::new(wk.expose().into());
    let aad = aad(store_id, secret.kind(), secret.staff_id());
    let wrapped = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: db_key,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| StoreError::KeySlotsDamaged("could not wrap the key".into()))?;
    Ok(Slot {
        kind: secret.kind(),
        staff_id: secret.staff_id().map(String::from),
        staff_name: None,
        salt: B64.encode(salt),
        cost,
        pin_salt: pin_salt.map(|s| B64.encode(s)),
        nonce: B64.encode(nonce),
        wrapped_key: B64.encode(wrapped),
    })
}

fn b64(s: &str) -> Result<Vec<u8>> {
    B64.decode(s)
        .map_err(|e| StoreError::KeySlotsDamaged(e.to_string()))
}

/// Try `secret` against the matching slot of one generation. `Ok(None)`: no slot of that kind
/// here. `Err(WrongSecret)`: a slot exists but the secret does not open it.
pub fn open_slot(
    store_id: &str,
    generation: &Generation,
    secret: &SlotSecret<'_>,
) -> Result<Option<Sensitive<[u8; 32]>>> {
    let kind = secret.kind();
    let staff = secret.staff_id();
    let Some(slot) = generation
        .slots
        .iter()
        .find(|s| s.kind == kind && s.staff_id.as_deref() == staff)
    else {
        return Ok(None);
    };
    let salt = b64(&slot.salt)?;
    let nonce = b64(&slot.nonce)?;
    let wrapped = b64(&slot.wrapped_key)?;
    let pin_salt = slot.pin_salt.as_deref().map(b64).transpose()?;
    if nonce.len() != 24 {
        return Err(StoreError::KeySlotsDamaged("bad nonce length".into()));
    }
    let wk = secret.wrapping_key(&salt, slot.cost, pin_salt.as_deref())?;
    let cipher = XChaCha20Poly1305::new(wk.expose().into());
    let aad = aad(store_id, kind, staff);
    let mut key = cipher
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &wrapped,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| StoreError::WrongSecret)?;
    let out: [u8; 32] = key
        .as_slice()
        .try_into()
        .map_err(|_| StoreError::KeySlotsDamaged("wrapped key has the wrong length".into()))?;
    key.zeroize();
    Ok(Some(Sensitive::new(out)))
}

/// The PIN salt of a staff member's slot in the newest generation (for re-wrapping).
pub fn decode_b64(s: &str) -> Result<Vec<u8>> {
    b64(s)
}

fn successor_aad(store_id: &str) -> String {
    format!("grabpack successor v1|{store_id}")
}

/// Wrap `next` (a new database key) under the database key before it.
pub fn make_successor(store_id: &str, previous: &[u8; 32], next: &[u8; 32]) -> Result<Successor> {
    let salt: [u8; 16] = random_bytes()?;
    let nonce: [u8; 24] = random_bytes()?;
    let wk = hkdf(previous, &salt, b"grabpack successor v1");
    let wrapped = XChaCha20Poly1305::new(wk.expose().into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: next,
                aad: successor_aad(store_id).as_bytes(),
            },
        )
        .map_err(|_| StoreError::KeySlotsDamaged("could not wrap the key".into()))?;
    Ok(Successor {
        salt: B64.encode(salt),
        nonce: B64.encode(nonce),
        wrapped_key: B64.encode(wrapped),
    })
}

fn open_successor(
    store_id: &str,
    previous: &[u8; 32],
    s: &Successor,
) -> Result<Option<Sensitive<[u8; 32]>>> {
    let salt = b64(&s.salt)?;
    let nonce = b64(&s.nonce)?;
    if nonce.len() != 24 {
        return Err(StoreError::KeySlotsDamaged("bad nonce length".into()));
    }
    let wk = hkdf(previous, &salt, b"grabpack successor v1");
    let Ok(mut key) = XChaCha20Poly1305::new(wk.expose().into()).decrypt(
        XNonce::from_slice(&nonce),
        Payload {
            msg: &b64(&s.wrapped_key)?,
            aad: successor_aad(store_id).as_bytes(),
        },
    ) else {
        return Ok(None);
    };
    let out = <[u8; 32]>::try_from(key.as_slice())
        .map_err(|_| StoreError::KeySlotsDamaged("wrapped key has the wrong length".into()));
    key.zeroize();
    Ok(Some(Sensitive::new(out?)))
}

/// Every database key the confirmed (superseded) recovery key reaches, newest last:
/// `Err(WrongSecret)` when it does not open the superseded slot.
pub fn open_superseded(
    store_id: &str,
    superseded: &SupersededRecovery,
    recovery: &[u8; 32],
) -> Result<Vec<Sensitive<[u8; 32]>>> {
    let only = Generation {
        created_at: String::new(),
        device_secret_id: None,
        slots: vec![superseded.slot.clone()],
    };
    let first = open_slot(store_id, &only, &SlotSecret::Recovery(recovery))?
        .ok_or(StoreError::WrongSecret)?;
    let mut keys = vec![first];
    // Each successor is wrapped under the key current when it was made; a rotation cut short
    // before its swap may have left one under a key that never went live, so try every key found
    // so far, newest first.
    for s in &superseded.successors {
        let mut next = None;
        for k in keys.iter().rev() {
            if let Some(n) = open_successor(store_id, k.expose(), s)? {
                next = Some(n);
                break;
            }
        }
        if let Some(n) = next {
            keys.push(n);
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test fails by panicking

    use super::*;

    /// Known answers from the reference implementation (phc-winner-argon2, through
    /// argon2-cffi): slots written with one lane by earlier builds, and two-lane slots written
    /// now, derive the same keys whatever version of the Argon2 crate computes them.
    #[test]
    fn argon2id_gives_the_reference_implementations_answers_for_one_and_two_lanes() {
        let passphrase = b"correct horse battery staple (fictional)";
        let salt = b"grabpack-test-salt-16";
        let one_lane = super::argon2id(passphrase, salt, super::UNRECORDED_PASSPHRASE_COST)
            .map(|k| hex::encode(k.expose()));
        assert_eq!(
            one_lane.ok().as_deref(),
            Some("5506fa5ce3f2166079896993e6548befc4534ffb085419d83f666f27036ab008")
        );
        let two_lanes = super::argon2id(passphrase, salt, super::PASSPHRASE_COST)
            .map(|k| hex::encode(k.expose()));
        assert_eq!(
            two_lanes.ok().as_deref(),
            Some("d8a77ec9c8dda85f174f06b3ca6b72a66a2dab3a9b9f04a0ab79511e8339980c")
        );
        let legacy_pin =
            super::argon2id(b"123456", b"grabpack-pin-salt-16", super::LEGACY_PIN_COST)
                .map(|k| hex::encode(k.expose()));
        assert_eq!(
            legacy_pin.ok().as_deref(),
            Some("5d0bd82290fcc3bf83a5e2da53ab424dfa23f860ea7c4892abcac3d585515cc7")
        );
    }

    /// Memory made ready before the unlock gives the same key as memory of its own, whatever
    /// was in it (here the bytes of an earlier run, not zeros).
    #[test]
    fn argon2id_in_memory_made_ready_gives_the_same_answer() {
        let passphrase = b"correct horse battery staple (fictional)";
        let salt = b"grabpack-test-salt-16";
        let two_lanes = || params(PASSPHRASE_COST).unwrap();
        let mut memory = vec![Block::new(); two_lanes().block_count()];
        Argon2::new(Algorithm::Argon2id, Version::V0x13, two_lanes())
            .fill_memory(b"an earlier run (fictional)", salt, &mut memory)
            .unwrap();
        assert!(
            memory
                .iter()
                .any(|block| block.as_ref().iter().any(|w| *w != 0))
        );
        let key = argon2id_in(passphrase, salt, two_lanes(), Some(memory))
            .map(|k| hex::encode(k.expose()));
        assert_eq!(
            key.ok().as_deref(),
            Some("d8a77ec9c8dda85f174f06b3ca6b72a66a2dab3a9b9f04a0ab79511e8339980c")
        );
    }

    /// What is made ready is exactly one passphrase unlock's memory, every page written; a run
    /// of another size leaves it for the run it is for, and the run it is for takes it once.
    #[test]
    fn the_memory_made_ready_is_one_passphrase_unlocks_and_taken_once_by_it() {
        let slot = Mutex::new(None);
        let blocks = passphrase_blocks();
        assert_eq!(blocks, 65_536);
        make_ready(&slot, blocks);
        assert!(take_ready(&slot, LOW.m_kib as usize).is_none());
        let memory = take_ready(&slot, blocks);
        assert_eq!(memory.as_ref().map(Vec::len), Some(blocks));
        assert!(take_ready(&slot, blocks).is_none(), "taken once");
        // Made ready again, it is there again; the process's own slot is another.
        make_ready(&slot, blocks);
        assert!(take_ready(&slot, blocks).is_some());
    }

    const LOW: KdfCost = KdfCost {
        m_kib: 64,
        t: 1,
        p: 1,
    };

    fn slot(store: Option<&str>) -> (MemberSlot, [u8; 32]) {
        let (key, salt) = ([7u8; 32], [1u8; 16]);
        let stretched = stretch_pin("135790", &salt, LOW).unwrap();
        let slot = seal_member_slot(
            store,
            "staff-1",
            "Night Worker (fictional)",
            None,
            &key,
            stretched.expose(),
            &salt,
            LOW,
        )
        .unwrap();
        (slot, key)
    }

    #[test]
    fn a_home_slot_opens_in_every_store_of_the_home_and_a_store_slot_only_in_its_own() {
        let (home, key) = slot(None);
        for store in ["store-a", "store-b"] {
            let opened = open_member_slot(store, &home, "135790").unwrap();
            assert_eq!(opened.member_key.expose(), &key);
        }
        let (bound, _) = slot(Some("store-a"));
        assert!(open_member_slot("store-a", &bound, "135790").is_ok());
        assert!(matches!(
            open_member_slot("store-b", &bound, "135790"),
            Err(StoreError::WrongSecret)
        ));
        assert!(matches!(
            open_member_slot("store-a", &home, "000000"),
            Err(StoreError::WrongSecret)
        ));
    }

    #[test]
    fn a_slot_whose_kind_or_member_was_edited_opens_nowhere() {
        let (mut flipped, _) = slot(Some("store-a"));
        flipped.home = true;
        assert!(matches!(
            open_member_slot("store-a", &flipped, "135790"),
            Err(StoreError::WrongSecret)
        ));
        let (mut moved, _) = slot(None);
        moved.staff_id = "staff-2".into();
        assert!(matches!(
            open_member_slot("store-a", &moved, "135790"),
            Err(StoreError::WrongSecret)
        ));
        let (mut extended, _) = slot(None);
        extended.ends_on = Some("2099-01-01".into());
        assert!(matches!(
            open_member_slot("store-a", &extended, "135790"),
            Err(StoreError::WrongSecret)
        ));
    }
}
