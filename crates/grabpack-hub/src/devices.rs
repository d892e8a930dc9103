//! Homes and their devices: the operator's `add-home`, enrolment of a home's first device,
//! pairing, approval, the wrapped home keys, revocation with its key rotation.
//!
//! The hub never sees a home key: it stores what devices wrap for each other and hands each
//! device only the keys wrapped to it. Each rule checks what it can without the key: an
//! approval must carry the current epoch's key; a revocation must start exactly the next epoch
//! and carry its key for every device that remains, no more, no fewer, so no remaining device is
//! locked out and the revoked one gets nothing new. Everything a request changes is one
//! transaction holding the home's row lock, so two revocations at once cannot both rotate.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use deadpool_postgres::Pool;
use grabpack_sync_protocol::{
    ApproveRequest, B64, DeviceInfo, DeviceList, DeviceStatus, EnrolRequest, Enrolled, KeyList,
    PairingList, PairingRequest, PairingStarted, PendingPairing, RevokeRequest, WrappedKey,
};
use sha2::{Digest, Sha256};

use crate::auth::{Caller, check_possession};
use crate::error::{HubError, Result};

/// Devices of one home that may wait for approval at once.
pub const MAX_PENDING_PAIRINGS: i64 = 16;

fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|e| HubError::Internal(format!("random: {e}")))?;
    Ok(out)
}

/// A new home and its first device's one-time enrolment token (shown once, stored hashed).
#[derive(Debug)]
pub struct NewHome {
    pub home_id: String,
    pub token: String,
}

/// The operator's `add-home`: `label` is the provider's own reference (never a child's or a
/// home's address: it is stored in the clear).
pub async fn add_home(pool: &Pool, label: &str) -> Result<NewHome> {
    if label.trim().is_empty() || label.len() > 200 {
        return Err(HubError::Malformed(
            "the label must be 1-200 characters".into(),
        ));
    }
    let home_id = uuid::Uuid::new_v4().to_string();
    let token = URL_SAFE_NO_PAD.encode(random_bytes::<32>()?);
    let digest = Sha256::digest(token.as_bytes()).to_vec();
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.execute(
        "INSERT INTO homes (id, label) VALUES ($1, $2)",
        &[&home_id, &label.trim()],
    )
    .await?;
    tx.execute(
        "INSERT INTO enrolment_tokens (token_sha256, home_id) VALUES ($1, $2)",
        &[&digest, &home_id],
    )
    .await?;
    tx.commit().await?;
    Ok(NewHome { home_id, token })
}

/// One line of the operator's view of the homes: everything the hub knows about a home.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeSummary {
    pub home_id: String,
    pub label: String,
    pub epoch: i32,
    pub active_devices: i64,
    pub envelopes: i64,
    pub bytes: i64,
    pub last_seen_at: Option<i64>,
}

pub async fn list_homes(pool: &Pool) -> Result<Vec<HomeSummary>> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT h.id, h.label, h.epoch,
                    (SELECT count(*) FROM devices d WHERE d.home_id = h.id AND d.status = 'active'),
                    (SELECT count(*) FROM envelopes e WHERE e.home_id = h.id),
                    (SELECT coalesce(sum(size), 0)::bigint FROM envelopes e WHERE e.home_id = h.id),
                    (SELECT extract(epoch FROM max(last_seen_at))::bigint FROM devices d WHERE d.home_id = h.id)
             FROM homes h ORDER BY h.created_at",
            &[],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| HomeSummary {
            home_id: r.get(0),
            label: r.get(1),
            epoch: r.get(2),
            active_devices: r.get(3),
            envelopes: r.get(4),
            bytes: r.get(5),
            last_seen_at: r.get(6),
        })
        .collect())
}

/// A home's first device, with the operator's token (used once).
pub async fn enrol(pool: &Pool, request: &EnrolRequest) -> Result<Enrolled> {
    check_possession(
        "enrol",
        &request.token,
        &request.signing_key.0,
        &request.box_key.0,
        &request.proof.0,
    )?;
    let digest = Sha256::digest(request.token.as_bytes()).to_vec();
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let home_id: String = tx
        .query_opt(
            "UPDATE enrolment_tokens SET used_at = now()
             WHERE token_sha256 = $1 AND used_at IS NULL RETURNING home_id",
            &[&digest],
        )
        .await?
        .ok_or(HubError::BadToken)?
        .get(0);
    let device_id = uuid::Uuid::new_v4().to_string();
    insert_device(
        &tx,
        &device_id,
        &home_id,
        request.signing_key.0.as_slice(),
        request.box_key.0.as_slice(),
        DeviceStatus::Active,
        None,
    )
    .await?;
    let epoch: i32 = tx
        .query_one("SELECT epoch FROM homes WHERE id = $1", &[&home_id])
        .await?
        .get(0);
    tx.commit().await?;
    Ok(Enrolled {
        home_id,
        device_id,
        epoch: epoch as u32,
    })
}

async fn insert_device(
    tx: &deadpool_postgres::Transaction<'_>,
    device_id: &str,
    home_id: &str,
    signing_key: &[u8],
    box_key: &[u8],
    status: DeviceStatus,
    code: Option<&str>,
) -> Result<()> {
    let inserted = tx
        .execute(
            "INSERT INTO devices (id, home_id, signing_key, box_key, status, pairing_code)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (signing_key) DO NOTHING",
            &[
                &device_id,
                &home_id,
                &signing_key,
                &box_key,
                &status.as_str(),
                &code,
            ],
        )
        .await?;
    if inserted == 0 {
        return Err(HubError::Malformed(
            "this signing key already belongs to a device: make new keys".into(),
        ));
    }
    Ok(())
}

/// A new device asks to join a home; it gets a six-digit code to show beside its fingerprint.
pub async fn request_pairing(pool: &Pool, request: &PairingRequest) -> Result<PairingStarted> {
    check_possession(
        "pair",
        &request.home_id,
        &request.signing_key.0,
        &request.box_key.0,
        &request.proof.0,
    )?;
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.query_opt(
        "SELECT 1 FROM homes WHERE id = $1 FOR UPDATE",
        &[&request.home_id],
    )
    .await?
    .ok_or(HubError::NotFound)?;
    let codes: Vec<String> = tx
        .query(
            "SELECT pairing_code FROM devices WHERE home_id = $1 AND status = 'pending'",
            &[&request.home_id],
        )
        .await?
        .iter()
        .filter_map(|r| r.get::<_, Option<String>>(0))
        .collect();
    if codes.len() as i64 >= MAX_PENDING_PAIRINGS {
        return Err(HubError::TooManyPairings);
    }
    let code = loop {
        let n = u32::from_be_bytes(random_bytes::<4>()?) % 1_000_000;
        let code = format!("{:03}-{:03}", n / 1000, n % 1000);
        if !codes.contains(&code) {
            break code;
        }
    };
    let device_id = uuid::Uuid::new_v4().to_string();
    insert_device(
        &tx,
        &device_id,
        &request.home_id,
        &request.signing_key.0,
        &request.box_key.0,
        DeviceStatus::Pending,
        Some(&code),
    )
    .await?;
    tx.commit().await?;
    Ok(PairingStarted { device_id, code })
}

pub async fn pending_pairings(pool: &Pool, caller: &Caller) -> Result<PairingList> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT id, coalesce(pairing_code, ''), signing_key, box_key,
                    extract(epoch FROM created_at)::bigint
             FROM devices WHERE home_id = $1 AND status = 'pending' ORDER BY created_at",
            &[&caller.home_id],
        )
        .await?;
    Ok(PairingList {
        pairings: rows
            .iter()
            .map(|r| PendingPairing {
                device_id: r.get(0),
                code: r.get(1),
                signing_key: B64(r.get(2)),
                box_key: B64(r.get(3)),
                requested_at: r.get(4),
            })
            .collect(),
    })
}

/// Lock the caller's home row and read its current epoch.
async fn lock_home(tx: &deadpool_postgres::Transaction<'_>, home_id: &str) -> Result<u32> {
    let epoch: i32 = tx
        .query_one(
            "SELECT epoch FROM homes WHERE id = $1 FOR UPDATE",
            &[&home_id],
        )
        .await?
        .get(0);
    Ok(epoch as u32)
}

/// A paired device approves a waiting one, handing over the home keys wrapped to it.
pub async fn approve(
    pool: &Pool,
    caller: &Caller,
    device_id: &str,
    request: &ApproveRequest,
) -> Result<()> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let current = lock_home(&tx, &caller.home_id).await?;
    let status: Option<String> = tx
        .query_opt(
            "SELECT status FROM devices WHERE id = $1 AND home_id = $2 FOR UPDATE",
            &[&device_id, &caller.home_id],
        )
        .await?
        .map(|r| r.get(0));
    if status.as_deref() != Some(DeviceStatus::Pending.as_str()) {
        return Err(HubError::NotFound);
    }
    let mut epochs: Vec<u32> = request.wrapped_keys.iter().map(|k| k.epoch).collect();
    epochs.sort_unstable();
    let before = epochs.len();
    epochs.dedup();
    if before != epochs.len()
        || !epochs.contains(&current)
        || epochs.iter().any(|e| *e == 0 || *e > current)
        || request
            .wrapped_keys
            .iter()
            .any(|k| k.wrapped.0.is_empty() || k.wrapped.0.len() > 4096)
    {
        return Err(HubError::Malformed(format!(
            "an approval carries each epoch's wrapped key once, up to and including the current epoch ({current})"
        )));
    }
    for k in &request.wrapped_keys {
        tx.execute(
            "INSERT INTO wrapped_keys (device_id, epoch, home_id, wrapped_by, wrapped)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &device_id,
                &(k.epoch as i32),
                &caller.home_id,
                &caller.device_id,
                &k.wrapped.0,
            ],
        )
        .await?;
    }
    tx.execute(
        "UPDATE devices SET status = 'active', pairing_code = NULL, approved_by = $2, approved_at = now()
         WHERE id = $1",
        &[&device_id, &caller.device_id],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The home keys wrapped to the calling device, with the box key of whoever wrapped each.
pub async fn keys(pool: &Pool, caller: &Caller) -> Result<KeyList> {
    let client = pool.get().await?;
    let epoch: i32 = client
        .query_one("SELECT epoch FROM homes WHERE id = $1", &[&caller.home_id])
        .await?
        .get(0);
    let rows = client
        .query(
            "SELECT k.epoch, k.wrapped_by, w.signing_key, w.box_key, k.wrapped
             FROM wrapped_keys k JOIN devices w ON w.id = k.wrapped_by
             WHERE k.device_id = $1 ORDER BY k.epoch",
            &[&caller.device_id],
        )
        .await?;
    Ok(KeyList {
        home_id: caller.home_id.clone(),
        epoch: epoch as u32,
        keys: rows
            .iter()
            .map(|r| WrappedKey {
                epoch: r.get::<_, i32>(0) as u32,
                wrapped_by: r.get(1),
                wrapped_by_signing_key: B64(r.get(2)),
                wrapped_by_box_key: B64(r.get(3)),
                wrapped: B64(r.get(4)),
            })
            .collect(),
    })
}

pub async fn devices(pool: &Pool, caller: &Caller) -> Result<DeviceList> {
    let client = pool.get().await?;
    let epoch: i32 = client
        .query_one("SELECT epoch FROM homes WHERE id = $1", &[&caller.home_id])
        .await?
        .get(0);
    let rows = client
        .query(
            "SELECT id, status, signing_key, box_key, extract(epoch FROM created_at)::bigint,
                    extract(epoch FROM last_seen_at)::bigint
             FROM devices WHERE home_id = $1 ORDER BY created_at",
            &[&caller.home_id],
        )
        .await?;
    let mut devices = Vec::with_capacity(rows.len());
    for r in &rows {
        let status: String = r.get(1);
        devices.push(DeviceInfo {
            device_id: r.get(0),
            status: DeviceStatus::parse(&status)
                .ok_or_else(|| HubError::Internal(format!("device status {status:?}")))?,
            signing_key: B64(r.get(2)),
            box_key: B64(r.get(3)),
            created_at: r.get(4),
            last_seen_at: r.get(5),
        });
    }
    Ok(DeviceList {
        home_id: caller.home_id.clone(),
        epoch: epoch as u32,
        devices,
    })
}

/// Revoke a device of the caller's home and start the next key epoch in one transaction.
pub async fn revoke(
    pool: &Pool,
    caller: &Caller,
    device_id: &str,
    request: &RevokeRequest,
) -> Result<()> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let current = lock_home(&tx, &caller.home_id).await?;
    let target: Option<String> = tx
        .query_opt(
            "SELECT status FROM devices WHERE id = $1 AND home_id = $2",
            &[&device_id, &caller.home_id],
        )
        .await?
        .map(|r| r.get(0));
    match target.as_deref() {
        None => return Err(HubError::NotFound),
        Some(s) if s == DeviceStatus::Revoked.as_str() => return Err(HubError::NotFound),
        Some(_) => {}
    }
    if request.new_epoch != current + 1 {
        return Err(HubError::StaleEpoch {
            sent: request.new_epoch,
            current,
        });
    }
    let mut remaining: Vec<String> = tx
        .query(
            "SELECT id FROM devices WHERE home_id = $1 AND status = 'active' AND id <> $2",
            &[&caller.home_id, &device_id],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    remaining.sort();
    let mut covered: Vec<String> = request
        .wrapped_keys
        .iter()
        .map(|k| k.device_id.clone())
        .collect();
    covered.sort();
    if covered != remaining
        || request
            .wrapped_keys
            .iter()
            .any(|k| k.wrapped.0.is_empty() || k.wrapped.0.len() > 4096)
    {
        return Err(HubError::Malformed(
            "a revocation carries the new key wrapped once to every device that remains, and to no other".into(),
        ));
    }
    tx.execute(
        "UPDATE devices SET status = 'revoked', pairing_code = NULL, revoked_by = $2, revoked_at = now()
         WHERE id = $1",
        &[&device_id, &caller.device_id],
    )
    .await?;
    let epoch = request.new_epoch as i32;
    for k in &request.wrapped_keys {
        tx.execute(
            "INSERT INTO wrapped_keys (device_id, epoch, home_id, wrapped_by, wrapped)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &k.device_id,
                &epoch,
                &caller.home_id,
                &caller.device_id,
                &k.wrapped.0,
            ],
        )
        .await?;
    }
    tx.execute(
        "UPDATE homes SET epoch = $2 WHERE id = $1",
        &[&caller.home_id, &epoch],
    )
    .await?;
    // A revoked device holds no lease: its deliveries can be taken over at once (the rows are
    // kept, expired, so their terms carry on).
    tx.execute(
        "UPDATE leases SET expires_at = now() WHERE holder = $1 AND expires_at > now()",
        &[&device_id],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
