//! Whatever bytes arrive (half-copied, bit-flipped, hand-crafted), `process` answers with a
//! photo or a refusal; it never panics and takes the app down mid-shift.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail loudly by design"
)]

mod common;

use common::*;
use grabpack_photo::{PhotoLimits, process};
use image::DynamicImage;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, mask: u8 },
    Truncate { at: usize },
    Insert { at: usize, byte: u8 },
    Overwrite { at: usize, bytes: Vec<u8> },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1u8..).prop_map(|(at, mask)| Mutation::Flip { at, mask }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Insert { at, byte }),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Mutation::Overwrite { at, bytes }),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        if bytes.is_empty() {
            break;
        }
        let len = bytes.len();
        match m {
            Mutation::Flip { at, mask } => bytes[at % len] ^= mask,
            Mutation::Truncate { at } => bytes.truncate(at % len),
            Mutation::Insert { at, byte } => bytes.insert(at % (len + 1), *byte),
            Mutation::Overwrite { at, bytes: new } => {
                for (i, b) in new.iter().enumerate() {
                    let index = (at % len + i) % len;
                    bytes[index] = *b;
                }
            }
        }
    }
    bytes
}

fn originals() -> Vec<Vec<u8>> {
    let image = gradient(48, 36);
    vec![
        jpeg_with_exif(
            &image,
            &ExifSpec {
                orientation: Some(6),
                date_time_original: Some("2026:09:14 16:20:05"),
                gps: true,
                ..ExifSpec::default()
            },
        ),
        png_of(&image),
        webp_lossless_of(&DynamicImage::ImageRgb8(image).into_rgba8()),
    ]
}

/// Small enough that a mutated header claiming a big picture is refused quickly.
fn test_limits() -> PhotoLimits {
    PhotoLimits {
        max_pixels: 2_000_000,
        ..PhotoLimits::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_damaged_photo_is_refused_or_accepted_but_never_panics(
        which in 0usize..3,
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let original = originals().swap_remove(which);
        let damaged = apply(original, &mutations);
        if let Ok(photo) = process(&damaged, &test_limits()) {
            prop_assert!(photo.width <= 1600 && photo.height <= 1600);
            prop_assert!(image::load_from_memory(&photo.jpeg).is_ok());
        }
    }

    #[test]
    fn noise_behind_a_real_signature_never_panics(
        signature in prop::sample::select(vec![
            b"\xFF\xD8\xFF\xE0".to_vec(),
            b"\xFF\xD8\xFF\xE1\x00\x40Exif\0\0MM\0\x2a".to_vec(),
            b"\x89PNG\r\n\x1a\n".to_vec(),
            b"RIFF\x40\0\0\0WEBPVP8L".to_vec(),
            b"\0\0\0\x18ftyp".to_vec(),
        ]),
        noise in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut bytes = signature;
        bytes.extend(noise);
        let _ = process(&bytes, &test_limits());
    }
}
