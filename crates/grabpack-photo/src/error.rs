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
        }
    }
}

/// Rounds up, so "41 MB is over the 40 MB limit" never reads as "40 MB is over 40 MB".
fn whole_megabytes(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}
