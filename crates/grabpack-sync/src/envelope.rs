//! Sealing a record into an envelope for the hub, and opening one that came back.
//!
//! The record (its kind, its id and its bytes) is encrypted whole with the home key of the
//! current epoch (XChaCha20-Poly1305, a random 24-byte nonce), so the hub sees neither what kind
//! of record it carries nor which record. The envelope's metadata is the associated data: the
//! home, the device that sealed it, the envelope's id and the epoch. A hub that moves an envelope
//! to another home, says another device sent it, renames it or relabels its epoch makes it fail
//! to open; the kind and record id are inside the authenticated plaintext, so they cannot be
//! changed either.

use std::collections::BTreeMap;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use grabpack_sync_protocol::{B64, Envelope, NONCE_BYTES, PROTOCOL, StoredEnvelope};

use crate::error::{Result, SyncError};
use crate::keys::{HomeKey, random};

/// The format of the sealed plaintext (a version byte first, so it can change later).
const RECORD_FORMAT: u8 = 1;

/// A record as the device's store will hand it to sync: its kind (`revision`, `photo`,
/// `episode_event`, ...), its global id and its bytes (whatever the store serialises).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub kind: String,
    pub record_id: String,
    pub body: Vec<u8>,
}

/// A record opened from an envelope, with the device that sealed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub envelope_id: String,
    pub seq: i64,
    pub device_id: String,
    pub epoch: u32,
    pub record: Record,
}

/// The home keys this device holds, by epoch, and which epoch is current.
#[derive(Debug, Clone)]
pub struct HomeKeys {
    pub home_id: String,
    pub current: u32,
    keys: BTreeMap<u32, HomeKey>,
}

impl HomeKeys {
    /// A new home's first key (epoch 1), made on the device that enrols the home.
    pub fn first(home_id: &str) -> Result<Self> {
        Ok(Self::from_keys(home_id, 1, [(1, HomeKey::generate()?)]))
    }

    pub fn from_keys(
        home_id: &str,
        current: u32,
        keys: impl IntoIterator<Item = (u32, HomeKey)>,
    ) -> Self {
        Self {
            home_id: home_id.to_string(),
            current,
            keys: keys.into_iter().collect(),
        }
    }

    pub fn get(&self, epoch: u32) -> Option<&HomeKey> {
        self.keys.get(&epoch)
    }

    pub fn epochs(&self) -> impl Iterator<Item = (u32, &HomeKey)> {
        self.keys.iter().map(|(e, k)| (*e, k))
    }

    /// Start the next epoch with a new key (a revocation); returns the new epoch.
    pub fn rotate(&mut self) -> Result<u32> {
        let next = self.current + 1;
        self.keys.insert(next, HomeKey::generate()?);
        self.current = next;
        Ok(next)
    }

    /// Seal `record` as device `device_id` under the current epoch, with a new envelope id.
    pub fn seal(&self, device_id: &str, record: &Record) -> Result<Envelope> {
        let id = uuid::Uuid::new_v4().to_string();
        self.seal_as(&id, device_id, record)
    }

    /// Seal with a chosen envelope id (a retry of a push sends the same id, so the hub stores
    /// it once).
    pub fn seal_as(&self, envelope_id: &str, device_id: &str, record: &Record) -> Result<Envelope> {
        let key = self.get(self.current).ok_or(SyncError::UnknownEpoch {
            epoch: self.current,
        })?;
        let nonce = random::<NONCE_BYTES>()?;
        let aad = associated_data(&self.home_id, device_id, envelope_id, self.current);
        let plain = zeroize::Zeroizing::new(encode_record(record)?);
        let cipher = XChaCha20Poly1305::new(key.bytes().into());
        let ciphertext = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
                    aad: &aad,
                },
            )
            .map_err(|_| SyncError::Malformed("the record could not be sealed".into()))?;
        Ok(Envelope {
            id: envelope_id.to_string(),
            epoch: self.current,
            nonce: B64(nonce.to_vec()),
            ciphertext: B64(ciphertext),
        })
    }

    /// Open an envelope relayed by the hub.
    pub fn open(&self, stored: &StoredEnvelope) -> Result<Opened> {
        let key = self.get(stored.epoch).ok_or(SyncError::UnknownEpoch {
            epoch: stored.epoch,
        })?;
        if stored.nonce.0.len() != NONCE_BYTES {
            return Err(SyncError::CannotOpen);
        }
        let aad = associated_data(&self.home_id, &stored.device_id, &stored.id, stored.epoch);
        let cipher = XChaCha20Poly1305::new(key.bytes().into());
        let plain = zeroize::Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(&stored.nonce.0),
                    Payload {
                        msg: &stored.ciphertext.0,
                        aad: &aad,
                    },
                )
                .map_err(|_| SyncError::CannotOpen)?,
        );
        Ok(Opened {
            envelope_id: stored.id.clone(),
            seq: stored.seq,
            device_id: stored.device_id.clone(),
            epoch: stored.epoch,
            record: decode_record(&plain)?,
        })
    }
}

/// The envelope's metadata, bound to its ciphertext.
fn associated_data(home_id: &str, device_id: &str, envelope_id: &str, epoch: u32) -> Vec<u8> {
    let mut out = format!("{PROTOCOL} envelope\0").into_bytes();
    for part in [home_id, device_id, envelope_id] {
        out.extend_from_slice(&(part.len() as u32).to_be_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out.extend_from_slice(&epoch.to_be_bytes());
    out
}

fn encode_record(record: &Record) -> Result<Vec<u8>> {
    let mut out = vec![RECORD_FORMAT];
    for part in [&record.kind, &record.record_id] {
        let len = u16::try_from(part.len())
            .map_err(|_| SyncError::Malformed("a record kind or id is too long".into()))?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out.extend_from_slice(&record.body);
    Ok(out)
}

fn decode_record(plain: &[u8]) -> Result<Record> {
    let bad = || SyncError::Malformed("the opened record is not in a known format".into());
    let (&format, mut rest) = plain.split_first().ok_or_else(bad)?;
    if format != RECORD_FORMAT {
        return Err(bad());
    }
    let mut take = || -> Result<String> {
        let (len, tail) = rest.split_at_checked(2).ok_or_else(bad)?;
        let len = u16::from_be_bytes([len[0], len[1]]) as usize;
        let (text, tail) = tail.split_at_checked(len).ok_or_else(bad)?;
        rest = tail;
        String::from_utf8(text.to_vec()).map_err(|_| bad())
    };
    let kind = take()?;
    let record_id = take()?;
    Ok(Record {
        kind,
        record_id,
        body: rest.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn record() -> Record {
        Record {
            kind: "revision".into(),
            record_id: "rev-1".into(),
            body: b"Fictional child: Ada Example".to_vec(),
        }
    }

    fn relayed(e: &Envelope, device: &str) -> StoredEnvelope {
        StoredEnvelope {
            seq: 1,
            id: e.id.clone(),
            device_id: device.into(),
            epoch: e.epoch,
            nonce: e.nonce.clone(),
            ciphertext: e.ciphertext.clone(),
            received_at: 0,
        }
    }

    #[test]
    fn a_sealed_record_opens_with_the_home_key_and_hides_its_contents() {
        let keys = HomeKeys::first("home-1").unwrap();
        let e = keys.seal("dev-a", &record()).unwrap();
        let hay = String::from_utf8_lossy(&e.ciphertext.0);
        assert!(!hay.contains("Ada") && !hay.contains("revision"));
        let opened = keys.open(&relayed(&e, "dev-a")).unwrap();
        assert_eq!(opened.record, record());
        assert_eq!(opened.device_id, "dev-a");
    }

    #[test]
    fn an_envelope_moved_to_another_home_device_id_or_epoch_does_not_open() {
        let keys = HomeKeys::first("home-1").unwrap();
        let e = keys.seal("dev-a", &record()).unwrap();
        // Another home holding the same key bytes still cannot open it.
        let same_key = keys.get(1).unwrap().clone();
        let other_home = HomeKeys::from_keys("home-2", 1, [(1, same_key.clone())]);
        assert_eq!(
            other_home.open(&relayed(&e, "dev-a")).unwrap_err().code(),
            "sync.cannot_open"
        );
        assert_eq!(
            keys.open(&relayed(&e, "dev-b")).unwrap_err().code(),
            "sync.cannot_open"
        );
        let mut renamed = relayed(&e, "dev-a");
        renamed.id = uuid::Uuid::new_v4().to_string();
        assert_eq!(keys.open(&renamed).unwrap_err().code(), "sync.cannot_open");
        let relabelled_keys =
            HomeKeys::from_keys("home-1", 2, [(1, same_key.clone()), (2, same_key)]);
        let mut relabelled = relayed(&e, "dev-a");
        relabelled.epoch = 2;
        assert_eq!(
            relabelled_keys.open(&relabelled).unwrap_err().code(),
            "sync.cannot_open"
        );
        let mut flipped = relayed(&e, "dev-a");
        flipped.ciphertext.0[3] ^= 1;
        assert_eq!(keys.open(&flipped).unwrap_err().code(), "sync.cannot_open");
    }

    #[test]
    fn after_a_rotation_new_envelopes_need_the_new_key() {
        let mut keys = HomeKeys::first("home-1").unwrap();
        let old_only = keys.clone();
        keys.rotate().unwrap();
        let e = keys.seal("dev-a", &record()).unwrap();
        assert_eq!(e.epoch, 2);
        let err = old_only.open(&relayed(&e, "dev-a")).unwrap_err();
        assert_eq!(err.code(), "sync.unknown_epoch");
    }
}
