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
