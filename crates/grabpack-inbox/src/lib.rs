//! grabpack-inbox: the police-side intake service for Grab Pack.
//!
//! A care home's app sends a missing child's grab pack here over HTTPS (`POST /v1/packs`, see
//! `docs/intake-protocol.md`); the service checks it, stores it once in an encrypted database
//! and answers with a receipt at once. Officers and call handlers read the pack on a small
//! server-rendered site and acknowledge it (or record that it was not accepted as a missing
//! report, with the reason); the home's app collects those answers from
//! `GET /v1/acknowledgements`, closing the loop homes say is missing today.
//!
//! The binary (`src/main.rs`) is thin glue: `init`, `user add`, `token`, `audit verify`, `serve`.

pub mod acks;
pub mod auth;
pub mod config;
pub mod db;
pub mod error;
pub mod intake;
pub mod retention;
pub mod server;
pub mod setup;
pub mod web;

pub use config::Config;
pub use error::{InboxError, Result};
