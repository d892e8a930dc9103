//! The protocol's syntax rules: identifiers that could be paths are not identifiers, the sender's
//! ids always map into the set, part file names are informational, intakes are https.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use grabpack_protocol::*;

#[test]
fn identifiers_that_could_be_paths_are_not_identifiers() {
    for ok in [
        "home-oakfield",
        "ep-2026-11-28-001",
        "a",
        "child:7f3a.v2",
        "0b8a4e52-6c2d",
    ] {
        assert!(is_valid_id(ok), "{ok}");
    }
    for bad in [
        "",
        "..",
        "../x",
        "a/b",
        "a\\b",
        ".hidden",
        "-flag",
        "a..b",
        "a b",
        "a\0b",
        "é",
        "%2e%2e",
        &"x".repeat(129),
    ] {
        assert!(!is_valid_id(bad), "{bad:?}");
    }
}

#[test]
fn a_recipient_typed_as_an_address_gets_an_id_the_protocol_accepts() {
    assert_eq!(
        to_valid_id("other:duty@council.example"),
        "other:duty-council.example"
    );
    assert_eq!(
        to_valid_id("police:https://127.0.0.1:8443/"),
        "police:https:--127.0.0.1:8443-"
    );
    assert_eq!(to_valid_id("_x"), "rx");
    assert_eq!(to_valid_id(""), "r");
    assert_eq!(to_valid_id(&"a".repeat(300)).len(), 128);
}

#[test]
fn every_mapped_id_is_valid_even_with_dots_in_a_row() {
    for id in [
        "other:a..b@council.example",
        "...",
        "é",
        "../../etc/passwd",
        "x",
        &"é".repeat(200),
    ] {
        let mapped = to_valid_id(id);
        assert!(is_valid_id(&mapped), "{id:?} -> {mapped:?}");
    }
}

#[test]
fn a_part_file_name_is_refused_if_it_looks_like_a_path() {
    assert!(is_safe_part_filename(PDF_FILE_NAME));
    assert!(is_safe_part_filename("Grab pack (Sam).pdf"));
    for bad in [
        "../x.pdf",
        "a/b.pdf",
        "c:\\x.pdf",
        "%2e%2e%2fx",
        "x\r\n.pdf",
        "",
    ] {
        assert!(!is_safe_part_filename(bad), "{bad:?}");
    }
}

#[test]
fn an_intake_is_https_and_plain_http_only_on_loopback() {
    assert!(check_intake_url("https://intake.police.example/").is_ok());
    assert!(check_intake_url("http://127.0.0.1:8080/").is_ok());
    assert!(check_intake_url("http://[::1]:8080/").is_ok());
    for refused in [
        "http://intake.police.example/",
        "http://localhost.police.example/",
        "ftp://x.example/",
    ] {
        assert_eq!(
            check_intake_url(refused).unwrap_err().code(),
            "protocol.tls_required",
            "{refused}"
        );
    }
    assert_eq!(
        check_intake_url("not a url").unwrap_err().code(),
        "protocol.bad_url"
    );
}
