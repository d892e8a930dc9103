//! The encrypted store: everything Grab Pack keeps, in one SQLCipher database.
//!
//! Children's forms (every save an immutable revision), photos, staff and the hash-chained audit
//! log all live inside the encrypted database; beside it are only the wrapped keys
//! (`keyslots.json`) and a journal of failed unlock attempts (no personal data). Nothing here
//! knows about windows, commands or the network.

pub mod audit;
mod audit_action;
mod children;
mod dashboard;
pub mod db;
pub mod demo;
pub mod episodes;
pub mod error;
mod ids;
pub mod keychain;
mod keys;
pub mod keyslots;
mod lockout;
pub mod outbox;
mod photo_import;
mod photos;
pub mod secret;
pub mod sender_process;
mod settings;
mod staff;
mod store;
pub mod sync;

pub use audit::{AuditEntry, ChainReport};
pub use audit_action::AuditAction;
pub use children::{ChildRecord, RevisionInfo, RevisionKind};
pub use dashboard::DashboardRow;
pub use error::{Result, StoreError};
pub use ids::{ChildId, DeliveryId, EpisodeId, OutboxMessageId, PhotoId};
pub use keychain::{DeviceKeychain, KeyringKeychain};
pub use keys::{Credential, FREE_ATTEMPTS, Setup, staff_on_this_device};
pub use keyslots::prepare_kdf_memory;
pub use photos::{PackMaterial, PackMaterialPhoto, PhotoInfo};
pub use secret::Sensitive;
pub use settings::{HomeSettings, HomeType, StrategyMeetingRule};
pub use staff::StaffMember;
pub use store::{Actor, Store, exists};
