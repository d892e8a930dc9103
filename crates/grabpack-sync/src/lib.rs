//! grabpack-sync: the device's side of syncing one home's records through a hub.
//!
//! Everything a device needs to take part without the hub ever reading a record: the home key
//! and its epochs (`envelope::HomeKeys`), the device's key pairs and the only way the home key
//! travels, wrapped to one device (`keys`), sealing and opening envelopes (`envelope`), and the
//! hub's API with pairing and revocation on top (`client`). It knows nothing of the store yet:
//! what a record's bytes are is the caller's business until the record formats settle
//! (`docs/sync.md`, "not built yet").

pub mod client;
pub mod envelope;
pub mod error;
pub mod keys;

pub use client::{DeviceIdentity, HubClient};
pub use envelope::{HomeKeys, Opened, Record};
pub use error::{Result, SyncError};
pub use keys::{DeviceKeys, DevicePublicKeys, HomeKey};
