//! JPEG, PNG and WebP are all taken in; whatever arrives, a JPEG goes out.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail loudly by design"
)]

mod common;

use common::*;
use grabpack_photo::{PhotoLimits, SourceFormat, process};
use image::{Rgba, RgbaImage};

fn is_jpeg(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xD8, 0xFF])
}

#[test]
fn a_png_screenshot_is_accepted_and_comes_out_as_jpeg() {
    let png = png_of(&gradient(300, 200));

    let photo = process(&png, &PhotoLimits::default()).unwrap();
    assert_eq!(photo.source_format, SourceFormat::Png);
    assert_eq!((photo.width, photo.height), (300, 200));
    assert!(is_jpeg(&photo.jpeg));
}

#[test]
fn a_lossless_webp_is_accepted_and_comes_out_as_jpeg() {
    let webp = webp_lossless_of(&RgbaImage::from_fn(120, 90, |x, y| {
        Rgba([x as u8, y as u8, 90, 255])
    }));

    let photo = process(&webp, &PhotoLimits::default()).unwrap();
    assert_eq!(photo.source_format, SourceFormat::Webp);
    assert_eq!((photo.width, photo.height), (120, 90));
    assert!(is_jpeg(&photo.jpeg));
    assert_eq!(photo.taken_at, None);
}

#[test]
fn transparent_areas_come_out_white_as_on_paper_not_black() {
    let cut_out = RgbaImage::from_fn(64, 64, |x, _| {
        if x < 32 {
            Rgba([0, 0, 0, 0])
        } else {
            Rgba([0, 0, 255, 255])
        }
    });

    let photo = process(&png_of_rgba(&cut_out), &PhotoLimits::default()).unwrap();
    let out = decode_rgb(&photo.jpeg);
    assert!(
        looks_like(*out.get_pixel(8, 32), image::Rgb([255, 255, 255])),
        "transparent is white"
    );
    assert!(looks_like(*out.get_pixel(56, 32), BLUE), "opaque unchanged");
}

#[test]
fn processing_the_same_photo_twice_gives_the_same_bytes() {
    let photo = jpeg_of(&gradient(200, 150));
    let limits = PhotoLimits::default();

    assert_eq!(
        process(&photo, &limits).unwrap(),
        process(&photo, &limits).unwrap()
    );
}

#[test]
fn a_jpeg_with_a_motion_photo_video_after_the_image_is_still_accepted() {
    let mut photo = jpeg_of(&gradient(200, 150));
    photo.extend(b"\0\0\0\x18ftypmp42 pretend video data follows");

    assert!(process(&photo, &PhotoLimits::default()).is_ok());
}
