//! Who is asking: every request after enrolment or pairing is signed by a device's Ed25519 key.
//!
//! The hub holds no password or bearer token for a device, only its public key: a copy of the
//! hub's database lets nobody act as a device. The signature covers the method, path, body,
//! time and a nonce (`grabpack_sync_protocol::signing_input`); a request whose time is more than
//! `request_window_secs` from the hub's clock is refused, and a nonce is accepted once per
//! device (kept for three windows, then swept), so a captured request cannot be sent again. A
//! revoked device is refused after its signature checks (so nobody learns which ids exist by
//! probing), and a device still waiting for approval may do nothing signed.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use deadpool_postgres::Pool;
use ed25519_dalek::{Signature, VerifyingKey};
use grabpack_sync_protocol::{
    DeviceStatus, HEADER_DEVICE, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIME, signing_input,
};

use crate::error::{HubError, Result};

/// An authenticated, active device.
#[derive(Debug, Clone)]
pub struct Caller {
    pub device_id: String,
    pub home_id: String,
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Result<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .ok_or(HubError::Unsigned)
}

pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Check a signed request and record its nonce; the caller must be an active device.
pub async fn authenticate(
    pool: &Pool,
    window_secs: i64,
    method: &str,
    path_and_query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Caller> {
    let device_id = header(headers, HEADER_DEVICE)?;
    let time: i64 = header(headers, HEADER_TIME)?
        .parse()
        .map_err(|_| HubError::Unsigned)?;
    let nonce = header(headers, HEADER_NONCE)?;
    let signature = header(headers, HEADER_SIGNATURE)?;
    if !(32..=64).contains(&nonce.len()) || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(HubError::Malformed(
            "the nonce must be 32 to 64 hex digits".into(),
        ));
    }
    if (now_secs() - time).abs() > window_secs {
        return Err(HubError::StaleRequest {
            window: window_secs,
        });
    }
    let signature: [u8; 64] = STANDARD
        .decode(signature)
        .ok()
        .and_then(|s| s.try_into().ok())
        .ok_or(HubError::BadSignature)?;
    let client = pool.get().await?;
    let row = client
        .query_opt(
            "SELECT home_id, signing_key, status FROM devices WHERE id = $1",
            &[&device_id],
        )
        .await?
        .ok_or(HubError::UnknownDevice)?;
    let home_id: String = row.get(0);
    let key: Vec<u8> = row.get(1);
    let status: String = row.get(2);
    let key: [u8; 32] = key
        .try_into()
        .map_err(|_| HubError::Internal("a stored signing key is not 32 bytes".into()))?;
    let key = VerifyingKey::from_bytes(&key).map_err(|_| HubError::BadSignature)?;
    let input = signing_input(method, path_and_query, device_id, time, nonce, body);
    key.verify_strict(&input, &Signature::from_bytes(&signature))
        .map_err(|_| HubError::BadSignature)?;
    match DeviceStatus::parse(&status) {
        Some(DeviceStatus::Active) => {}
        Some(DeviceStatus::Revoked) => return Err(HubError::DeviceRevoked),
        Some(DeviceStatus::Pending) => return Err(HubError::NotPaired),
        None => return Err(HubError::Internal(format!("device status {status:?}"))),
    }
    // The nonce and "last seen" in one statement: no row back means the nonce was seen before.
    let fresh = client
        .query_opt(
            "WITH n AS (
                 INSERT INTO request_nonces (device_id, nonce) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING RETURNING 1
             )
             UPDATE devices SET last_seen_at = now()
             WHERE id = $1 AND EXISTS (SELECT 1 FROM n) RETURNING 1",
            &[&device_id, &nonce.to_ascii_lowercase()],
        )
        .await?;
    if fresh.is_none() {
        return Err(HubError::Replay);
    }
    Ok(Caller {
        device_id: device_id.to_string(),
        home_id,
    })
}

/// Forget nonces too old to matter: a request that old is refused for its time anyway.
pub async fn sweep_nonces(pool: &Pool, window_secs: i64) -> Result<u64> {
    let client = pool.get().await?;
    let cutoff = (3 * window_secs) as f64;
    Ok(client
        .execute(
            "DELETE FROM request_nonces WHERE seen_at < now() - make_interval(secs => $1)",
            &[&cutoff],
        )
        .await?)
}

/// Check a proof that whoever enrols or asks to pair holds the signing key they present.
pub fn check_possession(
    purpose: &str,
    scope: &str,
    signing_key: &[u8],
    box_key: &[u8],
    proof: &[u8],
) -> Result<()> {
    let key: [u8; 32] = signing_key
        .try_into()
        .map_err(|_| HubError::Malformed("signing_key must be 32 bytes".into()))?;
    if box_key.len() != 32 {
        return Err(HubError::Malformed("box_key must be 32 bytes".into()));
    }
    let proof: [u8; 64] = proof
        .try_into()
        .map_err(|_| HubError::Malformed("proof must be 64 bytes".into()))?;
    let key = VerifyingKey::from_bytes(&key)
        .map_err(|_| HubError::Malformed("signing_key is not an Ed25519 key".into()))?;
    let input = grabpack_sync_protocol::possession_input(purpose, scope, signing_key, box_key);
    key.verify_strict(&input, &Signature::from_bytes(&proof))
        .map_err(|_| HubError::BadSignature)
}
