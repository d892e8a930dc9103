//! The hub under many homes at once: N homes x 3 devices, every device pushing records (one
//! envelope each, 2 KiB of sealed body, like a revision) while every device long-polls for its
//! home's records, against two hub instances on one throwaway PostgreSQL on loopback. Prints
//! records stored per second, push latency (median, p99), how long until every device had every
//! record of its home, and PostgreSQL's size per home. Asserts nothing but completeness.
//!
//! Run: `cargo bench --bench hub` for release figures, or the debug binary the workspace build
//! makes (`target/debug/deps/hub-*`). `HUB_BENCH_HOMES` (default 100) and `HUB_BENCH_RECORDS`
//! (records per device, default 10) set the size.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{Options, TestHub};
use grabpack_sync::Record;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run());
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

async fn run() {
    let homes = env_or("HUB_BENCH_HOMES", 100);
    let per_device = env_or("HUB_BENCH_RECORDS", 10);
    let hub = TestHub::start_with(Options {
        instances: 2,
        max_envelope_bytes: 1024 * 1024,
        max_long_poll_secs: 30,
    })
    .await;
    let setup = Instant::now();
    let mut all = Vec::new();
    for h in 0..homes {
        let a = hub.new_home(&format!("Fictional bench home {h}")).await;
        let b = hub.pair(&a, 0).await;
        let c = hub.pair(&a, 1).await;
        all.push(vec![a, b, c]);
    }
    eprintln!("set up {homes} homes x 3 devices in {:?}", setup.elapsed());
    let clients = [hub.client(0), hub.client(1)];
    let expected = 3 * per_device;
    let start = Instant::now();
    let mut pushers = Vec::new();
    let mut pullers = Vec::new();
    for (h, devices) in all.iter().enumerate() {
        for (i, d) in devices.iter().enumerate() {
            let client = clients[(h + i) % 2].clone();
            let identity = d.identity.clone();
            let keys = d.keys.clone();
            pullers.push(tokio::spawn({
                let client = client.clone();
                let identity = identity.clone();
                async move {
                    let (mut cursor, mut seen) = (0, 0);
                    while seen < expected {
                        let page = client.pull(&identity, cursor, 1000, 25).await.unwrap();
                        seen += page.envelopes.len();
                        cursor = page.cursor;
                    }
                    start.elapsed()
                }
            }));
            pushers.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                for n in 0..per_device {
                    let record = Record {
                        kind: "revision".into(),
                        record_id: uuid::Uuid::new_v4().to_string(),
                        body: vec![(n % 251) as u8; 2048],
                    };
                    let e = keys.seal(&identity.device_id, &record).unwrap();
                    let t = Instant::now();
                    client.push(&identity, vec![e]).await.unwrap();
                    latencies.push(t.elapsed());
                }
                latencies
            }));
        }
    }
    let mut latencies = Vec::new();
    for p in pushers {
        latencies.extend(p.await.unwrap());
    }
    let pushed_in = start.elapsed();
    let mut everyone = Duration::ZERO;
    for p in pullers {
        everyone = everyone.max(p.await.unwrap());
    }
    latencies.sort();
    let records = latencies.len();
    let stored = hub.count("SELECT count(*) FROM envelopes").await;
    assert_eq!(stored as usize, records, "every record stored once");
    let pg_bytes = hub
        .count("SELECT pg_database_size(current_database())")
        .await;
    let env_bytes = hub
        .count("SELECT pg_total_relation_size('envelopes')")
        .await;
    println!(
        "| homes x devices | records | pushed in | records/s | push p50 | push p99 | every device had every record | PostgreSQL (envelopes) per home |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    println!(
        "| {homes} x 3 | {records} | {:.1} s | {:.0} | {:.1} ms | {:.1} ms | {:.1} s | {:.1} KiB ({:.1} KiB; database {:.1} MiB) |",
        pushed_in.as_secs_f64(),
        records as f64 / pushed_in.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        everyone.as_secs_f64(),
        pg_bytes as f64 / homes as f64 / 1024.0,
        env_bytes as f64 / homes as f64 / 1024.0,
        pg_bytes as f64 / 1024.0 / 1024.0,
    );
    hub.stop().await;
}
