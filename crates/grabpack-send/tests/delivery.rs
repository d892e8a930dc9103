//! Delivery against real servers on loopback: aiosmtpd with STARTTLS and AUTH, and an HTTPS intake
//! over rustls, both with certificates from a CA the test makes. All data fictional.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use grabpack_send::recipients::Role;
use grabpack_send::{Transports, queue, recover, send_due};
use grabpack_store::outbox::DeliveryState;
use jiff::Timestamp;

#[test]
fn every_email_recipient_gets_the_pack_intact_over_starttls_with_auth() {
    let ca = TestCa::new();
    let smtp = SmtpServer::start(&ca, None);
    let (home, mut store) = TestHome::new();
    let settings = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    let episode = open_episode(&mut store, &home);
    let pdf = fake_pdf(1, 300_000);
    let recipients = vec![
        email_to("missing-persons@kent.police.example", Role::Police),
        email_to("social.worker@council.example", Role::SocialWorker),
        email_to("edt@council.example", Role::OutOfHours),
    ];
    let msg = queue(
        &mut store,
        &settings,
        &outgoing(&home, Some(&episode), pdf.clone(), recipients),
        None,
        Timestamp::now(),
    )
    .unwrap();
    assert!(
        msg.deliveries
            .iter()
            .all(|d| d.state == DeliveryState::Queued),
        "committed before any attempt"
    );

    let transports = Transports::from_settings(&settings).unwrap();
    let report = send_due(&mut store, &transports, Timestamp::now()).unwrap();
    assert_eq!(report.delivered(), 3, "{:#?}", report.attempted);

    let received = smtp.received();
    assert_eq!(received.len(), 3);
    for d in store.outbox_message(&msg.id).unwrap().deliveries {
        let got = received
            .iter()
            .find(|r| r.rcpt == d.address)
            .expect("each recipient got it");
        assert_eq!(
            got.pdf_sha256.as_deref(),
            Some(sha256_hex(&pdf).as_str()),
            "the PDF arrived intact"
        );
        assert_eq!(
            Some(got.message_id.clone()),
            d.email_message_id,
            "the Message-ID chosen at queue time"
        );
        assert_eq!(
            got.user.as_deref(),
            Some(SMTP_USER),
            "the home authenticated"
        );
        assert!(got.subject.contains("MISSING CHILD"));
        assert!(
            got.text.contains("Test read-out"),
            "the body carries the read-out"
        );
        let queued = store.delivery_payload(&d.id).unwrap();
        let mut with_crlf = queued.clone();
        with_crlf.extend_from_slice(b"\r\n");
        assert_eq!(
            got.raw_sha256,
            sha256_hex(&with_crlf),
            "the server received exactly the bytes queued and audited (plus the CRLF that ends SMTP DATA)"
        );
        assert!(
            d.receipt.unwrap().starts_with("250"),
            "the server's reply is the receipt"
        );
    }
}

#[test]
fn an_intake_gets_the_pack_over_https_and_a_repeat_is_never_a_second_copy() {
    let ca = TestCa::new();
    let intake = Intake::start(&ca);
    let (home, mut store) = TestHome::new();
    let mut settings = smtp_settings(&ca, 1, SMTP_PASSWORD);
    settings
        .intake_tokens
        .insert(intake.base_url(), TOKEN.into());
    let episode = open_episode(&mut store, &home);
    let pdf = fake_pdf(2, 200_000);
    let msg = queue(
        &mut store,
        &settings,
        &outgoing(
            &home,
            Some(&episode),
            pdf.clone(),
            vec![intake_at(&intake.base_url())],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    let report = send_due(&mut store, &transports, Timestamp::now()).unwrap();
    assert_eq!(report.delivered(), 1, "{:#?}", report.attempted);

    let d = &store.outbox_message(&msg.id).unwrap().deliveries[0];
    let stored = intake.stored();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].pdf_sha256, sha256_hex(&pdf));
    assert_eq!(stored[0].idempotency_key, d.idempotency_key);
    assert_eq!(stored[0].manifest["episode_id"], episode.as_str());
    assert_eq!(stored[0].manifest["protocol"], "grabpack.intake.v1");
    assert!(d.receipt.as_deref().unwrap().contains("R-000001"));

    assert_eq!(intake.state.lock().unwrap().posts, 1);
}

#[test]
fn a_retry_after_a_crash_is_never_a_second_copy_at_the_intake() {
    let ca = TestCa::new();
    let intake = Intake::start(&ca);
    let (home, mut store) = TestHome::new();
    let mut settings = smtp_settings(&ca, 1, SMTP_PASSWORD);
    settings
        .intake_tokens
        .insert(intake.base_url(), TOKEN.into());
    let msg = queue(
        &mut store,
        &settings,
        &outgoing(
            &home,
            None,
            fake_pdf(12, 20_000),
            vec![intake_at(&intake.base_url())],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    // The pack reaches the intake, then the process dies before the receipt is written down.
    let claimed = store
        .claim_delivery(
            &msg.deliveries[0].id,
            Timestamp::now(),
            grabpack_send::worker::LEASE_MS,
        )
        .unwrap()
        .unwrap();
    let first = match transports.deliver(&claimed) {
        grabpack_send::Outcome::Delivered(receipt) => receipt,
        grabpack_send::Outcome::Failed(e) => panic!("{e}"),
    };
    // The process dies: its claim names a process that no longer runs (a pid above Linux's
    // highest).
    store
        .connection_for_tests()
        .execute("UPDATE outbox_deliveries SET claimed_by = '4194305:1'", [])
        .unwrap();
    drop(store);

    let mut store = home.unlock();
    assert_eq!(recover(&mut store, Timestamp::now()).unwrap(), 1);
    send_due(&mut store, &transports, Timestamp::now()).unwrap();
    let d = store.delivery(&msg.deliveries[0].id).unwrap();
    assert_eq!(d.state, DeliveryState::Delivered);
    assert_eq!(d.attempts, 2);
    assert_eq!(
        d.receipt.as_deref(),
        Some(first.as_str()),
        "the first receipt, replayed"
    );
    assert_eq!(intake.stored().len(), 1, "never a second copy");
    assert_eq!(intake.state.lock().unwrap().posts, 2);
}

#[test]
fn what_went_out_is_audited_with_its_sha256_at_every_state_change() {
    let ca = TestCa::new();
    let smtp = SmtpServer::start(&ca, None);
    let (home, mut store) = TestHome::new();
    let settings = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    let msg = queue(
        &mut store,
        &settings,
        &outgoing(
            &home,
            None,
            fake_pdf(3, 50_000),
            vec![email_to("sw@council.example", Role::SocialWorker)],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    send_due(&mut store, &transports, Timestamp::now()).unwrap();
    let d = &store.outbox_message(&msg.id).unwrap().deliveries[0];
    let payload = store.delivery_payload(&d.id).unwrap();
    assert_eq!(d.payload_sha256, sha256_hex(&payload));
    let actions: Vec<String> = store
        .audit_list(None, None, 100)
        .unwrap()
        .into_iter()
        .filter(|e| e.detail.contains(d.id.as_str()))
        .inspect(|e| assert!(e.detail.contains(&d.payload_sha256), "{}", e.detail))
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        ["delivery_delivered", "delivery_sending", "delivery_queued"]
    );
    assert!(store.audit_verify().unwrap().intact());
}

#[test]
fn a_pack_queued_while_offline_is_delivered_once_after_a_restart() {
    let ca = TestCa::new();
    let (home, mut store) = TestHome::new();
    let port = free_port();
    let base = format!("https://127.0.0.1:{port}/");
    let mut settings = smtp_settings(&ca, 1, SMTP_PASSWORD);
    settings.intake_tokens.insert(base.clone(), TOKEN.into());
    settings.save(&mut store).unwrap();
    let episode = open_episode(&mut store, &home);
    let msg = queue(
        &mut store,
        &settings,
        &outgoing(
            &home,
            Some(&episode),
            fake_pdf(4, 100_000),
            vec![intake_at(&base)],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();

    // The intake is down: the delivery stays queued with a clear reason and a retry time.
    let transports = Transports::from_settings(&settings).unwrap();
    let t0 = Timestamp::now();
    send_due(&mut store, &transports, t0).unwrap();
    let d = store.outbox_message(&msg.id).unwrap().deliveries.remove(0);
    assert_eq!(d.state, DeliveryState::Queued);
    assert_eq!(d.last_error_code.as_deref(), Some("send.unreachable"));
    assert!(d.next_attempt_at.unwrap() > t0);

    // The app is closed and opened again; the intake comes back.
    drop(store);
    let intake = Intake::start_on(&ca, port);
    let mut store = home.unlock();
    let settings = grabpack_send::SendSettings::load(&store).unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    recover(&mut store, Timestamp::now()).unwrap();
    let nothing = send_due(&mut store, &transports, Timestamp::now()).unwrap();
    assert!(nothing.attempted.is_empty(), "not before its retry time");
    let later = d.next_attempt_at.unwrap();
    send_due(&mut store, &transports, later).unwrap();
    let d = store.delivery(&d.id).unwrap();
    assert_eq!(d.state, DeliveryState::Delivered);
    assert_eq!(d.attempts, 2);
    assert_eq!(intake.stored().len(), 1, "delivered once");
}

#[test]
fn one_bad_recipient_shows_its_own_failure_and_the_others_still_go() {
    let ca = TestCa::new();
    let other_ca = TestCa::new();
    let smtp = SmtpServer::start(&ca, None);
    let good = Intake::start(&ca);
    let untrusted = Intake::start(&other_ca);
    let (home, mut store) = TestHome::new();
    let mut settings = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    let plain_http = "http://intake.police.example/".to_string();
    let unknown = "https://intake.grabpack-test.invalid/".to_string();
    for url in [
        good.base_url(),
        untrusted.base_url(),
        plain_http.clone(),
        unknown.clone(),
    ] {
        settings.intake_tokens.insert(url, TOKEN.into());
    }
    let msg = queue(
        &mut store,
        &settings,
        &outgoing(
            &home,
            None,
            fake_pdf(5, 80_000),
            vec![
                intake_at(&good.base_url()),
                intake_at(&untrusted.base_url()),
                intake_at(&plain_http),
                intake_at(&unknown),
                email_to("sw@council.example", Role::SocialWorker),
            ],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    send_due(&mut store, &transports, Timestamp::now()).unwrap();
    let by_address = |a: &str| {
        store
            .outbox_message(&msg.id)
            .unwrap()
            .deliveries
            .into_iter()
            .find(|d| d.address == a)
            .unwrap()
    };
    assert_eq!(by_address(&good.base_url()).state, DeliveryState::Delivered);
    assert_eq!(
        by_address("sw@council.example").state,
        DeliveryState::Delivered
    );
    let u = by_address(&untrusted.base_url());
    assert_eq!(
        (u.state, u.last_error_code.as_deref()),
        (DeliveryState::Failed, Some("send.untrusted_certificate")),
        "{:?}",
        u.last_error
    );
    let h = by_address(&plain_http);
    assert_eq!(
        (h.state, h.last_error_code.as_deref()),
        (DeliveryState::Failed, Some("send.tls_required"))
    );
    let n = by_address(&unknown);
    assert_eq!(n.last_error_code.as_deref(), Some("send.unknown_host"));
    assert_eq!(
        n.state,
        DeliveryState::Queued,
        "an unknown host may be no network: tried again"
    );
    assert!(
        untrusted.stored().is_empty(),
        "nothing reached a server we do not trust"
    );
    assert!(u.last_error.unwrap().contains("not trusted"));
}

#[test]
fn a_wrong_smtp_password_fails_each_email_clearly_while_the_intake_still_gets_the_pack() {
    let ca = TestCa::new();
    let smtp = SmtpServer::start(&ca, None);
    let intake = Intake::start(&ca);
    let (home, mut store) = TestHome::new();
    let mut settings = smtp_settings(&ca, smtp.port, "not-the-password");
    settings
        .intake_tokens
        .insert(intake.base_url(), TOKEN.into());
    let msg = queue(
        &mut store,
        &settings,
        &outgoing(
            &home,
            None,
            fake_pdf(6, 60_000),
            vec![
                intake_at(&intake.base_url()),
                email_to("sw@council.example", Role::SocialWorker),
            ],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    send_due(&mut store, &transports, Timestamp::now()).unwrap();
    let ds = store.outbox_message(&msg.id).unwrap().deliveries;
    assert_eq!(ds[0].state, DeliveryState::Delivered);
    assert_eq!(ds[1].state, DeliveryState::Failed);
    assert_eq!(ds[1].last_error_code.as_deref(), Some("send.auth_failed"));
    assert!(smtp.received().is_empty());

    // A manager corrects the password and retries: the same message goes.
    let settings = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    let transports = Transports::from_settings(&settings).unwrap();
    store.retry_delivery(&ds[1].id, Timestamp::now()).unwrap();
    send_due(&mut store, &transports, Timestamp::now()).unwrap();
    assert_eq!(
        store.delivery(&ds[1].id).unwrap().state,
        DeliveryState::Delivered
    );
    assert_eq!(
        smtp.received()[0].message_id,
        ds[1].email_message_id.clone().unwrap()
    );
}

#[test]
fn a_mailbox_that_refuses_the_size_is_a_clear_failure_and_the_intake_still_gets_the_pack() {
    let ca = TestCa::new();
    let smtp = SmtpServer::start(&ca, Some(20_000));
    let intake = Intake::start(&ca);
    let (home, mut store) = TestHome::new();
    let mut settings = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    settings
        .intake_tokens
        .insert(intake.base_url(), TOKEN.into());
    let msg = queue(
        &mut store,
        &settings,
        &outgoing(
            &home,
            None,
            fake_pdf(7, 100_000),
            vec![
                email_to("sw@council.example", Role::SocialWorker),
                intake_at(&intake.base_url()),
            ],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    send_due(&mut store, &transports, Timestamp::now()).unwrap();
    let ds = store.outbox_message(&msg.id).unwrap().deliveries;
    assert_eq!(
        ds[0].last_error_code.as_deref(),
        Some("send.too_large"),
        "{:?}",
        ds[0].last_error
    );
    assert_eq!(ds[0].state, DeliveryState::Failed);
    assert_eq!(ds[1].state, DeliveryState::Delivered);
}

#[test]
fn a_person_can_give_up_on_a_delivery_and_is_named() {
    let ca = TestCa::new();
    let (home, mut store) = TestHome::new();
    let settings = smtp_settings(&ca, free_port(), SMTP_PASSWORD);
    let msg = queue(
        &mut store,
        &settings,
        &outgoing(
            &home,
            None,
            fake_pdf(8, 1000),
            vec![email_to("sw@council.example", Role::SocialWorker)],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let d = store
        .give_up_delivery(&msg.deliveries[0].id, "phoned the social worker instead")
        .unwrap();
    assert_eq!(d.state, DeliveryState::GivenUp);
    assert_eq!(d.given_up_by, Some(store.actor().display_name()));
    assert_eq!(
        d.given_up_reason.as_deref(),
        Some("phoned the social worker instead")
    );
    let transports = Transports::from_settings(&settings).unwrap();
    assert!(
        send_due(&mut store, &transports, Timestamp::now())
            .unwrap()
            .attempted
            .is_empty()
    );
}

#[test]
fn the_police_acknowledgement_travels_back_to_the_episode() {
    let ca = TestCa::new();
    let intake = Intake::start(&ca);
    let (home, mut store) = TestHome::new();
    let mut settings = smtp_settings(&ca, 1, SMTP_PASSWORD);
    settings
        .intake_tokens
        .insert(intake.base_url(), TOKEN.into());
    let episode = open_episode(&mut store, &home);
    let msg = queue(
        &mut store,
        &settings,
        &outgoing(
            &home,
            Some(&episode),
            fake_pdf(9, 10_000),
            vec![intake_at(&intake.base_url())],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    send_due(&mut store, &transports, Timestamp::now()).unwrap();
    intake.acknowledge(
        &msg.deliveries[0].idempotency_key,
        "accepted",
        "PC Test (fictional)",
        "1234",
        "CAD 5678",
        "medium",
    );

    assert_eq!(
        grabpack_send::poll_acknowledgements(&mut store, &transports).unwrap(),
        1
    );
    assert_eq!(
        grabpack_send::poll_acknowledgements(&mut store, &transports).unwrap(),
        0,
        "once only"
    );
    let ep = store.episode(&episode).unwrap();
    let ack = &ep.acknowledgements[0].value;
    assert_eq!(
        (ack.collar_number.as_str(), ack.police_reference.as_str()),
        ("1234", "CAD 5678")
    );
    assert_eq!(ack.risk_grading, Some(grabpack_core::RiskGrading::Medium));
    assert!(
        store
            .audit_list(None, Some("episode_acknowledgement"), 5)
            .unwrap()
            .len()
            == 1
    );
}

#[test]
fn a_refusal_from_the_intake_becomes_the_episodes_not_accepted_record() {
    let ca = TestCa::new();
    let intake = Intake::start(&ca);
    let (home, mut store) = TestHome::new();
    let mut settings = smtp_settings(&ca, 1, SMTP_PASSWORD);
    settings
        .intake_tokens
        .insert(intake.base_url(), TOKEN.into());
    // Saved, as a home's settings are: the refusal's notice is queued from them.
    settings.save(&mut store).unwrap();
    let episode = open_episode(&mut store, &home);
    let msg = queue(
        &mut store,
        &settings,
        &outgoing(
            &home,
            Some(&episode),
            fake_pdf(15, 10_000),
            vec![intake_at(&intake.base_url())],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    send_due(&mut store, &transports, Timestamp::now()).unwrap();
    intake.acknowledge(
        &msg.deliveries[0].idempotency_key,
        "not_accepted",
        "PC Test (fictional)",
        "4321",
        "",
        "low",
    );
    grabpack_send::poll_acknowledgements(&mut store, &transports).unwrap();
    let ep = store.episode(&episode).unwrap();
    assert_eq!(ep.acknowledgements[0].value.status, "not_accepted");
    assert_eq!(ep.not_accepted.len(), 1);
    assert_eq!(ep.not_accepted[0].value.collar_number, "4321");

    // The social worker and the out-of-hours team are told at once, exactly as when staff record
    // the refusal by hand; the same page read again (a repeated poll) tells nobody twice.
    let page = transports
        .fetch_acknowledgements(&intake.base_url(), None)
        .unwrap();
    grabpack_send::record_acknowledgements(&mut store, &intake.base_url(), &page, None).unwrap();
    grabpack_send::poll_acknowledgements(&mut store, &transports).unwrap();
    let notices: Vec<_> = store
        .outbox(None, Some(&episode))
        .unwrap()
        .into_iter()
        .filter(|m| m.purpose == grabpack_store::outbox::Purpose::NotAcceptedNotice)
        .collect();
    assert_eq!(notices.len(), 1, "one refusal, one notice");
    let told: Vec<(&str, &str)> = notices[0]
        .deliveries
        .iter()
        .map(|d| (d.recipient_role.as_str(), d.address.as_str()))
        .collect();
    assert_eq!(
        told,
        [
            ("social_worker", "social.worker@council.example"),
            ("out_of_hours", "edt@council.example")
        ]
    );
    assert!(notices[0].cover_note.contains("PC Test (fictional)"));
    let view = grabpack_send::episode::view(&store, &episode, jiff::Zoned::now().date()).unwrap();
    assert_eq!(view.refusal_notices.len(), 1);
    assert_eq!(
        view.refusal_notices[0].message_id.as_ref(),
        Some(&notices[0].id)
    );
    assert!(
        view.refusal_notices[0]
            .summary
            .starts_with("The notice is still on its way to Sam Social (fictional) (social worker), EDT (fictional) (out-of-hours team)"),
        "{}",
        view.refusal_notices[0].summary
    );
}

#[test]
fn a_home_whose_mail_provider_uses_implicit_tls_sends_too() {
    let ca = TestCa::new();
    let smtp = SmtpServer::start_implicit_tls(&ca);
    let (home, mut store) = TestHome::new();
    let mut settings = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    if let Some(s) = settings.smtp.as_mut() {
        s.security = grabpack_send::SmtpSecurity::ImplicitTls;
    }
    let pdf = fake_pdf(13, 30_000);
    queue(
        &mut store,
        &settings,
        &outgoing(
            &home,
            None,
            pdf.clone(),
            vec![email_to("sw@council.example", Role::SocialWorker)],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    let report = send_due(&mut store, &transports, Timestamp::now()).unwrap();
    assert_eq!(report.delivered(), 1, "{:#?}", report.attempted);
    assert_eq!(
        smtp.received()[0].pdf_sha256.as_deref(),
        Some(sha256_hex(&pdf).as_str())
    );
}

#[test]
fn a_mail_server_that_offers_no_starttls_is_never_used_in_plaintext() {
    let ca = TestCa::new();
    let smtp = SmtpServer::start_plaintext(&ca);
    let (home, mut store) = TestHome::new();
    let settings = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    let msg = queue(
        &mut store,
        &settings,
        &outgoing(
            &home,
            None,
            fake_pdf(14, 1000),
            vec![email_to("sw@council.example", Role::SocialWorker)],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    send_due(&mut store, &transports, Timestamp::now()).unwrap();
    let d = store.delivery(&msg.deliveries[0].id).unwrap();
    assert_eq!(
        (d.state, d.last_error_code.as_deref()),
        (DeliveryState::Failed, Some("send.tls_required")),
        "{:?}",
        d.last_error
    );
    assert!(
        smtp.received().is_empty(),
        "not a byte of the pack went in the clear"
    );
}

#[test]
fn send_test_proves_the_mail_account_and_sends_nothing() {
    let ca = TestCa::new();
    let smtp = SmtpServer::start(&ca, None);
    let good = Transports::from_settings(&smtp_settings(&ca, smtp.port, SMTP_PASSWORD)).unwrap();
    assert!(good.test_smtp().is_ok());
    let wrong =
        Transports::from_settings(&smtp_settings(&ca, smtp.port, "not-the-password")).unwrap();
    assert_eq!(wrong.test_smtp().unwrap_err().code(), "send.auth_failed");
    // A server nobody trusts is named as such, before any password is offered.
    let mut untrusted = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    untrusted.extra_root_pem.clear();
    let untrusted = Transports::from_settings(&untrusted).unwrap();
    assert_eq!(
        untrusted.test_smtp().unwrap_err().code(),
        "send.untrusted_certificate"
    );
    assert!(smtp.received().is_empty(), "a test sends no message");
}

#[test]
fn send_test_proves_an_intake_token_and_files_nothing() {
    let ca = TestCa::new();
    let intake = Intake::start(&ca);
    let mut settings = smtp_settings(&ca, free_port(), SMTP_PASSWORD);
    settings
        .intake_tokens
        .insert(intake.base_url(), TOKEN.into());
    let transports = Transports::from_settings(&settings).unwrap();
    assert!(transports.test_intake(&intake.base_url()).is_ok());
    settings
        .intake_tokens
        .insert(intake.base_url(), "a-wrong-token".into());
    let transports = Transports::from_settings(&settings).unwrap();
    assert_eq!(
        transports
            .test_intake(&intake.base_url())
            .unwrap_err()
            .code(),
        "send.intake_unauthorised"
    );
    assert!(intake.stored().is_empty());
}

#[test]
fn an_edited_police_contact_is_checked_kept_for_the_home_and_marked_verified() {
    let (_home, mut store) = TestHome::new();
    let edit = grabpack_send::directory::ContactsEdit {
        https_intake: Some("http://intake.kent.police.example/".into()),
        ..Default::default()
    };
    let day = jiff::civil::date(2026, 11, 28);
    let err = grabpack_send::Directory::edit_contacts(&mut store, "kent", &edit, day).unwrap_err();
    assert_eq!(err.code(), "send.tls_required");
    assert!(
        !grabpack_send::Directory::load(&store)
            .unwrap()
            .unit("kent")
            .unwrap()
            .edited
    );

    let edit = grabpack_send::directory::ContactsEdit {
        email: Some("missing.persons@kent.police.example".into()),
        https_intake: Some("https://intake.kent.police.example/".into()),
        phone_non_emergency: Some("101".into()),
    };
    grabpack_send::Directory::edit_contacts(&mut store, "kent", &edit, day).unwrap();
    let reloaded = grabpack_send::Directory::load(&store).unwrap();
    let kent = reloaded.unit("kent").unwrap();
    assert!(kent.edited && !kent.channels.placeholder);
    assert_eq!(kent.last_verified, "2026-11-28");
    assert_eq!(
        kent.channels.email.as_deref(),
        Some("missing.persons@kent.police.example")
    );
}

/// The first pack to three people, one of whom was given up on before it went (so never had
/// it), delivered over real SMTP. Returns the episode and each reached address's Message-ID.
fn a_pack_delivered_to_two_of_three(
    store: &mut grabpack_store::Store,
    home: &TestHome,
    settings: &grabpack_send::SendSettings,
) -> (grabpack_store::EpisodeId, Vec<(String, String)>) {
    let episode = open_episode(store, home);
    let recipients = vec![
        email_to("missing-persons@kent.police.example", Role::Police),
        email_to("social.worker@council.example", Role::SocialWorker),
        email_to("old.address@council.example", Role::OutOfHours),
    ];
    let msg = queue(
        store,
        settings,
        &outgoing(home, Some(&episode), fake_pdf(7, 50_000), recipients),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let never = msg
        .deliveries
        .iter()
        .find(|d| d.address == "old.address@council.example")
        .unwrap();
    store
        .give_up_delivery(&never.id, "wrong address: phoned them (fictional)")
        .unwrap();
    let transports = Transports::from_settings(settings).unwrap();
    send_due(store, &transports, Timestamp::now()).unwrap();
    let firsts = store
        .outbox_message(&msg.id)
        .unwrap()
        .deliveries
        .into_iter()
        .filter(|d| d.state == DeliveryState::Delivered)
        .map(|d| (d.address, d.email_message_id.unwrap()))
        .collect();
    (episode, firsts)
}

#[test]
fn an_update_reaches_everyone_who_had_the_pack_threaded_to_their_first_email() {
    let ca = TestCa::new();
    let smtp = SmtpServer::start(&ca, None);
    let (home, mut store) = TestHome::new();
    let settings = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    settings.save(&mut store).unwrap();
    let (episode, firsts) = a_pack_delivered_to_two_of_three(&mut store, &home, &settings);
    assert_eq!(firsts.len(), 2);
    assert_eq!(smtp.received().len(), 2);

    store
        .record_update(
            &episode,
            Timestamp::now(),
            &grabpack_store::episodes::EpisodeUpdate {
                kind: grabpack_store::episodes::UpdateKind::Sighting,
                text: "Seen at Brixton station in a red coat (fictional)".into(),
                from: "Bus driver (fictional)".into(),
            },
        )
        .unwrap();
    let update = grabpack_send::queue_update(&mut store, &episode, "", Timestamp::now()).unwrap();
    assert_eq!(update.purpose, grabpack_store::outbox::Purpose::Update);
    let transports = Transports::from_settings(&settings).unwrap();
    let report = send_due(&mut store, &transports, Timestamp::now()).unwrap();
    assert_eq!(report.delivered(), 2, "{:#?}", report.attempted);

    let received = smtp.received();
    let updates: Vec<&Received> = received
        .iter()
        .filter(|r| r.subject.contains("UPDATE"))
        .collect();
    assert_eq!(
        updates.len(),
        2,
        "only the two who had the pack; the given-up address never had it"
    );
    for (address, first_id) in &firsts {
        let got = updates.iter().find(|r| &r.rcpt == address).unwrap();
        assert_eq!(&got.in_reply_to, first_id, "In-Reply-To the first pack");
        assert_eq!(&got.references, first_id, "References the first pack");
        assert_ne!(&got.message_id, first_id, "a message of its own");
        assert!(got.pdf_sha256.is_some(), "the new pack is attached");
        assert!(
            got.text.contains("UPDATE 1: replaces the pack sent at"),
            "{}",
            got.text
        );
    }
}

#[test]
fn found_tells_everyone_who_had_the_pack_once_threaded_with_time_place_finder_and_police_reference()
{
    let ca = TestCa::new();
    let smtp = SmtpServer::start(&ca, None);
    let (home, mut store) = TestHome::new();
    let settings = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    settings.save(&mut store).unwrap();
    let (episode, firsts) = a_pack_delivered_to_two_of_three(&mut store, &home, &settings);
    store
        .record_report(
            &episode,
            Timestamp::now(),
            &grabpack_store::episodes::PoliceReport {
                reference: "CAD 4321 (fictional)".into(),
                ..Default::default()
            },
        )
        .unwrap();

    let found = grabpack_store::episodes::Found {
        found_where: "Brixton station (fictional)".into(),
        found_by: "PC Jo Example (fictional)".into(),
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
    assert!(store.episode(&episode).unwrap().found.is_some());
    let notice = done.notice.expect("a notice to those who had the pack");
    assert_eq!(notice.deliveries.len(), 2);
    let transports = Transports::from_settings(&settings).unwrap();
    assert_eq!(
        send_due(&mut store, &transports, Timestamp::now())
            .unwrap()
            .delivered(),
        2
    );

    let received = smtp.received();
    for (address, first_id) in &firsts {
        let got = received
            .iter()
            .find(|r| &r.rcpt == address && r.subject.contains("RETURNED"))
            .unwrap();
        assert_eq!(&got.in_reply_to, first_id, "In-Reply-To the first pack");
        assert_eq!(&got.references, first_id, "References the first pack");
        assert!(got.pdf_sha256.is_none(), "a short email, no pack attached");
        for words in [
            "no longer missing",
            "Brixton station (fictional)",
            "PC Jo Example (fictional)",
            "CAD 4321 (fictional)",
        ] {
            assert!(got.text.contains(words), "{words} in {}", got.text);
        }
    }

    // Correcting where the child was found does not tell everyone a second time.
    let again = grabpack_send::record_found(
        &mut store,
        &episode,
        Timestamp::now(),
        &grabpack_store::episodes::Found {
            found_where: "Brixton bus station (fictional)".into(),
            ..found
        },
        Timestamp::now(),
    )
    .unwrap();
    assert!(again.notice.is_none());
}

/// An acknowledgement counts only from the intake that received the pack: another intake that
/// names the same pack (or its episode) is ignored, and an item for a pack this store never sent
/// is skipped without stopping the feed: the cursor moves past both.
#[test]
fn an_acknowledgement_counts_only_from_the_intake_that_received_the_pack_and_unknown_items_are_skipped()
 {
    let ca = TestCa::new();
    let received_it = Intake::start(&ca);
    let other = Intake::start(&ca);
    let (home, mut store) = TestHome::new();
    let mut settings = smtp_settings(&ca, 1, SMTP_PASSWORD);
    for i in [&received_it, &other] {
        settings.intake_tokens.insert(i.base_url(), TOKEN.into());
    }
    let episode = open_episode(&mut store, &home);
    let msg = queue(
        &mut store,
        &settings,
        &outgoing(
            &home,
            Some(&episode),
            fake_pdf(16, 10_000),
            vec![intake_at(&received_it.base_url())],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    send_due(&mut store, &transports, Timestamp::now()).unwrap();
    let key = msg.deliveries[0].idempotency_key.clone();
    let item = |cursor: &str, key: &str| {
        serde_json::json!({
            "cursor": cursor, "receipt_id": format!("r-{cursor}"), "idempotency_key": key,
            "episode_id": episode.as_str(), "status": "accepted",
            "officer_name": "PC Test (fictional)", "collar_number": "1234",
            "police_reference": "CAD 77 (fictional)", "risk_grading": "medium",
            "at": "2026-11-30T10:00:00Z"
        })
    };
    let page: grabpack_protocol::AckPage = serde_json::from_value(serde_json::json!({
        "acknowledgements": [item("1", "a-pack-this-store-never-sent"), item("2", &key)],
        "next_cursor": "2"
    }))
    .unwrap();

    // The other intake never had the pack: nothing is recorded, and its feed moves on.
    let (n, next) =
        grabpack_send::record_acknowledgements(&mut store, &other.base_url(), &page, None).unwrap();
    assert_eq!(n, 0);
    assert_eq!(next.as_deref(), Some("2"));
    assert!(store.episode(&episode).unwrap().acknowledgements.is_empty());
    assert_eq!(
        store.intake_cursor(&other.base_url()).unwrap().as_deref(),
        Some("2")
    );

    // The intake that received it: the unknown item is skipped, the pack's own is recorded, and
    // the episode says which intake it came from.
    let (n, next) =
        grabpack_send::record_acknowledgements(&mut store, &received_it.base_url(), &page, None)
            .unwrap();
    assert_eq!((n, next.as_deref()), (1, Some("2")));
    let acks = store.episode(&episode).unwrap().acknowledgements;
    assert_eq!(acks.len(), 1);
    assert_eq!(acks[0].value.intake, received_it.base_url());
    assert_eq!(acks[0].value.police_reference, "CAD 77 (fictional)");
}

/// Where the home's audit chain stood goes out with every pack (the intake's manifest and the
/// email's X-Grabpack-Audit-Head), so a rewrite of the log by someone holding the database key
/// is seen from outside even though the rewritten chain verifies on its own.
#[test]
fn every_pack_carries_the_audit_head_and_a_rewritten_log_no_longer_holds_it() {
    use grabpack_store::audit::AnchorFinding;
    let ca = TestCa::new();
    let smtp = SmtpServer::start(&ca, None);
    let intake = Intake::start(&ca);
    let (home, mut store) = TestHome::new();
    let mut settings = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    settings
        .intake_tokens
        .insert(intake.base_url(), TOKEN.into());
    let (seq, hash) = store.audit_head().unwrap().unwrap();
    let msg = queue(
        &mut store,
        &settings,
        &outgoing(
            &home,
            None,
            fake_pdf(17, 10_000),
            vec![
                intake_at(&intake.base_url()),
                email_to("sw@council.example", Role::SocialWorker),
            ],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    send_due(&mut store, &transports, Timestamp::now()).unwrap();

    let stored = intake.stored();
    assert_eq!(stored[0].manifest["audit_head"]["seq"], seq);
    assert_eq!(stored[0].manifest["audit_head"]["hash"], hash.as_str());
    let email = msg
        .deliveries
        .iter()
        .find(|d| d.email_message_id.is_some())
        .unwrap();
    let sent = String::from_utf8_lossy(&store.delivery_payload(&email.id).unwrap()).into_owned();
    assert!(
        sent.contains(&format!("X-Grabpack-Audit-Head: {seq}:{hash}")),
        "{sent:.600}"
    );
    assert_eq!(smtp.received().len(), 1, "the email went");
    assert_eq!(
        store.audit_check_anchor(seq, &hash).unwrap(),
        AnchorFinding::Holds
    );

    // Someone with the database key drops the triggers and writes the log again from that
    // entry on: the chain verifies, but the head the police hold is gone.
    let conn = store.connection_for_tests();
    conn.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;")
        .unwrap();
    conn.execute("DELETE FROM audit WHERE seq >= ?1", [seq])
        .unwrap();
    for n in 0..3 {
        grabpack_store::audit::append(
            conn,
            "2026-12-01T00:00:00Z",
            "someone",
            "edited",
            None,
            &format!("a quieter history {n} (fictional)"),
        )
        .unwrap();
    }
    assert!(
        store.audit_verify().unwrap().intact(),
        "the rewrite verifies"
    );
    assert_eq!(
        store.audit_check_anchor(seq, &hash).unwrap(),
        AnchorFinding::Rewritten
    );
    store
        .connection_for_tests()
        .execute("DELETE FROM audit WHERE seq >= ?1", [seq])
        .unwrap();
    assert_eq!(
        store.audit_check_anchor(seq, &hash).unwrap(),
        AnchorFinding::Missing
    );
}

/// The test child with a full immigration status and a person the child must not be taken to.
fn a_child_with_a_protected_address_and_an_immigration_status(
    store: &mut grabpack_store::Store,
    home: &TestHome,
) {
    let mut form = store.pack_material(&home.child_id).unwrap().form;
    form.identity.immigration_status = "Appeal lodged (fictional)".into();
    form.people.family.push(grabpack_core::Person {
        name: "Rex Testparent (fictional)".into(),
        relationship: "Father".into(),
        address: grabpack_core::Address {
            lines: vec!["7 Hidden Yard (fictional)".into()],
            ..Default::default()
        },
        protected_address: true,
        ..Default::default()
    });
    store.save_form(&home.child_id, &form, "test").unwrap();
}

#[test]
fn each_recipient_gets_their_audiences_version_and_the_outbox_records_which_with_its_hash() {
    let ca = TestCa::new();
    let smtp = SmtpServer::start(&ca, None);
    let (home, mut store) = TestHome::new();
    let settings = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    settings.save(&mut store).unwrap();
    a_child_with_a_protected_address_and_an_immigration_status(&mut store, &home);
    let episode = open_episode(&mut store, &home);
    let police = email_to("missing-persons@kent.police.example", Role::Police);
    let mut choice = grabpack_send::Choice::typed(vec![], &["advocate@council.gov.uk"]);
    choice.add.push(police);
    let msg = grabpack_send::queue_episode_pack(
        &mut store,
        &episode,
        &choice,
        "",
        grabpack_send::Purpose::Pack,
        Timestamp::now(),
    )
    .unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    send_due(&mut store, &transports, Timestamp::now()).unwrap();

    use grabpack_core::audience::Audience;
    let sent = store.outbox_message(&msg.id).unwrap();
    let version_of = |address: &str| {
        let d = sent
            .deliveries
            .iter()
            .find(|d| d.address == address)
            .unwrap();
        (d.audience, d.pdf_sha256.clone().unwrap())
    };
    let (police_audience, police_sha) = version_of("missing-persons@kent.police.example");
    let (care_audience, care_sha) = version_of("social.worker@council.example");
    let (extra_audience, extra_sha) = version_of("advocate@council.gov.uk");
    assert_eq!(police_audience, Some(Audience::Police));
    assert_eq!(care_audience, Some(Audience::SocialCare));
    assert_eq!(
        version_of("edt@council.example").0,
        Some(Audience::SocialCare)
    );
    assert_eq!(
        version_of("manager@maple-house.example").0,
        Some(Audience::SocialCare)
    );
    assert_eq!(extra_audience, Some(Audience::ExtraAddress));
    assert_eq!(
        sent.pdf_sha256.as_deref(),
        Some(police_sha.as_str()),
        "the message's own PDF is the police version"
    );
    assert_ne!(police_sha, care_sha);
    assert_ne!(police_sha, extra_sha);
    assert_ne!(care_sha, extra_sha);

    // What each mailbox received is the version recorded for it, read-out included.
    let received = smtp.received();
    for d in &sent.deliveries {
        let got = received.iter().find(|r| r.rcpt == d.address).unwrap();
        assert_eq!(got.pdf_sha256, d.pdf_sha256, "{}", d.address);
    }
    let text_of = |address: &str| {
        received
            .iter()
            .find(|r| r.rcpt == address)
            .unwrap()
            .text
            .clone()
    };
    assert!(text_of("missing-persons@kent.police.example").contains("Sam Social (fictional)"));
    assert!(
        !text_of("advocate@council.gov.uk").contains("Sam Social (fictional)"),
        "an added address's read-out holds page 1's facts for it only"
    );

    // The update and the returned notice keep each recipient's version.
    grabpack_send::queue_update(&mut store, &episode, "", Timestamp::now()).unwrap();
    let found = grabpack_store::episodes::Found {
        found_where: "Brixton station (fictional)".into(),
        ..Default::default()
    };
    grabpack_send::record_found(
        &mut store,
        &episode,
        Timestamp::now(),
        &found,
        Timestamp::now(),
    )
    .unwrap();
    let later: Vec<_> = store
        .outbox(None, Some(&episode))
        .unwrap()
        .into_iter()
        .filter(|m| m.id != msg.id)
        .collect();
    assert_eq!(later.len(), 2, "an update and a returned notice");
    for m in &later {
        for d in &m.deliveries {
            assert_eq!(
                d.audience,
                version_of(&d.address).0,
                "{:?} to {} keeps the first pack's version",
                m.purpose,
                d.address
            );
        }
    }
    let update = later
        .iter()
        .find(|m| m.purpose == grabpack_store::outbox::Purpose::Update)
        .unwrap();
    let hashes: std::collections::BTreeSet<_> = update
        .deliveries
        .iter()
        .filter_map(|d| d.pdf_sha256.clone())
        .collect();
    assert_eq!(hashes.len(), 3, "the update is rendered once per audience");
}

/// Every record `from` has not handed over yet, taken in by `to` as the hub would hand them over.
fn hand_over(from: &mut grabpack_store::Store, to: &mut grabpack_store::Store, cursor: &mut i64) {
    let out = from.sync_outgoing(1000).unwrap();
    let mut marks = Vec::new();
    let received: Vec<_> = out
        .into_iter()
        .map(|record| {
            let envelope_id = format!("from-a-{}-{}", record.kind, record.record_id);
            marks.push((
                record.kind.clone(),
                record.record_id.clone(),
                envelope_id.clone(),
            ));
            grabpack_store::sync::ReceivedRecord {
                envelope_id,
                device_id: "device-a".into(),
                record,
            }
        })
        .collect();
    from.sync_mark_sent(&marks).unwrap();
    *cursor += received.len() as i64;
    to.sync_receive(&received, *cursor).unwrap();
}

#[test]
fn a_refusal_of_a_pack_another_device_sent_is_recorded_and_told_once_by_the_device_that_sent_it() {
    let ca = TestCa::new();
    let intake = Intake::start(&ca);
    let (home, mut a) = TestHome::new();
    let (_home_b, mut b) = TestHome::new();
    let mut settings = smtp_settings(&ca, 1, SMTP_PASSWORD);
    settings
        .intake_tokens
        .insert(intake.base_url(), TOKEN.into());
    settings.save(&mut a).unwrap();
    // B holds the same intake token (set up by hand on each device), so it reads the same feed.
    settings.save(&mut b).unwrap();
    let episode = open_episode(&mut a, &home);
    let msg = queue(
        &mut a,
        &settings,
        &outgoing(
            &home,
            Some(&episode),
            fake_pdf(15, 10_000),
            vec![intake_at(&intake.base_url())],
        ),
        None,
        Timestamp::now(),
    )
    .unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    send_due(&mut a, &transports, Timestamp::now()).unwrap();
    let mut cursor = 0;
    hand_over(&mut a, &mut b, &mut cursor);
    intake.acknowledge(
        &msg.deliveries[0].idempotency_key,
        "not_accepted",
        "PC Test (fictional)",
        "4321",
        "",
        "low",
    );

    // B reads the refusal first: it leaves it to A, which sent the pack.
    grabpack_send::poll_acknowledgements(&mut b, &transports).unwrap();
    let on_b = b.episode(&episode).unwrap();
    assert!(on_b.acknowledgements.is_empty() && on_b.not_accepted.is_empty());
    let notices = |s: &grabpack_store::Store| {
        s.outbox(None, Some(&episode))
            .unwrap()
            .into_iter()
            .filter(|m| m.purpose == grabpack_store::outbox::Purpose::NotAcceptedNotice)
            .count()
    };
    assert_eq!(notices(&b), 0, "B queues no notice of its own");

    // A records it and queues the notice; both reach B once.
    grabpack_send::poll_acknowledgements(&mut a, &transports).unwrap();
    hand_over(&mut a, &mut b, &mut cursor);
    let on_b = b.episode(&episode).unwrap();
    assert_eq!(on_b.acknowledgements.len(), 1);
    assert_eq!(on_b.not_accepted.len(), 1);
    assert_eq!(notices(&b), 1, "one refusal, one notice, A's");
    assert_eq!(notices(&a), 1);
}
