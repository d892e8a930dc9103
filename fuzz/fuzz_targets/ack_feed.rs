//! One page of an intake's acknowledgement feed, as the home's sender reads it (the body as
//! text, then `AckPage`), and each acknowledgement's time as the worker reads it.
//!
//! Beyond "no panic": a page that parses writes back to JSON that parses to the same page, so
//! the home and any receiver agree on every field; each status and grading reads back from its
//! own wire word.
#![no_main]

use grabpack_protocol::{AckPage, AckStatus, RiskGrading};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    let Ok(page) = serde_json::from_str::<AckPage>(&body) else {
        return;
    };
    for a in &page.acknowledgements {
        let _ = a.at.parse::<jiff::Timestamp>();
        assert_eq!(AckStatus::parse(a.status.as_str()), Some(a.status));
        if let Some(r) = a.risk_grading {
            assert_eq!(RiskGrading::parse(r.as_str()), Some(r));
        }
    }
    let json = serde_json::to_string(&page).unwrap_or_default();
    let back: AckPage = match serde_json::from_str(&json) {
        Ok(p) => p,
        Err(e) => panic!("a page we parsed does not parse once written back: {e}"),
    };
    assert_eq!(back, page);
});
