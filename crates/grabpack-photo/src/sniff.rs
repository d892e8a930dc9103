//! Why we look at raw bytes ourselves before handing them to `image`: two checks the decoders do
//! not make for us. HEIC needs its own, actionable message (it is what iPhones save by default,
//! so it is the refusal care staff will meet most). And the JPEG decoder happily returns a
//! half-grey picture for a file cut off mid-copy; a grab pack must not silently carry a photo
//! of half a child's face, so a JPEG without its end-of-image marker is refused as damaged.

/// ISO-BMFF brands that mean a HEIF still image (HEVC or otherwise), as saved by phones.
const HEIF_BRANDS: &[&[u8; 4]] = &[
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1",
    b"mif2", b"avci", b"avcs",
];

/// Brands that make a file AVIF rather than HEIC, even though AVIF also lists `mif1`.
const AVIF_BRANDS: &[&[u8; 4]] = &[b"avif", b"avis"];

/// True for a HEIF/HEIC container (an `ftyp` box with a HEIF brand), but not AVIF.
pub(crate) fn is_heif(bytes: &[u8]) -> bool {
    if bytes.get(4..8) != Some(b"ftyp") {
        return false;
    }
    let Some(major) = bytes.get(8..12) else {
        return false;
    };
    if AVIF_BRANDS.iter().any(|b| b.as_slice() == major) {
        return false;
    }
    let box_len = bytes
        .get(0..4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map_or(0, u32::from_be_bytes);
    let box_end = usize::try_from(box_len)
        .unwrap_or(usize::MAX)
        .min(bytes.len())
        .min(4096);
    // Major brand at 8..12, minor version at 12..16, compatible brands from 16 to the box end.
    let compatible = bytes.get(16..box_end).unwrap_or(&[]).chunks_exact(4);
    std::iter::once(major)
        .chain(compatible)
        .any(|brand| HEIF_BRANDS.iter().any(|b| b.as_slice() == brand))
}

/// True when the JPEG's image data runs to an end-of-image marker.
///
/// Walks the marker segments up to the first start-of-scan, then looks for EOI (`FF D9`) after
/// it. Entropy-coded data can never contain `FF D9` (a data `FF` is always stuffed with `00`),
/// and an embedded EXIF thumbnail's EOI sits before the first scan, so it cannot fool this.
/// Bytes after EOI (e.g. a phone's "motion photo" video) are allowed.
pub(crate) fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let Some(scan_start) = first_scan_offset(bytes) else {
        return false;
    };
    bytes
        .get(scan_start..)
        .is_some_and(|rest| rest.windows(2).any(|w| w == [0xFF, 0xD9]))
}

/// Offset just after the first SOS marker, or `None` if the header is cut short.
fn first_scan_offset(bytes: &[u8]) -> Option<usize> {
    let mut i = 2; // after SOI
    loop {
        // Tolerate stray bytes and fill bytes between segments, as decoders do.
        while *bytes.get(i)? != 0xFF {
            i += 1;
        }
        while *bytes.get(i + 1)? == 0xFF {
            i += 1;
        }
        let marker = *bytes.get(i + 1)?;
        match marker {
            0xDA => return Some(i + 2),
            // Markers that stand alone, without a length.
            0x01 | 0xD0..=0xD8 => i += 2,
            0xD9 => return None, // EOI before any image data
            _ => {
                let len = u16::from_be_bytes([*bytes.get(i + 2)?, *bytes.get(i + 3)?]);
                i = i.checked_add(2 + usize::from(len))?;
            }
        }
    }
}

/// True when a WebP's RIFF header promises more bytes than the file holds.
pub(crate) fn webp_is_truncated(bytes: &[u8]) -> bool {
    let Some(size) = bytes
        .get(4..8)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_le_bytes)
    else {
        return true;
    };
    let needed = 8u64 + u64::from(size);
    (bytes.len() as u64) < needed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_avif_file_is_not_mistaken_for_heic_although_it_lists_mif1() {
        let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf";
        assert!(!is_heif(avif));
    }

    #[test]
    fn a_jpeg_header_without_any_scan_is_incomplete() {
        assert!(!jpeg_is_complete(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]));
        assert!(!jpeg_is_complete(&[0xFF, 0xD8]));
    }
}
