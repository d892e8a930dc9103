//! The child record file a council or another placement hands us (`grabpack child import`).
//!
//! Beyond "no panic": a file that imports exports back to JSON that imports to the same child,
//! so nothing a colleague typed is changed or lost on the way through our hands.
#![no_main]

use grabpack_core::interchange::{ChildDocument, PhotoRecord, import};
use jiff::civil::date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let today = date(2026, 12, 1);
    let Ok(child) = import(json, today) else {
        return;
    };
    let photos = child
        .photos
        .iter()
        .map(|p| PhotoRecord::new(p.kind, p.taken_on, p.added_at, &p.jpeg))
        .collect();
    let exported_at = "2026-12-01T09:00:00Z".parse().unwrap_or_default();
    let again = ChildDocument::new(
        exported_at,
        child.source_id.clone(),
        child.form.clone(),
        photos,
    )
    .to_json();
    match import(&again, today) {
        Ok(back) => assert_eq!(back, child, "export then import changed the child"),
        Err(e) => panic!("our own export of an imported child does not import: {e}"),
    }
});
