//! Why a separate error type with stable codes: a care worker sees the message (so it must say
//! what to do next, in plain words), while the UI and tests branch on `code()`, which must not
//! change when the wording is improved or translated.

use thiserror::Error;

/// Why a photo could not be added to a child's profile.
///
/// Every message tells the person at the keyboard what to do next. Match on [`PhotoError::code`],
/// never on the message.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum PhotoError {
    /// The file has no content at all.
    #[error(
        "The photo file is empty. Choose the photo again; if it still fails, take or export it again."
    )]
    Empty,

    /// The file is bigger than [`crate::PhotoLimits::max_file_bytes`].
    #[error(
        "This photo file is {} MB; the largest we accept is {} MB. Export a smaller copy of the photo (or take it at a lower resolution) and try again.",
        whole_megabytes(*size),
        whole_megabytes(*max)
    )]
    FileTooLarge {
        /// Size of the file offered, in bytes.
        size: u64,
        /// The limit it exceeded, in bytes.
        max: u64,
    },

    /// The header claims more pixels than [`crate::PhotoLimits::max_pixels`]. Refused before any
    /// pixel data is decoded, so a tiny file claiming a gigantic picture cannot exhaust memory.
    #[error(
        "This photo is too big to use: over {} megapixels. Export a smaller copy of the photo (or take it at a lower resolution) and try again.",
        max_pixels.div_ceil(1_000_000)
    )]
    TooManyPixels {
        /// Width claimed by the file (0 when the decoder refused before reporting it).
        width: u32,
        /// Height claimed by the file (0 when the decoder refused before reporting it).
        height: u32,
        /// The limit it exceeded.
        max_pixels: u64,
    },

    /// An iPhone-style HEIC/HEIF photo, which we cannot read.
    #[error(
        "This is a HEIC photo (the iPhone's default format), which Grab Pack cannot read. Export it as JPEG and try again, or set the phone to save JPEG: on an iPhone, Settings > Camera > Formats > Most Compatible."
    )]
    HeicUnsupported,

    /// Not a JPEG, PNG or WebP file.
    #[error(
        "This file is not a photo Grab Pack can read. Choose a JPEG, PNG or WebP photo (phones and cameras usually save JPEG)."
    )]
    UnsupportedFormat,

    /// Truncated or undecodable: typically an interrupted copy or download.
    #[error("The file is damaged or incomplete; take or export the photo again.")]
    Corrupt {
        /// What the decoder reported, for logs; `None` when our own checks found the damage.
        #[source]
        source: Option<image::ImageError>,
    },

    /// A photo from another device of the home that is not as Grab Pack stores a photo (larger
    /// than the stored size, or carrying anything beyond the picture: metadata, a hidden second
    /// image, bytes after the end): not kept.
    #[error(
        "A photo from another device of the home was not kept: it is not a photo as Grab Pack prepares them (too large, or carrying data beyond the picture). Add the photo again on that device or this one."
    )]
    NotAsStored,

    /// The photo was read but could not be written out again. Not the user's fault.
    #[error(
        "The photo could not be prepared for the grab pack. Try again; if it keeps failing, report it to your Grab Pack administrator."
    )]
    EncodeFailed {
        /// The encoder's own report, for logs.
        #[source]
        source: image::ImageError,
    },
}

impl PhotoError {
    /// Every code [`PhotoError::code`] returns for this crate's own failures (wrapped errors keep
    /// their own crate's codes). The app exports them to the UI as the `ErrorCode` type.
    pub const CODES: &'static [&'static str] = &[
        "photo.empty",
        "photo.file_too_large",
        "photo.too_many_pixels",
        "photo.heic_unsupported",
        "photo.unsupported_format",
        "photo.corrupt",
        "photo.encode_failed",
        "photo.not_as_stored",
    ];

    /// Stable across releases and languages: the UI and tests match on this, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "photo.empty",
            Self::FileTooLarge { .. } => "photo.file_too_large",
            Self::TooManyPixels { .. } => "photo.too_many_pixels",
            Self::HeicUnsupported => "photo.heic_unsupported",
            Self::UnsupportedFormat => "photo.unsupported_format",
            Self::Corrupt { .. } => "photo.corrupt",
            Self::EncodeFailed { .. } => "photo.encode_failed",
            Self::NotAsStored => "photo.not_as_stored",
        }
    }
}

/// Rounds up, so "41 MB is over the 40 MB limit" never reads as "40 MB is over 40 MB".
fn whole_megabytes(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

#[cfg(test)]
mod codes_tests {
    use super::*;

    /// Which variant this is: `Some(n)` for a failure of this crate's own, `None` for a wrapped
    /// error of another crate (its codes are listed there). No `_` arm, so a new variant does not
    /// compile until it is numbered here, and the test below fails until it has a sample.
    fn variant(e: &PhotoError) -> Option<usize> {
        match e {
            PhotoError::Empty => Some(0),
            PhotoError::FileTooLarge { .. } => Some(1),
            PhotoError::TooManyPixels { .. } => Some(2),
            PhotoError::HeicUnsupported => Some(3),
            PhotoError::UnsupportedFormat => Some(4),
            PhotoError::Corrupt { .. } => Some(5),
            PhotoError::EncodeFailed { .. } => Some(6),
            PhotoError::NotAsStored => Some(7),
        }
    }

    /// One of each of this crate's own variants.
    fn one_of_each() -> Vec<PhotoError> {
        vec![
            PhotoError::Empty,
            PhotoError::FileTooLarge { size: 2, max: 1 },
            PhotoError::TooManyPixels {
                width: 1,
                height: 1,
                max_pixels: 0,
            },
            PhotoError::HeicUnsupported,
            PhotoError::UnsupportedFormat,
            PhotoError::Corrupt { source: None },
            PhotoError::NotAsStored,
            PhotoError::EncodeFailed {
                source: image::ImageError::Limits(image::error::LimitError::from_kind(
                    image::error::LimitErrorKind::InsufficientMemory,
                )),
            },
        ]
    }

    #[test]
    fn codes_lists_the_code_of_every_variant_and_nothing_else() {
        let samples = one_of_each();
        let mut seen: Vec<usize> = samples.iter().filter_map(variant).collect();
        seen.sort_unstable();
        seen.dedup();
        let wrapped: &[usize] = &[];
        let own: Vec<usize> = (0..8).filter(|k| !wrapped.contains(k)).collect();
        assert_eq!(seen, own, "one sample of every own variant");
        let mut from_variants: Vec<&str> = samples.iter().map(PhotoError::code).collect();
        from_variants.sort_unstable();
        let mut listed = PhotoError::CODES.to_vec();
        listed.sort_unstable();
        let before = listed.len();
        listed.dedup();
        assert_eq!(before, listed.len(), "a code listed twice");
        assert!(!listed.is_empty());
        assert_eq!(from_variants, listed);
    }
}
