//! A photo a care worker picks (or one inside an imported file): the sniff, the decode under
//! limits, the re-encode, and the rebuild that keeps a handed-over JPEG without its metadata.
//!
//! Beyond "no panic": a photo that imports is within the size limits, carries no metadata
//! segment and nothing after its end marker, and is the size it says; a rebuilt JPEG is clean
//! and rebuilding it again changes nothing; a photo that imports is one another device of the home
//! keeps as it is (`check_as_stored`), and whatever that check keeps is clean and within the
//! long edge. The limits here are smaller than the app's (4 MP,
//! 512 px) so the fuzzer spends its time on the parsers rather than on resizing: the guards are
//! the same code either way.
#![no_main]

use std::io::Cursor;

use grabpack_fuzz::jpeg_leak;
use grabpack_photo::{PhotoLimits, check_as_stored, process, rebuild_jpeg};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = PhotoLimits {
        max_file_bytes: 1024 * 1024,
        max_pixels: 4_000_000,
        max_long_edge: 512,
        jpeg_quality: 80,
    };
    if let Ok(photo) = process(data, &limits) {
        assert!(
            photo.width <= limits.max_long_edge && photo.height <= limits.max_long_edge,
            "{}x{} is over the long-edge limit",
            photo.width,
            photo.height
        );
        assert!(photo.width > 0 && photo.height > 0);
        if let Some(leak) = jpeg_leak(&photo.jpeg) {
            panic!("an imported photo is not clean: {leak}");
        }
        let dims = image::ImageReader::new(Cursor::new(&photo.jpeg))
            .with_guessed_format()
            .ok()
            .and_then(|r| r.into_dimensions().ok());
        assert_eq!(
            dims,
            Some((photo.width, photo.height)),
            "the JPEG is not the size it says"
        );
        assert_eq!(
            check_as_stored(&photo.jpeg, &limits).ok(),
            Some((photo.width, photo.height)),
            "another device would refuse a photo this pipeline made"
        );
    }
    if let Ok((width, height)) = check_as_stored(data, &limits) {
        if let Some(leak) = jpeg_leak(data) {
            panic!("a photo kept from another device is not clean: {leak}");
        }
        assert!(width.max(height) <= limits.max_long_edge && width > 0 && height > 0);
    }
    if let Some(rebuilt) = rebuild_jpeg(data) {
        if let Some(leak) = jpeg_leak(&rebuilt) {
            panic!("a rebuilt JPEG is not clean: {leak}");
        }
        assert!(rebuilt.len() <= data.len(), "rebuilding grew the file");
        assert_eq!(
            rebuild_jpeg(&rebuilt).as_deref(),
            Some(rebuilt.as_slice()),
            "rebuilding a rebuilt JPEG changed it"
        );
    }
});
