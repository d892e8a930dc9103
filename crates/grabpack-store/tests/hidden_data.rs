//! A photo handed over from another placement reaches the store, and so every pack sent to police,
//! with nothing hidden in it: whatever the document carried around the picture is gone, and a
//! clean photo is still kept without re-encoding (no blur at each hand-over).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use grabpack_core::PhotoKind;
use grabpack_core::interchange::{ChildDocument, PhotoRecord};

const SECRET: &[u8] = b"51.5007 -0.1246 fictional care home GPS";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend(u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
    s.extend(payload);
    s
}

/// A document of one child whose only photo is `jpeg`, as another placement might send it.
fn document_with_photo(store: &mut grabpack_store::Store, jpeg: &[u8]) -> ChildDocument {
    let id = store.create_child(&Default::default(), "").unwrap();
    let mut doc = store.export(&id).unwrap();
    doc.child.photos = vec![PhotoRecord::new(
        PhotoKind::Face,
        None,
        jiff::Timestamp::UNIX_EPOCH,
        jpeg,
    )];
    doc
}

fn stored_photo_after_import(jpeg: &[u8]) -> Vec<u8> {
    let (_home, mut store) = TestHome::new();
    let doc = document_with_photo(&mut store, jpeg);
    let new_id = store.import(&doc.to_json()).unwrap();
    let record = store.child(&new_id).unwrap();
    assert_eq!(record.photos.len(), 1);
    store.photo_jpeg(&record.photos[0].id).unwrap()
}

#[test]
fn xmp_a_motion_photo_a_comment_and_trailing_bytes_never_reach_the_store() {
    let clean = grabpack_photo::synthetic_portrait(5, 300, 400).unwrap();
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend(SECRET);
    let mut mpf = b"MPF\0".to_vec();
    mpf.extend(SECRET);
    let mut dirty = clean[..2].to_vec();
    dirty.extend(segment(0xE1, &xmp));
    dirty.extend(segment(0xE2, &mpf));
    dirty.extend(segment(0xFE, SECRET));
    dirty.extend(&clean[2..]);
    dirty.extend(&clean); // a second picture after the end, as motion photos carry
    dirty.extend(SECRET);

    let stored = stored_photo_after_import(&dirty);
    assert!(!contains(&stored, SECRET));
    assert!(!contains(&stored, b"MPF\0"));
    assert!(!contains(&stored, b"xap/1.0"));
    assert_eq!(
        stored.windows(2).filter(|w| w == &[0xFF, 0xD8]).count(),
        1,
        "one picture"
    );
    assert!(stored.ends_with(&[0xFF, 0xD9]));
}

#[test]
fn a_second_picture_and_bytes_after_the_end_marker_never_reach_the_store() {
    // No metadata segment before the first scan: this photo used to be kept byte for byte.
    let clean = grabpack_photo::synthetic_portrait(7, 300, 400).unwrap();
    let mut trailing = clean.clone();
    trailing.extend(&clean);
    trailing.extend(SECRET);
    let stored = stored_photo_after_import(&trailing);
    assert!(!contains(&stored, SECRET));
    assert_eq!(stored.windows(2).filter(|w| w == &[0xFF, 0xD8]).count(), 1);
}

#[test]
fn a_segment_after_the_scan_never_reaches_the_store() {
    // Where a progressive file has segments between its scans; nothing before the first scan.
    let clean = grabpack_photo::synthetic_portrait(8, 300, 400).unwrap();
    let mut tucked = clean[..clean.len() - 2].to_vec();
    tucked.extend(segment(0xEB, SECRET));
    tucked.extend(segment(0xFE, SECRET));
    tucked.extend([0xFF, 0xD9]);
    let stored = stored_photo_after_import(&tucked);
    assert!(!contains(&stored, SECRET));
}

#[test]
fn a_clean_photo_is_kept_without_re_encoding() {
    let clean = grabpack_photo::synthetic_portrait(6, 300, 400).unwrap();
    let stored = stored_photo_after_import(&clean);
    let scan = |b: &[u8]| {
        let at = b.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        b[at..].to_vec()
    };
    assert_eq!(
        scan(&stored),
        scan(&clean),
        "the scans are the same bytes: nothing was re-encoded"
    );
}
