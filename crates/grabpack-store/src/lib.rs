//! The encrypted store: everything Grab Pack keeps, in one SQLCipher database.
//!
//! Children's forms (every save an immutable revision), photos, staff and the hash-chained audit
//! log all live inside the encrypted database; beside it are only the wrapped keys
//! (`keyslots.json`) and a journal of failed unlock attempts (no personal data). Nothing here
//! knows about windows, commands or the network.

pub mod audit;
pub mod db;
pub mod demo;
pub mod episodes;
pub mod error;
pub mod keychain;
pub mod keyslots;
pub mod outbox;
mod photo_import;
pub mod secret;
mod store;

pub use audit::{AuditEntry, ChainReport};
pub use error::{Result, StoreError};
pub use keychain::{DeviceKeychain, KeyringKeychain};
pub use secret::Sensitive;
pub use store::*;
