//! Errors a pack build can end in, each with a stable code the UI and tests branch on.
//!
//! A pack is built during an emergency, so very little is allowed to fail: a character no font can
//! print is drawn as U+FFFD, named on the page and still extracts as the right text, rather than
//! stopping the pack; only [`crate::fonts::check_printable`] turns it into an error, for the form's
//! readiness warnings.

/// Why a pack (or a check on it) failed.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// Some characters have no glyph in any vendored font.
    #[error(
        "The pack's fonts cannot print these characters: {characters}. The pack will show each as � with its Unicode name beside it; add a spelling in Latin letters too."
    )]
    FontMissingGlyphs {
        /// The characters, in order, without repeats.
        characters: String,
    },
    /// A photo's bytes are not a JPEG the pack can embed.
    #[error("Photo {index} could not be read ({reason}). Import the photo again.")]
    PhotoUnreadable {
        /// Position of the photo in the pack's list, from 0.
        index: usize,
        /// What the decoder said.
        reason: String,
    },
    /// The PDF writer failed; the read-out still works.
    #[error(
        "The pack could not be built ({0}). Give the police the read-out instead and report this problem."
    )]
    RenderFailed(String),
}

impl PackError {
    /// Stable across releases and languages: match on this, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::FontMissingGlyphs { .. } => "pack.font_missing_glyphs",
            Self::PhotoUnreadable { .. } => "pack.photo_unreadable",
            Self::RenderFailed(_) => "pack.render_failed",
        }
    }
}
