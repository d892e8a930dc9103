//! Figures for one home's devices syncing through the real hub on a throwaway PostgreSQL
//! (`cargo bench --workspace --locked --bench device_sync`; printed, never asserted):
//! - the first full sync of a 30-child home, 3 photos each, to a new device: time and bytes;
//! - "A saves, B shows": from a save on A (then A's sync) to B's store holding it, with B waiting
//!   on the hub's long-poll, as its background sync would: median and worst of 20.
//!
//! Every child and photo is fictional (`complete_form`, `synthetic_portrait`).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../../grabpack-hub/tests/common/mod.rs"]
mod hub;

use std::path::Path;
use std::time::{Duration, Instant};

use grabpack_core::PhotoKind;
use grabpack_core::sample::complete_form;
use grabpack_store::{Credential, Sensitive, Setup, Store};
use grabpack_sync::device;
use hub::{Options, TestHub};
use jiff::civil::date;

const PASSPHRASE: &str = "bench passphrase (fictional)";

fn new_store(dir: &Path) -> Store {
    Store::create(
        dir,
        Setup {
            home_name: "Bench House (fictional)".into(),
            manager_name: "Bench Manager (fictional)".into(),
            manager_pin: None,
            passphrase: Some(PASSPHRASE.into()),
        },
        None,
    )
    .unwrap()
    .0
}

fn open(dir: &Path) -> Store {
    Store::unlock(
        dir,
        Credential::Passphrase(&Sensitive::from(PASSPHRASE)),
        None,
    )
    .unwrap()
}

fn pair(approver: &mut Store, joining: &mut Store, base: &str, ca: &str, home_id: &str) {
    let asked = device::request_pairing(joining, base, Some(ca), home_id).unwrap();
    device::approve(approver, asked.code.as_deref().unwrap(), &asked.fingerprint).unwrap();
}

fn median_and_worst(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[v.len() - 1])
}

fn main() {
    // `cargo bench` passes --bench; a plain `cargo test --benches` run must not spend minutes.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let hub = rt.block_on(TestHub::start_with(Options {
        max_envelope_bytes: 8 * 1024 * 1024,
        max_long_poll_secs: 60,
        ..Options::default()
    }));
    let base = hub.base(0);
    let ca = hub.ca.ca_pem.clone();
    let token = rt
        .block_on(grabpack_hub::devices::add_home(
            &hub.pool(),
            "Bench home (fictional)",
        ))
        .unwrap()
        .token;
    let root = tempfile::tempdir().unwrap();

    // Device A: 30 children, 3 photos each.
    let a_dir = root.path().join("a");
    let mut a = new_store(&a_dir);
    let mut first_child = None;
    for i in 0..30u64 {
        let form = complete_form(
            &format!("Bench Child {i} (fictional)"),
            "BC",
            date(2011, 1, 1 + (i % 28) as i8),
            date(2026, 11, 20),
        );
        let id = a.create_child(&form, "").unwrap();
        for (k, kind) in [PhotoKind::Face, PhotoKind::FullLength, PhotoKind::Mark]
            .into_iter()
            .enumerate()
        {
            let jpeg = grabpack_photo::synthetic_portrait(i * 3 + k as u64, 900, 1200).unwrap();
            a.add_photo(&id, &jpeg, kind, None).unwrap();
        }
        first_child.get_or_insert(id);
    }
    let child = first_child.unwrap();
    let enrolled = device::enrol(&mut a, &base, Some(&ca), &token).unwrap();
    let started = Instant::now();
    let pushed = device::sync_now(&mut a).unwrap();
    let push_time = started.elapsed();
    let bytes = rt.block_on(hub.count("SELECT coalesce(sum(size), 0)::bigint FROM envelopes"));
    println!(
        "first push from A: {} records ({} KiB sealed) in {:.0} ms",
        pushed.sent,
        bytes / 1024,
        push_time.as_secs_f64() * 1e3
    );

    // First full sync to a new device, three times (a new device each time).
    let mut firsts = Vec::new();
    for n in 0..3 {
        let dir = root.path().join(format!("new-{n}"));
        let mut b = new_store(&dir);
        pair(&mut a, &mut b, &base, &ca, &enrolled.home_id);
        let started = Instant::now();
        let report = device::sync_now(&mut b).unwrap();
        let took = started.elapsed();
        assert_eq!(report.received.revisions, 30);
        assert_eq!(report.received.photos, 90);
        println!(
            "first full sync to new device {n}: 30 children, 90 photos, {} KiB in {:.0} ms",
            bytes / 1024,
            took.as_secs_f64() * 1e3
        );
        firsts.push(took);
    }
    let (median, worst) = median_and_worst(firsts);
    println!(
        "device_sync/first_full_sync_30_children_90_photos: median {:.0} ms, worst {:.0} ms, {} KiB",
        median.as_secs_f64() * 1e3,
        worst.as_secs_f64() * 1e3,
        bytes / 1024
    );

    // A saves, B shows: B waits on the hub's long-poll in its own thread, as a background sync.
    let b_dir = root.path().join("b");
    let mut b = new_store(&b_dir);
    pair(&mut a, &mut b, &base, &ca, &enrolled.home_id);
    device::sync_now(&mut b).unwrap();
    drop(b);
    let (tx, rx) = std::sync::mpsc::channel::<Instant>();
    let (go_tx, go_rx) = std::sync::mpsc::channel::<bool>();
    let watcher = std::thread::spawn(move || {
        let mut b = open(&b_dir);
        while go_rx.recv().unwrap_or(false) {
            loop {
                let r = device::sync_and_wait(&mut b, 30).unwrap();
                if r.received.revisions > 0 {
                    tx.send(Instant::now()).unwrap();
                    break;
                }
            }
        }
    });
    let mut latencies = Vec::new();
    for round in 0..20 {
        go_tx.send(true).unwrap();
        // Let B's request reach the hub and wait there.
        std::thread::sleep(Duration::from_millis(300));
        let mut form = a.child(&child).unwrap().form;
        form.description.hair = format!("Bench edit {round} (fictional)");
        let saved = Instant::now();
        a.save_form(&child, &form, "").unwrap();
        device::sync_now(&mut a).unwrap();
        let shown = rx.recv().unwrap();
        latencies.push(shown - saved);
    }
    go_tx.send(false).unwrap();
    watcher.join().unwrap();
    let (median, worst) = median_and_worst(latencies);
    println!(
        "device_sync/a_saves_b_shows: median {:.0} ms, worst {:.0} ms (20 saves, B long-polling)",
        median.as_secs_f64() * 1e3,
        worst.as_secs_f64() * 1e3
    );
    rt.block_on(hub.stop());
}
