//! The wire format, held to `docs/intake-protocol.md`: its examples parse into these types and
//! come back out as the same JSON, and the sender's bytes keep the order receivers have seen.
//! All data fictional.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use grabpack_protocol::*;
use serde_json::Value;

/// The ```json blocks of the protocol document, in order: manifest, update manifest, returned
/// manifest, receipt, acknowledgement page.
fn doc_examples() -> Vec<String> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/intake-protocol.md");
    let doc = std::fs::read_to_string(path).unwrap();
    doc.split("```json\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap().to_string())
        .collect()
}

fn same_json_back<T: serde::Serialize + serde::de::DeserializeOwned>(text: &str) -> T {
    let typed: T = serde_json::from_str(text).unwrap();
    let original: Value = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), original);
    typed
}

fn fictional_manifest() -> Manifest {
    Manifest {
        protocol: PROTOCOL.into(),
        idempotency_key: "6f1c2a5e-3b1d-4c1e-9d5e-0a4b2c3d4e5f".into(),
        home: ManifestHome {
            id: "home-oakfield".into(),
            name: "Oakfield House".into(),
        },
        child: ManifestChild {
            child_ref: "child-7f3a".into(),
            display_name: "Sam Example".into(),
        },
        episode_id: None,
        recipient_id: "met-bcu-north".into(),
        sent_at: "2026-11-28T21:05:00Z".into(),
        pdf_sha256: "ab".repeat(32),
        pdf_bytes: 614400,
        readout: "MISSING: Sam Example, 15".into(),
        marking: "OFFICIAL-SENSITIVE".into(),
        kind: None,
        in_reply_to: None,
        audit_head: None,
    }
}

#[test]
fn the_documented_manifest_reads_and_writes_back_unchanged() {
    let docs = doc_examples();
    let m: Manifest = same_json_back(&docs[0]);
    assert_eq!(m.protocol, PROTOCOL);
    assert_eq!(m.child.child_ref, "child-7f3a");
    assert_eq!(m.episode_id.as_deref(), Some("ep-2026-11-28-001"));
}

#[test]
fn a_manifest_is_written_in_wire_order_with_the_child_reference_as_ref() {
    let text = serde_json::to_string(&fictional_manifest()).unwrap();
    assert_eq!(
        text,
        concat!(
            r#"{"protocol":"grabpack.intake.v1","idempotency_key":"6f1c2a5e-3b1d-4c1e-9d5e-0a4b2c3d4e5f","#,
            r#""home":{"id":"home-oakfield","name":"Oakfield House"},"#,
            r#""child":{"ref":"child-7f3a","display_name":"Sam Example"},"#,
            r#""episode_id":null,"recipient_id":"met-bcu-north","sent_at":"2026-11-28T21:05:00Z","#,
            r#""pdf_sha256":"abababababababababababababababababababababababababababababababab","#,
            r#""pdf_bytes":614400,"readout":"MISSING: Sam Example, 15","marking":"OFFICIAL-SENSITIVE"}"#
        )
    );
}

#[test]
fn the_documented_update_and_returned_manifests_read_and_write_back_unchanged() {
    let docs = doc_examples();
    let update: Manifest = same_json_back(&docs[1]);
    assert_eq!(update.kind, Some(MessageKind::Update));
    let returned: Manifest = same_json_back(&docs[2]);
    assert_eq!(returned.kind, Some(MessageKind::Returned));
    assert_eq!(
        returned.in_reply_to.as_deref(),
        Some("6f1c2a5e-3b1d-4c1e-9d5e-0a4b2c3d4e5f"),
        "threaded to the first pack's idempotency key"
    );
}

#[test]
fn a_first_pack_leaves_kind_and_in_reply_to_out_and_reads_as_a_pack() {
    let text = serde_json::to_string(&fictional_manifest()).unwrap();
    assert!(
        !text.contains("kind") && !text.contains("in_reply_to"),
        "{text}"
    );
    let docs = doc_examples();
    let first: Manifest = serde_json::from_str(&docs[0]).unwrap();
    assert_eq!((first.kind, first.in_reply_to), (None, None));
}

#[test]
fn unknown_manifest_fields_are_ignored_on_reading() {
    let mut v = serde_json::to_value(fictional_manifest()).unwrap();
    v["from_a_later_sender"] = Value::from(true);
    let m: Manifest = serde_json::from_value(v).unwrap();
    assert_eq!(m, fictional_manifest());
}

#[test]
fn the_documented_receipt_reads_and_writes_back_unchanged() {
    let r: Receipt = same_json_back(&doc_examples()[3]);
    assert_eq!(r.received_at, "2026-11-28T21:05:01.237Z");
}

#[test]
fn the_documented_acknowledgement_page_reads_as_typed_values_and_writes_back_unchanged() {
    let page: AckPage = same_json_back(&doc_examples()[4]);
    assert_eq!(page.next_cursor, "17");
    let a = &page.acknowledgements[0];
    assert_eq!(a.status, AckStatus::Accepted);
    assert_eq!(a.risk_grading, Some(RiskGrading::Medium));
    assert_eq!(a.reason, None);
}

#[test]
fn fields_that_may_be_null_may_also_be_left_out() {
    let a: Acknowledgement = serde_json::from_str(
        r#"{"cursor":"3","receipt_id":"r-1","idempotency_key":"k-1","status":"not_accepted",
            "officer_name":"PC Jo Example","at":"2026-11-28T21:14:09.012Z"}"#,
    )
    .unwrap();
    assert_eq!(a.status, AckStatus::NotAccepted);
    assert_eq!((a.episode_id, a.risk_grading, a.note), (None, None, None));
}

#[test]
fn a_status_or_grading_outside_the_v1_vocabulary_is_refused_not_guessed() {
    let with = |status: &str, grading: &str| {
        format!(
            r#"{{"cursor":"3","receipt_id":"r","idempotency_key":"k","status":"{status}",
                "officer_name":"PC Jo Example","risk_grading":"{grading}","at":"2026-11-28T21:14:09Z"}}"#
        )
    };
    assert!(serde_json::from_str::<Acknowledgement>(&with("accepted", "high")).is_ok());
    assert!(serde_json::from_str::<Acknowledgement>(&with("withdrawn", "high")).is_err());
    assert!(serde_json::from_str::<Acknowledgement>(&with("accepted", "severe")).is_err());
}

#[test]
fn statuses_and_gradings_are_spelled_on_the_wire_as_documented() {
    for s in AckStatus::ALL {
        assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        assert_eq!(AckStatus::parse(s.as_str()), Some(s));
    }
    let spelled: Vec<&str> = RiskGrading::ALL.iter().map(|g| g.as_str()).collect();
    assert_eq!(spelled, ["no_apparent_risk", "low", "medium", "high"]);
    for g in RiskGrading::ALL {
        assert_eq!(serde_json::to_value(g).unwrap(), g.as_str());
        assert_eq!(RiskGrading::parse(g.as_str()), Some(g));
    }
    assert_eq!(RiskGrading::parse("Medium"), None);
}

#[test]
fn an_error_body_is_code_then_message_under_error() {
    let body = ErrorBody::new("intake.unauthorised", "The bearer token is missing.");
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"error":{"code":"intake.unauthorised","message":"The bearer token is missing."}}"#
    );
}
