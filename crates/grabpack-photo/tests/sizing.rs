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
