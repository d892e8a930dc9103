//! The sync hub's protocol (`grabpack.sync.v1`), defined once for both ends.
//!
//! The hub and the device's sync client are written by us today, but a provider may run another
//! hub and a home may run another client: the wire shapes, the request-signing rule and the key
//! fingerprint live here, beside nothing else, so the two ends cannot drift apart. Serde and
//! hashing only: no I/O, no HTTP, no clock, no keys. `docs/sync.md` is the prose of this module.
//!
//! Binary values (keys, nonces, ciphertext, signatures) travel as standard base64 ([`B64`]);
//! times travel as whole seconds since the Unix epoch, as the hub's database clock saw them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// The protocol's name, mixed into every signed and sealed value so nothing from another
/// protocol (or another version of this one) can be replayed into it.
pub const PROTOCOL: &str = "grabpack.sync.v1";

/// Which device is asking (the id the hub gave it at enrolment or pairing).
pub const HEADER_DEVICE: &str = "x-grabpack-device";
/// When the device signed the request, in whole seconds since the Unix epoch.
pub const HEADER_TIME: &str = "x-grabpack-time";
/// A random value, new for every request (hex, 32 to 64 digits): the hub refuses one it has seen.
pub const HEADER_NONCE: &str = "x-grabpack-nonce";
/// The Ed25519 signature of [`signing_input`], base64.
pub const HEADER_SIGNATURE: &str = "x-grabpack-signature";

/// Bytes in a public key (Ed25519 or X25519), a home key, and a key fingerprint's hash.
pub const KEY_BYTES: usize = 32;
/// Bytes in an XChaCha20-Poly1305 (and ChaChaBox) nonce.
pub const NONCE_BYTES: usize = 24;
/// Bytes in an Ed25519 signature.
pub const SIGNATURE_BYTES: usize = 64;

/// Binary data on the wire: standard base64 in JSON, bytes in memory.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct B64(pub Vec<u8>);

impl std::fmt::Debug for B64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "B64({} bytes)", self.0.len())
    }
}

impl Serialize for B64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for B64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD
            .decode(text.as_bytes())
            .map(B64)
            .map_err(|_| serde::de::Error::custom("not standard base64"))
    }
}

impl B64 {
    /// The bytes as a fixed-size array, when they are exactly `N` long.
    pub fn array<const N: usize>(&self) -> Option<[u8; N]> {
        self.0.as_slice().try_into().ok()
    }
}

/// What a signed request's signature covers: the protocol, the method, the path with its query,
/// the device, the time, the nonce and the SHA-256 of the body, one per line. Changing any of them
/// (another path, another body, an old request sent again with a new time) breaks the signature.
pub fn signing_input(
    method: &str,
    path_and_query: &str,
    device_id: &str,
    time: i64,
    nonce: &str,
    body: &[u8],
) -> Vec<u8> {
    let body_hash = hex::encode(Sha256::digest(body));
    format!(
        "{PROTOCOL} request\n{method}\n{path_and_query}\n{device_id}\n{time}\n{nonce}\n{body_hash}"
    )
    .into_bytes()
}

/// What a device signs to prove it holds the signing key it presents when it enrols or asks to
/// pair (before the hub knows it): the purpose, the enrolment token or home id, and both public
/// keys, so nobody can present another device's keys as their own or swap its box key.
pub fn possession_input(purpose: &str, scope: &str, signing_key: &[u8], box_key: &[u8]) -> Vec<u8> {
    let mut out = format!("{PROTOCOL} possession\n{purpose}\n{scope}\n").into_bytes();
    out.extend_from_slice(signing_key);
    out.extend_from_slice(box_key);
    out
}

/// The fingerprint a person compares between two screens when pairing: SHA-256 over both of a
/// device's public keys, its first 16 bytes as eight groups of four upper-case hex digits.
/// Computed by each side from the keys themselves, never taken from the hub.
pub fn key_fingerprint(signing_key: &[u8], box_key: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(format!("{PROTOCOL} device-fingerprint\n").as_bytes());
    h.update(signing_key);
    h.update(box_key);
    let digest = h.finalize();
    let hexed = hex::encode_upper(&digest[..16]);
    hexed
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The rule for ids the client chooses that the hub keeps (delivery ids of leases): 1-128 of
/// `A-Z a-z 0-9 . _ : -`, not starting with a dot.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// The body of every refusal: a stable code to branch on and words for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

/// `POST /v1/enrol`: a home's first device, with the token the operator's `add-home` printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    pub token: String,
    pub signing_key: B64,
    pub box_key: B64,
    /// Signature of [`possession_input`]`("enrol", token, signing_key, box_key)`.
    pub proof: B64,
}

/// The answer to an enrolment: the home's id, the device's id and the first key epoch (1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolled {
    pub home_id: String,
    pub device_id: String,
    pub epoch: u32,
}

/// `POST /v1/pairings`: a new device asks to join a home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairingRequest {
    pub home_id: String,
    pub signing_key: B64,
    pub box_key: B64,
    /// Signature of [`possession_input`]`("pair", home_id, signing_key, box_key)`.
    pub proof: B64,
}

/// The new device's id and the short code it shows beside its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingStarted {
    pub device_id: String,
    pub code: String,
}

/// One device waiting to be approved, as a paired device sees it (`GET /v1/pairings`). The
/// fingerprint is not sent: the approving device computes it from these keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingPairing {
    pub device_id: String,
    pub code: String,
    pub signing_key: B64,
    pub box_key: B64,
    pub requested_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingList {
    pub pairings: Vec<PendingPairing>,
}

/// The home key of one epoch wrapped to one device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrappedKeyUpload {
    pub epoch: u32,
    pub wrapped: B64,
}

/// `POST /v1/pairings/{device_id}/approve`: the home key of every epoch the approver holds,
/// each wrapped to the new device (the current epoch's at least).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproveRequest {
    pub wrapped_keys: Vec<WrappedKeyUpload>,
}

/// The new home key wrapped to one remaining device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceWrappedKey {
    pub device_id: String,
    pub wrapped: B64,
}

/// `POST /v1/devices/{device_id}/revoke`: the home key rotates in the same request: the next
/// epoch's key wrapped to every device that remains (the revoking device included), no other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokeRequest {
    pub new_epoch: u32,
    pub wrapped_keys: Vec<DeviceWrappedKey>,
}

/// One home key wrapped to the asking device (`GET /v1/keys`), with the box key of the device
/// that wrapped it (needed to open the box, and to show whose fingerprint approved it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedKey {
    pub epoch: u32,
    pub wrapped_by: String,
    pub wrapped_by_signing_key: B64,
    pub wrapped_by_box_key: B64,
    pub wrapped: B64,
}

/// What the hub takes in one push. A device keeps its pushes inside these, and keeps to itself a
/// record that could never fit (a large pack's bytes) rather than push it and be refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubLimits {
    /// The largest ciphertext of one envelope.
    pub max_envelope_bytes: u64,
    /// The largest request body (a push's JSON, its ciphertexts in base64).
    pub max_request_bytes: u64,
    pub max_envelopes_per_push: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyList {
    pub home_id: String,
    /// The home's current epoch: pushes must be sealed under it.
    pub epoch: u32,
    pub keys: Vec<WrappedKey>,
}

/// A device's state at the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceStatus {
    Pending,
    Active,
    Revoked,
}

impl DeviceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
            Self::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "active" => Some(Self::Active),
            "revoked" => Some(Self::Revoked),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    pub device_id: String,
    pub status: DeviceStatus,
    pub signing_key: B64,
    pub box_key: B64,
    pub created_at: i64,
    pub last_seen_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceList {
    pub home_id: String,
    pub epoch: u32,
    pub devices: Vec<DeviceInfo>,
}

/// One sealed record as the device sends it. The id is chosen by the device (a UUID) and makes
/// the push idempotent; the home and device come from the signed request, never from the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub id: String,
    pub epoch: u32,
    pub nonce: B64,
    pub ciphertext: B64,
}

/// `POST /v1/envelopes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub envelopes: Vec<Envelope>,
}

/// What became of one pushed envelope: its place in the home's sequence, and whether this push
/// stored it (`false`: it was already there, the push was a replay).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResult {
    pub id: String,
    pub seq: i64,
    pub stored: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<PushResult>,
}

/// One envelope as the hub relays it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEnvelope {
    pub seq: i64,
    pub id: String,
    pub device_id: String,
    pub epoch: u32,
    pub nonce: B64,
    pub ciphertext: B64,
    pub received_at: i64,
}

/// `GET /v1/envelopes?after=SEQ&limit=N&wait=SECS`: the home's envelopes after the cursor, in
/// order. With `wait`, an empty answer is held until something arrives or `wait` runs out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    pub envelopes: Vec<StoredEnvelope>,
    /// The cursor to pass as `after` next time.
    pub cursor: i64,
    /// More envelopes are waiting beyond `limit`.
    pub more: bool,
}

/// `POST /v1/leases/{delivery_id}`: take or renew the right to send one delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaseRequest {
    pub ttl_secs: u32,
}

/// Who holds a delivery's lease and until when (seconds since the epoch, the hub's clock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    pub delivery_id: String,
    pub holder: String,
    pub expires_at: i64,
    /// Rises by one each time the delivery passes to another device (1 for its first holder).
    pub term: i64,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn binary_values_travel_as_standard_base64_and_bad_base64_is_refused() {
        let e = Envelope {
            id: "0b8e7d40-0000-4000-8000-000000000001".into(),
            epoch: 1,
            nonce: B64(vec![0; 3]),
            ciphertext: B64(b"hi".to_vec()),
        };
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(r#""nonce":"AAAA""#), "{json}");
        assert_eq!(serde_json::from_str::<Envelope>(&json).unwrap(), e);
        let bad = json.replace("AAAA", "A*A");
        assert!(serde_json::from_str::<Envelope>(&bad).is_err());
    }

    #[test]
    fn the_signature_covers_method_path_device_time_nonce_and_body() {
        let base = signing_input("POST", "/v1/envelopes", "d1", 100, "ab", b"{}");
        for other in [
            signing_input("GET", "/v1/envelopes", "d1", 100, "ab", b"{}"),
            signing_input("POST", "/v1/envelopes?x", "d1", 100, "ab", b"{}"),
            signing_input("POST", "/v1/envelopes", "d2", 100, "ab", b"{}"),
            signing_input("POST", "/v1/envelopes", "d1", 101, "ab", b"{}"),
            signing_input("POST", "/v1/envelopes", "d1", 100, "ac", b"{}"),
            signing_input("POST", "/v1/envelopes", "d1", 100, "ab", b"{ }"),
        ] {
            assert_ne!(base, other);
        }
    }

    #[test]
    fn a_fingerprint_is_eight_groups_of_four_and_changes_with_either_key() {
        let f = key_fingerprint(&[1; 32], &[2; 32]);
        assert_eq!(f.len(), 8 * 4 + 7);
        assert_eq!(f.split(' ').count(), 8);
        assert_ne!(f, key_fingerprint(&[1; 32], &[3; 32]));
        assert_ne!(f, key_fingerprint(&[3; 32], &[2; 32]));
    }

    #[test]
    fn delivery_ids_follow_the_id_rule() {
        assert!(is_valid_id("delivery-42:a.b_c"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id(".hidden"));
        assert!(!is_valid_id("a/b"));
        assert!(!is_valid_id(&"x".repeat(129)));
    }
}
