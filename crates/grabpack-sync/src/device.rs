//! One device of a home, syncing its store through the hub: joining (as the home's first device
//! or by pairing), approving and revoking other devices, and a sync that sends this device's new
//! records and takes in everyone else's.
//!
//! Why blocking calls around an async client: the store is a single SQLite connection that the
//! app and the command line hold on one thread, so each operation here runs the hub's requests to
//! completion on its own small runtime and touches the store only between them. The store's side
//! (which records leave, how they are taken in and merged) is `grabpack_store::sync`; the keys
//! are kept inside the store, never in a file of their own. The app and the command line offer
//! these same operations and nothing else.
//!
//! Who sends a delivery: the device that queued it holds the hub's lease on each of its
//! deliveries still to go, renewed at every sync ([`DELIVERY_LEASE_SECS`]). A device that has not
//! synced for that long is taken to be gone (a laptop shut with a pack in its outbox, a phone gone
//! flat), and another device of the home that can send the delivery as it was queued takes its
//! lease and sends it ([`take_over_deliveries`]); the device that comes back finds its lease
//! taken and stops.

use grabpack_store::outbox::Delivery;
use grabpack_store::sync::{
    JoinHome, RECORD_DELIVERY_PAYLOAD, ReceiveReport, ReceivedRecord, SealedRecord, SyncDevice,
    SyncRecord, SyncState,
};
use grabpack_store::{AuditAction, ChildId, Store};
use grabpack_sync_protocol::{B64, DeviceStatus, Envelope, HubLimits};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::client::{DeviceIdentity, HubClient, LeaseAnswer};
use crate::envelope::{HomeKeys, Record};
use crate::error::{Result, SyncError};
use crate::keys::{DeviceKeys, DevicePublicKeys, HomeKey};

/// Records in one push, and their bytes at most (the hub's defaults allow far more; a smaller
/// push is retried sooner after a dropped connection), each further held to what the hub says
/// it takes (`GET /v1/limits`).
const PUSH_RECORDS: usize = 100;
const PUSH_BYTES: usize = 4 * 1024 * 1024;
/// Envelopes asked for per pull.
const PULL_LIMIT: u32 = 200;
/// How long a delivery's lease lasts unless renewed. Every sync renews it, and the app syncs at
/// least every 25 s while the hub answers, so a device that has not renewed for two minutes has
/// stopped syncing: shut, flat, or out of reach of the hub. Its undelivered packs are then
/// another device's to send. Short, because a missing child's pack must not wait long for a
/// laptop that was closed; long enough that a living device renews it several times.
pub const DELIVERY_LEASE_SECS: u32 = 120;

/// This device after it joined a home: what its screen shows.
#[derive(Debug, Clone, Serialize)]
pub struct Joined {
    pub home_id: String,
    pub device_id: String,
    /// This device's key fingerprint, for the manager to compare on the approving device.
    pub fingerprint: String,
    /// The short code to read out to the manager (only when waiting for approval).
    pub code: Option<String>,
}

/// A device waiting to be approved, with the fingerprint computed here from its keys.
#[derive(Debug, Clone, Serialize)]
pub struct WaitingDevice {
    pub device_id: String,
    pub code: String,
    pub fingerprint: String,
    pub requested_at: i64,
}

/// A device of the home, as the hub lists it, with its fingerprint computed here.
#[derive(Debug, Clone, Serialize)]
pub struct HomeDevice {
    pub device_id: String,
    pub status: DeviceStatus,
    pub fingerprint: String,
    pub this_device: bool,
    pub created_at: i64,
    pub last_seen_at: Option<i64>,
}

/// What one sync did.
#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    pub state: SyncState,
    /// Records this device sent to the hub.
    pub sent: usize,
    pub received: ReceiveReport,
    /// The home key epoch this device now seals under.
    pub epoch: u32,
}

/// The sync state in words and figures, from the store alone (no network).
#[derive(Debug, Clone, Serialize)]
pub struct SyncStatus {
    pub joined: Option<SyncDevice>,
    pub fingerprint: Option<String>,
    pub waiting_to_send: i64,
    pub waiting_for_parents: i64,
    /// Records from other devices set aside because they could not be read.
    pub refused: i64,
    pub children_with_disagreements: Vec<(ChildId, usize)>,
    /// "up to date, 2 min ago", "offline: 3 changes waiting", ...
    pub words: String,
}

/// How a device operation reaches the store: only between its requests to the hub, never across
/// one. The command line owns its store outright ([`Store`] is its own access); the app's store
/// sits behind the window's lock, which a sync must not hold while the hub takes its time.
pub trait StoreAccess {
    /// Run `f` on the store. The app answers [`SyncError::StoreLocked`] when it was locked.
    fn with_store<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T>;
}

impl StoreAccess for Store {
    fn with_store<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        f(self)
    }
}

/// Wakes a sync that is waiting on the hub for other devices' changes, so a change made here is
/// sent at once instead of after the wait. A wake with nobody waiting is kept for the next wait.
#[derive(Debug, Clone, Default)]
pub struct SyncWake(std::sync::Arc<tokio::sync::Notify>);

impl SyncWake {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn wake(&self) {
        self.0.notify_one();
    }
}

fn identity(store: &Store, device: &SyncDevice) -> Result<DeviceIdentity> {
    let secret = store.sync_device_secret()?;
    let (signing, boxing) = secret.expose().split_at(32);
    let signing: &[u8; 32] = signing
        .try_into()
        .map_err(|_| SyncError::Malformed("the device's keys".into()))?;
    let boxing: &[u8; 32] = boxing
        .try_into()
        .map_err(|_| SyncError::Malformed("the device's keys".into()))?;
    Ok(DeviceIdentity {
        device_id: device.device_id.clone(),
        keys: DeviceKeys::from_secret_bytes(signing, boxing),
    })
}

fn home_keys(store: &Store, home_id: &str) -> Result<HomeKeys> {
    let (current, keys) = store.sync_home_keys()?;
    Ok(HomeKeys::from_keys(
        home_id,
        current,
        keys.iter()
            .map(|(e, k)| (*e, HomeKey::from_bytes(*k.expose()))),
    ))
}

fn keep_home_keys(
    store: &mut Store,
    keys: &HomeKeys,
    approver: Option<&(String, String)>,
) -> Result<()> {
    let exposed: Vec<(u32, zeroize::Zeroizing<[u8; 32]>)> =
        keys.epochs().map(|(e, k)| (e, k.expose_bytes())).collect();
    let refs: Vec<(u32, &[u8; 32])> = exposed.iter().map(|(e, k)| (*e, &**k)).collect();
    store.sync_keep_home_keys(
        keys.current,
        &refs,
        approver.map(|(by, fp)| (by.as_str(), fp.as_str())),
    )?;
    Ok(())
}

fn joined_device(store: &Store) -> Result<SyncDevice> {
    store
        .sync_device()?
        .ok_or(SyncError::Store(grabpack_store::StoreError::SyncNotJoined))
}

/// One operation's way to the hub: its client and the runtime its requests run on to
/// completion. One runtime for the whole operation, so the client's connections are reused
/// from one request to the next; the store is never touched inside it.
struct Net {
    runtime: tokio::runtime::Runtime,
    hub: HubClient,
}

impl Net {
    fn new(hub_url: &str, ca_pem: &[String]) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| SyncError::Network(format!("could not start the network runtime: {e}")))?;
        Ok(Self {
            runtime,
            hub: HubClient::new(hub_url, ca_pem)?,
        })
    }

    fn to(device: &SyncDevice) -> Result<Self> {
        let cas: Vec<String> = device.hub_ca_pem.iter().cloned().collect();
        Self::new(&device.hub_url, &cas)
    }

    fn run<T>(&self, f: impl std::future::Future<Output = Result<T>>) -> Result<T> {
        self.runtime.block_on(f)
    }
}

/// The joined device and its identity, read under the store.
fn me(access: &mut impl StoreAccess) -> Result<(SyncDevice, DeviceIdentity)> {
    access.with_store(|store| {
        let device = joined_device(store)?;
        let me = identity(store, &device)?;
        Ok((device, me))
    })
}

/// A manager's act on the home's devices: this device, its identity and the home's keys, read
/// under the store once the person is found to be a manager.
fn as_manager(access: &mut impl StoreAccess) -> Result<(SyncDevice, DeviceIdentity, HomeKeys)> {
    access.with_store(|store| {
        store.sync_require_manager()?;
        let device = joined_device(store)?;
        let me = identity(store, &device)?;
        let keys = home_keys(store, &device.home_id)?;
        Ok((device, me, keys))
    })
}

fn refuse_if_joined(store: &Store) -> Result<()> {
    store.sync_require_manager()?;
    if let Some(d) = store.sync_device()? {
        return Err(SyncError::Store(
            grabpack_store::StoreError::SyncAlreadyJoined {
                home_id: d.home_id,
                hub_url: d.hub_url,
            },
        ));
    }
    Ok(())
}

/// Set this device up as the home's first, with the token the hub's operator gave the home: it
/// makes the home's first key. A manager's act.
pub fn enrol(
    access: &mut impl StoreAccess,
    hub_url: &str,
    ca_pem: Option<&str>,
    token: &str,
) -> Result<Joined> {
    access.with_store(|store| refuse_if_joined(store))?;
    let cas: Vec<String> = ca_pem.iter().map(|s| s.to_string()).collect();
    let net = Net::new(hub_url, &cas)?;
    let keys = DeviceKeys::generate()?;
    let enrolled = net.run(net.hub.enrol(token, &keys))?;
    let home = HomeKeys::first(&enrolled.home_id)?;
    access.with_store(|store| {
        store.sync_join(&JoinHome {
            hub_url,
            hub_ca_pem: ca_pem,
            home_id: &enrolled.home_id,
            device_id: &enrolled.device_id,
            device_secret: &keys.expose_secret_bytes(),
            state: SyncState::Paired,
            pairing_code: None,
        })?;
        keep_home_keys(store, &home, None)
    })?;
    Ok(Joined {
        home_id: enrolled.home_id,
        device_id: enrolled.device_id,
        fingerprint: keys.public().fingerprint(),
        code: None,
    })
}

/// Ask to join a home: the answer's code and fingerprint are shown here for a manager on a
/// paired device to compare and approve. A manager's act on this device too.
pub fn request_pairing(
    access: &mut impl StoreAccess,
    hub_url: &str,
    ca_pem: Option<&str>,
    home_id: &str,
) -> Result<Joined> {
    access.with_store(|store| refuse_if_joined(store))?;
    let cas: Vec<String> = ca_pem.iter().map(|s| s.to_string()).collect();
    let net = Net::new(hub_url, &cas)?;
    let keys = DeviceKeys::generate()?;
    let started = net.run(net.hub.request_pairing(home_id, &keys))?;
    access.with_store(|store| {
        store.sync_join(&JoinHome {
            hub_url,
            hub_ca_pem: ca_pem,
            home_id,
            device_id: &started.device_id,
            device_secret: &keys.expose_secret_bytes(),
            state: SyncState::WaitingForApproval,
            pairing_code: Some(&started.code),
        })?;
        Ok(())
    })?;
    Ok(Joined {
        home_id: home_id.to_string(),
        device_id: started.device_id,
        fingerprint: keys.public().fingerprint(),
        code: Some(started.code),
    })
}

/// The devices waiting for approval, each with the fingerprint computed here from its keys.
pub fn waiting_devices(access: &mut impl StoreAccess) -> Result<Vec<WaitingDevice>> {
    let (device, me) = me(access)?;
    let net = Net::to(&device)?;
    let list = net.run(net.hub.pairings(&me))?;
    list.pairings
        .into_iter()
        .map(|p| {
            Ok(WaitingDevice {
                fingerprint: fingerprint_of(&p.signing_key.0, &p.box_key.0)?,
                device_id: p.device_id,
                code: p.code,
                requested_at: p.requested_at,
            })
        })
        .collect()
}

fn fingerprint_of(signing: &[u8], boxing: &[u8]) -> Result<String> {
    Ok(DevicePublicKeys::from_slices(signing, boxing)
        .ok_or_else(|| SyncError::Malformed("a device's keys".into()))?
        .fingerprint())
}

/// Compare fingerprints as a person types them: case, spaces and dashes do not matter.
fn same_fingerprint(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect()
    };
    !norm(a).is_empty() && norm(a) == norm(b)
}

/// Approve the waiting device that shows `code`, once the manager has typed the fingerprint it
/// shows: the home's keys go to it wrapped to its own key. A manager's act, audited.
pub fn approve(
    access: &mut impl StoreAccess,
    code: &str,
    fingerprint_shown: &str,
) -> Result<WaitingDevice> {
    let (device, me, keys) = as_manager(access)?;
    let net = Net::to(&device)?;
    let hub = &net.hub;
    let approved = net.run(async {
        let list = hub.pairings(&me).await?;
        let pending = list
            .pairings
            .into_iter()
            .find(|p| p.code.eq_ignore_ascii_case(code.trim()))
            .ok_or_else(|| SyncError::NoSuchPairing(code.to_string()))?;
        let fingerprint = fingerprint_of(&pending.signing_key.0, &pending.box_key.0)?;
        if !same_fingerprint(&fingerprint, fingerprint_shown) {
            return Err(SyncError::FingerprintMismatch);
        }
        hub.approve(&me, &keys, &pending).await?;
        Ok(WaitingDevice {
            device_id: pending.device_id,
            code: pending.code,
            fingerprint,
            requested_at: pending.requested_at,
        })
    })?;
    access.with_store(|store| {
        store.sync_audit_device(
            AuditAction::SyncDeviceApproved,
            &format!(
                "device {} (code {}, fingerprint {})",
                approved.device_id, approved.code, approved.fingerprint
            ),
        )?;
        Ok(())
    })?;
    Ok(approved)
}

/// The home's devices, with their fingerprints computed here.
pub fn devices(access: &mut impl StoreAccess) -> Result<Vec<HomeDevice>> {
    let (device, me) = me(access)?;
    let net = Net::to(&device)?;
    let list = net.run(net.hub.devices(&me))?;
    list.devices
        .into_iter()
        .map(|d| {
            Ok(HomeDevice {
                fingerprint: fingerprint_of(&d.signing_key.0, &d.box_key.0)?,
                this_device: d.device_id == device.device_id,
                device_id: d.device_id,
                status: d.status,
                created_at: d.created_at,
                last_seen_at: d.last_seen_at,
            })
        })
        .collect()
}

/// Revoke a device (a lost phone, an agency laptop handed back): the home key rotates and only
/// the devices that remain receive the new one. A manager's act, audited. Returns the new epoch.
pub fn revoke(access: &mut impl StoreAccess, device_id: &str) -> Result<u32> {
    let (device, me, mut keys) = as_manager(access)?;
    if device.device_id == device_id {
        return Err(SyncError::Malformed(
            "a device cannot revoke itself: revoke it from another paired device".into(),
        ));
    }
    let net = Net::to(&device)?;
    net.run(net.hub.revoke(&me, &mut keys, device_id))?;
    access.with_store(|store| {
        keep_home_keys(store, &keys, None)?;
        store.sync_audit_device(
            AuditAction::SyncDeviceRevoked,
            &format!(
                "device {device_id}; the home key is now epoch {}",
                keys.current
            ),
        )?;
        Ok(())
    })?;
    Ok(keys.current)
}

/// The envelope id of a record sent from this device: the same record always goes in the same
/// envelope, so a push repeated after a crash stores nothing twice.
fn envelope_id(device_id: &str, record: &SyncRecord) -> String {
    let mut h = Sha256::new();
    h.update(format!(
        "grabpack envelope\n{device_id}\n{}\n{}",
        record.kind, record.record_id
    ));
    let digest = h.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// Sync now: a device waiting for approval checks whether it was approved; a paired device
/// fetches a rotated key, sends what the hub does not have, and takes in everything new. The
/// outcome is kept for the status line either way.
pub fn sync_now(access: &mut impl StoreAccess) -> Result<SyncReport> {
    sync_and_wait(access, 0)
}

/// Sync now, and when nothing new has arrived, wait up to `wait_secs` for the home's next change
/// (the hub holds the request open and answers as soon as another device pushes): how a change
/// on one device shows on another within seconds.
pub fn sync_and_wait(access: &mut impl StoreAccess, wait_secs: u32) -> Result<SyncReport> {
    sync_until(access, wait_secs, None)
}

/// [`sync_and_wait`], with the wait cut short by `wake` (a change made on this device, to be
/// sent at once): the app's background sync.
pub fn sync_until(
    access: &mut impl StoreAccess,
    wait_secs: u32,
    wake: Option<&SyncWake>,
) -> Result<SyncReport> {
    let outcome = sync_once(access, wait_secs, wake);
    if matches!(outcome, Err(SyncError::StoreLocked)) {
        return outcome;
    }
    let note = outcome.as_ref().err().map(ToString::to_string);
    access.with_store(|store| Ok(store.sync_note_outcome(note.as_deref())?))?;
    outcome
}

fn sync_once(
    access: &mut impl StoreAccess,
    wait_secs: u32,
    wake: Option<&SyncWake>,
) -> Result<SyncReport> {
    let (device, me, current, held) = access.with_store(|store| {
        let device = joined_device(store)?;
        let me = identity(store, &device)?;
        let (current, held) = store.sync_home_keys()?;
        Ok((device, me, current, held.len()))
    })?;
    let net = Net::to(&device)?;
    // Keys first: after approval, and after a device was revoked (the key rotated).
    let list = match net.run(net.hub.key_list(&me)) {
        Ok(list) => list,
        Err(e)
            if device.state == SyncState::WaitingForApproval
                && e.hub_code() == Some("hub.not_paired") =>
        {
            return Ok(SyncReport {
                state: SyncState::WaitingForApproval,
                sent: 0,
                received: ReceiveReport::default(),
                epoch: 0,
            });
        }
        Err(e) => return Err(e),
    };
    if list.epoch != current || list.keys.len() != held {
        // Opened from the very list just read, so the approver named is the one whose box
        // opened.
        let keys = crate::client::open_home_keys(&me, &list)?;
        let approver = crate::client::wrapper_of_current(&list);
        access.with_store(|store| keep_home_keys(store, &keys, approver.as_ref()))?;
    }
    let keys = access.with_store(|store| home_keys(store, &device.home_id))?;
    // Before the records go, so another device never sees a delivery its sender holds no lease on.
    let limits = hold_leases(access, &net, &me)?;
    let sent = push_all(access, &net, &me, &keys, limits)?;
    let received = pull_all(access, &net, &me, &keys, wait_secs, wake)?;
    Ok(SyncReport {
        state: SyncState::Paired,
        sent,
        received,
        epoch: keys.current,
    })
}

/// Renew the lease on each of this device's deliveries still to go; one another device took
/// while this device was quiet is that device's from now on. A lease that comes back in a later
/// term than this device last held it was another device's in between (which took it over,
/// and may have sent it, while this device was quiet): the delivery is left to the states that
/// device sent, which this sync's pull brings, and taken back after it only if it is still to
/// go ([`take_over_deliveries`]).
///
/// A pack just queued is on its way to the others' screens behind these requests, so they go all
/// at once, with the hub's limits for the push that follows (returned; `None` when there was no
/// delivery to hold and so nothing was asked).
fn hold_leases(
    access: &mut impl StoreAccess,
    net: &Net,
    me: &DeviceIdentity,
) -> Result<Option<HubLimits>> {
    let held = access.with_store(|store| Ok(store.sync_deliveries_to_hold()?))?;
    if held.is_empty() {
        return Ok(None);
    }
    let (answers, limits) = net.run(async {
        let mut asked = tokio::task::JoinSet::new();
        for (id, known_term) in held {
            let (hub, me) = (net.hub.clone(), me.clone());
            asked.spawn(async move {
                let answer = hub.take_lease(&me, id.as_str(), DELIVERY_LEASE_SECS).await;
                (id, known_term, answer)
            });
        }
        let limits = net.hub.limits(me).await;
        let mut answers = Vec::new();
        while let Some(done) = asked.join_next().await {
            answers.push(done.map_err(|e| SyncError::Network(format!("a lease request: {e}")))?);
        }
        Ok((answers, limits))
    })?;
    for (id, known_term, answer) in answers {
        match answer {
            Ok(LeaseAnswer::Ours(lease)) if lease.term == known_term.max(1) => {
                access.with_store(|store| Ok(store.sync_delivery_held(&id, lease.term)?))?;
            }
            Ok(LeaseAnswer::Ours(lease)) => access.with_store(|store| {
                Ok(store.sync_delivery_taken_elsewhere(&id, None, lease.term - 1)?)
            })?,
            Ok(LeaseAnswer::Theirs(lease)) => access.with_store(|store| {
                Ok(store.sync_delivery_taken_elsewhere(&id, Some(&lease.holder), lease.term)?)
            })?,
            // Released by another between the hub's two statements: asked again next time.
            Err(e) if e.hub_code() == Some("hub.lease_not_held") => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Some(limits?))
}

/// Take over the deliveries of devices that have gone quiet: each one another device queued
/// (or took over) that is still to go, whose bytes are here, that `can_send` says this device
/// can send exactly as queued (the sender's rule: the same mail account, a token for that
/// intake), and whose lease the hub gives this device because its holder stopped renewing it.
/// Returns the deliveries taken, due at once: the caller wakes its sender.
pub fn take_over_deliveries(
    access: &mut impl StoreAccess,
    can_send: impl Fn(&Store, &Delivery) -> bool,
) -> Result<Vec<Delivery>> {
    let (device, me) = me(access)?;
    if device.state != SyncState::Paired {
        return Ok(Vec::new());
    }
    let candidates = access.with_store(|store| {
        Ok(store
            .sync_take_over_candidates()?
            .into_iter()
            .filter(|d| can_send(store, d))
            .collect::<Vec<_>>())
    })?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let net = Net::to(&device)?;
    let mut taken = Vec::new();
    for d in candidates {
        match net.run(net.hub.take_lease(&me, d.id.as_str(), DELIVERY_LEASE_SECS)) {
            Ok(LeaseAnswer::Ours(lease)) => {
                match access.with_store(|store| Ok(store.sync_take_over(&d.id, lease.term)?))? {
                    Some(now_here) => taken.push(now_here),
                    // It went meanwhile: the lease goes back (it runs out anyway if this fails).
                    None => {
                        let _ = net.run(net.hub.release_lease(&me, d.id.as_str()));
                    }
                }
            }
            // Its sender is alive (or another device took it first).
            Ok(LeaseAnswer::Theirs(_)) => {}
            Err(e) if e.hub_code() == Some("hub.lease_not_held") => {}
            Err(e) => return Err(e),
        }
    }
    Ok(taken)
}

/// The next envelopes to push, sealing and keeping the next records first when none are
/// sealed: a push repeated after a crash then sends the same bytes, which the hub stores once.
fn next_sealed(
    store: &mut Store,
    me: &DeviceIdentity,
    keys: &HomeKeys,
) -> Result<Vec<SealedRecord>> {
    let sealed = store.sync_sealed(PUSH_RECORDS)?;
    if !sealed.is_empty() {
        return Ok(sealed);
    }
    let records = store.sync_outgoing(PUSH_RECORDS)?;
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let mut batch = Vec::with_capacity(records.len());
    for r in &records {
        let id = envelope_id(&me.device_id, r);
        let e = keys.seal_as(
            &id,
            &me.device_id,
            &Record {
                kind: r.kind.clone(),
                record_id: r.record_id.clone(),
                body: r.body.clone(),
            },
        )?;
        batch.push(SealedRecord {
            envelope_id: id,
            kind: r.kind.clone(),
            record_id: r.record_id.clone(),
            epoch: e.epoch,
            nonce: e.nonce.0,
            ciphertext: e.ciphertext.0,
        });
    }
    store.sync_keep_sealed(&batch)?;
    Ok(store.sync_sealed(PUSH_RECORDS)?)
}

/// A sealed record's share of a push's JSON: its ciphertext in base64, and its id, epoch and
/// nonce.
fn pushed_bytes(ciphertext_len: usize) -> usize {
    ciphertext_len.div_ceil(3) * 4 + 200
}

fn push_all(
    access: &mut impl StoreAccess,
    net: &Net,
    me: &DeviceIdentity,
    keys: &HomeKeys,
    mut limits: Option<HubLimits>,
) -> Result<usize> {
    let mut sent = 0;
    // Envelopes sealed under a key the hub no longer takes are sealed again under the current one.
    access.with_store(|store| Ok(store.sync_drop_sealed_before(keys.current)?))?;
    loop {
        let sealed = access.with_store(|store| next_sealed(store, me, keys))?;
        if sealed.is_empty() {
            return Ok(sent);
        }
        // Asked once a pass (with the leases, when there were any), and only when there is
        // something to push.
        let limits = match &limits {
            Some(l) => l.clone(),
            None => limits.insert(net.run(net.hub.limits(me))?).clone(),
        };
        let budget = usize::try_from(limits.max_request_bytes)
            .unwrap_or(usize::MAX)
            .saturating_sub(1024)
            .min(PUSH_BYTES);
        let per_push = usize::try_from(limits.max_envelopes_per_push)
            .unwrap_or(usize::MAX)
            .min(PUSH_RECORDS);
        // A pack's bytes that this hub could never take stay on their device, which alone can
        // then send the pack; pushed, they would be refused, and everything behind them with
        // them. Any other record too large is refused by the hub as before: a record the other
        // devices need is never dropped.
        let too_large: Vec<String> = sealed
            .iter()
            .filter(|s| {
                s.kind == RECORD_DELIVERY_PAYLOAD
                    && (s.ciphertext.len() as u64 > limits.max_envelope_bytes
                        || pushed_bytes(s.ciphertext.len()) > budget)
            })
            .map(|s| s.record_id.clone())
            .collect();
        if !too_large.is_empty() {
            access.with_store(|store| Ok(store.sync_keep_payloads_here(&too_large)?))?;
            continue;
        }
        let mut envelopes: Vec<Envelope> = Vec::new();
        let mut marks = Vec::new();
        let mut bytes = 0;
        for s in sealed {
            let size = pushed_bytes(s.ciphertext.len());
            if !envelopes.is_empty() && (bytes + size > budget || envelopes.len() >= per_push) {
                break;
            }
            bytes += size;
            marks.push((s.kind, s.record_id, s.envelope_id.clone()));
            envelopes.push(Envelope {
                id: s.envelope_id,
                epoch: s.epoch,
                nonce: B64(s.nonce),
                ciphertext: B64(s.ciphertext),
            });
        }
        let answer = net.run(net.hub.push(me, envelopes))?;
        if answer.results.len() != marks.len() {
            return Err(SyncError::Malformed(
                "the hub answered a push with another number of results".into(),
            ));
        }
        sent += marks.len();
        access.with_store(|store| Ok(store.sync_mark_sent(&marks)?))?;
    }
}

fn pull_all(
    access: &mut impl StoreAccess,
    net: &Net,
    me: &DeviceIdentity,
    keys: &HomeKeys,
    wait_secs: u32,
    wake: Option<&SyncWake>,
) -> Result<ReceiveReport> {
    let mut total = ReceiveReport::default();
    let mut cursor = access.with_store(|store| Ok(joined_device(store)?.cursor))?;
    let mut wait = wait_secs;
    loop {
        let pull = net.hub.pull(me, cursor, PULL_LIMIT, wait);
        let page = match (wait, wake) {
            (w, Some(wake)) if w > 0 => net.run(async {
                tokio::select! {
                    page = pull => page.map(Some),
                    () = wake.0.notified() => Ok(None),
                }
            })?,
            _ => Some(net.run(pull)?),
        };
        // Woken by a change here: back to the caller, which sends it.
        let Some(page) = page else {
            return Ok(total);
        };
        wait = 0;
        let mut received = Vec::with_capacity(page.envelopes.len());
        for stored in &page.envelopes {
            let opened = keys.open(stored)?;
            received.push(ReceivedRecord {
                envelope_id: opened.envelope_id,
                device_id: opened.device_id,
                record: SyncRecord {
                    kind: opened.record.kind,
                    record_id: opened.record.record_id,
                    body: opened.record.body,
                },
            });
        }
        let report = access.with_store(|store| Ok(store.sync_receive(&received, page.cursor)?))?;
        cursor = page.cursor;
        total.revisions += report.revisions;
        total.photos += report.photos;
        total.merges += report.merges;
        total.already_here += report.already_here;
        total.refused += report.refused;
        total.episodes += report.episodes;
        total.episode_entries += report.episode_entries;
        total.linked_episodes += report.linked_episodes;
        total.outbox += report.outbox;
        total.home += report.home;
        total.staff += report.staff;
        total.audit_chunks += report.audit_chunks;
        total.waiting = report.waiting;
        for c in report.children_with_disagreements {
            if !total.children_with_disagreements.contains(&c) {
                total.children_with_disagreements.push(c);
            }
        }
        if !page.more {
            return Ok(total);
        }
    }
}

/// The sync state from the store alone, in words for the dashboard and `grabpack sync status`.
pub fn status(store: &Store) -> Result<SyncStatus> {
    let joined = store.sync_device()?;
    let fingerprint = match &joined {
        Some(d) => Some(identity(store, d)?.keys.public().fingerprint()),
        None => None,
    };
    let waiting_to_send = store.sync_waiting_to_send()?;
    let refused = store.sync_refused_count()?;
    let mut words = match &joined {
        None => "this device does not sync: its records are on this device only".to_string(),
        Some(d) if d.state == SyncState::WaitingForApproval => format!(
            "waiting for a manager to approve this device (code {})",
            d.pairing_code.as_deref().unwrap_or("?")
        ),
        Some(d) => match (&d.last_error, &d.last_sync_at) {
            (Some(_), _) => format!("offline: {waiting_to_send} changes waiting"),
            (None, None) => format!("not synced yet: {waiting_to_send} changes waiting"),
            (None, Some(at)) if waiting_to_send > 0 => {
                format!("{waiting_to_send} changes waiting; last synced {}", ago(at))
            }
            (None, Some(at)) => format!("up to date, {}", ago(at)),
        },
    };
    if refused > 0 {
        words.push_str(&format!(
            "; {refused} records from other devices could not be read and were set aside"
        ));
    }
    Ok(SyncStatus {
        joined,
        fingerprint,
        waiting_to_send,
        waiting_for_parents: store.sync_waiting_to_apply()?,
        refused,
        children_with_disagreements: store.children_with_disagreements()?,
        words,
    })
}

/// "just now", "2 min ago", "3 h ago", "2 days ago".
fn ago(at: &str) -> String {
    let Ok(then) = at.parse::<jiff::Timestamp>() else {
        return format!("at {at}");
    };
    let secs = jiff::Timestamp::now().as_second() - then.as_second();
    match secs {
        s if s < 60 => "just now".into(),
        s if s < 3600 => format!("{} min ago", s / 60),
        s if s < 86_400 => format!("{} h ago", s / 3600),
        s => format!("{} days ago", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_fingerprint_matches_whatever_its_spacing_and_case() {
        assert!(same_fingerprint("ABCD 0123 EF45", "abcd-0123-ef45"));
        assert!(!same_fingerprint("ABCD 0123 EF45", "ABCD 0123 EF46"));
        assert!(!same_fingerprint("", ""));
    }

    #[test]
    fn the_same_record_from_the_same_device_always_goes_in_the_same_envelope() {
        let r = SyncRecord {
            kind: "revision".into(),
            record_id: "abc".into(),
            body: vec![1],
        };
        let a = envelope_id("device-1", &r);
        assert_eq!(a, envelope_id("device-1", &r));
        assert_ne!(a, envelope_id("device-2", &r));
        assert!(uuid::Uuid::parse_str(&a).is_ok());
    }
}
