//! The home's HTTPS transport against the real police-side intake service (grabpack-inbox), on
//! loopback with TLS from a test CA: the pack is stored once, the receipt comes back, and the
//! officer's acknowledgement travels back to the episode. All data fictional.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use grabpack_inbox::acks::NewAck;
use grabpack_protocol::{AckStatus, RiskGrading as WireGrading};
use grabpack_send::{Transports, poll_acknowledgements, queue, send_due};
use grabpack_store::episodes::NewEpisode;
use grabpack_store::outbox::DeliveryState;
use jiff::Timestamp;

#[test]
fn the_police_intake_service_stores_the_pack_once_and_its_acknowledgement_reaches_the_episode() {
    let ca = TestCa::new();
    let inbox = RealInbox::start(&ca);
    let (home, mut store) = TestHome::new();
    let mut settings = smtp_settings(&ca, 1, SMTP_PASSWORD);
    settings
        .intake_tokens
        .insert(inbox.base.clone(), HOME_TOKEN.into());
    let episode = store
        .open_episode(&NewEpisode {
            child_id: home.child_id.clone(),
            noticed_at: Timestamp::now(),
            immediate_danger: false,
            missing_from_unit: None,
        })
        .unwrap()
        .id;
    let pdf = fake_pdf(42, 150_000);
    let mut out = outgoing(&home, Some(&episode), pdf, vec![intake_at(&inbox.base)]);
    out.home_id = "maple-house".into();
    let msg = queue(&mut store, &settings, &out, None, Timestamp::now()).unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    send_due(&mut store, &transports, Timestamp::now()).unwrap();

    let d = store.delivery(&msg.deliveries[0].id).unwrap();
    assert_eq!(d.state, DeliveryState::Delivered, "{:?}", d.last_error);
    let receipt: serde_json::Value = serde_json::from_str(d.receipt.as_deref().unwrap()).unwrap();
    assert_eq!(receipt["idempotency_key"], d.idempotency_key.as_str());
    assert_eq!(inbox.packs(), 1);

    // A repeat of the same delivery is answered with the first receipt, never stored twice.
    store
        .connection_for_tests()
        .execute(
            "UPDATE outbox_deliveries SET state = 'queued', next_attempt_ms = 0 WHERE id = ?1",
            [&d.id],
        )
        .unwrap();
    send_due(&mut store, &transports, Timestamp::now()).unwrap();
    let again = store.delivery(&d.id).unwrap();
    assert_eq!(again.state, DeliveryState::Delivered);
    let receipt_again: serde_json::Value =
        serde_json::from_str(again.receipt.as_deref().unwrap()).unwrap();
    assert_eq!(receipt_again["receipt_id"], receipt["receipt_id"]);
    assert_eq!(inbox.packs(), 1, "never a second copy");

    inbox.acknowledge(
        receipt["receipt_id"].as_str().unwrap(),
        NewAck {
            status: Some(AckStatus::Accepted),
            officer_name: "PC Jo Example (fictional)".into(),
            collar_number: "1234".into(),
            police_reference: "CAD 5678".into(),
            risk_grading: Some(WireGrading::Medium),
            ..Default::default()
        },
    );
    assert_eq!(poll_acknowledgements(&mut store, &transports).unwrap(), 1);
    let ep = store.episode(&episode).unwrap();
    let ack = &ep.acknowledgements[0].value;
    assert_eq!(ack.status, "accepted");
    assert_eq!(
        (ack.officer_name.as_str(), ack.collar_number.as_str()),
        ("PC Jo Example (fictional)", "1234")
    );
    assert_eq!(ack.police_reference, "CAD 5678");
    assert_eq!(ack.risk_grading, Some(grabpack_core::RiskGrading::Medium));
}
