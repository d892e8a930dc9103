//! Three devices of one home, each its own data folder driven through the real `grabpack`
//! command, syncing through the real hub on a throwaway PostgreSQL cluster (the hub's own test
//! harness). The demo home and every name in it are fictional.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

#[path = "../../grabpack-hub/tests/common/mod.rs"]
mod hub;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use grabpack_store::{Credential, Store};
use grabpack_sync::{DeviceIdentity, DeviceKeys, HomeKey, HomeKeys, HubClient};
use hub::{Options, TestHub};
use serde_json::Value;

const PASSPHRASE: &str = "demo passphrase (fictional)";

struct Device {
    data: PathBuf,
    tmp: PathBuf,
}

fn device(root: &Path, name: &str) -> Device {
    let data = root.join(name).join("store");
    let tmp = root.join(name).join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    Device { data, tmp }
}

fn run(d: &Device, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grabpack"))
        .arg("--data-dir")
        .arg(&d.data)
        .args(args)
        .env("GRABPACK_PASSPHRASE", PASSPHRASE)
        .env_remove("GRABPACK_STAFF")
        .env("TMPDIR", &d.tmp)
        .output()
        .unwrap()
}

fn ok(d: &Device, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = run(d, &all);
    assert!(
        out.status.success(),
        "grabpack {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The stable code of a command that must fail.
fn refused(d: &Device, args: &[&str]) -> String {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = run(d, &all);
    assert!(
        !out.status.success(),
        "grabpack {args:?} should have failed"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["error"]["code"].as_str().unwrap().to_string()
}

fn init(d: &Device, home: &str) {
    ok(
        d,
        &[
            "init",
            "--home",
            home,
            "--manager",
            "Ola Manager (fictional)",
        ],
    );
}

fn form(d: &Device, child: &str) -> Value {
    ok(d, &["child", "show", child])["child"]["form"].clone()
}

fn save(d: &Device, child: &str, form: &Value) {
    let file = d.tmp.join("form.json");
    std::fs::write(&file, form.to_string()).unwrap();
    ok(d, &["child", "save", child, file.to_str().unwrap()]);
}

fn sync(d: &Device) -> Value {
    ok(d, &["sync", "now"])
}

/// Ask to join with `joining`, approve on `approver` with the fingerprint `joining` shows.
fn pair(approver: &Device, joining: &Device, base: &str, ca: &Path, home_id: &str) -> String {
    let asked = ok(
        joining,
        &[
            "sync",
            "pair",
            "--hub",
            base,
            "--home",
            home_id,
            "--ca",
            ca.to_str().unwrap(),
        ],
    );
    let code = asked["code"].as_str().unwrap();
    let fingerprint = asked["fingerprint"].as_str().unwrap();
    let waiting = ok(approver, &["sync", "waiting"]);
    assert!(
        waiting
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == code && w["fingerprint"] == fingerprint),
        "the approver sees the same code and fingerprint: {waiting}"
    );
    assert_eq!(
        sync(joining)["state"],
        "waiting_for_approval",
        "nothing to read before approval"
    );
    // Typed as a person might: lower case, dashes for spaces.
    let typed = fingerprint.to_lowercase().replace(' ', "-");
    ok(
        approver,
        &["sync", "approve", code, "--fingerprint", &typed],
    );
    asked["device_id"].as_str().unwrap().to_string()
}

fn open_store(d: &Device) -> Store {
    Store::unlock(
        &d.data,
        Credential::Passphrase(&grabpack_store::Sensitive::from(PASSPHRASE)),
        None,
    )
    .unwrap()
}

/// A hub on PostgreSQL with one home, and device A: the demo home, enrolled as its first device.
struct Home {
    rt: tokio::runtime::Runtime,
    hub: TestHub,
    base: String,
    root: tempfile::TempDir,
    ca: PathBuf,
    home_id: String,
    a: Device,
}

fn home_with_demo_device(label: &str) -> Home {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let hub = rt.block_on(TestHub::start_with(Options {
        max_envelope_bytes: 8 * 1024 * 1024,
        ..Options::default()
    }));
    let base = hub.base(0);
    let root = tempfile::tempdir().unwrap();
    let ca = root.path().join("hub-ca.pem");
    std::fs::write(&ca, &hub.ca.ca_pem).unwrap();
    let token = rt
        .block_on(grabpack_hub::devices::add_home(&hub.pool(), label))
        .unwrap()
        .token;
    let a = device(root.path(), "a");
    ok(&a, &["demo"]);
    let enrolled = ok(
        &a,
        &[
            "sync",
            "enrol",
            "--hub",
            &base,
            "--token",
            &token,
            "--ca",
            ca.to_str().unwrap(),
        ],
    );
    let home_id = enrolled["home_id"].as_str().unwrap().to_string();
    Home {
        rt,
        hub,
        base,
        root,
        ca,
        home_id,
        a,
    }
}

#[test]
fn three_devices_of_one_home_share_each_child_through_the_hub_which_reads_nothing() {
    let Home {
        rt,
        hub,
        base,
        root,
        ca,
        home_id,
        a,
    } = home_with_demo_device("Test home (fictional)");
    let first = sync(&a);
    assert!(first["sent"].as_u64().unwrap() > 10, "{first}");

    // B and C: new stores that ask to join; a wrong fingerprint is refused and approves nothing.
    let b = device(root.path(), "b");
    init(&b, "Oak Lodge (fictional)");
    let asked = ok(
        &b,
        &[
            "sync",
            "pair",
            "--hub",
            &base,
            "--home",
            &home_id,
            "--ca",
            ca.to_str().unwrap(),
        ],
    );
    let code = asked["code"].as_str().unwrap();
    assert_eq!(
        refused(
            &a,
            &[
                "sync",
                "approve",
                code,
                "--fingerprint",
                "0000 0000 0000 0000 0000 0000 0000 0000"
            ]
        ),
        "sync.fingerprint_mismatch"
    );
    assert_eq!(sync(&b)["state"], "waiting_for_approval");
    ok(
        &a,
        &[
            "sync",
            "approve",
            code,
            "--fingerprint",
            asked["fingerprint"].as_str().unwrap(),
        ],
    );
    let at_b = sync(&b);
    assert!(
        at_b["received"]["revisions"].as_u64().unwrap() >= 5
            && at_b["received"]["photos"].as_u64().unwrap() > 0,
        "{at_b}"
    );
    assert_eq!(form(&b, "maya"), form(&a, "maya"));
    let photos = |d: &Device| ok(d, &["child", "show", "maya"])["child"]["photos"].clone();
    assert_eq!(photos(&b), photos(&a));

    let c = device(root.path(), "c");
    init(&c, "Oak Lodge (fictional)");
    let c_id = pair(&a, &c, &base, &ca, &home_id);
    sync(&c);
    assert_eq!(form(&c, "kwame"), form(&a, "kwame"));
    // Each new device names the device that approved it, with the fingerprint it computed from
    // the box its key came in: A's own, as A's manager reads it on A.
    let on_a = ok(&a, &["sync", "status"]);
    for d in [&b, &c] {
        let joined = &ok(d, &["sync", "status"])["joined"];
        assert_eq!(joined["approved_by"], on_a["joined"]["device_id"]);
        assert_eq!(joined["approver_fingerprint"], on_a["fingerprint"]);
    }
    assert_eq!(on_a["joined"]["approver_fingerprint"], Value::Null);

    // A and B edit Maya at the same time, different fields: both edits reach every device.
    let mut on_a = form(&a, "maya");
    on_a["description"]["hair"] = "Braided (edited on A, fictional)".into();
    save(&a, "maya", &on_a);
    let mut on_b = form(&b, "maya");
    on_b["description"]["build"] = "Slim (edited on B, fictional)".into();
    save(&b, "maya", &on_b);
    for d in [&a, &b, &a, &c] {
        sync(d);
    }
    for d in [&a, &b, &c] {
        let f = form(d, "maya");
        assert_eq!(f["description"]["hair"], "Braided (edited on A, fictional)");
        assert_eq!(f["description"]["build"], "Slim (edited on B, fictional)");
    }
    assert_eq!(form(&a, "maya"), form(&b, "maya"));
    assert_eq!(form(&b, "maya"), form(&c, "maya"));

    // A and C set one field two ways: both kept, flagged on every device until B chooses.
    let mut one = form(&a, "maya");
    one["description"]["eyes"] = "Green (A, fictional)".into();
    save(&a, "maya", &one);
    let mut two = form(&c, "maya");
    two["description"]["eyes"] = "Grey (C, fictional)".into();
    save(&c, "maya", &two);
    for d in [&a, &c, &a, &b] {
        sync(d);
    }
    let open = ok(&b, &["sync", "disagreements", "maya"]);
    assert_eq!(open.as_array().unwrap().len(), 1, "{open}");
    assert_eq!(open[0]["field"], "description.eyes");
    assert_eq!(open[0]["other"], "Green (A, fictional)");
    assert_eq!(open[0]["shown"], "Grey (C, fictional)");
    ok(
        &b,
        &[
            "sync",
            "choose",
            "maya",
            "description.eyes",
            "--keep",
            "other",
        ],
    );
    for d in [&b, &a, &c] {
        sync(d);
    }
    for d in [&a, &b, &c] {
        assert_eq!(ok(d, &["sync", "disagreements"]), Value::Array(vec![]));
        assert_eq!(
            form(d, "maya")["description"]["eyes"],
            "Green (A, fictional)"
        );
    }
    let status = ok(&a, &["sync", "status"]);
    assert!(
        status["words"].as_str().unwrap().starts_with("up to date"),
        "{status}"
    );

    // C is revoked from A: the key rotates; what A writes next, C cannot sync or open.
    let devices = ok(&a, &["sync", "devices"]);
    assert_eq!(devices.as_array().unwrap().len(), 3, "{devices}");
    ok(&a, &["sync", "revoke", &c_id]);
    let mut after = form(&a, "maya");
    after["description"]["hair"] = "Cut short after C was revoked (fictional)".into();
    save(&a, "maya", &after);
    assert_eq!(sync(&a)["epoch"], 2);
    assert_eq!(refused(&c, &["sync", "now"]), "sync.refused");
    assert_ne!(
        form(&c, "maya")["description"]["hair"],
        "Cut short after C was revoked (fictional)"
    );
    assert_eq!(
        form(&b, "maya")["description"]["hair"],
        "Braided (edited on A, fictional)"
    );
    sync(&b);
    assert_eq!(
        form(&b, "maya")["description"]["hair"],
        "Cut short after C was revoked (fictional)",
        "B, still paired, gets the new key and the edit"
    );
    let c_store = open_store(&c);
    let (current, held) = c_store.sync_home_keys().unwrap();
    let c_keys = HomeKeys::from_keys(
        &home_id,
        current,
        held.iter()
            .map(|(e, k)| (*e, HomeKey::from_bytes(*k.expose()))),
    );
    let a_store = open_store(&a);
    let secret = a_store.sync_device_secret().unwrap();
    let a_me = DeviceIdentity {
        device_id: a_store.sync_device().unwrap().unwrap().device_id,
        keys: DeviceKeys::from_secret_bytes(
            secret.expose()[..32].try_into().unwrap(),
            secret.expose()[32..].try_into().unwrap(),
        ),
    };
    let client = HubClient::new(&base, std::slice::from_ref(&hub.ca.ca_pem)).unwrap();
    let all = rt.block_on(client.pull(&a_me, 0, 1000, 0)).unwrap();
    let newer: Vec<_> = all.envelopes.iter().filter(|e| e.epoch == 2).collect();
    assert!(!newer.is_empty());
    for e in newer {
        assert!(
            c_keys.open(e).is_err(),
            "C opened an envelope sealed after its revocation"
        );
    }

    // The hub's tables hold no name, no edited text and no photo bytes.
    let everything = rt.block_on(hub.all_rows_as_text());
    for marker in [
        "Maya",
        "Thompson",
        "Braided",
        "Green (A",
        "description",
        "Ola Manager",
    ] {
        assert!(!everything.contains(marker), "the hub can read {marker:?}");
    }
    let photo_id = photos(&a)[0]["id"].as_str().unwrap().to_string();
    let jpeg = a_store.photo_jpeg(&photo_id.into()).unwrap();
    let sample = hex::encode(&jpeg[jpeg.len() / 2..jpeg.len() / 2 + 24]);
    assert!(!everything.contains(&sample), "the hub holds photo bytes");

    // Each device's audit chain reaches the others (sealed like every record: the marker scan
    // above read the hub after they had gone), every copy verifies, and the home's audit view
    // on B shows A's edits under A's device. (C, revoked, synced its chain before.)
    for d in [&a, &b, &a, &b] {
        ok(d, &["sync", "now"]);
    }
    for d in [&a, &b, &c] {
        let report = ok(d, &["audit", "verify"]);
        assert_eq!(report["broken_at"], Value::Null);
        let others = report["other_devices"].as_array().unwrap();
        assert_eq!(others.len(), 2, "{report}");
        for o in others {
            assert_eq!(o["broken_at"], Value::Null, "{report}");
            assert!(o["entries"].as_i64().unwrap() > 0, "{report}");
        }
    }
    let a_device = a_me.device_id.clone();
    let edits_on_b = ok(&b, &["audit", "list", "--home", "--action", "edited"]);
    assert!(
        edits_on_b
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["device"].as_str() == Some(a_device.as_str())),
        "B's audit view shows A's edits: {edits_on_b}"
    );
    rt.block_on(hub.stop());
}

/// Seconds-and-nanos seeded steps of a small generator: where each kill falls (printed, so a
/// failure can be replayed by setting GRABPACK_KILL_SEED).
struct Steps(u64);

impl Steps {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

/// `grabpack sync now` on `d`, killed (SIGKILL) after `after_ms` unless it ended first.
fn sync_killed_after(d: &Device, after_ms: u64) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_grabpack"))
        .arg("--data-dir")
        .arg(&d.data)
        .args(["sync", "now"])
        .env("GRABPACK_PASSPHRASE", PASSPHRASE)
        .env_remove("GRABPACK_STAFF")
        .env("TMPDIR", &d.tmp)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(after_ms));
    let killed = child.try_wait().unwrap().is_none();
    if killed {
        child.kill().unwrap();
    }
    child.wait().unwrap();
    killed
}

#[test]
fn sync_now_takes_over_the_emails_of_a_device_gone_quiet_when_this_device_has_the_same_mailbox() {
    let Home {
        rt,
        hub,
        base,
        root,
        ca,
        home_id,
        a,
    } = home_with_demo_device("Take-over home (fictional)");
    sync(&a);
    let b = device(root.path(), "b");
    init(&b, "Oak Lodge (fictional)");
    pair(&a, &b, &base, &ca, &home_id);
    // A reports Maya missing and queues the pack (the demo's mail account goes nowhere), syncs,
    // and is shut.
    let episode = ok(&a, &["missing", "start", "maya"])["episode"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let queued = ok(&a, &["missing", "send", &episode, "--queue-only"]);
    let emails: Vec<String> = queued["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["channel"] == "email")
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!emails.is_empty(), "{queued}");
    sync(&a);
    assert_eq!(
        sync(&b)["taken_over"],
        serde_json::json!([]),
        "A's lease is live"
    );

    // B sends from the home's mailbox too (the demo's address).
    let smtp = [
        "outbox",
        "smtp",
        "--host",
        "smtp.maple-house.invalid",
        "--username",
        "grabpack@maple-house.invalid",
        "--from",
        "grabpack@maple-house.invalid",
    ];
    let out = Command::new(env!("CARGO_BIN_EXE_grabpack"))
        .arg("--data-dir")
        .arg(&b.data)
        .args(smtp)
        .env("GRABPACK_PASSPHRASE", PASSPHRASE)
        .env("GRABPACK_SMTP_PASSWORD", "demo password (fictional)")
        .env_remove("GRABPACK_STAFF")
        .env("TMPDIR", &b.tmp)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // Two minutes without A.
    rt.block_on(hub.expire_leases());
    let now = sync(&b);
    let mut taken: Vec<String> = now["taken_over"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect();
    taken.sort();
    let mut expected = emails.clone();
    expected.sort();
    assert_eq!(taken, expected, "every email of A's, and nothing else");
    assert!(
        String::from_utf8_lossy(&run(&b, &["sync", "now"]).stdout).contains("Synced"),
        "the words still say what the sync did"
    );
    let on_b = ok(&b, &["outbox", "list"]);
    let on_b = on_b.to_string();
    for id in &emails {
        assert!(on_b.contains(id.as_str()), "{on_b}");
    }
    // A comes back and learns B sends them now.
    sync(&b);
    sync(&a);
    let listed = ok(&a, &["outbox", "list"]);
    let deliveries: Vec<&Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["deliveries"].as_array().unwrap())
        .filter(|d| emails.iter().any(|e| d["id"] == e.as_str()))
        .collect();
    assert_eq!(deliveries.len(), emails.len());
    assert!(
        deliveries
            .iter()
            .all(|d| d["sent_from_another_device"] == true),
        "{deliveries:?}"
    );
    rt.block_on(hub.stop());
}

#[test]
fn a_device_killed_fifty_times_mid_sync_loses_nothing_and_duplicates_nothing() {
    let Home {
        rt,
        hub,
        base,
        root,
        ca,
        home_id,
        a,
    } = home_with_demo_device("Kill test home (fictional)");
    let b = device(root.path(), "b");
    init(&b, "Oak Lodge (fictional)");
    pair(&a, &b, &base, &ca, &home_id);

    // How long one whole sync of the demo home takes here: the kills fall within it.
    let started = std::time::Instant::now();
    sync(&b);
    let whole_ms = (started.elapsed().as_millis() as u64).max(50);

    let seed = std::env::var("GRABPACK_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    println!("kill seed {seed}, one sync {whole_ms} ms");
    let mut steps = Steps(seed);
    let (mut killed_a, mut killed_b) = (0, 0);
    let children: Vec<String> = ok(&a, &["child", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    for round in 0..50 {
        // New revisions on A between kills, so every sync has something to send and to take in.
        {
            let mut store = open_store(&a);
            for (i, id) in children.iter().enumerate().take(3) {
                let id = grabpack_store::ChildId::from(id.as_str());
                let mut f = store.child(&id).unwrap().form;
                f.description.hair = format!("Round {round} edit {i} (fictional)");
                store.save_form(&id, &f, "").unwrap();
            }
        }
        killed_a += usize::from(sync_killed_after(&a, steps.next(whole_ms * 3 / 2)));
        killed_b += usize::from(sync_killed_after(&b, steps.next(whole_ms * 3 / 2)));
    }
    println!("killed mid-sync: A {killed_a} of 50, B {killed_b} of 50");
    assert!(
        killed_a >= 10 && killed_b >= 10,
        "the kills must land while syncing (A {killed_a}, B {killed_b})"
    );

    sync(&a);
    sync(&b);
    let a_store = open_store(&a);
    let b_store = open_store(&b);
    let mut a_records = 0;
    for id in &children {
        let id = grabpack_store::ChildId::from(id.as_str());
        let mut on_a = a_store.history(&id).unwrap();
        let mut on_b = b_store.history(&id).unwrap();
        a_records += on_a.len() + a_store.photos(&id).unwrap().len();
        // The same revisions on both devices, each once (B's local order may differ).
        on_a.sort_by(|x, y| x.saved_at.cmp(&y.saved_at).then(x.note.cmp(&y.note)));
        on_b.sort_by(|x, y| x.saved_at.cmp(&y.saved_at).then(x.note.cmp(&y.note)));
        let strip = |v: Vec<grabpack_store::RevisionInfo>| {
            v.into_iter()
                .map(|mut r| {
                    r.seq = 0;
                    r
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(on_a), strip(on_b), "child {id}");
        assert_eq!(
            a_store.photos(&id).unwrap(),
            b_store.photos(&id).unwrap(),
            "child {id}"
        );
        assert_eq!(
            a_store.child_unaudited(&id).unwrap().form,
            b_store.child_unaudited(&id).unwrap().form
        );
    }
    // The demo home's settings are one record more (B, joining, took them and sent none), each
    // staff member of the home one more (A's and B's own, never changed here), and each chunk of
    // A's and B's audit chains (B, last to sync, knows them all).
    let stored = rt.block_on(hub.count("SELECT count(*) FROM envelopes"));
    let staff = b_store.staff().unwrap().len() as i64;
    let audit_chunks = b_store
        .sync_known_count(grabpack_store::sync::RECORD_AUDIT_CHUNK)
        .unwrap();
    assert_eq!(
        stored,
        a_records as i64 + 1 + staff + audit_chunks,
        "every record of A at the hub exactly once"
    );
    assert_eq!(b_store.sync_waiting_to_apply().unwrap(), 0);
    assert_eq!(a_store.sync_waiting_to_send().unwrap(), 0);
    for s in [&a_store, &b_store] {
        assert!(s.audit_verify().unwrap().intact());
        assert!(s.integrity_check().unwrap().is_empty());
    }
    rt.block_on(hub.stop());
}
