//! Render time and size of the demo child's pack with 1, 3 and 6 photos, and of the extreme child.
//! Aim: under 200 ms and under 1.5 MB for a full profile with 3 photos.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark fails loudly on unexpected input

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/common/demo.rs"]
mod demo;

use criterion::{Criterion, criterion_group, criterion_main};
use grabpack_pack::render_pack;

fn render(c: &mut Criterion) {
    let cases = [
        ("demo child, 1 photo", demo::demo_missing(1)),
        ("demo child, 3 photos", demo::demo_missing(3)),
        ("demo child, 6 photos", demo::demo_missing(6)),
        (
            "extreme child, 3 photos",
            demo::extreme_input(20_000, 60, 40, 0),
        ),
    ];
    let mut group = c.benchmark_group("render_pack");
    group.sample_size(10);
    for (name, input) in &cases {
        let pack = render_pack(input).unwrap();
        let photo_bytes: usize = input.photos.iter().map(|p| p.jpeg.len()).sum();
        println!(
            "{name}: {} bytes ({:.0} KB), {} pages, photos {} KB",
            pack.pdf.len(),
            pack.pdf.len() as f64 / 1024.0,
            pack.page_count,
            photo_bytes / 1024
        );
        group.bench_function(*name, |b| b.iter(|| render_pack(input).unwrap()));
    }
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
