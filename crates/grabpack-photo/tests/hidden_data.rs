//! A photo kept without re-encoding carries nothing but the picture: no XMP with the home's GPS,
//! no motion photo or second image hidden after the end, no segment tucked between the scans of a
//! progressive JPEG, no comment. `rebuild_jpeg` keeps the decoder's parts and drops the rest.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail loudly by design"
)]

mod common;

use common::*;
use grabpack_photo::rebuild_jpeg;

const SECRET: &[u8] = b"51.5007 -0.1246 fictional care home GPS";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend(u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
    s.extend(payload);
    s
}

/// A progressive JPEG (several scans) from a real encoder.
fn progressive_jpeg() -> Vec<u8> {
    let image = gradient(96, 64);
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 85);
    encoder.set_progressive(true);
    encoder
        .encode(image.as_raw(), 96, 64, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

fn sos_offsets(jpeg: &[u8]) -> Vec<usize> {
    jpeg.windows(2)
        .enumerate()
        .filter(|(_, w)| w == &[0xFF, 0xDA])
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn the_progressive_fixture_really_has_several_scans() {
    assert!(sos_offsets(&progressive_jpeg()).len() > 2);
}

#[test]
fn xmp_with_gps_is_dropped_and_the_picture_is_unchanged() {
    let clean = jpeg_of(&gradient(64, 48));
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>".to_vec();
    xmp.extend(SECRET);
    let with_xmp = with_app1(&clean, &xmp);
    let rebuilt = rebuild_jpeg(&with_xmp).unwrap();
    assert!(!contains(&rebuilt, SECRET));
    assert!(!contains(&rebuilt, b"xap/1.0"));
    assert_eq!(decode_rgb(&rebuilt), decode_rgb(&clean));
}

#[test]
fn a_motion_photo_keeps_only_its_still_picture() {
    let still = jpeg_of(&gradient(64, 48));
    // MPF index in APP2, and a second picture (or a video) after the end marker.
    let mut mpf = b"MPF\0".to_vec();
    mpf.extend(SECRET);
    let mut motion = still[..2].to_vec();
    motion.extend(segment(0xE2, &mpf));
    motion.extend(&still[2..]);
    let mut hidden = jpeg_of(&red_left_blue_right(32, 32));
    hidden.extend(SECRET);
    motion.extend(&hidden);
    let rebuilt = rebuild_jpeg(&motion).unwrap();
    assert!(!contains(&rebuilt, SECRET));
    assert!(!contains(&rebuilt, b"MPF\0"));
    assert_eq!(
        rebuilt.windows(2).filter(|w| w == &[0xFF, 0xD8]).count(),
        1,
        "one picture only"
    );
    assert!(rebuilt.ends_with(&[0xFF, 0xD9]));
    assert_eq!(decode_rgb(&rebuilt), decode_rgb(&still));
}

#[test]
fn bytes_after_the_end_marker_are_dropped() {
    let clean = jpeg_of(&gradient(40, 30));
    let mut trailing = clean.clone();
    trailing.extend(SECRET);
    let rebuilt = rebuild_jpeg(&trailing).unwrap();
    assert!(!contains(&rebuilt, SECRET));
    assert_eq!(decode_rgb(&rebuilt), decode_rgb(&clean));
}

#[test]
fn segments_between_progressive_scans_are_dropped_and_every_scan_kept() {
    let progressive = progressive_jpeg();
    let second_scan = sos_offsets(&progressive)[1];
    let mut tucked = progressive[..second_scan].to_vec();
    let mut app = b"fictional-app\0".to_vec();
    app.extend(SECRET);
    tucked.extend(segment(0xEB, &app));
    tucked.extend(segment(0xFE, SECRET));
    tucked.extend(&progressive[second_scan..]);
    let rebuilt = rebuild_jpeg(&tucked).unwrap();
    assert!(!contains(&rebuilt, SECRET));
    assert_eq!(sos_offsets(&rebuilt).len(), sos_offsets(&progressive).len());
    assert_eq!(decode_rgb(&rebuilt), decode_rgb(&progressive));
}

#[test]
fn a_clean_baseline_jpeg_comes_back_as_it_was_but_for_the_jfif_header() {
    let clean = jpeg_of(&gradient(64, 48));
    let rebuilt = rebuild_jpeg(&clean).unwrap();
    assert_eq!(decode_rgb(&rebuilt), decode_rgb(&clean));
    assert!(rebuilt.len() <= clean.len());
}

/// What another device of the home sends is kept only if it is a photo as this pipeline leaves
/// one: `process`'s output (and its rebuild) pass, anything carrying more, or larger, does not.
#[test]
fn a_photo_from_another_device_is_kept_only_as_the_pipeline_leaves_one() {
    use grabpack_photo::{PhotoError, PhotoLimits, check_as_stored, process};
    let limits = PhotoLimits::default();
    let processed = process(&jpeg_of(&gradient(640, 480)), &limits).unwrap();
    assert_eq!(
        check_as_stored(&processed.jpeg, &limits).unwrap(),
        (processed.width, processed.height)
    );
    let rebuilt = rebuild_jpeg(&processed.jpeg).unwrap();
    assert!(check_as_stored(&rebuilt, &limits).is_ok());

    let refused = |bytes: &[u8]| {
        assert!(
            matches!(
                check_as_stored(bytes, &limits),
                Err(PhotoError::NotAsStored)
            ),
            "kept what should be refused"
        );
    };
    // A comment (or any other segment) after the header.
    let mut commented = rebuilt[..2].to_vec();
    commented.extend(segment(0xFE, SECRET));
    commented.extend(&rebuilt[2..]);
    refused(&commented);
    // Bytes after the end.
    let mut trailing = rebuilt.clone();
    trailing.extend(SECRET);
    refused(&trailing);
    // Larger than a stored photo is, though clean.
    refused(&jpeg_of(&gradient(2000, 1000)));
    // Not a JPEG at all.
    refused(b"not a photo");
    refused(&[]);
}
