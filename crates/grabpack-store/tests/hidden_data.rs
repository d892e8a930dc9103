//! A photo handed over from another placement reaches the store, and so every pack sent to police,
//! with nothing hidden in it: whatever the document carried around the picture is gone, and a
//! clean photo is still kept without re-encoding (no blur at each hand-over). A photo an older
//! version stored with its hidden data is rebuilt at the next unlock.

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

/// A portrait carrying the secret in XMP (GPS), a motion-photo (MPF) segment, a comment, a
/// second picture after the end and trailing bytes.
fn dirty_photo() -> Vec<u8> {
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
    dirty
}

#[test]
fn xmp_a_motion_photo_a_comment_and_trailing_bytes_never_reach_the_store() {
    let stored = stored_photo_after_import(&dirty_photo());
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

/// Every page of the database file decrypted (free pages included: where the old bytes would
/// linger if they were only unlinked), and the WAL's length. SQLCipher 4 with a raw key: each
/// 4,096-byte page is AES-256-CBC under the key, its IV in the 80 bytes reserved at the page's
/// end, page 1 after its 16-byte salt; decrypted by `openssl enc`, outside our code.
fn decrypted_pages(home: &TestHome) -> (Vec<u8>, u64) {
    use std::io::Write as _;
    const PAGE: usize = 4096;
    const RESERVED: usize = 80;
    let key = hex::encode(db_key_via_recovery(home).expose());
    let file = std::fs::read(home.path().join("grabpack.db")).unwrap();
    assert_eq!(file.len() % PAGE, 0, "whole pages");
    let mut plain = Vec::new();
    for (n, page) in file.chunks(PAGE).enumerate() {
        let start = if n == 0 { 16 } else { 0 };
        let iv = hex::encode(&page[PAGE - RESERVED..PAGE - RESERVED + 16]);
        let mut child = std::process::Command::new("openssl")
            .args([
                "enc",
                "-d",
                "-aes-256-cbc",
                "-nopad",
                "-K",
                &key,
                "-iv",
                &iv,
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("openssl is installed");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(&page[start..PAGE - RESERVED])
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        plain.extend(out.stdout);
    }
    let wal = std::fs::metadata(home.path().join("grabpack.db-wal"))
        .map(|m| m.len())
        .unwrap_or(0);
    (plain, wal)
}

#[test]
fn a_photo_an_older_version_stored_with_hidden_data_is_rebuilt_at_unlock_and_leaves_no_trace() {
    const UNREADABLE: &[u8] = b"fictional photo that cannot be decoded";
    let (home, mut store) = TestHome::new();
    let child = store.create_child(&Default::default(), "").unwrap();
    // As an older version wrote them: the bytes as they came, no pipeline recorded. One is a
    // picture with hidden data, one cannot be decoded at all.
    let mut broken = vec![0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x2A];
    broken.extend(UNREADABLE);
    for (id, jpeg) in [
        ("old-photo", dirty_photo()),
        ("broken-photo", broken.clone()),
    ] {
        store
            .connection_for_tests()
            .execute(
                "INSERT INTO photos (id, child_id, kind, taken_on, added_at, added_by, width, height, sha256, jpeg)
                 VALUES (?1, ?2, 'face', NULL, '2020-01-01T09:00:00Z', 'staff-from-2020', 300, 400, 'not-recorded', ?3)",
                rusqlite::params![id, child.as_str(), jpeg],
            )
            .unwrap();
    }
    store
        .connection_for_tests()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    drop(store);
    let (pages, _) = decrypted_pages(&home);
    assert!(
        contains(&pages, SECRET),
        "the test's marker is in the file to begin with"
    );

    let mut store = home.unlock_passphrase(PASSPHRASE).unwrap();
    let photos = store.child(&child).unwrap().photos;
    assert_eq!(photos.len(), 2, "no photo is lost");
    let rebuilt = photos
        .iter()
        .find(|p| p.id.as_str() == "old-photo")
        .unwrap();
    let stored = store.photo_jpeg(&rebuilt.id).unwrap();
    for marker in [SECRET, b"MPF\0".as_slice(), b"xap/1.0".as_slice()] {
        assert!(!contains(&stored, marker));
    }
    assert_eq!(stored.windows(2).filter(|w| w == &[0xFF, 0xD8]).count(), 1);
    assert!(stored.ends_with(&[0xFF, 0xD9]));
    assert_eq!((rebuilt.width, rebuilt.height), (300, 400));
    assert_ne!(
        rebuilt.sha256, "not-recorded",
        "the hash is of the bytes now kept"
    );
    // The undecodable photo is kept as it was, and flagged.
    let kept = photos
        .iter()
        .find(|p| p.id.as_str() == "broken-photo")
        .unwrap();
    assert_eq!(store.photo_jpeg(&kept.id).unwrap(), broken);
    assert_eq!(store.photos_not_rebuilt().unwrap(), vec![kept.id.clone()]);
    // Audited once, saying what happened.
    let entries = store.audit_list(None, Some("photos_rebuilt"), 10).unwrap();
    assert_eq!(entries.len(), 1);
    assert!(
        entries[0].detail.contains("1 photos rebuilt"),
        "{}",
        entries[0].detail
    );
    assert!(
        entries[0].detail.contains("broken-photo"),
        "{}",
        entries[0].detail
    );
    drop(store);

    // No page of the database (free pages included) and no WAL frame still holds the old bytes.
    let (pages, wal) = decrypted_pages(&home);
    assert!(!contains(&pages, SECRET));
    assert!(!contains(&pages, b"xap/1.0"));
    assert_eq!(wal, 0);
    // A second unlock has nothing left to do.
    let store = home.unlock_passphrase(PASSPHRASE).unwrap();
    assert_eq!(
        store
            .audit_list(None, Some("photos_rebuilt"), 10)
            .unwrap()
            .len(),
        1
    );
}
