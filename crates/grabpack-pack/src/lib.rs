//! The grab pack: the PDF a carer hands to the police the moment a looked-after child goes missing,
//! and the plain-text read-out of its first page for the 101 call.
//!
//! Everything is built in memory (the pack never touches the disk unless a person saves it). The crate
//! is in layers: [`fonts`] (vendored Noto fonts, compiled in), [`shape`] (bidi, font fallback and
//! HarfBuzz-compatible shaping), [`layout`] (pages, wrapping, tables, photos, running header and footer,
//! written to PDF by krilla), and on top of them the pack itself ([`pack::render_pack`]) and the
//! read-out ([`readout::readout`]).

pub mod child_copy;
pub mod error;
pub mod fonts;
pub mod layout;
pub mod notice;
pub mod pack;
pub mod readout;
pub mod shape;

pub use child_copy::{ChildCopyInput, render_child_copy};
pub use error::PackError;
pub use fonts::{PackFont, Weight};
pub use notice::{Notice, render_notice};
pub use pack::{
    EpisodeSoFar, PackInput, PackPhoto, PackSettings, RecordLine, RenderedPack, UpdateMark,
    render_pack,
};
pub use readout::readout;
pub use shape::shaped_glyph_ids;
