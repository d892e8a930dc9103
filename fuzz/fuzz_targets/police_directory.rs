//! The police directory file (the shipped `assets/police/directory.json` and any replacement of
//! it), through `Directory::parse`, and the look-ups the Missing flow makes on it.
//!
//! Beyond "no panic": every unit is found by its id; a unit's force is itself or a unit of the
//! directory; the unit found for an area lists areas; and the directory written back as a file
//! parses to the same units.
#![no_main]

use grabpack_send::directory::{Directory, Unit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(dir) = Directory::parse(json) else {
        return;
    };
    let units: Vec<Unit> = dir.units().cloned().collect();
    for u in &units {
        assert_eq!(
            dir.unit(&u.id).ok(),
            Some(u),
            "unit {:?} not found by its id",
            u.id
        );
        let force = dir.force_of(u);
        assert!(force == u || dir.unit(&force.id).is_ok());
        for area in &u.areas {
            if let Some(found) = dir.unit_for_area(area) {
                assert!(
                    !found.areas.is_empty(),
                    "an area routed to a unit with no areas"
                );
            }
        }
    }
    let file = serde_json::json!({ "schema": "grabpack.police-directory.v1", "units": units });
    match Directory::parse(&file.to_string()) {
        Ok(back) => assert!(
            back.units().eq(units.iter()),
            "writing the directory back changed it"
        ),
        Err(e) => panic!("a directory we parsed does not parse once written back: {e}"),
    }
});
