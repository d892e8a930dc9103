//! Receipts per second and latency for 3-photo grab packs (~600 KB) over real HTTPS on loopback,
//! at a few levels of concurrency, plus peak memory. Prints a table; asserts nothing.
//!
//! Run: `cargo bench -p grabpack-inbox --bench intake` (release). `INBOX_BENCH_PACKS` sets the
//! number of packs per row (default 200).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::*;

const PACK_BYTES: usize = 600 * 1024;

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing useful: run either way.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run());
}

async fn run() {
    let packs: usize = std::env::var("INBOX_BENCH_PACKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let homes = 32;
    let inbox = TestInbox::start_with(Options {
        homes,
        max_pack_bytes: 25 * 1024 * 1024,
        max_concurrent_uploads: 16,
    })
    .await;
    // One PDF body per home, reused with fresh keys: the server hashes and stores every one.
    let pdfs: Vec<Vec<u8>> = (0..homes)
        .map(|h| fake_pdf(PACK_BYTES, &format!("bench {h}")))
        .collect();
    println!();
    println!(
        "grabpack-inbox intake, {} KiB packs, HTTPS on loopback, {} packs per row",
        PACK_BYTES / 1024,
        packs
    );
    println!("| concurrent senders | receipts/s | median ms | worst ms | VmHWM MiB |");
    println!("|---:|---:|---:|---:|---:|");
    for concurrency in [1usize, 8, 32] {
        let clients: Vec<reqwest::Client> = (0..concurrency).map(|_| inbox.client()).collect();
        let started = Instant::now();
        let mut tasks = Vec::new();
        for (w, client) in clients.into_iter().enumerate() {
            let per = packs / concurrency + usize::from(w < packs % concurrency);
            let home = w % homes;
            let pdf = pdfs[home].clone();
            let url = inbox.url("/v1/packs");
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::with_capacity(per);
                for _ in 0..per {
                    let key = new_key();
                    let m = manifest(home, &key, &pdf);
                    let t = Instant::now();
                    let r = client
                        .post(&url)
                        .bearer_auth(token_for(home))
                        .header("Idempotency-Key", &key)
                        .multipart(form(&m, pdf.clone()))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status().as_u16(), 201);
                    let _ = r.bytes().await.unwrap();
                    lat.push(t.elapsed());
                }
                lat
            }));
        }
        let mut lat: Vec<Duration> = Vec::new();
        for t in tasks {
            lat.extend(t.await.unwrap());
        }
        let wall = started.elapsed();
        lat.sort();
        let median = lat[lat.len() / 2];
        let worst = lat[lat.len() - 1];
        println!(
            "| {concurrency} | {:.1} | {:.1} | {:.1} | {} |",
            lat.len() as f64 / wall.as_secs_f64(),
            median.as_secs_f64() * 1000.0,
            worst.as_secs_f64() * 1000.0,
            vm_hwm_kb().unwrap_or(0) / 1024
        );
    }
    println!("stored: {} packs", inbox.packs().await);
    inbox.stop().await;
}
