//! Fixtures built in code: photos with hand-written EXIF blocks, PNG/WebP encodings and a JPEG
//! marker reader, so no binary file (and no real photo) ever needs to live in the repository.
#![allow(
    dead_code,
    reason = "each test file uses a different part of the fixtures"
)]
#![allow(
    clippy::expect_used,
    reason = "a fixture that cannot be built should fail the test loudly"
)]

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage, RgbaImage};

pub const RED: Rgb<u8> = Rgb([255, 0, 0]);
pub const BLUE: Rgb<u8> = Rgb([0, 0, 255]);

/// A landscape picture whose left half is red and right half blue: after rotation, where the
/// red ends up tells us which way the photo was turned.
pub fn red_left_blue_right(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, _| if x < width / 2 { RED } else { BLUE })
}

/// A picture with some variety, so it is neither blank nor trivially compressible.
pub fn gradient(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x % 256) as u8,
            (y % 256) as u8,
            ((x / 3 + y / 5) % 256) as u8,
        ])
    })
}

pub fn jpeg_of(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 95)
        .encode_image(image)
        .expect("encode fixture JPEG");
    out
}

pub fn png_of_rgba(image: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgba8,
        )
        .expect("encode fixture PNG");
    out
}

pub fn png_of(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgb8,
        )
        .expect("encode fixture PNG");
    out
}

pub fn webp_lossless_of(image: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::new();
    WebPEncoder::new_lossless(&mut out)
        .encode(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgba8,
        )
        .expect("encode fixture WebP");
    out
}

pub fn decode_rgb(jpeg: &[u8]) -> RgbImage {
    image::load_from_memory(jpeg)
        .expect("output decodes")
        .into_rgb8()
}

/// True when the pixel is clearly the given primary colour, allowing for JPEG's loss.
pub fn looks_like(pixel: Rgb<u8>, expected: Rgb<u8>) -> bool {
    pixel
        .0
        .iter()
        .zip(expected.0.iter())
        .all(|(&got, &want)| got.abs_diff(want) < 60)
}

// ---------------------------------------------------------------------------------------------
// EXIF, written by hand: a big-endian TIFF structure with IFD0, an Exif IFD and a GPS IFD.

/// What to put in a fixture's EXIF block.
#[derive(Default, Clone)]
pub struct ExifSpec<'a> {
    pub orientation: Option<u16>,
    pub date_time: Option<&'a str>,
    pub date_time_original: Option<&'a str>,
    pub date_time_digitized: Option<&'a str>,
    /// Adds GPSLatitude 51°30'26"N, GPSLongitude 0°7'39"W (central London).
    pub gps: bool,
}

struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    data: Vec<u8>,
}

fn short(tag: u16, value: u16) -> Entry {
    Entry {
        tag,
        kind: 3,
        count: 1,
        data: value.to_be_bytes().to_vec(),
    }
}

fn long(tag: u16, value: u32) -> Entry {
    Entry {
        tag,
        kind: 4,
        count: 1,
        data: value.to_be_bytes().to_vec(),
    }
}

fn ascii(tag: u16, text: &str) -> Entry {
    let mut data = text.as_bytes().to_vec();
    data.push(0);
    Entry {
        tag,
        kind: 2,
        count: data.len() as u32,
        data,
    }
}

fn bytes(tag: u16, values: &[u8]) -> Entry {
    Entry {
        tag,
        kind: 1,
        count: values.len() as u32,
        data: values.to_vec(),
    }
}

fn rationals(tag: u16, values: &[(u32, u32)]) -> Entry {
    let data = values
        .iter()
        .flat_map(|(n, d)| n.to_be_bytes().into_iter().chain(d.to_be_bytes()))
        .collect();
    Entry {
        tag,
        kind: 5,
        count: values.len() as u32,
        data,
    }
}

/// One IFD placed at offset `at` in the TIFF: the entry table, then values too big to inline.
fn ifd(entries: &[Entry], at: u32) -> Vec<u8> {
    let table_len = 2 + 12 * entries.len() as u32 + 4;
    let mut table = (entries.len() as u16).to_be_bytes().to_vec();
    let mut overflow = Vec::new();
    for entry in entries {
        table.extend(entry.tag.to_be_bytes());
        table.extend(entry.kind.to_be_bytes());
        table.extend(entry.count.to_be_bytes());
        if entry.data.len() <= 4 {
            let mut inline = entry.data.clone();
            inline.resize(4, 0);
            table.extend(inline);
        } else {
            table.extend((at + table_len + overflow.len() as u32).to_be_bytes());
            overflow.extend(&entry.data);
            if overflow.len() % 2 == 1 {
                overflow.push(0);
            }
        }
    }
    table.extend(0u32.to_be_bytes()); // no next IFD
    table.extend(overflow);
    table
}

/// A complete TIFF structure (what follows "Exif\0\0" in APP1).
pub fn exif_tiff(spec: &ExifSpec<'_>) -> Vec<u8> {
    let mut exif_entries = Vec::new();
    if let Some(original) = spec.date_time_original {
        exif_entries.push(ascii(0x9003, original));
    }
    if let Some(digitized) = spec.date_time_digitized {
        exif_entries.push(ascii(0x9004, digitized));
    }
    let gps_entries = if spec.gps {
        vec![
            bytes(0x0000, &[2, 3, 0, 0]),
            ascii(0x0001, "N"),
            rationals(0x0002, &[(51, 1), (30, 1), (26, 1)]),
            ascii(0x0003, "W"),
            rationals(0x0004, &[(0, 1), (7, 1), (39, 1)]),
        ]
    } else {
        Vec::new()
    };

    // IFD0 with placeholder pointers first, to learn its length; then lay everything out.
    let ifd0_entries = |exif_at: u32, gps_at: u32| {
        let mut entries = Vec::new();
        if let Some(orientation) = spec.orientation {
            entries.push(short(0x0112, orientation));
        }
        if let Some(date_time) = spec.date_time {
            entries.push(ascii(0x0132, date_time));
        }
        if !exif_entries.is_empty() {
            entries.push(long(0x8769, exif_at));
        }
        if !gps_entries.is_empty() {
            entries.push(long(0x8825, gps_at));
        }
        entries
    };
    let ifd0_len = ifd(&ifd0_entries(0, 0), 8).len() as u32;
    let exif_at = 8 + ifd0_len;
    let exif_len = if exif_entries.is_empty() {
        0
    } else {
        ifd(&exif_entries, exif_at).len() as u32
    };
    let gps_at = exif_at + exif_len;

    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend(ifd(&ifd0_entries(exif_at, gps_at), 8));
    if !exif_entries.is_empty() {
        tiff.extend(ifd(&exif_entries, exif_at));
    }
    if !gps_entries.is_empty() {
        tiff.extend(ifd(&gps_entries, gps_at));
    }
    tiff
}

/// Inserts an APP1 segment with the given payload right after SOI, where cameras put EXIF.
pub fn with_app1(jpeg: &[u8], payload: &[u8]) -> Vec<u8> {
    let len = u16::try_from(2 + payload.len()).expect("APP1 fits in a segment");
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(len.to_be_bytes());
    out.extend(payload);
    out.extend(&jpeg[2..]);
    out
}

/// A JPEG carrying a camera-style EXIF block built from `spec`.
pub fn jpeg_with_exif(image: &RgbImage, spec: &ExifSpec<'_>) -> Vec<u8> {
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(exif_tiff(spec));
    with_app1(&jpeg_of(image), &payload)
}

/// Every marker in a JPEG up to and including the first SOS, then EOI if the file ends with it.
pub fn jpeg_markers(jpeg: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "starts with SOI");
    let mut markers = vec![0xD8];
    let mut i = 2;
    while i + 4 <= jpeg.len() {
        assert_eq!(jpeg[i], 0xFF, "segment starts with a marker at {i}");
        let marker = jpeg[i + 1];
        markers.push(marker);
        let len = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
        i += 2 + len;
        if marker == 0xDA {
            break;
        }
    }
    if jpeg.ends_with(&[0xFF, 0xD9]) {
        markers.push(0xD9);
    }
    markers
}

/// A JPEG's every segment marker, including those after the first scan (progressive files
/// have tables between scans): scans entropy data for real markers.
pub fn all_jpeg_markers(jpeg: &[u8]) -> Vec<u8> {
    let mut markers = jpeg_markers(jpeg);
    markers.pop_if(|m| *m == 0xD9);
    let sos = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xDA])
        .expect("has a scan");
    let mut i = sos + 2;
    while i + 1 < jpeg.len() {
        if jpeg[i] == 0xFF
            && jpeg[i + 1] != 0x00
            && !(0xD0..=0xD7).contains(&jpeg[i + 1])
            && jpeg[i + 1] != 0xFF
        {
            markers.push(jpeg[i + 1]);
        }
        i += 1;
    }
    markers
}

/// CRC-32 as PNG chunks use it.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend(data);
    chunk.extend(&body);
    chunk.extend(crc32(&body).to_be_bytes());
    chunk
}

/// A deterministic stream of bytes, for "random" inputs that are the same on every run.
pub fn pseudo_random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as u8
        })
        .collect()
}
