//! Receipts per second and latency for 3-photo grab packs (~600 KB) over real HTTPS on loopback,
//! at a few levels of concurrency, then the load test's shape (50 homes x 20 packs at once), with
//! the service's own peak memory (VmHWM of the server process, which runs as the real binary in
//! its own process). Prints a table; asserts nothing but success.
//!
//! Run: `cargo bench -p grabpack-inbox --bench intake` (release). `INBOX_BENCH_PACKS` sets the
//! number of packs per concurrency row (default 200).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const PACK_BYTES: usize = 600 * 1024;
const BIN: &str = env!("CARGO_BIN_EXE_grabpack-inbox");
const HOMES: usize = 50;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run());
}

fn server_hwm_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

struct Row {
    label: String,
    lat: Vec<Duration>,
    wall: Duration,
    hwm_kb: u64,
}

impl Row {
    fn print(&mut self) {
        self.lat.sort();
        let median = self.lat[self.lat.len() / 2];
        let worst = self.lat[self.lat.len() - 1];
        println!(
            "| {} | {} | {:.1} | {:.1} | {:.1} | {} |",
            self.label,
            self.lat.len(),
            self.lat.len() as f64 / self.wall.as_secs_f64(),
            median.as_secs_f64() * 1000.0,
            worst.as_secs_f64() * 1000.0,
            self.hwm_kb / 1024
        );
    }
}

async fn send_many(
    client: reqwest::Client,
    url: String,
    home: usize,
    pdf: std::sync::Arc<Vec<u8>>,
    n: usize,
) -> Vec<Duration> {
    let mut lat = Vec::with_capacity(n);
    for _ in 0..n {
        let key = new_key();
        let m = manifest(home, &key, &pdf);
        let t = Instant::now();
        let r = client
            .post(&url)
            .bearer_auth(token_for(home))
            .header("Idempotency-Key", &key)
            .multipart(form(&m, pdf.to_vec()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201);
        let _ = r.bytes().await.unwrap();
        lat.push(t.elapsed());
    }
    lat
}

async fn run() {
    let packs: usize = std::env::var("INBOX_BENCH_PACKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let ca = test_ca();
    std::fs::write(dir.path().join("cert.pem"), &ca.server_cert_pem).unwrap();
    std::fs::write(dir.path().join("key.pem"), &ca.server_key_pem).unwrap();
    let mut cfg = String::from(
        "listen = \"127.0.0.1:0\"\ndatabase = \"inbox.db\"\nkey_file = \"inbox.key\"\ntls_cert = \"cert.pem\"\ntls_key = \"key.pem\"\nmax_concurrent_uploads = 16\n# The benchmark measures throughput, so no home is held to a per-minute share.\npacks_per_home_per_minute = 1000000\nmax_uploads_per_home = 16\n",
    );
    for h in 0..HOMES {
        cfg.push_str(&format!(
            "[[homes]]\nid = \"{}\"\nname = \"Fictional House {h}\"\ntoken_sha256 = \"{}\"\n",
            home_id(h),
            hex::encode(grabpack_inbox::config::token_sha256(&token_for(h)))
        ));
    }
    let cfg_path = dir.path().join("inbox.toml");
    std::fs::write(&cfg_path, cfg).unwrap();
    let ok = Command::new(BIN)
        .args(["init", "--config"])
        .arg(&cfg_path)
        .env_remove("GRABPACK_INBOX_DB_KEY")
        .status()
        .unwrap();
    assert!(ok.success());
    let mut server = Command::new(BIN)
        .args(["serve", "--config"])
        .arg(&cfg_path)
        .env_remove("GRABPACK_INBOX_DB_KEY")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = server.id();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().rsplit(':').next().unwrap().to_string();
    let url = format!("https://localhost:{port}/v1/packs");
    let ca_cert = reqwest::Certificate::from_pem(ca.ca_pem.as_bytes()).unwrap();
    let client = || {
        reqwest::Client::builder()
            .tls_certs_merge([ca_cert.clone()])
            .build()
            .unwrap()
    };
    let pdfs: Vec<std::sync::Arc<Vec<u8>>> = (0..HOMES)
        .map(|h| std::sync::Arc::new(fake_pdf(PACK_BYTES, &format!("bench {h}"))))
        .collect();

    println!();
    println!(
        "grabpack-inbox intake: {} KiB packs, HTTPS on loopback, server in its own process (max_concurrent_uploads 16)",
        PACK_BYTES / 1024
    );
    println!("| senders at once | packs | receipts/s | median ms | worst ms | server VmHWM MiB |");
    println!("|---|---:|---:|---:|---:|---:|");
    for concurrency in [1usize, 8, 32] {
        let started = Instant::now();
        let mut tasks = Vec::new();
        for w in 0..concurrency {
            let per = packs / concurrency + usize::from(w < packs % concurrency);
            let home = w % HOMES;
            tasks.push(tokio::spawn(send_many(
                client(),
                url.clone(),
                home,
                pdfs[home].clone(),
                per,
            )));
        }
        let mut lat = Vec::new();
        for t in tasks {
            lat.extend(t.await.unwrap());
        }
        Row {
            label: format!("{concurrency}"),
            lat,
            wall: started.elapsed(),
            hwm_kb: server_hwm_kb(pid),
        }
        .print();
    }
    // The load test's shape: 50 homes, 20 packs each, all at once.
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (home, pdf) in pdfs.iter().enumerate() {
        let c = client();
        for _ in 0..20 {
            tasks.push(tokio::spawn(send_many(
                c.clone(),
                url.clone(),
                home,
                pdf.clone(),
                1,
            )));
        }
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    Row {
        label: "50 homes x 20 at once".into(),
        lat,
        wall: started.elapsed(),
        hwm_kb: server_hwm_kb(pid),
    }
    .print();
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let _ = server.wait();
}
