//! A phone photo comes out the way the camera held it, dated, and with nothing else attached:
//! no GPS of the care home, no EXIF of any kind.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail loudly by design"
)]

mod common;

use common::*;
use grabpack_photo::{PhotoLimits, SourceFormat, process};
use jiff::civil::date;

fn phone_photo(orientation: u16) -> Vec<u8> {
    jpeg_with_exif(
        &red_left_blue_right(320, 160),
        &ExifSpec {
            orientation: Some(orientation),
            date_time_original: Some("2026:09:14 16:20:05"),
            gps: true,
            ..ExifSpec::default()
        },
    )
}

#[test]
fn the_fixture_really_carries_orientation_date_and_gps() {
    let exif = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(phone_photo(6)))
        .expect("our hand-written EXIF parses");
    for tag in [
        exif::Tag::Orientation,
        exif::Tag::DateTimeOriginal,
        exif::Tag::GPSLatitude,
        exif::Tag::GPSLongitude,
    ] {
        assert!(
            exif.get_field(tag, exif::In::PRIMARY).is_some(),
            "{tag} present"
        );
    }
}

#[test]
fn a_photo_taken_with_the_phone_turned_right_comes_out_upright_with_red_on_top() {
    let photo = process(&phone_photo(6), &PhotoLimits::default()).unwrap();

    assert_eq!((photo.width, photo.height), (160, 320), "portrait");
    assert_eq!(photo.source_format, SourceFormat::Jpeg);
    let out = decode_rgb(&photo.jpeg);
    assert_eq!(out.dimensions(), (160, 320));
    assert!(looks_like(*out.get_pixel(80, 40), RED), "top is red");
    assert!(looks_like(*out.get_pixel(80, 280), BLUE), "bottom is blue");
}

#[test]
fn a_photo_taken_upside_down_comes_out_upright_with_red_on_the_right() {
    let photo = process(&phone_photo(3), &PhotoLimits::default()).unwrap();

    assert_eq!((photo.width, photo.height), (320, 160));
    let out = decode_rgb(&photo.jpeg);
    assert!(looks_like(*out.get_pixel(280, 80), RED), "right is red");
    assert!(looks_like(*out.get_pixel(40, 80), BLUE), "left is blue");
}

#[test]
fn a_photo_taken_with_the_phone_turned_left_comes_out_upright_with_red_at_the_bottom() {
    let photo = process(&phone_photo(8), &PhotoLimits::default()).unwrap();

    assert_eq!((photo.width, photo.height), (160, 320));
    let out = decode_rgb(&photo.jpeg);
    assert!(looks_like(*out.get_pixel(80, 280), RED), "bottom is red");
    assert!(looks_like(*out.get_pixel(80, 40), BLUE), "top is blue");
}

#[test]
fn the_date_taken_comes_from_the_camera() {
    let photo = process(&phone_photo(6), &PhotoLimits::default()).unwrap();

    assert_eq!(photo.taken_at, Some(date(2026, 9, 14).at(16, 20, 5, 0)));
}

#[test]
fn the_output_carries_no_exif_no_gps_and_no_metadata_segment_at_all() {
    let photo = process(&phone_photo(6), &PhotoLimits::default()).unwrap();

    assert!(
        !photo.jpeg.windows(6).any(|w| w == b"Exif\0\0"),
        "no EXIF header"
    );
    assert!(
        exif::Reader::new()
            .read_from_container(&mut std::io::Cursor::new(&photo.jpeg))
            .is_err(),
        "kamadak-exif finds nothing"
    );
    // Only SOI, APP0 (JFIF), DQT, SOF0/SOF2, DHT, SOS and EOI: no APP1..APP15 (EXIF, XMP, ICC,
    // maker notes) and no COM.
    let allowed = [0xD8, 0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDA, 0xD9];
    let markers = all_jpeg_markers(&photo.jpeg);
    assert!(markers.contains(&0xD9), "ends with EOI");
    for marker in markers {
        assert!(
            allowed.contains(&marker),
            "unexpected marker FF{marker:02X}"
        );
    }
}

#[test]
fn a_photo_without_date_taken_falls_back_to_date_digitised_then_file_date() {
    let image = red_left_blue_right(64, 32);
    let digitised_only = jpeg_with_exif(
        &image,
        &ExifSpec {
            date_time_original: Some("    :  :     :  :  "), // blank, as some cameras write
            date_time_digitized: Some("2025:01:02 03:04:05"),
            date_time: Some("2024:12:31 23:59:59"),
            ..ExifSpec::default()
        },
    );
    let file_date_only = jpeg_with_exif(
        &image,
        &ExifSpec {
            date_time: Some("2024:12:31 23:59:59"),
            ..ExifSpec::default()
        },
    );

    let limits = PhotoLimits::default();
    assert_eq!(
        process(&digitised_only, &limits).unwrap().taken_at,
        Some(date(2025, 1, 2).at(3, 4, 5, 0))
    );
    assert_eq!(
        process(&file_date_only, &limits).unwrap().taken_at,
        Some(date(2024, 12, 31).at(23, 59, 59, 0))
    );
}

#[test]
fn an_impossible_date_is_left_out_rather_than_guessed() {
    let photo = jpeg_with_exif(
        &red_left_blue_right(64, 32),
        &ExifSpec {
            date_time_original: Some("2026:13:45 25:61:00"),
            ..ExifSpec::default()
        },
    );

    assert_eq!(
        process(&photo, &PhotoLimits::default()).unwrap().taken_at,
        None
    );
}

#[test]
fn a_broken_exif_block_costs_the_date_but_not_the_photo() {
    let mut payload = b"Exif\0\0MM\0\x2a\0\0\xFF\xF0".to_vec(); // IFD0 offset points past the end
    payload.extend([0xAB; 40]);
    let photo = with_app1(&jpeg_of(&red_left_blue_right(64, 32)), &payload);

    let processed = process(&photo, &PhotoLimits::default()).unwrap();
    assert_eq!(processed.taken_at, None);
    assert_eq!(
        (processed.width, processed.height),
        (64, 32),
        "shown as stored"
    );
}

#[test]
fn a_photo_without_exif_has_no_date_taken() {
    let photo = jpeg_of(&red_left_blue_right(64, 32));

    assert_eq!(
        process(&photo, &PhotoLimits::default()).unwrap().taken_at,
        None
    );
}

#[test]
fn the_hash_identifies_the_output_bytes() {
    use sha2::Digest as _;
    let photo = process(&phone_photo(6), &PhotoLimits::default()).unwrap();

    let expected: String = sha2::Sha256::digest(&photo.jpeg)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(photo.sha256_hex, expected);
    assert_eq!(photo.sha256_hex.len(), 64);
}

#[test]
fn debug_output_never_contains_the_photo_bytes() {
    let photo = process(&phone_photo(6), &PhotoLimits::default()).unwrap();

    let debug = format!("{photo:?}");
    assert!(debug.contains(&format!("<{} bytes>", photo.jpeg.len())));
    assert!(debug.len() < 400, "short: {debug}");
}

#[test]
fn a_photo_decoded_at_reduced_scale_still_comes_out_upright() {
    // 320 x 160 to a long edge of 80 is decoded at a quarter scale: the orientation must still
    // be applied to what that decode gives.
    let limits = PhotoLimits {
        max_long_edge: 80,
        ..PhotoLimits::default()
    };
    let photo = process(&phone_photo(6), &limits).unwrap();

    assert_eq!((photo.width, photo.height), (40, 80), "portrait");
    let out = decode_rgb(&photo.jpeg);
    assert!(looks_like(*out.get_pixel(20, 10), RED), "top is red");
    assert!(looks_like(*out.get_pixel(20, 70), BLUE), "bottom is blue");
    assert!(!photo.jpeg.windows(4).any(|w| w == b"Exif"), "no EXIF left");
}
