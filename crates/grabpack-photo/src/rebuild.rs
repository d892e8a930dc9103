//! A JPEG rebuilt from the parts a decoder needs, and nothing else.
//!
//! Why: a photo handed over from another placement is kept without re-encoding (each re-encode
//! blurs it a little more), but "no metadata segment before the first scan" was not enough to
//! call it clean. Phones hide data elsewhere too: XMP (with GPS) in APP1, a motion photo's video
//! or a second image after the end marker (MPF, APP2), application segments between the scans of
//! a progressive JPEG, comments anywhere. Whatever reaches the store, and so every PDF sent to
//! police, is rebuilt here from the decoding tables, the frame header and the entropy-coded scans
//! alone; anything this walk does not understand is refused (`None`), and the caller re-encodes
//! from the decoded pixels instead.

/// The marker segments a decoder needs, in their original order, ending at the first end-of-image
/// marker. `None` when the bytes are not a JPEG this walk understands (the caller then stores the
/// cleaned re-encode, never the original).
///
/// Kept: SOI, DQT, DHT, DAC, DRI, every SOFn of one or three components, SOS with its
/// entropy-coded data (restart markers included), EOI; a JFIF APP0 header rewritten to its
/// 16-byte standard form (no thumbnail); an Adobe APP14 header (12 bytes of colour-transform
/// flags a decoder needs to tell RGB from YCbCr). Dropped: every other APPn, COM, fill bytes, and
/// everything after EOI.
pub fn rebuild_jpeg(b: &[u8]) -> Option<Vec<u8>> {
    if b.len() < 4 || b[0] != 0xFF || b[1] != 0xD8 {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    let mut seen_frame = false;
    loop {
        // A marker: 0xFF, optional fill 0xFFs, then the code.
        if *b.get(i)? != 0xFF {
            return None;
        }
        while *b.get(i)? == 0xFF {
            i += 1;
        }
        let marker = *b.get(i)?;
        i += 1;
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return seen_frame.then_some(out);
            }
            // Standalone markers that carry nothing: TEM, RSTn outside a scan.
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]));
        if len < 2 {
            return None;
        }
        let segment = b.get(i..i + len)?;
        i += len;
        match marker {
            // Frame headers (not DHT 0xC4, JPG 0xC8, DAC 0xCC): one (grey) or three (colour)
            // components; four (CMYK) is re-encoded instead.
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let components = *segment.get(7)?;
                if seen_frame || !matches!(components, 1 | 3) {
                    return None;
                }
                seen_frame = true;
                push_segment(&mut out, marker, segment);
            }
            0xC4 | 0xCC | 0xDB | 0xDD => push_segment(&mut out, marker, segment),
            0xDA => {
                if !seen_frame {
                    return None;
                }
                push_segment(&mut out, marker, segment);
                let end = scan_end(b, i)?;
                // Fill bytes (extra 0xFFs) before a stuffed zero or a restart marker are dropped
                // too: a decoder skips them, and how many there are could carry data.
                let scan = &b[i..end];
                out.extend(
                    scan.iter()
                        .enumerate()
                        .filter(|&(k, &x)| !(x == 0xFF && scan.get(k + 1) == Some(&0xFF)))
                        .map(|(_, &x)| x),
                );
                i = end;
            }
            0xE0 => {
                if segment.get(2..7) == Some(b"JFIF\0".as_slice()) && segment.len() >= 14 {
                    // Version, density units and density; thumbnail dropped (0 x 0).
                    let mut app0 = segment[..14].to_vec();
                    app0[0..2].copy_from_slice(&16u16.to_be_bytes());
                    app0.extend_from_slice(&[0, 0]);
                    push_segment(&mut out, marker, &app0);
                }
            }
            0xEE => {
                if segment.len() == 14 && segment.get(2..7) == Some(b"Adobe".as_slice()) {
                    push_segment(&mut out, marker, segment);
                }
            }
            0xE1..=0xED | 0xEF | 0xFE => {}
            // DNL, DHP, EXP, JPG extensions and anything unknown: not a JPEG we rebuild.
            _ => return None,
        }
    }
}

/// `segment` starts with its own two length bytes.
fn push_segment(out: &mut Vec<u8>, marker: u8, segment: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(segment);
}

/// Where the entropy-coded data starting at `from` ends: at the first marker that is neither a
/// stuffed zero (`FF 00`) nor a restart marker (`FF D0`-`FF D7`). `None` if the data runs off
/// the end of the file.
fn scan_end(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        let at = i + b.get(i..)?.iter().position(|&x| x == 0xFF)?;
        let mut next = at + 1;
        while *b.get(next)? == 0xFF {
            next += 1;
        }
        match b[next] {
            0x00 | 0xD0..=0xD7 => i = next + 1,
            _ => return Some(at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap_or(0).to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    #[test]
    fn bytes_that_are_not_a_jpeg_are_not_rebuilt() {
        assert_eq!(rebuild_jpeg(b""), None);
        assert_eq!(rebuild_jpeg(b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(rebuild_jpeg(&[0xFF, 0xD8, 0xFF, 0xD9]), None, "no frame");
    }

    #[test]
    fn a_scan_that_runs_off_the_end_is_not_rebuilt() {
        let mut b = vec![0xFF, 0xD8];
        b.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
        b.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
        b.extend_from_slice(&[0x12, 0x34, 0xFF, 0x00, 0x56]);
        assert_eq!(rebuild_jpeg(&b), None);
    }

    /// Found by the fuzzer (fuzz/, photo_import): fill bytes inside a scan were kept as they came.
    #[test]
    fn fill_bytes_inside_a_scan_are_dropped() {
        let mut b = vec![0xFF, 0xD8];
        b.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
        b.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
        b.extend_from_slice(&[0x12, 0xFF, 0xFF, 0xFF, 0x00, 0x34, 0xFF, 0xFF, 0xD3, 0x56]);
        b.extend_from_slice(&[0xFF, 0xFF, 0xD9]);
        let out = rebuild_jpeg(&b).unwrap_or_default();
        assert!(
            out.ends_with(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD3, 0x56, 0xFF, 0xD9]),
            "the scan keeps its stuffed byte and restart marker, without the fill: {out:02X?}"
        );
        assert!(!out.windows(2).any(|w| w == [0xFF, 0xFF]));
    }

    #[test]
    fn a_comment_and_bytes_after_the_end_are_dropped() {
        let mut b = vec![0xFF, 0xD8];
        b.extend(segment(0xFE, b"fictional comment"));
        b.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
        b.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
        b.extend_from_slice(&[0x12, 0xFF, 0x00, 0xFF, 0xD3, 0x34, 0xFF, 0xD9]);
        b.extend_from_slice(b"trailing secret");
        let out = rebuild_jpeg(&b).unwrap_or_default();
        assert!(!out.windows(7).any(|w| w == b"comment"));
        assert!(!out.windows(6).any(|w| w == b"secret"));
        assert!(
            out.ends_with(&[0x12, 0xFF, 0x00, 0xFF, 0xD3, 0x34, 0xFF, 0xD9]),
            "the scan, its stuffed byte and its restart marker are kept as they were"
        );
    }
}
