//! Photos arriving in a child document from another placement.
//!
//! A photo exported by Grab Pack is already upright, scaled and free of metadata; re-encoding it
//! on every hand-over would blur it a little more each time. So an imported photo is decoded in
//! full by the photo intake (which proves it is a sound image within the limits), then rebuilt
//! from the segments a decoder needs (`grabpack_photo::rebuild_jpeg`: no APPn but a bare JFIF or
//! Adobe header, no comment, nothing between scans or after the end). The rebuilt bytes are kept
//! only when they decode to the same picture size; otherwise the cleaned re-encode is stored.
//! The original bytes are never stored.

use grabpack_photo::{PhotoError, PhotoLimits, ProcessedPhoto};

pub(crate) struct CleanPhoto {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

pub(crate) fn sanitise(bytes: &[u8]) -> Result<CleanPhoto, PhotoError> {
    let processed: ProcessedPhoto = grabpack_photo::process(bytes, &PhotoLimits::default())?;
    let rebuilt = (!has_exif(bytes))
        .then(|| grabpack_photo::rebuild_jpeg(bytes))
        .flatten()
        .filter(|rebuilt| {
            jpeg_dimensions(rebuilt) == Some((processed.width, processed.height))
                && grabpack_photo::process(rebuilt, &PhotoLimits::default()).is_ok()
        });
    Ok(CleanPhoto {
        jpeg: rebuilt.unwrap_or(processed.jpeg),
        width: processed.width,
        height: processed.height,
    })
}

/// Whether the JPEG carries an EXIF block before its first scan. EXIF may turn the picture
/// (orientation), which the rebuilt bytes would no longer say: such a photo is re-encoded upright.
fn has_exif(b: &[u8]) -> bool {
    let mut i = 2;
    while i + 4 <= b.len() && b[i] == 0xFF {
        let marker = b[i + 1];
        if marker == 0xDA {
            return false;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        if marker == 0xE1 && b.get(i + 4..i + 10) == Some(b"Exif\0\0".as_slice()) {
            return true;
        }
        i += 2 + len;
    }
    // A header this walk cannot follow: treat it as turned, so it is re-encoded.
    true
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
