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
    /// Every code [`PackError::code`] returns for this crate's own failures (wrapped errors keep
    /// their own crate's codes). The app exports them to the UI as the `ErrorCode` type.
    pub const CODES: &'static [&'static str] = &[
        "pack.font_missing_glyphs",
        "pack.photo_unreadable",
        "pack.render_failed",
    ];

    /// Stable across releases and languages: match on this, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::FontMissingGlyphs { .. } => "pack.font_missing_glyphs",
            Self::PhotoUnreadable { .. } => "pack.photo_unreadable",
            Self::RenderFailed(_) => "pack.render_failed",
        }
    }
}

#[cfg(test)]
mod codes_tests {
    use super::*;

    /// Which variant this is: `Some(n)` for a failure of this crate's own, `None` for a wrapped
    /// error of another crate (its codes are listed there). No `_` arm, so a new variant does not
    /// compile until it is numbered here, and the test below fails until it has a sample.
    fn variant(e: &PackError) -> Option<usize> {
        match e {
            PackError::FontMissingGlyphs { .. } => Some(0),
            PackError::PhotoUnreadable { .. } => Some(1),
            PackError::RenderFailed { .. } => Some(2),
        }
    }

    /// One of each of this crate's own variants.
    fn one_of_each() -> Vec<PackError> {
        vec![
            PackError::FontMissingGlyphs {
                characters: "x".into(),
            },
            PackError::PhotoUnreadable {
                index: 0,
                reason: "r".into(),
            },
            PackError::RenderFailed("r".into()),
        ]
    }

    #[test]
    fn codes_lists_the_code_of_every_variant_and_nothing_else() {
        let samples = one_of_each();
        let mut seen: Vec<usize> = samples.iter().filter_map(variant).collect();
        seen.sort_unstable();
        seen.dedup();
        let wrapped: &[usize] = &[];
        let own: Vec<usize> = (0..3).filter(|k| !wrapped.contains(k)).collect();
        assert_eq!(seen, own, "one sample of every own variant");
        let mut from_variants: Vec<&str> = samples.iter().map(PackError::code).collect();
        from_variants.sort_unstable();
        let mut listed = PackError::CODES.to_vec();
        listed.sort_unstable();
        let before = listed.len();
        listed.dedup();
        assert_eq!(before, listed.len(), "a code listed twice");
        assert!(!listed.is_empty());
        assert_eq!(from_variants, listed);
    }
}
