//! Load on loopback: 50 homes each send 20 packs at the same time. Every pack is stored exactly
//! once, every sender gets its own receipt, and the process's peak memory stays bounded by the
//! upload limiter rather than growing with the number of senders: at most `LIMITER` uploads are
//! ever held in memory at once (each at most `max_pack_bytes`, enforced while streaming), and the
//! process's peak memory is printed with a generous ceiling.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;

use common::*;

const HOMES: usize = 50;
const PACKS_PER_HOME: usize = 20;
const PACK_BYTES: usize = 48 * 1024;
/// Uploads the service may read at once: what bounds its upload memory.
const LIMITER: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_homes_sending_twenty_packs_each_are_all_stored_exactly_once() {
    let inbox = TestInbox::start_with(Options {
        homes: HOMES,
        max_pack_bytes: 1024 * 1024,
        max_concurrent_uploads: LIMITER,
        ..Options::default()
    })
    .await;
    let hwm_before = vm_hwm_kb().unwrap_or(0);
    let mut tasks = Vec::new();
    for home in 0..HOMES {
        let client = inbox.client();
        for n in 0..PACKS_PER_HOME {
            let client = client.clone();
            let url = inbox.url("/v1/packs");
            tasks.push(tokio::spawn(async move {
                let pdf = fake_pdf(PACK_BYTES, &format!("home {home} pack {n}"));
                let key = new_key();
                let m = manifest(home, &key, &pdf);
                // A sender retries on a transport error, as the real outbox does.
                for attempt in 0..5 {
                    let r = client
                        .post(&url)
                        .bearer_auth(token_for(home))
                        .header("Idempotency-Key", &key)
                        .multipart(form(&m, pdf.clone()))
                        .send()
                        .await;
                    match r {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            let body: serde_json::Value = r.json().await.unwrap();
                            return (key, status, body, attempt);
                        }
                        Err(_) => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
                    }
                }
                panic!("home {home} pack {n}: no answer after 5 attempts");
            }));
        }
    }
    let mut receipts = HashSet::new();
    let mut retries = 0;
    for t in tasks {
        let (key, status, body, attempt) = t.await.unwrap();
        retries += attempt;
        assert!(
            status == 201 || (status == 200 && attempt > 0),
            "{status} {body}"
        );
        assert_eq!(body["idempotency_key"], key.as_str());
        assert!(receipts.insert(body["receipt_id"].as_str().unwrap().to_string()));
    }
    let hwm_after = vm_hwm_kb().unwrap_or(0);
    let total = (HOMES * PACKS_PER_HOME) as i64;
    assert_eq!(
        receipts.len() as i64,
        total,
        "every sender got its own receipt"
    );
    assert_eq!(inbox.packs().await, total, "every pack stored exactly once");
    assert_eq!(
        inbox
            .count("SELECT COUNT(*) FROM (SELECT 1 FROM packs GROUP BY home_id, idempotency_key HAVING COUNT(*) > 1)")
            .await,
        0
    );
    assert_eq!(
        inbox
            .count("SELECT COUNT(DISTINCT home_id) FROM packs")
            .await,
        HOMES as i64
    );
    assert!(inbox.audit_intact().await);
    let peak = inbox
        .running
        .as_ref()
        .unwrap()
        .state
        .uploads_reading_peak
        .load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        peak <= LIMITER,
        "{peak} uploads were read at once; the limit is {LIMITER}"
    );
    println!(
        "load: {total} packs of {} KiB from {HOMES} homes; retries {retries}; at most {peak} uploads read at once (limit {LIMITER}); VmHWM before {} MiB, after {} MiB (growth {} MiB, senders in the same process)",
        PACK_BYTES / 1024,
        hwm_before / 1024,
        hwm_after / 1024,
        hwm_after.saturating_sub(hwm_before) / 1024
    );
    assert!(
        hwm_after.saturating_sub(hwm_before) < 512 * 1024,
        "peak memory grew by {} MiB",
        hwm_after.saturating_sub(hwm_before) / 1024
    );
    inbox.stop().await;
}

/// How many fresh processes race their first opens. Without the fix about 3 in 100 runs lost an
/// open on this machine, so 150 runs catch a regression almost always.
const FIRST_OPEN_RUNS: usize = 150;
const FIRST_OPEN_THREADS: usize = 8;

/// Run in a fresh process by the test below: eight threads open eight new databases at the same
/// instant, as the service's first connections do when several requests arrive at start-up.
#[test]
#[ignore = "run in a child process by the_first_databases_opened_at_once_all_open"]
fn first_open_child_process() {
    let Ok(dir) = std::env::var("GRABPACK_FIRST_OPEN_DIR") else {
        return;
    };
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(FIRST_OPEN_THREADS));
    let threads: Vec<_> = (0..FIRST_OPEN_THREADS)
        .map(|i| {
            let barrier = barrier.clone();
            let path = std::path::Path::new(&dir).join(format!("inbox-{i}.db"));
            std::thread::spawn(move || {
                barrier.wait();
                grabpack_inbox::db::open(&path, &[i as u8 + 1; 32], true).map(drop)
            })
        })
        .collect();
    for t in threads {
        if let Err(e) = t.join().unwrap() {
            println!("open failed: {e}");
        }
    }
}

/// SQLCipher finishes its own set-up after SQLite has marked itself ready, so a process's first
/// connections, opened at once, could be refused "PRAGMA key" (seen once in CI). Every one of
/// them must open.
#[test]
fn the_first_databases_opened_at_once_all_open() {
    let exe = std::env::current_exe().unwrap();
    let mut failures = Vec::new();
    for _ in 0..FIRST_OPEN_RUNS {
        let dir = tempfile::tempdir().unwrap();
        let out = std::process::Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "first_open_child_process",
                "--nocapture",
            ])
            .env("GRABPACK_FIRST_OPEN_DIR", dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        failures.extend(
            stdout
                .lines()
                .filter(|l| l.contains("open failed"))
                .map(str::to_owned),
        );
    }
    assert!(
        failures.is_empty(),
        "{} first opens failed: {failures:?}",
        failures.len()
    );
}
