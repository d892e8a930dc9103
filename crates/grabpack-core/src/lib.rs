//! The grab pack's domain: the form, what each field is worth, when a pack is ready, and the file
//! format a child's record travels in.
//!
//! Pure by design: no files, no network, no clock (callers pass `today`), no GUI. Everything here is
//! shared by the store, the PDF, the command line and the app, so it must build and test anywhere.

pub mod audience;
pub mod diff;
pub mod error;
pub mod fields;
pub mod form;
pub mod interchange;
pub mod merge;
pub mod practice;
pub mod readiness;
pub mod sample;
pub mod validate;

pub use error::CoreError;
pub use fields::{FIELDS, FieldSpec, Group, Priority};
pub use form::*;
pub use readiness::{
    Readiness, ReadinessFacts, ReadinessReason, ReadinessSettings, ReadinessState,
};
