//! The home key and the device's key pairs, and the home key's only way between devices.
//!
//! Every record a home syncs is sealed with its *home key* (32 random bytes, one per key epoch;
//! revoking a device starts a new epoch). The home key never travels bare: it reaches a device
//! only wrapped to that device's X25519 public key with `crypto_box`'s ChaChaBox (X25519 +
//! XChaCha20-Poly1305, RustCrypto), authenticated by the wrapping device's own box key. What is
//! wrapped names the home, the receiving device and the epoch, so a wrapped key the hub moves to
//! another device, home or epoch does not open. Each device also has an Ed25519 key that signs
//! its requests to the hub. Secret halves print as `<redacted>` and are zeroed when dropped.

use crypto_box::aead::Aead;
use crypto_box::aead::generic_array::GenericArray;
use ed25519_dalek::Signer;
use grabpack_sync_protocol::{KEY_BYTES, NONCE_BYTES, PROTOCOL, key_fingerprint, possession_input};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Result, SyncError};

pub(crate) fn random<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|e| SyncError::Random(e.to_string()))?;
    Ok(out)
}

/// The symmetric key every record of one home and one epoch is sealed with.
#[derive(Clone, PartialEq, Eq)]
pub struct HomeKey([u8; KEY_BYTES]);

impl std::fmt::Debug for HomeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HomeKey(<redacted>)")
    }
}

impl Drop for HomeKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl HomeKey {
    /// A new random key (at set-up, and at each revocation).
    pub fn generate() -> Result<Self> {
        Ok(Self(random()?))
    }

    /// The raw key, for the device's own encrypted store to keep. Handle as a secret.
    pub fn expose_bytes(&self) -> Zeroizing<[u8; KEY_BYTES]> {
        Zeroizing::new(self.0)
    }

    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> Self {
        Self(bytes)
    }

    pub(crate) fn bytes(&self) -> &[u8; KEY_BYTES] {
        &self.0
    }
}

/// A device's public keys, as the hub and the other devices know them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicePublicKeys {
    /// Ed25519: verifies the device's requests.
    pub signing: [u8; KEY_BYTES],
    /// X25519: the home key is wrapped to it.
    pub boxing: [u8; KEY_BYTES],
}

impl DevicePublicKeys {
    /// From the bytes the hub relays; `None` when either key has the wrong length.
    pub fn from_slices(signing: &[u8], boxing: &[u8]) -> Option<Self> {
        Some(Self {
            signing: signing.try_into().ok()?,
            boxing: boxing.try_into().ok()?,
        })
    }

    /// What a person compares between the two screens when pairing (eight groups of four).
    pub fn fingerprint(&self) -> String {
        key_fingerprint(&self.signing, &self.boxing)
    }
}

/// A device's two secret keys: Ed25519 for signing requests, X25519 for receiving home keys.
#[derive(Clone)]
pub struct DeviceKeys {
    signing: ed25519_dalek::SigningKey,
    boxing: crypto_box::SecretKey,
}

impl std::fmt::Debug for DeviceKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKeys")
            .field("fingerprint", &self.public().fingerprint())
            .finish_non_exhaustive()
    }
}

impl DeviceKeys {
    /// New random key pairs (when a device first joins a home).
    pub fn generate() -> Result<Self> {
        let signing = Zeroizing::new(random::<KEY_BYTES>()?);
        let boxing = Zeroizing::new(random::<KEY_BYTES>()?);
        Ok(Self::from_secret_bytes(&signing, &boxing))
    }

    /// Both secret keys, for the device's own encrypted store to keep (64 bytes).
    pub fn expose_secret_bytes(&self) -> Zeroizing<[u8; 2 * KEY_BYTES]> {
        let mut out = Zeroizing::new([0u8; 2 * KEY_BYTES]);
        out[..KEY_BYTES].copy_from_slice(&self.signing.to_bytes());
        out[KEY_BYTES..].copy_from_slice(&self.boxing.to_bytes());
        out
    }

    /// Back from [`Self::expose_secret_bytes`]'s two halves.
    pub fn from_secret_bytes(signing: &[u8; KEY_BYTES], boxing: &[u8; KEY_BYTES]) -> Self {
        Self {
            signing: ed25519_dalek::SigningKey::from_bytes(signing),
            boxing: crypto_box::SecretKey::from_bytes(*boxing),
        }
    }

    pub fn public(&self) -> DevicePublicKeys {
        DevicePublicKeys {
            signing: self.signing.verifying_key().to_bytes(),
            boxing: self.boxing.public_key().to_bytes(),
        }
    }

    /// An Ed25519 signature of `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    /// The proof of holding these keys that enrolment (`purpose` "enrol", scope the token) and
    /// a pairing request (`purpose` "pair", scope the home id) carry.
    pub fn possession_proof(&self, purpose: &str, scope: &str) -> [u8; 64] {
        let p = self.public();
        self.sign(&possession_input(purpose, scope, &p.signing, &p.boxing))
    }

    /// Wrap `key` (the home's key of `epoch`) to the device `recipient_id` whose box key is
    /// `recipient`. Out: the 24-byte nonce, then the box.
    pub fn wrap_home_key(
        &self,
        recipient_id: &str,
        recipient: &[u8; KEY_BYTES],
        home_id: &str,
        epoch: u32,
        key: &HomeKey,
    ) -> Result<Vec<u8>> {
        let cipher = crypto_box::ChaChaBox::new(
            &crypto_box::PublicKey::from_bytes(*recipient),
            &self.boxing,
        );
        let nonce = random::<NONCE_BYTES>()?;
        let mut plain = Zeroizing::new(wrap_binding(home_id, recipient_id, epoch));
        plain.extend_from_slice(key.bytes());
        let sealed = cipher
            .encrypt(GenericArray::from_slice(&nonce), plain.as_slice())
            .map_err(|_| SyncError::CannotUnwrap)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Open a home key wrapped to this device (`my_id`) by the device whose box key is
    /// `wrapper`. Refused unless it names this home, this device and this epoch.
    pub fn unwrap_home_key(
        &self,
        my_id: &str,
        wrapper: &[u8; KEY_BYTES],
        home_id: &str,
        epoch: u32,
        wrapped: &[u8],
    ) -> Result<HomeKey> {
        if wrapped.len() < NONCE_BYTES {
            return Err(SyncError::CannotUnwrap);
        }
        let (nonce, sealed) = wrapped.split_at(NONCE_BYTES);
        let cipher =
            crypto_box::ChaChaBox::new(&crypto_box::PublicKey::from_bytes(*wrapper), &self.boxing);
        let plain = Zeroizing::new(
            cipher
                .decrypt(GenericArray::from_slice(nonce), sealed)
                .map_err(|_| SyncError::CannotUnwrap)?,
        );
        let binding = wrap_binding(home_id, my_id, epoch);
        let rest = plain
            .strip_prefix(binding.as_slice())
            .ok_or(SyncError::CannotUnwrap)?;
        let bytes: [u8; KEY_BYTES] = rest.try_into().map_err(|_| SyncError::CannotUnwrap)?;
        Ok(HomeKey(bytes))
    }
}

/// What a wrapped home key is bound to, written before the key inside the box.
fn wrap_binding(home_id: &str, device_id: &str, epoch: u32) -> Vec<u8> {
    let mut out = format!("{PROTOCOL} home-key\0").into_bytes();
    for part in [home_id, device_id] {
        out.extend_from_slice(&(part.len() as u32).to_be_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out.extend_from_slice(&epoch.to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_home_key_wrapped_to_a_device_opens_only_there_and_only_as_wrapped() {
        let approver = DeviceKeys::generate().unwrap();
        let newcomer = DeviceKeys::generate().unwrap();
        let stranger = DeviceKeys::generate().unwrap();
        let key = HomeKey::generate().unwrap();
        let wrapped = approver
            .wrap_home_key("dev-b", &newcomer.public().boxing, "home-1", 3, &key)
            .unwrap();
        let from = approver.public().boxing;
        assert_eq!(
            newcomer
                .unwrap_home_key("dev-b", &from, "home-1", 3, &wrapped)
                .unwrap(),
            key
        );
        // Another device's secret, another device id, home or epoch: nothing opens.
        for (who, id, home, epoch) in [
            (&stranger, "dev-b", "home-1", 3),
            (&newcomer, "dev-c", "home-1", 3),
            (&newcomer, "dev-b", "home-2", 3),
            (&newcomer, "dev-b", "home-1", 4),
        ] {
            let err = who
                .unwrap_home_key(id, &from, home, epoch, &wrapped)
                .unwrap_err();
            assert_eq!(err.code(), "sync.cannot_unwrap");
        }
        // A box claimed to come from another wrapper does not open either.
        let err = newcomer
            .unwrap_home_key("dev-b", &stranger.public().boxing, "home-1", 3, &wrapped)
            .unwrap_err();
        assert_eq!(err.code(), "sync.cannot_unwrap");
    }

    #[test]
    fn device_keys_survive_a_round_trip_through_their_secret_bytes() {
        let keys = DeviceKeys::generate().unwrap();
        let bytes = keys.expose_secret_bytes();
        let back = DeviceKeys::from_secret_bytes(
            bytes[..32].try_into().unwrap(),
            bytes[32..].try_into().unwrap(),
        );
        assert_eq!(back.public(), keys.public());
    }

    #[test]
    fn secrets_print_redacted() {
        let key = HomeKey::from_bytes([7; 32]);
        assert_eq!(format!("{key:?}"), "HomeKey(<redacted>)");
        let keys = DeviceKeys::from_secret_bytes(&[7; 32], &[8; 32]);
        let shown = format!("{keys:?}");
        assert!(
            shown.contains("fingerprint") && !shown.contains("7, 7"),
            "{shown}"
        );
    }
}
