//! Crash safety of sending: a process sending packs is killed with SIGKILL at random moments, again
//! and again. Afterwards every pack is delivered exactly once at the HTTPS intake (the retry
//! reuses the idempotency key), at least once by email (a retry reuses the Message-ID), and none is
//! lost. Uses the re-exec-yourself pattern: this test binary is started again as the sender.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use grabpack_send::recipients::Role;
use grabpack_send::{SendSettings, Transports, queue, recover, send_due};
use grabpack_store::outbox::DeliveryState;
use jiff::Timestamp;

const KILLS: usize = 50;

/// The sender: only runs when the crash test starts this binary as a child process.
#[test]
#[ignore = "run as a child process by a_sender_killed_at_random_sends_every_pack_once_at_https_and_loses_none"]
fn sender_child_process() {
    let dir = std::env::var("GRABPACK_CRASH_DIR").expect("started by the crash test");
    let mut store = grabpack_store::Store::unlock(
        std::path::Path::new(&dir),
        grabpack_store::Credential::Passphrase(&PASSPHRASE.into()),
        None,
    )
    .unwrap();
    let settings = SendSettings::load(&store).unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    recover(&mut store, Timestamp::now()).unwrap();
    println!("ready");
    loop {
        let report = send_due(&mut store, &transports, Timestamp::now()).unwrap();
        for d in &report.attempted {
            println!("{} {}", d.id, d.state.as_str());
        }
        if report.attempted.is_empty() {
            println!("idle");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn a_sender_killed_at_random_sends_every_pack_once_at_https_and_loses_none() {
    let ca = TestCa::new();
    let smtp = SmtpServer::start(&ca, None);
    let intake = Intake::start(&ca);
    let (home, mut store) = TestHome::new();
    let mut settings = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    settings
        .intake_tokens
        .insert(intake.base_url(), TOKEN.into());
    settings.save(&mut store).unwrap();
    drop(store);

    let exe = std::env::current_exe().unwrap();
    let mut messages = Vec::new();
    for run in 0..KILLS {
        // A new pack is queued (committed) before each run, so kills land at every stage.
        let mut store = home.unlock();
        let msg = queue(
            &mut store,
            &settings,
            &outgoing(
                &home,
                None,
                fake_pdf(run as u32, 40_000),
                vec![
                    intake_at(&intake.base_url()),
                    email_to("sw@council.example", Role::SocialWorker),
                ],
            ),
            None,
            Timestamp::now(),
        )
        .unwrap();
        messages.push(msg.id.clone());
        drop(store);

        let mut child = Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "sender_child_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("GRABPACK_CRASH_DIR", home.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.ends_with("ready") {
                    let _ = tx.send(());
                }
            }
        });
        rx.recv_timeout(Duration::from_secs(60))
            .expect("the sender started");
        // From at once to well after a pass ends: kills land while claiming, while bytes are on
        // the wire, after a server accepted but before the receipt is written, and when idle.
        std::thread::sleep(Duration::from_millis(rand::random_range(0..400)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();

        let store = home.unlock();
        if std::env::var("GRABPACK_CRASH_DEBUG").is_ok() {
            let c = store.connection_for_tests();
            let n: i64 = c
                .query_row(
                    "SELECT count(*) FROM outbox_deliveries WHERE state = 'sending'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            let q: i64 = c
                .query_row(
                    "SELECT count(*) FROM outbox_deliveries WHERE state = 'queued'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            eprintln!("run {run}: sending {n} queued {q}");
        }
        assert!(
            store.integrity_check().unwrap().is_empty(),
            "run {run}: integrity"
        );
        assert!(
            store.audit_verify().unwrap().intact(),
            "run {run}: audit chain"
        );
    }

    // The app starts once more and finishes what is left.
    let mut store = home.unlock();
    let transports = Transports::from_settings(&settings).unwrap();
    recover(&mut store, Timestamp::now()).unwrap();
    send_due(&mut store, &transports, Timestamp::now()).unwrap();

    let mut https_keys = HashSet::new();
    let mut email_ids = HashSet::new();
    for id in &messages {
        for d in store.outbox_message(id).unwrap().deliveries {
            assert_eq!(d.state, DeliveryState::Delivered, "none lost: {d:#?}");
            match d.email_message_id {
                Some(mid) => {
                    email_ids.insert(mid);
                }
                None => {
                    https_keys.insert(d.idempotency_key);
                }
            }
        }
    }
    let mut stored_per_key: HashMap<String, usize> = HashMap::new();
    for p in intake.stored() {
        *stored_per_key.entry(p.idempotency_key).or_default() += 1;
    }
    assert_eq!(stored_per_key.len(), KILLS, "every pack reached the intake");
    assert!(
        stored_per_key.values().all(|&n| n == 1),
        "exactly once at the intake"
    );
    assert!(stored_per_key.keys().all(|k| https_keys.contains(k)));
    let received: HashSet<String> = smtp.received().into_iter().map(|r| r.message_id).collect();
    assert_eq!(
        received, email_ids,
        "at least once by email, each with its one Message-ID"
    );
    let interrupted = store
        .audit_list(None, Some("delivery_interrupted"), 10_000)
        .unwrap()
        .len();
    assert!(
        interrupted > 0,
        "some kills landed while a pack was being sent"
    );
    let posts = intake.state.lock().unwrap().posts;
    println!(
        "{KILLS} kills, {interrupted} sends cut short: {posts} intake POSTs stored {KILLS} packs; {} emails received for {KILLS}",
        smtp.received().len()
    );
}

/// Packs queued for the two-sender test: each goes to one intake and one mailbox, so the two
/// senders share 1,000 deliveries.
const SHARED_PACKS: usize = 500;

/// The command line's sender, as a manager or a script runs it again and again beside the open
/// app: every run starts with `recover`, then sends what is due. Only runs when the two-sender
/// test starts this binary as a child process.
#[test]
#[ignore = "run as a child process by two_senders_on_one_store_send_each_delivery_exactly_once"]
fn command_line_sender_child_process() {
    let dir = std::env::var("GRABPACK_CRASH_DIR").expect("started by the two-sender test");
    let mut store = grabpack_store::Store::unlock(
        std::path::Path::new(&dir),
        grabpack_store::Credential::Passphrase(&PASSPHRASE.into()),
        None,
    )
    .unwrap();
    let settings = SendSettings::load(&store).unwrap();
    let transports = Transports::from_settings(&settings).unwrap();
    loop {
        recover(&mut store, Timestamp::now()).unwrap();
        send_due(&mut store, &transports, Timestamp::now()).unwrap();
        if store.undelivered_count().unwrap() == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    println!("done");
}

/// The app's sender (claim under the store, deliver without it, record) and the command line's
/// `outbox send` work on one store at the same time. Each of 1,000 deliveries goes out exactly
/// once: one POST per pack at the intake (no replay) and one email per Message-ID at the mail
/// server. Before claims named their sender, every `outbox send` put the app's in-flight
/// deliveries back in the queue and sent them again.
#[test]
fn two_senders_on_one_store_send_each_delivery_exactly_once() {
    let ca = TestCa::new();
    let smtp = SmtpServer::start(&ca, None);
    let intake = Intake::start(&ca);
    let (home, mut store) = TestHome::new();
    let mut settings = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    settings
        .intake_tokens
        .insert(intake.base_url(), TOKEN.into());
    settings.save(&mut store).unwrap();
    let mut messages = Vec::new();
    for n in 0..SHARED_PACKS {
        let msg = queue(
            &mut store,
            &settings,
            &outgoing(
                &home,
                None,
                fake_pdf(n as u32, 2_000),
                vec![
                    intake_at(&intake.base_url()),
                    email_to("sw@council.example", Role::SocialWorker),
                ],
            ),
            None,
            Timestamp::now(),
        )
        .unwrap();
        messages.push(msg.id);
    }

    let exe = std::env::current_exe().unwrap();
    let command_line = Command::new(&exe)
        .args([
            "--ignored",
            "--exact",
            "command_line_sender_child_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("GRABPACK_CRASH_DIR", home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();

    // The app's sender thread: recover once at start, then claim / deliver / record.
    let transports = Transports::from_settings(&settings).unwrap();
    recover(&mut store, Timestamp::now()).unwrap();
    let mut app_attempts = 0;
    while store.undelivered_count().unwrap() > 0 {
        let claimed = grabpack_send::claim_due(&mut store, Timestamp::now()).unwrap();
        app_attempts += claimed.len();
        let outcomes = grabpack_send::deliver_all(&transports, &claimed);
        grabpack_send::record_outcomes(&mut store, &claimed, outcomes, Timestamp::now()).unwrap();
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = command_line.wait_with_output().unwrap();
    assert!(out.status.success(), "the command line's sender failed");

    let mut email_ids = HashSet::new();
    for id in &messages {
        for d in store.outbox_message(id).unwrap().deliveries {
            assert_eq!(d.state, DeliveryState::Delivered, "none lost: {d:#?}");
            if let Some(mid) = d.email_message_id {
                email_ids.insert(mid);
            }
        }
    }
    let state = intake.state.lock().unwrap();
    let keys: HashSet<&str> = state
        .stored
        .iter()
        .map(|p| p.idempotency_key.as_str())
        .collect();
    assert_eq!(keys.len(), SHARED_PACKS, "every pack reached the intake");
    assert_eq!(
        state.posts, SHARED_PACKS,
        "each pack was sent to the intake once, never replayed by the other sender"
    );
    let received = smtp.received();
    let received_ids: HashSet<String> = received.iter().map(|r| r.message_id.clone()).collect();
    assert_eq!(received_ids, email_ids, "every email arrived");
    assert_eq!(
        received.len(),
        SHARED_PACKS,
        "each email was sent once, never by both senders"
    );
    println!(
        "{} deliveries: the app attempted {app_attempts}, the command line the rest; {} intake POSTs, {} emails",
        2 * SHARED_PACKS,
        state.posts,
        received.len()
    );
    assert!(
        store.audit_verify().unwrap().intact(),
        "the audit chain holds"
    );
}
