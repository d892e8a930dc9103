//! The intake under abuse on loopback: a flood of sign-ins from several addresses while homes
//! send packs (every pack still stored, the flood throttled before any password check, its
//! records coalesced), and a home that floods packs or holds every upload slot is limited to its
//! own share while another home's packs still go in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::*;

const PASSWORD: &str = "a long fictional password";

/// A client whose connections come from `ip` (any 127.0.0.0/8 address works on loopback).
fn client_from(inbox: &TestInbox, ip: IpAddr) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(inbox.ca.ca_pem.as_bytes()).unwrap();
    reqwest::Client::builder()
        .tls_certs_merge([ca])
        .local_address(ip)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Send `n` packs from home 0 one after another; each one's time to its receipt, in ms.
async fn send_packs(inbox: &TestInbox, n: usize, label: &str) -> Vec<f64> {
    let client = inbox.client();
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        let pdf = fake_pdf(64 * 1024, &format!("{label} {i}"));
        let key = new_key();
        let started = Instant::now();
        let (status, body) = send(
            &client,
            inbox,
            &token_for(0),
            &key,
            form(&manifest(0, &key, &pdf), pdf),
        )
        .await;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(status, 201, "{label} pack {i}: {body}");
    }
    times
}

fn summary(times: &[f64]) -> String {
    let mut t = times.to_vec();
    t.sort_by(|a, b| a.total_cmp(b));
    format!(
        "median {:.1} ms, 90th {:.1} ms, worst {:.1} ms",
        t[t.len() / 2],
        t[t.len() * 9 / 10],
        t[t.len() - 1]
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sign_in_flood_is_throttled_before_any_password_check_and_packs_are_still_stored() {
    let inbox = TestInbox::start().await;
    inbox.add_officer("sgt-example", PASSWORD).await;
    const PACKS: usize = 20;

    let quiet = send_packs(&inbox, PACKS, "quiet").await;

    // The flood: 8 addresses, 4 connections each, wrong passwords for a real name and for
    // made-up ones, as fast as the service answers, until the packs below are all in.
    let stop = Arc::new(AtomicBool::new(false));
    let attempts = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let mut flood = Vec::new();
    for a in 0..8u8 {
        let client = client_from(&inbox, IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2 + a)));
        for c in 0..4 {
            let (client, stop, attempts, refused) = (
                client.clone(),
                stop.clone(),
                attempts.clone(),
                refused.clone(),
            );
            let inbox_ref = InboxAddr(inbox.base.clone());
            flood.push(tokio::spawn(async move {
                let mut i = 0u32;
                while !stop.load(Ordering::SeqCst) {
                    let user = if (i + c).is_multiple_of(2) {
                        "sgt-example".to_string()
                    } else {
                        format!("guess-{a}-{i}")
                    };
                    let status = inbox_ref.sign_in(&client, &user, "wrong guess").await;
                    attempts.fetch_add(1, Ordering::SeqCst);
                    if status == 429 {
                        refused.fetch_add(1, Ordering::SeqCst);
                    }
                    i += 1;
                }
            }));
        }
    }
    // Let the flood reach full speed before measuring.
    while attempts.load(Ordering::SeqCst) < 200 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let flooded = send_packs(&inbox, PACKS, "flooded").await;
    stop.store(true, Ordering::SeqCst);
    for f in flood {
        f.await.unwrap();
    }

    let attempts = attempts.load(Ordering::SeqCst);
    let refused = refused.load(Ordering::SeqCst);
    let failure_rows = inbox.count("SELECT COUNT(*) FROM login_failures").await;
    let failed_audits = inbox.audit_actions("user.login_failed").await;
    let throttled_audits = inbox.audit_actions("user.login_throttled").await;
    println!("packs alone:            {}", summary(&quiet));
    println!("packs during the flood: {}", summary(&flooded));
    println!(
        "sign-in flood: {attempts} attempts, {refused} refused with 429 before any password check, \
         {failure_rows} failure rows written, {failed_audits} login_failed and \
         {throttled_audits} login_throttled audit entries"
    );

    assert_eq!(
        inbox.packs().await,
        2 * PACKS as i64,
        "every pack is stored"
    );
    assert!(refused > 0, "the flood was never throttled");
    // Only what the gate admits reaches Argon2 and the database: at most 10 per address per
    // minute (two windows if the run straddles a minute).
    assert!(
        failure_rows <= 8 * 10 * 2,
        "{failure_rows} failed sign-ins reached the database"
    );
    // Failures and refusals are audited per address per window, not one entry per attempt.
    assert!(
        failed_audits < failure_rows,
        "failures not coalesced: {failed_audits} entries for {failure_rows} failures"
    );
    assert!(
        (throttled_audits as usize) < refused,
        "refusals not coalesced: {throttled_audits} entries for {refused} refusals"
    );
    assert!(inbox.audit_intact().await);
    // The real officer can still sign in from their own address once the flood is over.
    let own = client_from(&inbox, IpAddr::V4(Ipv4Addr::new(127, 0, 0, 50)));
    let status = InboxAddr(inbox.base.clone())
        .sign_in(&own, "sgt-example", PASSWORD)
        .await;
    // The name was throttled by the flood's wrong guesses (5 in 15 minutes): the password
    // cannot be guessed online, and the refusal is the name's, not a crash.
    assert_eq!(status, 429);
    // Refused by the gate, the page says so in an officer's words. (One address gets at most
    // 10 password checks a minute, so 11 tries meet the gate whenever the minute turned.)
    let flooder = client_from(&inbox, IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)));
    let mut pages = Vec::new();
    for _ in 0..11 {
        let page = flooder
            .post(inbox.url("/login"))
            .header("Cookie", "__Host-grabpack_login=flood")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("csrf=flood&username=someone-else&password=x")
            .send()
            .await
            .unwrap();
        pages.push((page.status().as_u16(), page.text().await.unwrap()));
    }
    assert!(
        pages
            .iter()
            .any(|(s, t)| *s == 429 && t.contains("Too many sign-in attempts right now")),
        "the gate's refusal page was never seen"
    );
    inbox.stop().await;
}

/// The service's address, for tasks that outlive a borrow of the test inbox. `sign_in` posts
/// one sign-in the way a browser does (double-submit CSRF cookie) and returns the status.
#[derive(Clone)]
struct InboxAddr(String);

impl InboxAddr {
    async fn sign_in(&self, client: &reqwest::Client, user: &str, password: &str) -> u16 {
        let body = format!(
            "csrf=flood&username={}&password={}",
            user,
            password.replace(' ', "+")
        );
        client
            .post(format!("{}/login", self.0))
            .header("Cookie", "__Host-grabpack_login=flood")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map(|r| r.status().as_u16())
            .unwrap_or(0)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_home_flooding_packs_is_limited_to_its_own_share_and_another_home_still_gets_in() {
    let inbox = TestInbox::start_with(Options {
        packs_per_home_per_minute: 30,
        max_uploads_per_home: 2,
        max_concurrent_uploads: 4,
        ..Options::default()
    })
    .await;
    // Home 1 sends 60 packs at once: only 30 are started this minute (at most 2 at a time, so
    // it never holds the other home's slots) and the rest are told to come back later.
    let client = inbox.client();
    let mut tasks = Vec::new();
    for i in 0..60 {
        let client = client.clone();
        let base = inbox.base.clone();
        tasks.push(tokio::spawn(async move {
            let pdf = fake_pdf(32 * 1024, &format!("flood {i}"));
            let key = new_key();
            let resp = client
                .post(format!("{base}/v1/packs"))
                .bearer_auth(token_for(1))
                .header("Idempotency-Key", &key)
                .multipart(form(&manifest(1, &key, &pdf), pdf))
                .send()
                .await
                .unwrap();
            let status = resp.status().as_u16();
            let retry = resp.headers().get("retry-after").is_some();
            let code = resp
                .json::<serde_json::Value>()
                .await
                .ok()
                .and_then(|v| v["error"]["code"].as_str().map(str::to_string));
            (status, retry, code)
        }));
    }
    // Meanwhile home 0 sends its packs and each one is stored.
    let other = send_packs(&inbox, 5, "other home").await;
    let mut stored = 0;
    let mut limited = 0;
    for t in tasks {
        match t.await.unwrap() {
            (201, _, _) => stored += 1,
            (429, true, Some(code)) if code == "intake.rate_limited" => limited += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    println!("home 0 while home 1 floods: {}", summary(&other));
    assert_eq!(stored, 30, "home 1's packs stored this minute");
    assert_eq!(limited, 30, "home 1's packs refused as over its limit");
    assert_eq!(inbox.packs().await, 35);
    assert!(
        inbox
            .running
            .as_ref()
            .unwrap()
            .state
            .uploads_reading_peak
            .load(Ordering::SeqCst)
            <= 4
    );
    inbox.stop().await;
}
