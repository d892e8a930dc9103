//! The grab pack itself: page 1 for the officer with 30 seconds, then the whole of Part 1 and,
//! when the child is missing now, Part 2.
//!
//! What goes in is decided here and only here: empty fields are left out (never blank boxes), and a
//! field the carer marked "do not share" ([`ChildForm::do_not_share`], keyed by the field paths of
//! [`grabpack_core::FIELDS`]) is left out of every part of the pack, page 1 and read-out included.
//! Everything is built in memory; the caller decides whether a person saves the bytes.
//!
//! One module per part, because each part is designed differently and is changed for different
//! reasons: `facts` (the form seen through "do not share", shared with the read-out), `page_one`
//! (a hand-designed summary), `part_one` (generated from the field table: a new field needs no
//! code here), `part_two` (the episode). This file holds the inputs, the outputs and the order.

mod facts;
mod page_one;
mod part_one;
mod part_two;
mod so_far;

use std::sync::Arc;

use grabpack_core::audience::Audience;
use grabpack_core::form::*;
use jiff::Timestamp;
use jiff::civil::Date;
use sha2::{Digest, Sha256};

pub(crate) use facts::Facts;
pub(crate) use grabpack_core::fields::join;
pub(crate) use part_two::taken_text;
pub use so_far::{EpisodeSoFar, PAGE_ONE_LINES, RecordLine, UpdateMark, update_words};

use crate::PackError;
use crate::layout::{Layout, RunningHeader, TextStyle};

/// The marking printed on every page when neither the home nor the child's form sets one.
pub const DEFAULT_MARKING: &str = "OFFICIAL-SENSITIVE";

/// Said where Part 1 would start in the version for an added address.
pub const EXTRA_ADDRESS_NOTE: &str = "This copy holds page 1 and Part 2 only. The child's full profile went to the police and the social worker; ask the home if you need more.";

/// The lead photo's box on page 1, in points (it sits at the top left of the body).
pub const PHOTO_WIDTH: f32 = 180.0;
/// See [`PHOTO_WIDTH`].
pub const PHOTO_HEIGHT: f32 = 230.0;

/// A photo as the pack receives it: JPEG bytes already cleaned by `grabpack-photo` (upright, no EXIF).
#[derive(Clone, PartialEq)]
pub struct PackPhoto {
    /// JPEG bytes, embedded in the PDF unchanged.
    pub jpeg: Arc<Vec<u8>>,
    /// Face, full length or a mark.
    pub kind: PhotoKind,
    /// The day it was taken, if known.
    pub taken_on: Option<Date>,
}

impl std::fmt::Debug for PackPhoto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackPhoto")
            .field("bytes", &self.jpeg.len())
            .field("kind", &self.kind)
            .field("taken_on", &self.taken_on)
            .finish()
    }
}

/// The home's pack settings.
#[derive(Debug, Clone, PartialEq)]
pub struct PackSettings {
    /// At most this many photos are printed (the newest face photo always comes first).
    pub max_photos: usize,
    /// Longest text on page 1 for one fact before it is cut with a pointer to the full form.
    pub page1_text_limit: usize,
}

impl Default for PackSettings {
    fn default() -> Self {
        Self {
            max_photos: 6,
            page1_text_limit: 220,
        }
    }
}

/// Everything a pack is built from. Nothing is read from disk or the clock.
#[derive(Debug, Clone, PartialEq)]
pub struct PackInput {
    /// The child's current Part 1.
    pub form: ChildForm,
    /// The form revision this pack is built from (printed on every page).
    pub revision: String,
    /// Photos in any order; the pack puts the newest face photo first.
    pub photos: Vec<PackPhoto>,
    /// Part 2 of the open episode, when the child is missing now.
    pub episode: Option<Part2>,
    /// What the episode record says was already done (empty for the first pack).
    pub so_far: EpisodeSoFar,
    /// Episodes recorded by the app itself (closed ones), added to the form's own missing history.
    pub app_episodes: Vec<PastEpisode>,
    /// The home's protective marking; the child's form may override it.
    pub marking: String,
    /// When the pack is generated.
    pub generated_at: Timestamp,
    /// The home's settings.
    pub settings: PackSettings,
    /// Who this version is for: it prints only what they read (`grabpack_core::audience`).
    pub audience: Audience,
}

impl PackInput {
    /// A pack of `form` at `revision`, generated at `generated_at`, with the default marking and settings.
    pub fn new(form: ChildForm, revision: impl Into<String>, generated_at: Timestamp) -> Self {
        Self {
            form,
            revision: revision.into(),
            photos: Vec::new(),
            episode: None,
            so_far: EpisodeSoFar::default(),
            app_episodes: Vec::new(),
            marking: DEFAULT_MARKING.to_owned(),
            generated_at,
            settings: PackSettings::default(),
            audience: Audience::Police,
        }
    }
}

/// A built pack, in memory.
#[derive(Debug)]
pub struct RenderedPack {
    /// The PDF bytes.
    pub pdf: Vec<u8>,
    /// SHA-256 of `pdf`, for the audit log when a person saves or sends it.
    pub sha256_hex: String,
    /// Pages in the PDF.
    pub page_count: usize,
    /// The short content hash printed in every footer (see [`content_hash`]).
    pub content_hash: String,
    /// Problems that did not stop the pack (an unreadable photo is left out, for example).
    pub warnings: Vec<PackError>,
}

/// `(s)`, or nothing when `s` is blank.
fn paren(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("({s})")
    }
}

/// Page 1 text cut at `limit` characters, with a pointer to the full text in Part 1.
fn cut(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(limit).collect();
        format!("{}… (full text in the form below)", kept.trim_end())
    }
}

/// A short hash of everything the pack was built from (form, photos, episode, history, marking, time):
/// the first 12 hex digits of a SHA-256. It is printed in every footer so a printed page can be
/// matched to the revision it came from (the PDF's own hash cannot be printed inside it).
pub fn content_hash(input: &PackInput) -> String {
    let mut hasher = Sha256::new();
    hasher.update(serde_json::to_vec(&input.form).unwrap_or_default());
    hasher.update(input.revision.as_bytes());
    for photo in &input.photos {
        hasher.update(Sha256::digest(photo.jpeg.as_slice()));
        hasher.update(photo.kind.as_str());
        hasher.update(photo.taken_on.map(|d| d.to_string()).unwrap_or_default());
    }
    hasher.update(serde_json::to_vec(&input.episode).unwrap_or_default());
    hasher.update(format!("{:?}", input.so_far));
    hasher.update(serde_json::to_vec(&input.app_episodes).unwrap_or_default());
    hasher.update(input.marking.as_bytes());
    hasher.update(input.generated_at.to_string());
    hasher.update(input.audience.as_str());
    hex::encode(hasher.finalize())[..12].to_owned()
}

/// Builds the grab-pack PDF in memory.
///
/// # Errors
/// [`PackError::RenderFailed`] if the PDF writer fails. An unreadable photo does not fail the pack: it
/// is left out and reported in [`RenderedPack::warnings`] (code `pack.photo_unreadable`).
pub fn render_pack(input: &PackInput) -> Result<RenderedPack, PackError> {
    // A bug in layout or a library must cost the carer the PDF, not the app: they still have the
    // read-out. (No unwrap or expect is reachable from input; this is the belt to those braces.)
    std::panic::catch_unwind(|| build_pack(input)).unwrap_or_else(|_| {
        Err(PackError::RenderFailed(
            "the pack builder stopped unexpectedly".into(),
        ))
    })
}

fn build_pack(input: &PackInput) -> Result<RenderedPack, PackError> {
    let facts = Facts::new(input);
    let mut layout = Layout::new();
    let mut warnings = Vec::new();
    page_one::page_one(&facts, &mut layout, &mut warnings);
    layout.page_break();
    if input.audience.gets_part_one() {
        part_one::part_one(&facts, &mut layout, &mut warnings);
    } else {
        layout.text(EXTRA_ADDRESS_NOTE, TextStyle::BODY);
    }
    if let Some(episode) = &input.episode {
        part_two::part_two(episode, &mut layout);
    }
    so_far::part_two_tables(&input.so_far, &mut layout);
    let page_count = layout.page_count();
    let content_hash = content_hash(input);
    let running = RunningHeader {
        marking: facts.marking(),
        child_name: facts.name(),
        generated_at: input.generated_at,
        revision: input.revision.clone(),
        short_hash: content_hash.clone(),
        title: format!("Grab pack: {}", facts.name()),
    };
    let pdf = layout.finish(&running)?;
    let sha256_hex = hex::encode(Sha256::digest(&pdf));
    Ok(RenderedPack {
        pdf,
        sha256_hex,
        page_count,
        content_hash,
        warnings,
    })
}

/// A table's title, kept on the same page as the table's header and first row.
fn table_title(layout: &mut Layout, title: &str) {
    layout.ensure(TextStyle::STRONG.line_height() + 3.0 * TextStyle::BODY.line_height() + 16.0);
    layout.text(title, TextStyle::STRONG);
}
