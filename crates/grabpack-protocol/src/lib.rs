//! The Grab Pack intake protocol (`grabpack.intake.v1`) as types: what crosses the wire between a
//! home's app and a police intake, defined once.
//!
//! Why a crate of its own: the sender (grabpack-send) and the receiver (grabpack-inbox, and later
//! the hub) must agree byte for byte, and they used to each keep a copy of the manifest, the
//! acknowledgement and the risk grading, which could drift apart silently. Here is the only
//! definition; `docs/intake-protocol.md` is its prose, and this crate's tests hold the JSON to the
//! examples in it. It depends on no crate of ours (the architecture test holds that), so either
//! side can use it without pulling in the other's world.
//!
//! What it deliberately does not do: no I/O, no HTTP, no storage, no clock. Timestamps stay the
//! RFC 3339 strings that travel (each side parses with its own clock library), and the receiver's
//! policy (its size limit, its homes) stays with the receiver.
//!
//! **Two risk gradings, on purpose.** [`RiskGrading`] here is the *wire* vocabulary: what an
//! officer's acknowledgement says, frozen with protocol v1 and read by receivers written by
//! anyone. `grabpack_core::RiskGrading` is the *form* vocabulary: the carer's view, a place's
//! risk and the police report the home records, part of the child's interchange format and
//! schema. Today they hold the same four values, but they change for different reasons (a new
//! protocol version vs a new form), so the sender maps one to the other with an exhaustive match
//! and a change to either is a compile error until someone decides what it means on the other side.

mod ack;
mod error;
mod ids;
mod manifest;

pub use ack::{AckPage, AckStatus, Acknowledgement, RiskGrading};
pub use error::{ErrorBody, ErrorDetail, ProtocolError};
pub use ids::{check_intake_url, is_safe_part_filename, is_valid_id, to_valid_id};
pub use manifest::{
    AuditHead, MANIFEST_MAX_BYTES, Manifest, ManifestChild, ManifestHome, MessageKind,
    PDF_FILE_NAME, PROTOCOL, READOUT_MAX_BYTES, Receipt, TEXT_MAX_BYTES,
};

/// At most this many acknowledgements come in one page of the feed.
pub const ACK_PAGE_MAX: usize = 100;

/// A sender reads at most this many bytes of any answer to `POST /v1/packs` (a receipt or an
/// error body is a few hundred bytes): an intake, or whoever sits at its address, cannot make a
/// home's app buffer an unbounded answer.
pub const RECEIPT_MAX_BYTES: u64 = 64 * 1024;

/// A sender reads at most this many bytes of one page of the acknowledgement feed: 100
/// acknowledgements whose free-text fields are all at the receiver's limits fit with room over.
pub const ACK_PAGE_MAX_BYTES: u64 = 4 * 1024 * 1024;
