//! Generated portraits stand in for real photos in the demo store, tests and benchmarks.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail loudly by design"
)]

use grabpack_photo::{PhotoLimits, SourceFormat, process, synthetic_portrait};

#[test]
fn the_same_seed_always_gives_the_same_portrait() {
    assert_eq!(
        synthetic_portrait(7, 300, 400).unwrap(),
        synthetic_portrait(7, 300, 400).unwrap()
    );
}

#[test]
fn different_seeds_give_different_portraits() {
    assert_ne!(
        synthetic_portrait(1, 300, 400).unwrap(),
        synthetic_portrait(2, 300, 400).unwrap()
    );
}

#[test]
fn a_portrait_is_a_jpeg_of_the_requested_size() {
    let jpeg = synthetic_portrait(3, 300, 400).unwrap();

    let image = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg).unwrap();
    assert_eq!((image.width(), image.height()), (300, 400));
}

#[test]
fn a_portrait_goes_through_intake_like_a_photo() {
    let photo = process(
        &synthetic_portrait(4, 1200, 1600).unwrap(),
        &PhotoLimits::default(),
    )
    .unwrap();

    assert_eq!(photo.source_format, SourceFormat::Jpeg);
    assert_eq!((photo.width, photo.height), (1200, 1600));
    assert_eq!(photo.taken_at, None);
}

#[test]
fn a_portrait_has_a_face_on_a_plain_background() {
    let image = image::load_from_memory(&synthetic_portrait(5, 300, 400).unwrap())
        .unwrap()
        .into_rgb8();

    let corner = *image.get_pixel(5, 5);
    let face = *image.get_pixel(150, 150);
    let differs = corner.0.iter().zip(face.0).any(|(a, b)| a.abs_diff(b) > 20);
    assert!(
        differs,
        "face {face:?} stands out from background {corner:?}"
    );
}

#[test]
fn a_portrait_of_zero_size_is_refused_not_a_panic() {
    assert_eq!(
        synthetic_portrait(1, 0, 400).unwrap_err().code(),
        "photo.encode_failed"
    );
    assert_eq!(
        synthetic_portrait(1, 70_000, 10).unwrap_err().code(),
        "photo.encode_failed"
    );
}
