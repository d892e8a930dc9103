//! Store benchmarks: unlock paths, one revision save, the 1,000-child dashboard, photo import.
//!
//! Figures, not assertions: `cargo bench -p grabpack-store`. Building the 1,000-child store
//! (10 revisions and 3 photos each) takes a few minutes before the dashboard is measured; its size
//! on disk is printed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark fails by panicking

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use grabpack_core::PhotoKind;
use grabpack_core::sample::complete_form;
use grabpack_store::{Credential, DeviceKeychain, KeyringKeychain, Setup, Store};
use jiff::civil::date;

const PASSPHRASE: &str = "benchmark passphrase (fictional)";

fn keychain() -> Arc<dyn DeviceKeychain> {
    Arc::new(KeyringKeychain::new(
        keyring_core::mock::Store::new().unwrap(),
    ))
}

fn new_store(dir: &std::path::Path, kc: Arc<dyn DeviceKeychain>) -> (Store, String) {
    let (s, r) = Store::create(
        dir,
        Setup {
            home_name: "Bench House (fictional)".into(),
            manager_name: "Bench Manager".into(),
            manager_pin: Some("246810".into()),
            passphrase: Some(PASSPHRASE.into()),
        },
        Some(kc),
    )
    .unwrap();
    (s, r.expose().clone())
}

/// A photo with texture, like a real one (flat synthetic images compress unrealistically well).
fn noisy_jpeg(w: u32, h: u32, quality: u8) -> Vec<u8> {
    let mut seed = 0x1234_5678u32;
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let n = (seed & 0x3f) as u8;
        image::Rgb([
            ((x / 7) as u8).wrapping_add(n),
            ((y / 5) as u8).wrapping_add(n),
            120u8.wrapping_add(n),
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&img)
        .unwrap();
    out
}

fn unlock(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let kc = keychain();
    let (store, recovery) = new_store(dir.path(), kc.clone());
    drop(store);
    let mut g = c.benchmark_group("unlock");
    g.sample_size(20).measurement_time(Duration::from_secs(8));
    g.bench_function("recovery_key_raw_key_path", |b| {
        b.iter(|| {
            Store::unlock(
                dir.path(),
                Credential::RecoveryKey(&recovery.as_str().into()),
                Some(kc.clone()),
            )
            .unwrap()
        })
    });
    g.bench_function("device_key_and_pin", |b| {
        b.iter(|| {
            Store::unlock(
                dir.path(),
                Credential::Pin {
                    staff_name: "Bench Manager",
                    pin: &"246810".into(),
                },
                Some(kc.clone()),
            )
            .unwrap()
        })
    });
    // The cost of one offline guess at a PIN: what an insider holding the slot file, the keychain
    // and the database pays per PIN tried (docs/threat-model.md). One member slot, a wrong PIN.
    let slots = grabpack_store::keyslots::SlotFile::read(dir.path()).unwrap();
    let member = slots.members[0].clone();
    g.bench_function("one_pin_guess_member_slot", |b| {
        b.iter(|| {
            grabpack_store::keyslots::open_member_slot(&slots.store_id, &member, "000000")
                .unwrap_err()
        })
    });
    g.bench_function("passphrase_argon2id_64mib", |b| {
        b.iter(|| {
            Store::unlock(
                dir.path(),
                Credential::Passphrase(&PASSPHRASE.into()),
                Some(kc.clone()),
            )
            .unwrap()
        })
    });
    // The same Argon2id work in one lane (slots written before) and in two computed at once
    // (slots written now): what the two lanes save on this machine's two cores.
    use grabpack_store::keyslots::{PASSPHRASE_COST, UNRECORDED_PASSPHRASE_COST, stretch_pin};
    g.bench_function("argon2id_64mib_one_lane", |b| {
        b.iter(|| stretch_pin("000000", b"bench-salt-16-by", UNRECORDED_PASSPHRASE_COST).unwrap())
    });
    g.bench_function("argon2id_64mib_two_lanes", |b| {
        b.iter(|| stretch_pin("000000", b"bench-salt-16-by", PASSPHRASE_COST).unwrap())
    });
    // The same, its 64 MiB made ready beforehand (as the app does while its unlock screen
    // waits): what the first touch of every page costs.
    g.bench_function("argon2id_64mib_two_lanes_memory_ready", |b| {
        b.iter_batched(
            grabpack_store::prepare_kdf_memory,
            |()| stretch_pin("000000", b"bench-salt-16-by", PASSPHRASE_COST).unwrap(),
            criterion::BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn save_revision(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = new_store(dir.path(), keychain());
    let mut form = complete_form(
        "Bench Child (fictional)",
        "BC",
        date(2011, 5, 4),
        date(2026, 11, 20),
    );
    let id = store.create_child(&form, "").unwrap();
    let mut i = 0u64;
    c.bench_function("revision/save_full_form", |b| {
        b.iter(|| {
            i += 1;
            form.health.conditions = format!("Asthma (bench edit {i})");
            store.save_form(&id, &form, "bench").unwrap()
        })
    });
}

fn photo_import(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = new_store(dir.path(), keychain());
    let id = store.create_child(&Default::default(), "").unwrap();
    let big = noisy_jpeg(4000, 3000, 90);
    let mut g = c.benchmark_group("photo");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("import_12mp_jpeg_into_store", |b| {
        b.iter(|| store.add_photo(&id, &big, PhotoKind::Face, None).unwrap())
    });
    g.finish();
}

/// The 1,000-child store (10 revisions and 3 photos each), built the first time a dashboard
/// benchmark runs: criterion calls a benchmark's closure only when its name matches the filter,
/// so `bench.sh`'s runs of the other figures do not spend minutes building it.
fn thousand_children() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = new_store(dir.path(), keychain());
    let photo = grabpack_photo::process(&noisy_jpeg(1600, 1200, 92), &Default::default())
        .unwrap()
        .jpeg;
    let started = std::time::Instant::now();
    for n in 0..1000 {
        let mut form = complete_form(
            &format!("Bench Child {n} (fictional)"),
            "BC",
            date(2011, 5, 4),
            date(2026, 11, 20),
        );
        let id = store.create_child(&form, "").unwrap();
        for r in 1..10 {
            form.health.conditions = format!("Asthma (revision {r})");
            store.save_form(&id, &form, "").unwrap();
        }
        for k in [PhotoKind::Face, PhotoKind::FullLength, PhotoKind::Mark] {
            store
                .add_photo(&id, &photo, k, Some(date(2026, 11, 1)))
                .unwrap();
        }
    }
    let build = started.elapsed();
    store
        .connection_for_tests()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let size: u64 = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.metadata().unwrap().len())
        .sum();
    println!(
        "1,000-child store (10 revisions, 3 photos of {} KB each): built in {:.0} s, {:.1} MB on disk",
        photo.len() / 1024,
        build.as_secs_f64(),
        size as f64 / 1_048_576.0
    );
    (dir, store)
}

fn dashboard(c: &mut Criterion) {
    let today = date(2026, 11, 28);
    let mut built: Option<(tempfile::TempDir, Store)> = None;
    let mut g = c.benchmark_group("dashboard");
    g.sample_size(20);
    g.bench_function("readiness_1000_children", |b| {
        let (_, store) = built.get_or_insert_with(thousand_children);
        b.iter(|| store.dashboard(today).unwrap())
    });
    // The same store without migration 3's covering indexes, for the comparison in the notes.
    g.bench_function("readiness_1000_children_without_covering_indexes", |b| {
        let (_, store) = built.get_or_insert_with(thousand_children);
        store
            .connection_for_tests()
            .execute_batch(
                "DROP INDEX IF EXISTS photos_dashboard; DROP INDEX IF EXISTS revisions_reviewed;
                 CREATE INDEX IF NOT EXISTS photos_child ON photos (child_id, kind, taken_on);",
            )
            .unwrap();
        b.iter(|| store.dashboard(today).unwrap())
    });
    g.finish();
}

/// What the app's background sync does under the store on every pass when nothing is new (every
/// 25 s while it waits on the hub): look for records to send and count what is waiting, on a
/// home of 1,000 children with 10 revisions and 3 photos each, all already at the hub, on a
/// device that has joined its home (so its staff and its audit chain, tens of thousands of
/// entries, are looked for too).
fn idle_sync_pass(c: &mut Criterion) {
    // Built only when this benchmark is asked for: the store takes minutes to fill.
    let mut built: Option<(tempfile::TempDir, Store)> = None;
    let mut g = c.benchmark_group("sync");
    g.sample_size(20);
    g.bench_function("idle_pass_1000_children_all_sent", |b| {
        let (_, store) = built.get_or_insert_with(joined_with_everything_sent);
        b.iter(|| {
            assert!(store.sync_outgoing(100).unwrap().is_empty());
            store.sync_waiting_to_send().unwrap()
        })
    });
    g.finish();
}

/// The 1,000-child home on a device that has joined it, every record already at the hub.
fn joined_with_everything_sent() -> (tempfile::TempDir, Store) {
    let (dir, mut store) = thousand_children();
    store
        .sync_join(&grabpack_store::sync::JoinHome {
            hub_url: "https://hub.example.invalid",
            hub_ca_pem: None,
            home_id: "bench-home (fictional)",
            device_id: "bench-device",
            device_secret: &[7u8; 64],
            state: grabpack_store::sync::SyncState::Paired,
            pairing_code: None,
        })
        .unwrap();
    loop {
        let out = store.sync_outgoing(500).unwrap();
        if out.is_empty() {
            break;
        }
        let marks: Vec<(String, String, String)> = out
            .iter()
            .map(|r| {
                (
                    r.kind.clone(),
                    r.record_id.clone(),
                    format!("bench-{}-{}", r.kind, r.record_id),
                )
            })
            .collect();
        store.sync_mark_sent(&marks).unwrap();
    }
    (dir, store)
}

criterion_group!(
    benches,
    unlock,
    save_revision,
    photo_import,
    dashboard,
    idle_sync_pass
);
criterion_main!(benches);
