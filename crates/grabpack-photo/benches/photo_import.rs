//! How long a care worker waits after choosing a typical phone photo: a 12 MP JPEG (4000 x 3000,
//! quality 90, with enough texture that it is not trivially compressible) through `process` to
//! a 1600 px, metadata-free JPEG.
#![allow(
    clippy::expect_used,
    reason = "a bench with a broken fixture should stop loudly"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use grabpack_photo::{PhotoLimits, process};
use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};

fn twelve_megapixel_jpeg() -> Vec<u8> {
    let mut state = 0x5EED_u64;
    let image = RgbImage::from_fn(4000, 3000, |x, y| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let noise = (state >> 58) as u8; // 0..63
        Rgb([
            ((x / 16) % 200) as u8 + noise,
            ((y / 12) % 200) as u8 + noise / 2,
            (((x + y) / 20) % 190) as u8 + (noise ^ 0x2A) % 64,
        ])
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&image)
        .expect("encode the 12 MP fixture");
    out
}

fn photo_import(c: &mut Criterion) {
    let jpeg = twelve_megapixel_jpeg();
    let limits = PhotoLimits::default();
    let mut group = c.benchmark_group("photo_import");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(10));
    group.bench_function("12mp_jpeg_to_1600px", |b| {
        b.iter(|| process(black_box(&jpeg), &limits).expect("the fixture imports"));
    });
    group.finish();
}

criterion_group!(benches, photo_import);
criterion_main!(benches);
