//! Photos are scaled so the long edge fits `max_long_edge` (sharp enough for a face on a patrol
//! laptop, small enough to email), and never enlarged.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail loudly by design"
)]

mod common;

use common::*;
use grabpack_photo::{PhotoLimits, process};
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{GrayImage, Luma, Rgb, RgbImage};

#[test]
fn a_large_landscape_photo_is_scaled_to_1600_on_the_long_edge() {
    let photo = process(&jpeg_of(&gradient(2400, 1800)), &PhotoLimits::default()).unwrap();

    assert_eq!((photo.width, photo.height), (1600, 1200));
    assert_eq!(decode_rgb(&photo.jpeg).dimensions(), (1600, 1200));
}

#[test]
fn a_large_portrait_photo_is_scaled_to_1600_on_the_long_edge() {
    let photo = process(&png_of(&gradient(1800, 2400)), &PhotoLimits::default()).unwrap();

    assert_eq!((photo.width, photo.height), (1200, 1600));
}

#[test]
fn a_small_photo_is_not_enlarged() {
    let photo = process(&jpeg_of(&gradient(640, 480)), &PhotoLimits::default()).unwrap();

    assert_eq!((photo.width, photo.height), (640, 480));
}

#[test]
fn the_long_edge_limit_is_configurable() {
    let limits = PhotoLimits {
        max_long_edge: 100,
        ..PhotoLimits::default()
    };

    let photo = process(&jpeg_of(&gradient(400, 300)), &limits).unwrap();
    assert_eq!((photo.width, photo.height), (100, 75));
}

#[test]
fn the_defaults_are_the_documented_ones() {
    let limits = PhotoLimits::default();

    assert_eq!(limits.max_file_bytes, 40 * 1024 * 1024);
    assert_eq!(limits.max_pixels, 50_000_000);
    assert_eq!(limits.max_long_edge, 1600);
    assert_eq!(limits.jpeg_quality, 85);
}

/// A smooth picture (every channel a slow ramp), so a downscaled copy can be compared pixel by
/// pixel with a reference downscale without the comparison measuring edge filtering.
fn smooth(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x * 255 / width) as u8,
            (y * 255 / height) as u8,
            ((x + y) * 255 / (width + height)) as u8,
        ])
    })
}

fn mean_abs_difference(a: &RgbImage, b: &RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let total: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(&x, &y)| u64::from(x.abs_diff(y)))
        .sum();
    total as f64 / a.as_raw().len() as f64
}

#[test]
fn a_jpeg_four_times_the_output_size_is_decoded_at_reduced_scale_and_is_the_same_picture() {
    // 800 x 600 to a long edge of 200: decoded at a quarter scale inside the IDCT, no resize left.
    let limits = PhotoLimits {
        max_long_edge: 200,
        ..PhotoLimits::default()
    };
    let source = smooth(800, 600);
    let photo = process(&jpeg_of(&source), &limits).unwrap();

    assert_eq!((photo.width, photo.height), (200, 150));
    let out = decode_rgb(&photo.jpeg);
    let reference = image::imageops::resize(&source, 200, 150, FilterType::Triangle);
    let difference = mean_abs_difference(&out, &reference);
    assert!(
        difference < 3.0,
        "mean difference {difference:.2} per channel from a reference downscale"
    );
}

#[test]
fn a_grey_jpeg_decoded_at_reduced_scale_comes_out_as_the_same_grey_in_colour() {
    let grey = GrayImage::from_fn(640, 480, |x, _| Luma([(x * 255 / 640) as u8]));
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 95)
        .encode_image(&grey)
        .unwrap();
    let limits = PhotoLimits {
        max_long_edge: 160,
        ..PhotoLimits::default()
    };

    let photo = process(&jpeg, &limits).unwrap();

    assert_eq!((photo.width, photo.height), (160, 120));
    let out = decode_rgb(&photo.jpeg);
    let reference = image::imageops::resize(&grey, 160, 120, FilterType::Triangle);
    for (x, y, px) in out.enumerate_pixels() {
        let want = reference.get_pixel(x, y).0[0];
        for c in px.0 {
            assert!(
                c.abs_diff(want) <= 6,
                "pixel ({x}, {y}) is {px:?}, the grey source there {want}"
            );
        }
    }
}

#[test]
fn a_photo_between_twice_and_four_times_the_output_size_ends_exactly_at_the_long_edge() {
    // 1000 x 700 to 300: decoded at half scale (500 x 350), then resized to 300 x 210.
    let limits = PhotoLimits {
        max_long_edge: 300,
        ..PhotoLimits::default()
    };
    let photo = process(&jpeg_of(&smooth(1000, 700)), &limits).unwrap();

    assert_eq!((photo.width, photo.height), (300, 210));
    assert_eq!(decode_rgb(&photo.jpeg).dimensions(), (300, 210));
}
