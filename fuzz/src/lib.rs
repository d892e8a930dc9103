//! What more than one fuzz target checks: that a JPEG we hand on carries nothing but the parts a
//! decoder needs.
//!
//! Why a walk of our own rather than the `exif` crate: the leak we guard against is any segment
//! a viewer or a forensic tool could read (EXIF and XMP with GPS, an MPF motion photo, an ICC
//! profile, a comment, bytes after the end marker), not only EXIF. This walk accepts the shape
//! `image`'s encoder and `rebuild_jpeg` write and nothing else.

/// Why a JPEG is not clean, for the assertion message.
pub fn jpeg_leak(b: &[u8]) -> Option<String> {
    if b.len() < 4 || b[0] != 0xFF || b[1] != 0xD8 {
        return Some("does not start with SOI".into());
    }
    let mut i = 2;
    loop {
        if i + 1 >= b.len() {
            return Some("ends before EOI".into());
        }
        if b[i] != 0xFF {
            return Some(format!("byte {i} is not a marker"));
        }
        let marker = b[i + 1];
        match marker {
            0xD9 => {
                return (i + 2 != b.len()).then(|| format!("{} bytes after EOI", b.len() - i - 2));
            }
            0xD0..=0xD7 | 0x01 | 0xFF => return Some(format!("stray marker {marker:#04x}")),
            _ => {}
        }
        if i + 3 >= b.len() {
            return Some("segment length cut off".into());
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        if len < 2 || i + 2 + len > b.len() {
            return Some(format!("segment {marker:#04x} overruns the file"));
        }
        let body = &b[i + 4..i + 2 + len];
        match marker {
            0xE0 if body.starts_with(b"JFIF\0") && len == 16 => {}
            0xEE if body.starts_with(b"Adobe") && len == 14 => {}
            0xE0..=0xEF => return Some(format!("application segment APP{}", marker - 0xE0)),
            0xFE => return Some("comment segment".into()),
            _ => {}
        }
        i += 2 + len;
        if marker == 0xDA {
            // Entropy-coded data: runs until a marker that is neither a stuffed 0x00 nor a restart.
            while i + 1 < b.len() {
                if b[i] == 0xFF && b[i + 1] != 0x00 && !(0xD0..=0xD7).contains(&b[i + 1]) {
                    break;
                }
                i += 1;
            }
        }
    }
}
