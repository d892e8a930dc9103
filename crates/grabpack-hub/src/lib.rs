//! grabpack-hub: the provider's sync hub.
//!
//! A home's devices (shift laptops, the manager's laptop, a carer's phone) keep one record
//! between them by pushing sealed envelopes here and pulling each other's. The hub stores and
//! relays ciphertext only, in PostgreSQL, and can never read a child's data: records are sealed
//! on the device with the home key, which reaches a device only wrapped to that device's key
//! pair (`grabpack-sync`). What the hub does see (homes, devices, sizes, times) is listed in
//! `docs/sync.md`. Instances are stateless beside PostgreSQL, so two can serve one database.
//!
//! The binary (`src/main.rs`) is thin glue: `init-db`, `add-home`, `homes`, `serve`.

pub mod auth;
pub mod config;
pub mod db;
pub mod devices;
pub mod envelopes;
pub mod error;
pub mod leases;
pub mod notify;
pub mod server;

pub use config::Config;
pub use error::{HubError, Result};
