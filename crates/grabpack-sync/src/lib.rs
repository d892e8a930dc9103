//! grabpack-sync: the device's side of syncing one home's records through a hub.
//!
//! Everything a device needs to take part without the hub ever reading a record: the home key
//! and its epochs (`envelope::HomeKeys`), the device's key pairs and the only way the home key
//! travels, wrapped to one device (`keys`), sealing and opening envelopes (`envelope`), and the
//! hub's API with pairing and revocation on top (`client`), and one device syncing its store
//! through all of these (`device`): what a record's bytes are and how one is taken in is the
//! store's rule (`grabpack_store::sync`), never this crate's.

pub mod client;
pub mod device;
pub mod envelope;
pub mod error;
pub mod keys;

pub use client::{DeviceIdentity, HubClient};
pub use device::{StoreAccess, SyncWake};
pub use envelope::{HomeKeys, Opened, Record};
pub use error::{Result, SyncError};
pub use keys::{DeviceKeys, DevicePublicKeys, HomeKey};
