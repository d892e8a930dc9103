//! No plaintext at rest: nothing a child's record says can be read from any file we leave behind.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use grabpack_core::*;

const NAME: &str = "Zanzibar Quokkafield";
const MARKER: &str = "MARKER-7f3a9c-UNIQUE-FREE-TEXT";
const HANDLE: &str = "@quokka_marker_handle";

fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                files_under(&p, out);
            } else {
                out.push(p);
            }
        }
    }
}

#[test]
fn no_file_in_the_store_folder_holds_a_name_a_note_or_a_handle() {
    let (home, mut store) = TestHome::new();
    let mut f = ChildForm::default();
    f.identity.legal_name = NAME.into();
    f.health.conditions = MARKER.into();
    f.phones_online.social_handles.push(SocialHandle {
        platform: "Snapchat".into(),
        handle: HANDLE.into(),
    });
    let id = store.create_child(&f, "").unwrap();
    store
        .add_photo(
            &id,
            &grabpack_photo::synthetic_portrait(9, 400, 500).unwrap(),
            PhotoKind::Face,
            None,
        )
        .unwrap();
    let doc = store.export(&id).unwrap();
    store.import(&doc.to_json()).unwrap();
    store.rotate(Some(&PASSPHRASE.into()), false).unwrap();
    // Leave the WAL in place: an open store's files must be just as opaque.
    let mut files = Vec::new();
    files_under(home.path(), &mut files);
    assert!(files.len() >= 2);
    for p in &files {
        let bytes = std::fs::read(p).unwrap();
        for needle in [NAME, MARKER, HANDLE, "Quokkafield"] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{} holds '{needle}' in the clear",
                p.display()
            );
        }
    }
    drop(store);
}
