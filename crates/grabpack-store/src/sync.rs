//! The store's side of one home's record across its devices: which records leave this device,
//! how a record saved on another device is taken in, and how concurrent edits are merged.
//!
//! Why the store does this and not the sync crate: what a revision is, when two revisions are
//! concurrent and what the child's record shows then are rules of the record, and a rule lives
//! once. The sync crate (`grabpack-sync`) seals these records for the hub and carries them; this
//! module never sees a key's use, a network or an envelope, only records as kind + id + bytes.
//!
//! The history of a child is a graph: each revision names the revisions it was saved on top of
//! (its parents). A device shows the one revision nothing else was saved on top of (the head),
//! or, when two devices saved at the same time and there are several heads, a merged view
//! (`grabpack_core::merge`) built the same way on every device from the same heads: a row of its
//! own here (`merged_heads_json`), never sent, never a parent. A person's next save is saved on
//! top of all the heads, which joins the history again. Two edits that set one field differently
//! are kept in the history and listed on the view as disagreements, carried from revision to
//! revision until a person chooses (`settle_disagreement`) or edits that field.

mod audit_chains;
mod episodes;
mod home;
mod outbox;
mod staff;

pub use audit_chains::{DeviceChainReport, HomeAuditEntry, RECORD_AUDIT_CHUNK};
pub use episodes::{RECORD_EPISODE, RECORD_EPISODE_ENTRY};
pub(crate) use home::note_settings_saved;
pub use home::{RECORD_CHILD_ARCHIVED, RECORD_DIRECTORY_ENTRY, RECORD_HOME_SETTINGS};
pub use outbox::{RECORD_DELIVERY_PAYLOAD, RECORD_DELIVERY_STATE, RECORD_OUTBOX_MESSAGE};
pub use staff::RECORD_STAFF_MEMBER;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use grabpack_core::ChildForm;
use grabpack_core::diff::diff;
use grabpack_core::merge::{Disagreement, field_value, merge_forms, with_field};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit;
use crate::audit_action::AuditAction;
use crate::children::{RevisionInfo, RevisionKind, parse_form};
use crate::error::{Result, StoreError};
use crate::ids::ChildId;
use crate::secret::Sensitive;
use crate::store::{Store, now, to_json};

/// The kind of a revision record.
pub const RECORD_REVISION: &str = "revision";
/// The kind of a photo record.
pub const RECORD_PHOTO: &str = "photo";
/// The format of the records below (the first field of each): a reader refuses one it does not
/// know rather than guessing.
const RECORD_FORMAT: u32 = 1;
/// How deep the merge of merge bases may recurse before it takes the deepest single base.
const MAX_BASE_DEPTH: usize = 8;
/// Who saved a merged view (no person did).
const MERGED_BY: &str = "sync";
const MERGED_BY_NAME: &str = "Grab Pack (edits made at the same time on two devices, merged)";

/// Where this device stands in its home's sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// It asked to join and shows a code; a manager on a paired device has not approved it yet.
    WaitingForApproval,
    /// It holds the home's keys and syncs.
    Paired,
}

impl SyncState {
    fn as_str(self) -> &'static str {
        match self {
            Self::WaitingForApproval => "waiting_for_approval",
            Self::Paired => "paired",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::WaitingForApproval, Self::Paired]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// This device's place in a home's sync, without its secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncDevice {
    pub hub_url: String,
    pub hub_ca_pem: Option<String>,
    pub home_id: String,
    pub device_id: String,
    pub state: SyncState,
    /// The code this device showed when it asked to join (until it is approved).
    pub pairing_code: Option<String>,
    /// How far into the home's records this device has read.
    pub cursor: i64,
    pub last_sync_at: Option<String>,
    /// Why the last sync did not finish, in words (cleared by one that did).
    pub last_error: Option<String>,
    /// The device whose approval brought this one in (`None` for the home's first device).
    pub approved_by: Option<String>,
    /// That device's fingerprint, computed here from the keys that wrapped this device's home
    /// key: the approving manager checks it is the one their own device shows.
    pub approver_fingerprint: Option<String>,
}

/// What joining a home records: where the hub is, who this device is there, and its secret keys
/// (64 bytes: the Ed25519 signing seed and the X25519 box secret), kept inside this database.
pub struct JoinHome<'a> {
    pub hub_url: &'a str,
    pub hub_ca_pem: Option<&'a str>,
    pub home_id: &'a str,
    pub device_id: &'a str,
    pub device_secret: &'a [u8; 64],
    pub state: SyncState,
    pub pairing_code: Option<&'a str>,
}

impl std::fmt::Debug for JoinHome<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JoinHome")
            .field("hub_url", &self.hub_url)
            .field("home_id", &self.home_id)
            .field("device_id", &self.device_id)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// The home's keys this device holds: the current epoch (0 before any), and each epoch's key.
pub type HomeKeyRing = (u32, Vec<(u32, Sensitive<[u8; 32]>)>);

/// A record for the hub, or from it: its kind, its global id and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRecord {
    pub kind: String,
    pub record_id: String,
    pub body: Vec<u8>,
}

/// A record sealed for the hub, kept until the hub confirms it: a push repeated after a crash
/// sends these same bytes, which the hub recognises as the same envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedRecord {
    pub envelope_id: String,
    pub kind: String,
    pub record_id: String,
    pub epoch: u32,
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

/// A record received from another device of the home.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRecord {
    pub envelope_id: String,
    pub device_id: String,
    pub record: SyncRecord,
}

/// What taking in a batch of records did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReceiveReport {
    pub revisions: usize,
    pub photos: usize,
    /// Merged views made because two devices saved the same child at the same time.
    pub merges: usize,
    /// Records already here (this device's own, or received before).
    pub already_here: usize,
    /// Records kept until the revision they build on arrives.
    pub waiting: usize,
    /// Records that could not be read (malformed, a form this build cannot read, a photo whose
    /// bytes do not match its hash): set aside with the reason (`sync_refused`), nothing of
    /// them taken in.
    pub refused: usize,
    /// Children whose merged view has fields two edits set differently.
    pub children_with_disagreements: Vec<ChildId>,
    /// Missing episodes opened on another device.
    pub episodes: usize,
    /// Entries of episodes (steps, reports, found, closed...) recorded on another device.
    pub episode_entries: usize,
    /// Episodes that arrived while this device had its own open episode for the same child.
    pub linked_episodes: usize,
    /// Messages queued on another device, and changes of their deliveries' states.
    pub outbox: usize,
    /// The home's settings, police-directory edits and archived children taken from another
    /// device.
    pub home: usize,
    /// Staff members added, given a PIN or disabled on another device.
    pub staff: usize,
    /// Runs of other devices' audit chains taken in (not themselves audited: see `sync::audit_chains`).
    pub audit_chunks: usize,
}

/// A field two edits of one child set differently, as the child's record shows it now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenDisagreement {
    pub path: String,
    /// What the record shows: the later edit's value.
    pub shown: serde_json::Value,
    /// The other edit's value.
    pub other: serde_json::Value,
}

/// Which of the two values a person chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Shown,
    Other,
}

/// A revision as it travels between devices.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RevisionRecord {
    format: u32,
    global_id: String,
    child_id: String,
    child_created_at: String,
    parents: Vec<String>,
    kind: String,
    saved_at: String,
    saved_by: String,
    saved_by_name: String,
    form_json: String,
    changed_paths: Vec<String>,
    note: String,
    disagreements: Vec<Disagreement>,
}

/// A photo's details as they travel; the JPEG follows the header's bytes.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhotoHeader {
    format: u32,
    id: String,
    child_id: String,
    kind: String,
    taken_on: Option<String>,
    added_at: String,
    added_by: String,
    width: i64,
    height: i64,
    sha256: String,
    pipeline: Option<i64>,
}

/// A new revision's global id.
pub(crate) fn new_global_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The parents and carried disagreements of a revision saved now on top of the child's head:
/// the heads the view stands for, and what the view still leaves undecided.
pub(crate) fn parents_of_next(
    conn: &Connection,
    child_id: &ChildId,
    head_seq: i64,
) -> Result<(Vec<String>, Vec<Disagreement>)> {
    if head_seq == 0 {
        return Ok((Vec::new(), Vec::new()));
    }
    let (gid, merged, disagreements): (Option<String>, Option<String>, Option<String>) = conn
        .query_row(
            "SELECT global_id, merged_heads_json, disagreements_json FROM revisions
             WHERE child_id = ?1 AND seq = ?2",
            params![child_id, head_seq],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or(StoreError::RevisionNotFound(head_seq))?;
    let parents = match merged {
        Some(heads) => json_list(&heads, "merged heads")?,
        None => gid.into_iter().collect(),
    };
    Ok((parents, disagreements_of(disagreements.as_deref())?))
}

/// The disagreements a new revision carries: those of the view it was saved on, less the fields
/// its save changed (a person who edits a field has chosen its value).
pub(crate) fn carried(open: Vec<Disagreement>, changed_paths: &[String]) -> Vec<Disagreement> {
    open.into_iter()
        .filter(|d| {
            !changed_paths.iter().any(|p| {
                p == &d.path
                    || p.starts_with(&format!("{}.", d.path))
                    || p.starts_with(&format!("{}[", d.path))
            })
        })
        .collect()
}

fn disagreements_of(json: Option<&str>) -> Result<Vec<Disagreement>> {
    match json {
        None => Ok(Vec::new()),
        Some(j) => serde_json::from_str(j)
            .map_err(|e| crate::store::damaged(format!("a revision's disagreements: {e}"))),
    }
}

fn json_list(json: &str, what: &str) -> Result<Vec<String>> {
    serde_json::from_str(json).map_err(|e| crate::store::damaged(format!("{what}: {e}")))
}

/// The SQL condition that a record is neither at the hub nor sealed for it yet: `kind` is one of
/// this module's record kinds, `id` the SQL expression of the record's id in the query. One
/// condition for every kind's outgoing query, so none forgets the sealed copies (a push repeated
/// after a crash sends them as they are instead of sealing the record again).
fn not_sent(kind: &str, id: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM sync_known k WHERE k.record_kind = '{kind}' AND k.record_id = {id})
         AND NOT EXISTS (SELECT 1 FROM sync_sealed s WHERE s.record_kind = '{kind}' AND s.record_id = {id})"
    )
}

/// Whether `table` has a row whose `column` is `value` (the table and column are this module's
/// own names, never input): how a received record learns it is already here, or what it builds
/// on is.
fn exists(conn: &Connection, table: &str, column: &str, value: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            &format!("SELECT 1 FROM {table} WHERE {column} = ?1"),
            [value],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn invalid(what: impl std::fmt::Display) -> StoreError {
    StoreError::SyncRecordInvalid(what.to_string())
}

impl Store {
    /// Where this device stands in its home's sync (`None` before it joined one).
    pub fn sync_device(&self) -> Result<Option<SyncDevice>> {
        self.conn
            .query_row(
                "SELECT hub_url, hub_ca_pem, home_id, device_id, state, pairing_code, cursor,
                        last_sync_at, last_error, approved_by, approver_fingerprint
                 FROM sync_device WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(4)?,
                        SyncDevice {
                            hub_url: r.get(0)?,
                            hub_ca_pem: r.get(1)?,
                            home_id: r.get(2)?,
                            device_id: r.get(3)?,
                            state: SyncState::Paired,
                            pairing_code: r.get(5)?,
                            cursor: r.get(6)?,
                            last_sync_at: r.get(7)?,
                            last_error: r.get(8)?,
                            approved_by: r.get(9)?,
                            approver_fingerprint: r.get(10)?,
                        },
                    ))
                },
            )
            .optional()?
            .map(|(state, mut d)| {
                d.state = SyncState::parse(&state)
                    .ok_or_else(|| crate::store::damaged(format!("sync state '{state}'")))?;
                Ok(d)
            })
            .transpose()
    }

    /// This device's secret keys (Ed25519 seed, then X25519 secret).
    pub fn sync_device_secret(&self) -> Result<Sensitive<[u8; 64]>> {
        let secret: Vec<u8> = self
            .conn
            .query_row(
                "SELECT device_secret FROM sync_device WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::SyncNotJoined)?;
        let secret = Sensitive::new(secret);
        let mut out = [0u8; 64];
        if secret.expose().len() != out.len() {
            return Err(crate::store::damaged("the device's sync keys"));
        }
        out.copy_from_slice(secret.expose());
        Ok(Sensitive::new(out))
    }

    /// Join a home's sync (a manager's act): as its first device, or asking to be approved.
    pub fn sync_join(&mut self, join: &JoinHome<'_>) -> Result<()> {
        if !self.actor.can_administer() {
            return Err(StoreError::NotPermitted);
        }
        if let Some(d) = self.sync_device()? {
            return Err(StoreError::SyncAlreadyJoined {
                home_id: d.home_id,
                hub_url: d.hub_url,
            });
        }
        let at = now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO sync_device (id, hub_url, hub_ca_pem, home_id, device_id, device_secret, state, pairing_code)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                join.hub_url,
                join.hub_ca_pem,
                join.home_id,
                join.device_id,
                &join.device_secret[..],
                join.state.as_str(),
                join.pairing_code
            ],
        )?;
        // A device joining a home that already shares its records takes the home's settings:
        // what it was set to on its own is not offered to the others as a newer save.
        if join.state == SyncState::WaitingForApproval {
            home::forget_own_settings_save(&tx)?;
        }
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            AuditAction::SyncJoined.as_str(),
            None,
            &format!(
                "home {} at {} as device {} ({})",
                join.home_id,
                join.hub_url,
                join.device_id,
                join.state.as_str()
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The home's keys this device holds, by epoch, and the current epoch (0: none yet).
    pub fn sync_home_keys(&self) -> Result<HomeKeyRing> {
        let mut stmt = self
            .conn
            .prepare("SELECT epoch, key, current FROM sync_home_keys ORDER BY epoch")?;
        let mut rows = stmt.query([])?;
        let mut current = 0;
        let mut keys = Vec::new();
        while let Some(r) = rows.next()? {
            let epoch: u32 = r.get(0)?;
            let key = Sensitive::new(r.get::<_, Vec<u8>>(1)?);
            let mut k = [0u8; 32];
            if key.expose().len() != k.len() {
                return Err(crate::store::damaged(format!("home key of epoch {epoch}")));
            }
            k.copy_from_slice(key.expose());
            if r.get::<_, i64>(2)? != 0 {
                current = epoch;
            }
            keys.push((epoch, Sensitive::new(k)));
        }
        Ok((current, keys))
    }

    /// Keep the home's keys (after approval, or after a rotation): every epoch held, and which is
    /// current. The device counts as paired from here on. Audited when something changed. The
    /// first keys after asking to join name the device that wrapped them (`approver`: its id and
    /// fingerprint), kept and audited so the approving manager can check it.
    pub fn sync_keep_home_keys(
        &mut self,
        current: u32,
        keys: &[(u32, &[u8; 32])],
        approver: Option<(&str, &str)>,
    ) -> Result<()> {
        let (before, held) = self.sync_home_keys()?;
        let device = self.sync_device()?.ok_or(StoreError::SyncNotJoined)?;
        let new_epochs: Vec<u32> = keys
            .iter()
            .map(|(e, _)| *e)
            .filter(|e| !held.iter().any(|(h, _)| h == e))
            .collect();
        let at = now();
        let tx = self.conn.transaction()?;
        for (epoch, key) in keys {
            tx.execute(
                "INSERT INTO sync_home_keys (epoch, key) VALUES (?1, ?2)
                 ON CONFLICT (epoch) DO NOTHING",
                params![epoch, &key[..]],
            )?;
        }
        tx.execute(
            "UPDATE sync_home_keys SET current = (epoch = ?1)",
            [current],
        )?;
        tx.execute(
            "UPDATE sync_device SET state = 'paired', pairing_code = NULL WHERE id = 1",
            [],
        )?;
        let approver = approver.filter(|_| device.state == SyncState::WaitingForApproval);
        if let Some((by, fingerprint)) = approver {
            tx.execute(
                "UPDATE sync_device SET approved_by = ?1, approver_fingerprint = ?2 WHERE id = 1",
                params![by, fingerprint],
            )?;
        }
        if before != current || !new_epochs.is_empty() || device.state != SyncState::Paired {
            audit::append(
                &tx,
                &at,
                &self.actor.id(),
                AuditAction::SyncKeysReceived.as_str(),
                None,
                &match approver {
                    Some((by, fingerprint)) => format!(
                        "home {}: epoch {current} current; approved by device {by}, fingerprint {fingerprint}",
                        device.home_id
                    ),
                    None => format!("home {}: epoch {current} current", device.home_id),
                },
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Record, audited, a manager's approval or revocation of another device of the home. The
    /// permission is checked here, before the caller asks the hub.
    pub fn sync_require_manager(&self) -> Result<()> {
        if self.actor.can_administer() {
            Ok(())
        } else {
            Err(StoreError::NotPermitted)
        }
    }

    /// Audit a device approved (with the fingerprint the manager compared) or revoked.
    pub fn sync_audit_device(&mut self, action: AuditAction, detail: &str) -> Result<()> {
        let at = now();
        let tx = self.conn.transaction()?;
        audit::append(&tx, &at, &self.actor.id(), action.as_str(), None, detail)?;
        tx.commit()?;
        Ok(())
    }

    /// How the last sync ended: `None` when it finished.
    pub fn sync_note_outcome(&mut self, error: Option<&str>) -> Result<()> {
        self.conn.execute(
            "UPDATE sync_device SET last_sync_at = CASE WHEN ?1 IS NULL THEN ?2 ELSE last_sync_at END,
                    last_error = ?1 WHERE id = 1",
            params![error, now()],
        )?;
        Ok(())
    }

    /// How many of this device's records the hub does not hold yet.
    pub fn sync_waiting_to_send(&self) -> Result<i64> {
        Ok(episodes::unsent(&self.conn)?
            + staff::unsent(&self.conn)?
            + outbox::unsent(&self.conn)?
            + home::unsent(&self.conn)?
            + self.conn.query_row::<i64, _, _>(
            // From the global-id index, less this device's merged views (found by their own
            // small index), for the reason in `sync_outgoing`.
            "SELECT (SELECT count(*) FROM revisions r INDEXED BY revisions_global_id
                       WHERE NOT EXISTS (SELECT 1 FROM sync_known k WHERE k.record_kind = 'revision' AND k.record_id = r.global_id))
                  - (SELECT count(*) FROM revisions r INDEXED BY revisions_merged
                       WHERE r.merged_heads_json IS NOT NULL)
                  + (SELECT count(*) FROM photos p INDEXED BY photos_dashboard
                       WHERE NOT EXISTS (SELECT 1 FROM sync_known k WHERE k.record_kind = 'photo' AND k.record_id = p.id))",
            [],
            |r| r.get(0),
        )?)
    }

    /// How many records of one kind this device knows the hub holds (its own, sent, and those
    /// taken in from the others).
    pub fn sync_known_count(&self, kind: &str) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM sync_known WHERE record_kind = ?1",
            [kind],
            |r| r.get(0),
        )?)
    }

    /// Records from other devices set aside because they could not be read.
    pub fn sync_refused_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM sync_refused", [], |r| r.get(0))?)
    }

    /// Records received that wait for the revision they build on.
    pub fn sync_waiting_to_apply(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM sync_waiting", [], |r| r.get(0))?)
    }

    /// Up to `limit` records the hub does not hold yet, oldest first: revisions (in the order
    /// they were saved here, so a parent always goes before its child), then photos (whose
    /// child's first revision has gone by then).
    pub fn sync_outgoing(&self, limit: usize) -> Result<Vec<SyncRecord>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // Staff first: they are few, and a device that joins can be unlocked by the home's
        // staff as soon as they arrive.
        let mut out = staff::outgoing(&self.conn, limit)?;
        // Which revisions have not gone, found from the global-id index alone: a revision's row
        // carries its whole form, and `merged_heads_json` and `global_id` were added after it,
        // so a scan that read them walked past every form on every pass of the background
        // sync. Only the rows found (new saves, and this device's few merged views, which never
        // go) are read.
        let unsent: Vec<i64> = {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT r.id FROM revisions r INDEXED BY revisions_global_id
                 WHERE {}
                 ORDER BY r.id",
                not_sent(RECORD_REVISION, "r.global_id")
            ))?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?
        };
        let mut stmt = self.conn.prepare(
            "SELECT r.global_id, r.child_id, c.created_at, r.parents_json, r.kind, r.saved_at,
                    r.saved_by, r.saved_by_name, r.form_json, r.changed_paths, r.note,
                    r.disagreements_json
             FROM revisions r JOIN children c ON c.id = r.child_id
             WHERE r.id = ?1 AND r.merged_heads_json IS NULL",
        )?;
        for id in unsent {
            if i64::try_from(out.len()).unwrap_or(i64::MAX) >= limit {
                break;
            }
            let mut rows = stmt.query([id])?;
            let Some(r) = rows.next()? else { continue };
            let global_id: String = r.get(0)?;
            let record = RevisionRecord {
                format: RECORD_FORMAT,
                global_id: global_id.clone(),
                child_id: r.get(1)?,
                child_created_at: r.get(2)?,
                parents: json_list(&r.get::<_, String>(3)?, "a revision's parents")?,
                kind: r.get(4)?,
                saved_at: r.get(5)?,
                saved_by: r.get(6)?,
                saved_by_name: r.get(7)?,
                form_json: r.get(8)?,
                changed_paths: json_list(&r.get::<_, String>(9)?, "a revision's fields")?,
                note: r.get(10)?,
                disagreements: disagreements_of(r.get::<_, Option<String>>(11)?.as_deref())?,
            };
            out.push(SyncRecord {
                kind: RECORD_REVISION.into(),
                record_id: global_id,
                body: to_json(&record)?.into_bytes(),
            });
        }
        let left = limit - i64::try_from(out.len()).unwrap_or(0);
        if left <= 0 {
            return Ok(out);
        }
        // The same for photos: the ids from the dashboard's photo index, then only the rows
        // found (a photo's row is its JPEG).
        let unsent: Vec<i64> = {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT p.rowid FROM photos p INDEXED BY photos_dashboard
                 WHERE {}
                 ORDER BY p.rowid LIMIT ?1",
                not_sent(RECORD_PHOTO, "p.id")
            ))?;
            stmt.query_map([left], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?
        };
        let mut stmt = self.conn.prepare(
            "SELECT id, child_id, kind, taken_on, added_at, added_by, width, height, sha256,
                    pipeline, jpeg
             FROM photos WHERE rowid = ?1",
        )?;
        for rowid in unsent {
            let mut rows = stmt.query([rowid])?;
            let Some(r) = rows.next()? else { continue };
            let header = PhotoHeader {
                format: RECORD_FORMAT,
                id: r.get(0)?,
                child_id: r.get(1)?,
                kind: r.get(2)?,
                taken_on: r.get(3)?,
                added_at: r.get(4)?,
                added_by: r.get(5)?,
                width: r.get(6)?,
                height: r.get(7)?,
                sha256: r.get(8)?,
                pipeline: r.get(9)?,
            };
            let jpeg: Vec<u8> = r.get(10)?;
            let head = to_json(&header)?.into_bytes();
            let len = u32::try_from(head.len()).map_err(|_| invalid("photo header too long"))?;
            let mut body = Vec::with_capacity(4 + head.len() + jpeg.len());
            body.extend_from_slice(&len.to_be_bytes());
            body.extend_from_slice(&head);
            body.extend_from_slice(&jpeg);
            out.push(SyncRecord {
                kind: RECORD_PHOTO.into(),
                record_id: header.id,
                body,
            });
        }
        let left = limit - i64::try_from(out.len()).unwrap_or(0);
        if left > 0 {
            out.extend(episodes::outgoing(&self.conn, left)?);
        }
        // Messages after the episodes they belong to.
        let left = limit - i64::try_from(out.len()).unwrap_or(0);
        if left > 0 {
            out.extend(outbox::outgoing(&self.conn, left)?);
        }
        // The home's settings, directory edits and archives after the children they name.
        let left = limit - i64::try_from(out.len()).unwrap_or(0);
        if left > 0 {
            out.extend(home::outgoing(&self.conn, left)?);
        }
        // The audit chain last: it records what the records above did.
        let left = limit - i64::try_from(out.len()).unwrap_or(0);
        if left > 0 {
            out.extend(audit_chains::outgoing(&self.conn, left)?);
        }
        Ok(out)
    }

    /// The hub holds these records now (each under the envelope id it was pushed in); their
    /// sealed copies are no longer needed.
    pub fn sync_mark_sent(&mut self, sent: &[(String, String, String)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for (kind, record_id, envelope_id) in sent {
            tx.execute(
                "INSERT INTO sync_known (record_kind, record_id, envelope_id) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO NOTHING",
                params![kind, record_id, envelope_id],
            )?;
            tx.execute(
                "DELETE FROM sync_sealed WHERE envelope_id = ?1",
                [envelope_id],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Keep envelopes sealed for the hub before pushing them (all or none).
    pub fn sync_keep_sealed(&mut self, sealed: &[SealedRecord]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for s in sealed {
            tx.execute(
                "INSERT INTO sync_sealed (envelope_id, record_kind, record_id, epoch, nonce, ciphertext)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![s.envelope_id, s.kind, s.record_id, s.epoch, s.nonce, s.ciphertext],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Up to `limit` sealed envelopes the hub has not confirmed, oldest first.
    pub fn sync_sealed(&self, limit: usize) -> Result<Vec<SealedRecord>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare(
            "SELECT envelope_id, record_kind, record_id, epoch, nonce, ciphertext FROM sync_sealed
             ORDER BY rowid LIMIT ?1",
        )?;
        Ok(stmt
            .query_map([limit], |r| {
                Ok(SealedRecord {
                    envelope_id: r.get(0)?,
                    kind: r.get(1)?,
                    record_id: r.get(2)?,
                    epoch: r.get(3)?,
                    nonce: r.get(4)?,
                    ciphertext: r.get(5)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?)
    }

    /// Forget envelopes sealed under a key epoch the hub no longer takes (a device was revoked
    /// before they went): their records are sealed again under the current key.
    pub fn sync_drop_sealed_before(&mut self, epoch: u32) -> Result<usize> {
        Ok(self
            .conn
            .execute("DELETE FROM sync_sealed WHERE epoch < ?1", [epoch])?)
    }

    /// Take in records read from the hub up to `cursor`, in one transaction with the cursor, so a
    /// crash takes in all of them or none (and the next sync reads them again; records already
    /// here are skipped). A record whose parent has not arrived waits here, never dropped.
    pub fn sync_receive(
        &mut self,
        received: &[ReceivedRecord],
        cursor: i64,
    ) -> Result<ReceiveReport> {
        let at = now();
        let mut tx = self.conn.transaction()?;
        let mut report = ReceiveReport::default();
        for r in received {
            tx.execute(
                "INSERT INTO sync_waiting (envelope_id, device_id, record_kind, record_id, body, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                params![
                    r.envelope_id,
                    r.device_id,
                    r.record.kind,
                    r.record.record_id,
                    r.record.body,
                    at
                ],
            )?;
        }
        let mut touched: BTreeSet<String> = BTreeSet::new();
        let mut devices: BTreeSet<String> = BTreeSet::new();
        loop {
            let waiting: Vec<(String, String, String, String, Vec<u8>)> = {
                let mut stmt = tx.prepare(
                    "SELECT envelope_id, device_id, record_kind, record_id, body FROM sync_waiting
                     ORDER BY rowid",
                )?;
                stmt.query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<std::result::Result<_, _>>()?
            };
            let mut progress = false;
            for (envelope_id, device_id, kind, record_id, body) in waiting {
                // Each record in a savepoint of its own: one that cannot be read is refused whole
                // (nothing of it kept) and set aside, and the others are still taken in, so one
                // bad record never stops a device's sync for good.
                let sp = tx.savepoint()?;
                let taken = match kind.as_str() {
                    RECORD_REVISION => receive_revision(&sp, &body, &device_id),
                    RECORD_PHOTO => receive_photo(&sp, &body),
                    RECORD_EPISODE => episodes::receive_episode(&sp, &body, &device_id),
                    RECORD_EPISODE_ENTRY => episodes::receive_entry(&sp, &body),
                    RECORD_OUTBOX_MESSAGE => outbox::receive_message(&sp, &body, &device_id),
                    RECORD_DELIVERY_STATE => outbox::receive_state(&sp, &body, &device_id),
                    RECORD_DELIVERY_PAYLOAD => outbox::receive_payload(&sp, &body),
                    RECORD_HOME_SETTINGS => home::receive_settings(&sp, &body),
                    RECORD_DIRECTORY_ENTRY => home::receive_directory(&sp, &body),
                    RECORD_CHILD_ARCHIVED => home::receive_archive(&sp, &body),
                    RECORD_STAFF_MEMBER => staff::receive(&sp, &body),
                    RECORD_AUDIT_CHUNK => audit_chains::receive(&sp, &body, &device_id),
                    // A kind from a newer version of Grab Pack: kept as known so it is not asked
                    // for again; a later version that knows it reads it from the hub again.
                    _ => Ok(Outcome::AlreadyHere),
                };
                let outcome = match taken {
                    Ok(outcome) => {
                        sp.commit()?;
                        outcome
                    }
                    Err(StoreError::SyncRecordInvalid(reason)) => {
                        drop(sp);
                        tx.execute(
                            "INSERT INTO sync_refused (envelope_id, device_id, record_kind, record_id, reason, refused_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                            params![envelope_id, device_id, kind, record_id, reason, at],
                        )?;
                        report.refused += 1;
                        devices.insert(device_id.clone());
                        Outcome::Refused
                    }
                    Err(e) => return Err(e),
                };
                match outcome {
                    Outcome::Wait => continue,
                    Outcome::AlreadyHere => report.already_here += 1,
                    Outcome::Refused => {}
                    Outcome::Revision { child_id, merged } => {
                        report.revisions += 1;
                        report.merges += usize::from(merged);
                        touched.insert(child_id);
                        devices.insert(device_id.clone());
                    }
                    Outcome::Photo { child_id } => {
                        report.photos += 1;
                        touched.insert(child_id);
                        devices.insert(device_id.clone());
                    }
                    Outcome::Episode { child_id, linked } => {
                        report.episodes += 1;
                        report.linked_episodes += usize::from(linked);
                        touched.insert(child_id);
                        devices.insert(device_id.clone());
                    }
                    Outcome::EpisodeEntry { child_id } => {
                        report.episode_entries += 1;
                        touched.insert(child_id);
                        devices.insert(device_id.clone());
                    }
                    Outcome::Outbox { child_id } => {
                        report.outbox += 1;
                        touched.insert(child_id);
                        devices.insert(device_id.clone());
                    }
                    Outcome::Home => {
                        report.home += 1;
                        devices.insert(device_id.clone());
                    }
                    Outcome::Staff => {
                        report.staff += 1;
                        devices.insert(device_id.clone());
                    }
                    Outcome::Audit => report.audit_chunks += 1,
                    Outcome::Archived { child_id } => {
                        report.home += 1;
                        touched.insert(child_id);
                        devices.insert(device_id.clone());
                    }
                }
                progress = true;
                tx.execute(
                    "DELETE FROM sync_waiting WHERE envelope_id = ?1",
                    [&envelope_id],
                )?;
                tx.execute(
                    "INSERT INTO sync_known (record_kind, record_id, envelope_id) VALUES (?1, ?2, ?3)
                     ON CONFLICT DO NOTHING",
                    params![kind, record_id, envelope_id],
                )?;
            }
            if !progress {
                break;
            }
        }
        report.waiting = tx.query_row("SELECT count(*) FROM sync_waiting", [], |r| {
            r.get::<_, i64>(0)
        })? as usize;
        for child in &touched {
            let id = ChildId::from(child.clone());
            if !open_disagreements(&tx, &id)?.is_empty() {
                report.children_with_disagreements.push(id);
            }
        }
        tx.execute("UPDATE sync_device SET cursor = ?1 WHERE id = 1", [cursor])?;
        if report.revisions
            + report.photos
            + report.episodes
            + report.episode_entries
            + report.outbox
            + report.home
            + report.staff
            + report.refused
            > 0
        {
            audit::append(
                &tx,
                &at,
                &self.actor.id(),
                AuditAction::SyncReceived.as_str(),
                None,
                &format!(
                    "{} revisions, {} photos, {} episodes ({} linked with one open here), {} episode entries, {} sent messages or delivery states, {} settings, directory edits or archived children and {} staff changes, for {} children from devices {}; {} merged views; {} with disagreements; {} waiting; {} refused as unreadable",
                    report.revisions,
                    report.photos,
                    report.episodes,
                    report.linked_episodes,
                    report.episode_entries,
                    report.outbox,
                    report.home,
                    report.staff,
                    touched.len(),
                    devices.into_iter().collect::<Vec<_>>().join(", "),
                    report.merges,
                    report.children_with_disagreements.len(),
                    report.waiting,
                    report.refused
                ),
            )?;
        }
        tx.commit()?;
        if report.staff > 0 {
            // PINs added here and disabled members' slots gone, now the records are in.
            self.follow_staff_in_slots()?;
        }
        Ok(report)
    }

    /// The fields of a child two edits set differently that nobody has chosen between.
    pub fn disagreements(&self, child_id: &ChildId) -> Result<Vec<OpenDisagreement>> {
        open_disagreements(&self.conn, child_id)
    }

    /// Children with fields two edits set differently.
    pub fn children_with_disagreements(&self) -> Result<Vec<(ChildId, usize)>> {
        let ids: Vec<String> = {
            let mut stmt = self.conn.prepare(
                "SELECT c.id FROM revisions r INDEXED BY revisions_disagreements
                   JOIN children c ON c.id = r.child_id AND c.latest_seq = r.seq
                 WHERE r.disagreements_json IS NOT NULL AND r.disagreements_json != '[]'
                 ORDER BY c.id",
            )?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?
        };
        let mut out = Vec::new();
        for id in ids {
            let id = ChildId::from(id);
            let n = open_disagreements(&self.conn, &id)?.len();
            if n > 0 {
                out.push((id, n));
            }
        }
        Ok(out)
    }

    /// A person chooses one of the two values of a field two edits disagree on: saved as a new
    /// revision on top of every head, with that field settled. Audited.
    pub fn settle_disagreement(
        &mut self,
        child_id: &ChildId,
        path: &str,
        choice: Choice,
    ) -> Result<RevisionInfo> {
        let open = open_disagreements(&self.conn, child_id)?;
        let chosen = open
            .iter()
            .find(|d| d.path == path)
            .ok_or_else(|| StoreError::NoDisagreement(path.to_string()))?;
        let value = match choice {
            Choice::Shown => chosen.shown.clone(),
            Choice::Other => chosen.other.clone(),
        };
        let (seq, _) = crate::children::latest_seq(&self.conn, child_id)?;
        let current = crate::children::load_form(&self.conn, child_id, seq)?;
        let form = with_field(&current, path, &value).map_err(invalid)?;
        let note = format!(
            "chose {} for '{path}' where two edits disagreed",
            match choice {
                Choice::Shown => "the value shown",
                Choice::Other => "the other value",
            }
        );
        self.save_revision(
            child_id,
            &form,
            &note,
            &[path.to_string()],
            Some(AuditAction::DisagreementSettled),
        )
    }
}

enum Outcome {
    Wait,
    AlreadyHere,
    Refused,
    Revision {
        child_id: String,
        merged: bool,
    },
    Photo {
        child_id: String,
    },
    Episode {
        child_id: String,
        linked: bool,
    },
    EpisodeEntry {
        child_id: String,
    },
    Outbox {
        child_id: String,
    },
    /// Settings or a police-directory edit.
    Home,
    /// A version of a staff member.
    Staff,
    /// A run of another device's audit chain.
    Audit,
    Archived {
        child_id: String,
    },
}

fn known_revision(conn: &Connection, global_id: &str) -> Result<bool> {
    exists(conn, "revisions", "global_id", global_id)
}

fn receive_revision(conn: &Connection, body: &[u8], device_id: &str) -> Result<Outcome> {
    let rec: RevisionRecord =
        serde_json::from_slice(body).map_err(|e| invalid(format!("a revision: {e}")))?;
    if rec.format != RECORD_FORMAT {
        return Err(invalid(format!("revision format {}", rec.format)));
    }
    if RevisionKind::parse(&rec.kind).is_none() {
        return Err(invalid(format!("revision kind '{}'", rec.kind)));
    }
    let child_id = ChildId::from(rec.child_id.clone());
    // The form must be one this build reads, or it would be stored and then fail every read.
    parse_form(&child_id, 0, &rec.form_json)
        .map_err(|e| invalid(format!("a revision's form: {e}")))?;
    if known_revision(conn, &rec.global_id)? {
        return Ok(Outcome::AlreadyHere);
    }
    for p in &rec.parents {
        if !known_revision(conn, p)? {
            return Ok(Outcome::Wait);
        }
    }
    let child: Option<i64> = conn
        .query_row(
            "SELECT latest_seq FROM children WHERE id = ?1",
            [&child_id],
            |r| r.get(0),
        )
        .optional()?;
    let head_seq = match child {
        Some(seq) => seq,
        None if rec.parents.is_empty() => {
            conn.execute(
                "INSERT INTO children (id, created_at) VALUES (?1, ?2)",
                params![child_id, rec.child_created_at],
            )?;
            0
        }
        // A parent is known but its child is not: the record is inconsistent.
        None => return Err(invalid("a revision of an unknown child")),
    };
    let seq = head_seq + 1;
    conn.execute(
        "INSERT INTO revisions (child_id, seq, kind, saved_at, saved_by, saved_by_name, form_json,
                                changed_paths, note, global_id, parents_json, origin_device,
                                disagreements_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            child_id,
            seq,
            rec.kind,
            rec.saved_at,
            rec.saved_by,
            rec.saved_by_name,
            rec.form_json,
            to_json(&rec.changed_paths)?,
            rec.note,
            rec.global_id,
            to_json(&rec.parents)?,
            device_id,
            (!rec.disagreements.is_empty())
                .then(|| to_json(&rec.disagreements))
                .transpose()?
        ],
    )?;
    let graph = Graph::load(conn, &child_id)?;
    let heads = graph.heads();
    let merged = if heads.len() == 1 {
        // The new revision follows the head: it is the head now.
        let form = parse_form(&child_id, seq, &rec.form_json)?;
        set_head(conn, &child_id, seq, &form)?;
        false
    } else {
        let view = graph.view(conn, &child_id, &heads)?;
        let head_form = crate::children::load_form(conn, &child_id, head_seq.max(1))?;
        let changed = diff(&head_form, &view.form);
        let id = merged_view_id(&heads);
        conn.execute(
            "INSERT INTO revisions (child_id, seq, kind, saved_at, saved_by, saved_by_name,
                                    form_json, changed_paths, note, global_id, parents_json,
                                    merged_heads_json, disagreements_json)
             VALUES (?1, ?2, 'edit', ?3, ?4, ?5, ?6, ?7, ?8, ?9, '[]', ?10, ?11)",
            params![
                child_id,
                seq + 1,
                now(),
                MERGED_BY,
                MERGED_BY_NAME,
                to_json(&view.form)?,
                to_json(&changed.iter().map(|c| c.path.clone()).collect::<Vec<_>>())?,
                merged_note(heads.len(), &view.disagreements),
                id,
                to_json(&heads)?,
                (!view.disagreements.is_empty())
                    .then(|| to_json(&view.disagreements))
                    .transpose()?
            ],
        )?;
        set_head(conn, &child_id, seq + 1, &view.form)?;
        true
    };
    Ok(Outcome::Revision {
        child_id: rec.child_id,
        merged,
    })
}

fn set_head(conn: &Connection, child_id: &ChildId, seq: i64, form: &ChildForm) -> Result<()> {
    conn.execute(
        "UPDATE children SET latest_seq = ?1 WHERE id = ?2",
        params![seq, child_id],
    )?;
    crate::dashboard::keep_card(conn, child_id, seq, form)
}

fn merged_note(heads: usize, disagreements: &[Disagreement]) -> String {
    let mut note = format!("{heads} edits made at the same time on different devices, merged");
    if !disagreements.is_empty() {
        note.push_str(&format!(
            "; they disagree on {}: the later edit is shown until someone chooses",
            disagreements
                .iter()
                .map(|d| d.path.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    note
}

/// A merged view's id: the same heads give the same id on every device.
fn merged_view_id(heads: &[String]) -> String {
    let mut h = Sha256::new();
    h.update(b"grabpack merged view\n");
    for id in heads {
        h.update(id.as_bytes());
        h.update(b"\n");
    }
    format!("view-{}", &hex::encode(h.finalize())[..32])
}

fn receive_photo(conn: &Connection, body: &[u8]) -> Result<Outcome> {
    let (len, rest) = body
        .split_first_chunk::<4>()
        .ok_or_else(|| invalid("a photo record too short"))?;
    let len = u32::from_be_bytes(*len) as usize;
    if rest.len() < len {
        return Err(invalid("a photo record's header is cut short"));
    }
    let (head, jpeg) = rest.split_at(len);
    let header: PhotoHeader =
        serde_json::from_slice(head).map_err(|e| invalid(format!("a photo: {e}")))?;
    if header.format != RECORD_FORMAT {
        return Err(invalid(format!("photo format {}", header.format)));
    }
    if hex::encode(Sha256::digest(jpeg)) != header.sha256 {
        return Err(invalid(format!(
            "photo {}: its bytes do not match its SHA-256",
            header.id
        )));
    }
    if grabpack_core::PhotoKind::parse(&header.kind).is_none() {
        return Err(invalid(format!("photo kind '{}'", header.kind)));
    }
    // Stored as the sending device's pipeline left it, never re-encoded here (its SHA-256 names
    // it on every device); but only a photo as that pipeline leaves one, with the size it says.
    match grabpack_photo::check_as_stored(jpeg, &grabpack_photo::PhotoLimits::default()) {
        Ok((w, h)) if i64::from(w) == header.width && i64::from(h) == header.height => {}
        Ok((w, h)) => {
            return Err(invalid(format!(
                "photo {}: {w} x {h} pixels, not the {} x {} it says",
                header.id, header.width, header.height
            )));
        }
        Err(e) => return Err(invalid(format!("photo {}: {e}", header.id))),
    }
    let here = exists(conn, "photos", "id", &header.id)?;
    if here {
        return Ok(Outcome::AlreadyHere);
    }
    let child_known = exists(conn, "children", "id", &header.child_id)?;
    if !child_known {
        return Ok(Outcome::Wait);
    }
    conn.execute(
        "INSERT INTO photos (id, child_id, kind, taken_on, added_at, added_by, width, height, sha256, jpeg, pipeline)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            header.id,
            header.child_id,
            header.kind,
            header.taken_on,
            header.added_at,
            header.added_by,
            header.width,
            header.height,
            header.sha256,
            jpeg,
            header.pipeline
        ],
    )?;
    Ok(Outcome::Photo {
        child_id: header.child_id,
    })
}

fn open_disagreements(conn: &Connection, child_id: &ChildId) -> Result<Vec<OpenDisagreement>> {
    let json: Option<String> = conn
        .query_row(
            "SELECT r.disagreements_json FROM children c JOIN revisions r
               ON r.child_id = c.id AND r.seq = c.latest_seq WHERE c.id = ?1",
            [child_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(disagreements_of(json.as_deref())?
        .into_iter()
        .map(|d| OpenDisagreement {
            path: d.path,
            shown: d.later,
            other: d.earlier,
        })
        .collect())
}

/// A child's history as a graph of revisions made by people (merged views left out).
struct Graph {
    /// global id -> (local seq, saved at, parents)
    nodes: HashMap<String, (i64, String, Vec<String>)>,
}

/// A merged view: the form and what its heads left undecided.
struct View {
    form: ChildForm,
    disagreements: Vec<Disagreement>,
}

impl Graph {
    fn load(conn: &Connection, child_id: &ChildId) -> Result<Self> {
        let mut stmt = conn.prepare(
            "SELECT global_id, seq, saved_at, parents_json FROM revisions
             WHERE child_id = ?1 AND merged_heads_json IS NULL",
        )?;
        let mut nodes = HashMap::new();
        let mut rows = stmt.query([child_id])?;
        while let Some(r) = rows.next()? {
            let parents = json_list(&r.get::<_, String>(3)?, "a revision's parents")?;
            nodes.insert(r.get(0)?, (r.get(1)?, r.get(2)?, parents));
        }
        Ok(Self { nodes })
    }

    /// Revisions nothing was saved on top of, in the order every device sorts them: by when they
    /// were saved, then by id.
    fn heads(&self) -> Vec<String> {
        let parents: BTreeSet<&String> = self.nodes.values().flat_map(|n| n.2.iter()).collect();
        let mut heads: Vec<&String> = self.nodes.keys().filter(|k| !parents.contains(k)).collect();
        heads.sort_by(|a, b| {
            let ta = saved_time(&self.nodes[*a].1);
            let tb = saved_time(&self.nodes[*b].1);
            ta.cmp(&tb).then_with(|| a.cmp(b))
        });
        heads.into_iter().cloned().collect()
    }

    /// Every ancestor of `from` (itself included).
    fn ancestors(&self, from: &[String]) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<String> = from.to_vec();
        while let Some(id) = todo.pop() {
            if seen.insert(id.clone())
                && let Some(n) = self.nodes.get(&id)
            {
                todo.extend(n.2.iter().cloned());
            }
        }
        seen
    }

    /// The common ancestors of two sets no other common ancestor descends from: the merge bases.
    /// One walk: every ancestor of a common ancestor's parents is not a base.
    fn bases(&self, a: &[String], b: &[String]) -> Vec<String> {
        let common: BTreeSet<String> = self
            .ancestors(a)
            .intersection(&self.ancestors(b))
            .cloned()
            .collect();
        let parents: Vec<String> = common
            .iter()
            .filter_map(|c| self.nodes.get(c))
            .flat_map(|n| n.2.iter().cloned())
            .collect();
        let below = self.ancestors(&parents);
        let mut bases: Vec<String> = common.difference(&below).cloned().collect();
        bases.sort_by(|x, y| {
            let tx = saved_time(self.nodes.get(x).map_or("", |n| n.1.as_str()));
            let ty = saved_time(self.nodes.get(y).map_or("", |n| n.1.as_str()));
            tx.cmp(&ty).then_with(|| x.cmp(y))
        });
        bases
    }

    fn form(&self, conn: &Connection, child_id: &ChildId, id: &str) -> Result<ChildForm> {
        let seq =
            self.nodes.get(id).map(|n| n.0).ok_or_else(|| {
                crate::store::damaged(format!("revision {id} of child {child_id}"))
            })?;
        crate::children::load_form(conn, child_id, seq)
    }

    /// The view of several heads, the same on every device that holds them: folded in order,
    /// each merged into what came before from their merge base (itself the view of the bases
    /// when there are several, as far as `MAX_BASE_DEPTH`). The heads' own carried
    /// disagreements stay listed unless the merge decided the field.
    fn view(&self, conn: &Connection, child_id: &ChildId, heads: &[String]) -> Result<View> {
        self.view_at(conn, child_id, heads, 0)
    }

    fn view_at(
        &self,
        conn: &Connection,
        child_id: &ChildId,
        heads: &[String],
        depth: usize,
    ) -> Result<View> {
        let Some((first, rest)) = heads.split_first() else {
            return Ok(View {
                form: ChildForm::default(),
                disagreements: Vec::new(),
            });
        };
        let mut form = self.form(conn, child_id, first)?;
        let mut found: BTreeMap<String, Disagreement> = BTreeMap::new();
        let mut carried: BTreeMap<String, Disagreement> = BTreeMap::new();
        let mut done = vec![first.clone()];
        for d in self.carried(conn, child_id, first)? {
            carried.insert(d.path.clone(), d);
        }
        for h in rest {
            let bases = self.bases(&done, std::slice::from_ref(h));
            let base = match bases.as_slice() {
                [] => ChildForm::default(),
                [one] => self.form(conn, child_id, one)?,
                many if depth < MAX_BASE_DEPTH => {
                    self.view_at(conn, child_id, many, depth + 1)?.form
                }
                // The deepest fold reached: the latest single base stands in for the rest.
                many => self.form(conn, child_id, &many[many.len() - 1])?,
            };
            let later = self.form(conn, child_id, h)?;
            let merged = merge_forms(&base, &form, &later).map_err(invalid)?;
            form = merged.form;
            for d in merged.disagreements {
                found.insert(d.path.clone(), d);
            }
            for d in self.carried(conn, child_id, h)? {
                carried.entry(d.path.clone()).or_insert(d);
            }
            done.push(h.clone());
        }
        // A carried disagreement keeps what the view shows now as its "shown" value.
        for (path, mut d) in carried {
            if found.contains_key(&path) {
                continue;
            }
            d.later = field_value(&form, &path).map_err(invalid)?;
            found.insert(path, d);
        }
        Ok(View {
            form,
            disagreements: found.into_values().collect(),
        })
    }

    fn carried(
        &self,
        conn: &Connection,
        child_id: &ChildId,
        id: &str,
    ) -> Result<Vec<Disagreement>> {
        let json: Option<String> = conn.query_row(
            "SELECT disagreements_json FROM revisions WHERE global_id = ?1 AND child_id = ?2",
            params![id, child_id],
            |r| r.get(0),
        )?;
        disagreements_of(json.as_deref())
    }
}

/// A revision's save time for ordering (an unreadable one sorts first; the id then decides).
fn saved_time(at: &str) -> Option<jiff::Timestamp> {
    at.parse().ok()
}
