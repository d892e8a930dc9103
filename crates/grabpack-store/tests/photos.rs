//! Photos go through the intake and live inside the encrypted database; a bad photo changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use grabpack_core::PhotoKind;
use jiff::civil::date;

#[test]
fn a_photo_is_stored_inside_the_database_with_its_kind_and_dates() {
    let (home, mut store) = TestHome::new();
    let id = store.create_child(&Default::default(), "").unwrap();
    let jpeg = grabpack_photo::synthetic_portrait(3, 2400, 3200).unwrap();
    let info = store
        .add_photo(&id, &jpeg, PhotoKind::Face, Some(date(2026, 11, 2)))
        .unwrap();
    assert_eq!((info.width, info.height), (1200, 1600));
    assert_eq!(info.taken_on, Some(date(2026, 11, 2)));
    let stored = store.photo_jpeg(&info.id).unwrap();
    assert_eq!(&stored[..2], &[0xFF, 0xD8]);
    let files: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        files.iter().all(|f| !f.to_string_lossy().ends_with(".jpg")),
        "{files:?}"
    );
}

#[test]
fn a_refused_photo_stores_nothing_and_audits_nothing() {
    let (_home, mut store) = TestHome::new();
    let id = store.create_child(&Default::default(), "").unwrap();
    let audit_before = store.audit_list(None, None, 1000).unwrap().len();
    let mut truncated = grabpack_photo::synthetic_portrait(3, 800, 600).unwrap();
    truncated.truncate(truncated.len() / 2);
    let err = store
        .add_photo(&id, &truncated, PhotoKind::Face, None)
        .unwrap_err();
    assert_eq!(err.code(), "photo.corrupt");
    assert!(store.photos(&id).unwrap().is_empty());
    assert_eq!(
        store.audit_list(None, None, 1000).unwrap().len(),
        audit_before
    );
}

#[test]
fn face_photos_come_first_newest_first() {
    let (_home, mut store) = TestHome::new();
    let id = store.create_child(&Default::default(), "").unwrap();
    let jpeg = grabpack_photo::synthetic_portrait(5, 300, 400).unwrap();
    store
        .add_photo(&id, &jpeg, PhotoKind::Mark, Some(date(2026, 11, 20)))
        .unwrap();
    store
        .add_photo(&id, &jpeg, PhotoKind::Face, Some(date(2026, 1, 1)))
        .unwrap();
    store
        .add_photo(&id, &jpeg, PhotoKind::Face, Some(date(2026, 10, 1)))
        .unwrap();
    let photos = store.photos(&id).unwrap();
    let order: Vec<_> = photos.iter().map(|p| (p.kind, p.taken_on)).collect();
    assert_eq!(
        order,
        vec![
            (PhotoKind::Face, Some(date(2026, 10, 1))),
            (PhotoKind::Face, Some(date(2026, 1, 1))),
            (PhotoKind::Mark, Some(date(2026, 11, 20))),
        ]
    );
}
