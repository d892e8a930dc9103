//! What is refused, with which stable code, and in which order: the cheap checks come first so
//! that a hostile or broken file is turned away before it can cost memory or time.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail loudly by design"
)]

mod common;

use common::*;
use grabpack_photo::{PhotoError, PhotoLimits, process};

fn refusal(bytes: &[u8]) -> PhotoError {
    process(bytes, &PhotoLimits::default()).expect_err("should be refused")
}

const HEIC_HEADER: &[u8] =
    b"\0\0\0\x18ftypheic\0\0\0\0mif1heic\0\0\x01\x00metasome more boxes follow";

// --- size ------------------------------------------------------------------------------------

#[test]
fn an_empty_file_is_refused_as_empty() {
    assert_eq!(refusal(&[]).code(), "photo.empty");
}

#[test]
fn a_file_one_byte_over_40_mb_is_refused_as_too_large() {
    let huge = vec![0u8; 40 * 1024 * 1024 + 1];

    let err = refusal(&huge);
    assert_eq!(err.code(), "photo.file_too_large");
    assert!(err.to_string().contains("40 MB"), "{err}");
}

#[test]
fn file_size_is_checked_before_anything_is_parsed() {
    // A HEIC file would get its own message, but only once we have agreed to look inside it.
    let mut big_heic = HEIC_HEADER.to_vec();
    big_heic.resize(1000, 0);
    let limits = PhotoLimits {
        max_file_bytes: 999,
        ..PhotoLimits::default()
    };

    assert_eq!(
        process(&big_heic, &limits).unwrap_err().code(),
        "photo.file_too_large"
    );
}

// --- decompression bombs ---------------------------------------------------------------------

/// A PNG whose header claims 20000 x 20000 (400 MP, 1.2 GB decoded) followed by image data that
/// is not even valid zlib: a full decode could never succeed, so the only way to answer
/// "too many pixels" is from the header alone.
fn png_bomb_header_only() -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend(20_000u32.to_be_bytes());
    ihdr.extend(20_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]); // 8-bit RGB, deflate, adaptive filter, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &ihdr));
    png.extend(png_chunk(b"IDAT", b"this is not zlib data"));
    png
}

#[test]
fn a_png_claiming_20000_by_20000_pixels_is_refused_from_its_header() {
    let err = refusal(&png_bomb_header_only());

    assert_eq!(err.code(), "photo.too_many_pixels");
    assert!(
        matches!(
            err,
            PhotoError::TooManyPixels {
                width: 20_000,
                height: 20_000,
                ..
            }
        ),
        "dimensions come from the header: {err:?}"
    );
}

#[test]
fn a_jpeg_claiming_60000_by_60000_pixels_is_refused_from_its_header() {
    let mut jpeg = jpeg_of(&gradient(64, 48));
    let sof = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("baseline SOF0");
    jpeg[sof + 5..sof + 7].copy_from_slice(&60_000u16.to_be_bytes()); // height
    jpeg[sof + 7..sof + 9].copy_from_slice(&60_000u16.to_be_bytes()); // width

    assert_eq!(refusal(&jpeg).code(), "photo.too_many_pixels");
}

#[test]
fn the_pixel_limit_is_inclusive() {
    let limits = PhotoLimits {
        max_pixels: 100 * 100,
        ..PhotoLimits::default()
    };

    assert!(process(&png_of(&gradient(100, 100)), &limits).is_ok());
    assert_eq!(
        process(&png_of(&gradient(101, 100)), &limits)
            .unwrap_err()
            .code(),
        "photo.too_many_pixels"
    );
}

// --- damaged files ---------------------------------------------------------------------------

#[test]
fn a_jpeg_cut_off_halfway_is_refused_as_damaged() {
    let photo = jpeg_with_exif(
        &gradient(400, 300),
        &ExifSpec {
            orientation: Some(1),
            ..ExifSpec::default()
        },
    );
    let half = &photo[..photo.len() / 2];

    let err = refusal(half);
    assert_eq!(err.code(), "photo.corrupt");
    assert_eq!(
        err.to_string(),
        "The file is damaged or incomplete; take or export the photo again."
    );
}

#[test]
fn a_jpeg_missing_only_its_last_bytes_is_refused_as_damaged() {
    let photo = jpeg_of(&gradient(400, 300));

    assert_eq!(refusal(&photo[..photo.len() - 2]).code(), "photo.corrupt");
}

#[test]
fn a_png_cut_off_halfway_is_refused_as_damaged() {
    let photo = png_of(&gradient(400, 300));

    assert_eq!(refusal(&photo[..photo.len() / 2]).code(), "photo.corrupt");
}

#[test]
fn a_webp_cut_off_halfway_is_refused_as_damaged() {
    let photo = webp_lossless_of(&image::DynamicImage::ImageRgb8(gradient(200, 150)).into_rgba8());

    assert_eq!(refusal(&photo[..photo.len() / 2]).code(), "photo.corrupt");
}

#[test]
fn a_file_with_only_a_jpeg_signature_is_refused_as_damaged() {
    assert_eq!(refusal(&[0xFF, 0xD8, 0xFF]).code(), "photo.corrupt");
}

// --- formats we do not take ------------------------------------------------------------------

#[test]
fn an_iphone_heic_photo_is_refused_with_advice_to_use_jpeg() {
    let err = refusal(HEIC_HEADER);

    assert_eq!(err.code(), "photo.heic_unsupported");
    let message = err.to_string();
    assert!(message.contains("JPEG"), "{message}");
    assert!(message.contains("Most Compatible"), "{message}");
}

#[test]
fn a_heif_file_whose_main_brand_is_mif1_is_also_recognised_as_heic() {
    let heif = b"\0\0\0\x1cftypmif1\0\0\0\0mif1heicmiaf\0\0\0\x08free";

    assert_eq!(refusal(heif).code(), "photo.heic_unsupported");
}

#[test]
fn an_avif_file_is_an_unsupported_format_not_heic() {
    let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf\0\0\0\x08free";

    assert_eq!(refusal(avif).code(), "photo.unsupported_format");
}

#[test]
fn a_gif_is_refused_naming_the_formats_we_take() {
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";

    let err = refusal(gif);
    assert_eq!(err.code(), "photo.unsupported_format");
    assert!(err.to_string().contains("JPEG, PNG or WebP"), "{err}");
}

#[test]
fn a_bmp_is_refused_as_unsupported() {
    let mut bmp = b"BM".to_vec();
    bmp.extend(pseudo_random_bytes(1, 100));

    assert_eq!(refusal(&bmp).code(), "photo.unsupported_format");
}

#[test]
fn random_bytes_are_refused_as_unsupported() {
    assert_eq!(
        refusal(&pseudo_random_bytes(42, 4096)).code(),
        "photo.unsupported_format"
    );
}

#[test]
fn a_text_file_is_refused_as_unsupported() {
    assert_eq!(
        refusal(b"name,dob\nAlex,2011-04-01\n").code(),
        "photo.unsupported_format"
    );
}

#[test]
fn every_refusal_has_its_own_stable_code() {
    let codes = [
        refusal(&[]).code(),
        refusal(&vec![0u8; 40 * 1024 * 1024 + 1]).code(),
        refusal(&png_bomb_header_only()).code(),
        refusal(HEIC_HEADER).code(),
        refusal(b"hello").code(),
        refusal(&[0xFF, 0xD8, 0xFF]).code(),
    ];

    assert_eq!(
        codes,
        [
            "photo.empty",
            "photo.file_too_large",
            "photo.too_many_pixels",
            "photo.heic_unsupported",
            "photo.unsupported_format",
            "photo.corrupt",
        ]
    );
}
