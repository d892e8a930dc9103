//! A pack queued on a device that then goes quiet (a laptop shut with the pack in its outbox)
//! is sent by another device of the home: the real hub on PostgreSQL decides who sends (its
//! lease), a real SMTP server and a real HTTPS intake receive the pack, once each. All data
//! fictional.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;
#[path = "../../grabpack-hub/tests/common/mod.rs"]
mod hub;

use common::*;
use grabpack_send::recipients::Role;
use grabpack_send::{SendSettings, Transports, can_send_as_queued, queue, send_due};
use grabpack_store::Store;
use grabpack_store::outbox::DeliveryState;
use grabpack_sync::device;
use jiff::Timestamp;

/// Devices A and B of one home at a real hub: A enrolled first, B paired and approved by A.
fn one_home(
    rt: &tokio::runtime::Runtime,
    hub: &hub::TestHub,
) -> ((TestHome, Store), (TestHome, Store)) {
    let token = rt
        .block_on(grabpack_hub::devices::add_home(
            &hub.pool(),
            "Take-over home (fictional)",
        ))
        .unwrap()
        .token;
    let base = hub.base(0);
    let ca = hub.ca.ca_pem.clone();
    let (home_a, mut a) = TestHome::new();
    let (home_b, mut b) = TestHome::new();
    let enrolled = device::enrol(&mut a, &base, Some(&ca), &token).unwrap();
    let asked = device::request_pairing(&mut b, &base, Some(&ca), &enrolled.home_id).unwrap();
    device::approve(&mut a, asked.code.as_deref().unwrap(), &asked.fingerprint).unwrap();
    device::sync_now(&mut a).unwrap();
    device::sync_now(&mut b).unwrap();
    ((home_a, a), (home_b, b))
}

/// What B takes over, with its own sending settings.
fn take_over(store: &mut Store, settings: &SendSettings) -> usize {
    device::take_over_deliveries(store, |s, d| can_send_as_queued(s, settings, d))
        .unwrap()
        .len()
}

#[test]
fn a_pack_left_on_a_device_that_went_quiet_is_sent_once_by_another_device_of_the_home() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let hub = rt.block_on(hub::TestHub::start_with(hub::Options {
        max_envelope_bytes: 8 * 1024 * 1024,
        ..hub::Options::default()
    }));
    let ((home_a, mut a), (_home_b, mut b)) = one_home(&rt, &hub);
    let ca = TestCa::new();
    let smtp = SmtpServer::start(&ca, None);
    let intake = Intake::start(&ca);

    // A queues the pack (the home's mailbox and the police intake) and syncs; before it sends
    // a byte, its lid is shut.
    let mut on_a = smtp_settings(&ca, free_port(), SMTP_PASSWORD);
    on_a.intake_tokens.insert(intake.base_url(), TOKEN.into());
    let episode = open_episode(&mut a, &home_a);
    let pdf = fake_pdf(7, 250_000);
    let msg = queue(
        &mut a,
        &on_a,
        &outgoing(
            &home_a,
            Some(&episode),
            pdf.clone(),
            vec![
                email_to("social.worker@council.example", Role::SocialWorker),
                intake_at(&intake.base_url()),
            ],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    device::sync_now(&mut a).unwrap();
    let (email, police) = (&msg.deliveries[0], &msg.deliveries[1]);

    // B has the pack's bytes, but A's lease is live: B takes nothing over.
    device::sync_now(&mut b).unwrap();
    assert_eq!(
        b.delivery_payload(&email.id).unwrap(),
        a.delivery_payload(&email.id).unwrap()
    );
    let mut on_b = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    on_b.intake_tokens.insert(intake.base_url(), TOKEN.into());
    assert_eq!(take_over(&mut b, &on_b), 0, "A's lease is live");

    // Two minutes on, A has not renewed. A device that could not send as queued (another
    // mailbox, no token for that intake) leaves it ...
    rt.block_on(hub.expire_leases());
    let mut other_mailbox = on_b.clone();
    other_mailbox.smtp.as_mut().unwrap().from = "someone.else@elsewhere.example".into();
    other_mailbox.intake_tokens.clear();
    assert_eq!(take_over(&mut b, &other_mailbox), 0);
    // ... and B, with the home's mailbox and a token for the intake, takes both over and sends
    // what A queued.
    assert_eq!(take_over(&mut b, &on_b), 2);
    let report = send_due(
        &mut b,
        &Transports::from_settings(&on_b).unwrap(),
        Timestamp::now(),
    )
    .unwrap();
    assert_eq!(report.delivered(), 2, "{:#?}", report.attempted);
    let received = smtp.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].message_id,
        email.email_message_id.clone().unwrap(),
        "the email A queued, with its Message-ID"
    );
    let mut queued_on_a = a.delivery_payload(&email.id).unwrap();
    queued_on_a.extend_from_slice(b"\r\n");
    assert_eq!(
        received[0].raw_sha256,
        sha256_hex(&queued_on_a),
        "byte for byte what A queued (plus the CRLF that ends SMTP DATA)"
    );
    let stored = intake.stored();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].idempotency_key, police.idempotency_key);
    assert_eq!(stored[0].pdf_sha256, sha256_hex(&pdf));
    device::sync_now(&mut b).unwrap();

    // A opens again, long after (B's leases have run out too, so the hub gives A the leases
    // back in a later term): A leaves them to B's states, shows both delivered (B's receipts),
    // takes nothing back and sends nothing, even with its mail server back.
    rt.block_on(hub.expire_leases());
    device::sync_now(&mut a).unwrap();
    assert_eq!(take_over(&mut a, &on_a), 0);
    for d in [email, police] {
        let here = a.delivery(&d.id).unwrap();
        assert_eq!(here.state, DeliveryState::Delivered, "{here:?}");
        assert!(here.sent_from_another_device);
    }
    assert_eq!(a.undelivered_count().unwrap(), 0);
    let back = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    let report = send_due(
        &mut a,
        &Transports::from_settings(&back).unwrap(),
        Timestamp::now(),
    )
    .unwrap();
    assert_eq!(report.attempted.len(), 0);
    assert_eq!(smtp.received().len(), 1, "one copy in the mailbox");
    assert_eq!(
        intake.state.lock().unwrap().posts,
        1,
        "one post to the intake"
    );
    assert_eq!(
        a.audit_list(None, Some("delivery_taken_over_elsewhere"), 10)
            .unwrap()
            .len(),
        2
    );
    rt.block_on(hub.stop());
}

#[test]
fn a_pack_larger_than_the_hub_takes_stays_on_its_device_and_sync_carries_on() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    // The test hub's own limits: 64 KiB an envelope.
    let hub = rt.block_on(hub::TestHub::start());
    let ((home_a, mut a), (_home_b, mut b)) = one_home(&rt, &hub);
    let ca = TestCa::new();
    let settings = smtp_settings(&ca, free_port(), SMTP_PASSWORD);
    let episode = open_episode(&mut a, &home_a);
    let msg = queue(
        &mut a,
        &settings,
        &outgoing(
            &home_a,
            Some(&episode),
            fake_pdf(8, 200_000),
            vec![email_to(
                "social.worker@council.example",
                Role::SocialWorker,
            )],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let delivery = &msg.deliveries[0];
    device::sync_now(&mut a).unwrap();
    assert_eq!(
        a.sync_waiting_to_send().unwrap(),
        0,
        "nothing left waiting behind the refused bytes"
    );
    assert_eq!(
        a.audit_list(None, Some("delivery_bytes_kept_here"), 10)
            .unwrap()
            .len(),
        1
    );
    device::sync_now(&mut b).unwrap();
    let on_b = b.delivery(&delivery.id).unwrap();
    assert!(on_b.sent_from_another_device, "B shows A's delivery");
    assert!(b.delivery_payload(&delivery.id).unwrap().is_empty());
    rt.block_on(hub.expire_leases());
    assert_eq!(
        take_over(&mut b, &smtp_settings(&ca, free_port(), SMTP_PASSWORD)),
        0,
        "without the bytes, nothing to take over"
    );
    rt.block_on(hub.stop());
}
