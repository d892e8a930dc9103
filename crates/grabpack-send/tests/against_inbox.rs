//! The home's HTTPS transport against the real police-side intake service (grabpack-inbox), on
//! loopback with TLS from a test CA: the pack is stored once, the receipt comes back, and the
//! officer's acknowledgement travels back to the episode. All data fictional.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use grabpack_inbox::acks::NewAck;
use grabpack_protocol::{AckStatus, RiskGrading as WireGrading};
use grabpack_send::{Transports, poll_acknowledgements, queue, send_due};
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
    let episode = open_episode(&mut store, &home);
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

#[test]
fn the_intake_gets_the_update_and_the_returned_notice_marked_and_threaded_to_the_first_pack() {
    let ca = TestCa::new();
    let (home, mut store) = TestHome::new();
    let inbox = RealInbox::start_for_home(&ca, store.store_id());
    let mut settings = smtp_settings(&ca, 1, SMTP_PASSWORD);
    settings
        .intake_tokens
        .insert(inbox.base.clone(), HOME_TOKEN.into());
    settings.save(&mut store).unwrap();
    let episode = open_episode(&mut store, &home);
    let mut out = outgoing(
        &home,
        Some(&episode),
        fake_pdf(43, 50_000),
        vec![intake_at(&inbox.base)],
    );
    out.home_id = store.store_id().to_string();
    let first = queue(&mut store, &settings, &out, None, Timestamp::now()).unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    send_due(&mut store, &transports, Timestamp::now()).unwrap();
    let first_key = store
        .delivery(&first.deliveries[0].id)
        .unwrap()
        .idempotency_key;

    grabpack_send::queue_update(&mut store, &episode, "", Timestamp::now()).unwrap();
    let report = send_due(&mut store, &transports, Timestamp::now()).unwrap();
    assert_eq!(report.delivered(), 1, "{:#?}", report.attempted);
    let found = grabpack_store::episodes::Found {
        found_where: "Brixton station (fictional)".into(),
        found_by: "Staff (fictional)".into(),
        ..Default::default()
    };
    let done = grabpack_send::record_found(
        &mut store,
        &episode,
        Timestamp::now(),
        &found,
        Timestamp::now(),
    )
    .unwrap();
    assert!(done.notice.is_some());
    let report = send_due(&mut store, &transports, Timestamp::now()).unwrap();
    assert_eq!(report.delivered(), 1, "{:#?}", report.attempted);

    let manifests = inbox.manifests();
    assert_eq!(
        manifests.len(),
        3,
        "the pack, the update, the returned notice"
    );
    assert!(
        manifests[0].get("kind").is_none() && manifests[0].get("in_reply_to").is_none(),
        "the first pack's manifest is as it always was: {}",
        manifests[0]
    );
    assert_eq!(manifests[1]["kind"], "update");
    assert_eq!(manifests[2]["kind"], "returned");
    for later in &manifests[1..] {
        assert_eq!(
            later["in_reply_to"],
            first_key.as_str(),
            "threaded to the first pack"
        );
    }
    let returned = manifests[2]["readout"].as_str().unwrap();
    assert!(
        returned.contains("no longer missing") && returned.contains("Brixton station (fictional)"),
        "{returned}"
    );
}
