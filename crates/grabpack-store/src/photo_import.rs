//! Photos arriving in a child document from another placement.
//!
//! A photo exported by Grab Pack is already upright, scaled and free of metadata; re-encoding it
//! on every hand-over would blur it a little more each time. So an imported photo is decoded in
//! full by the photo intake (which proves it is a sound image within the limits), and its original
//! bytes are kept only when they carry no metadata segment at all; otherwise the cleaned re-encode
//! is stored.

use grabpack_photo::{PhotoError, PhotoLimits, ProcessedPhoto};

pub(crate) struct CleanPhoto {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

pub(crate) fn sanitise(bytes: &[u8]) -> Result<CleanPhoto, PhotoError> {
    let processed: ProcessedPhoto = grabpack_photo::process(bytes, &PhotoLimits::default())?;
    let keep_original = has_no_metadata_segments(bytes)
        && jpeg_dimensions(bytes) == Some((processed.width, processed.height));
    Ok(CleanPhoto {
        jpeg: if keep_original {
            bytes.to_vec()
        } else {
            processed.jpeg
        },
        width: processed.width,
        height: processed.height,
    })
}

/// Walk the JPEG's marker segments up to the image data: true when there is no APP1-APP15
/// (EXIF, XMP, ICC, maker notes) and no comment segment.
pub(crate) fn has_no_metadata_segments(b: &[u8]) -> bool {
    if b.len() < 4 || b[0] != 0xFF || b[1] != 0xD8 {
        return false;
    }
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return false;
        }
        let marker = b[i + 1];
        if marker == 0xDA {
            return true; // start of scan: no more headers
        }
        if (0xE1..=0xEF).contains(&marker) || marker == 0xFE {
            return false;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        i += 2 + len;
    }
    false
}

fn jpeg_dimensions(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 9 <= b.len() {
        let marker = b[i + 1];
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            let h = u32::from(u16::from_be_bytes([b[i + 5], b[i + 6]]));
            let w = u32::from(u16::from_be_bytes([b[i + 7], b[i + 8]]));
            return Some((w, h));
        }
        i += 2 + len;
    }
    None
}
