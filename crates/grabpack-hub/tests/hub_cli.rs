//! The operator's command, run as the real binary against a throwaway PostgreSQL: `init-db`,
//! `add-home`, `homes` and `serve` (a device enrols with the printed token, then SIGTERM stops it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::postgres::TestPostgres;
use grabpack_sync::{DeviceKeys, HubClient};

const BIN: &str = env!("CARGO_BIN_EXE_grabpack-hub");

fn hub(args: &[&str], config: &std::path::Path) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .arg("--config")
        .arg(config)
        .env_remove("GRABPACK_HUB_DATABASE")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A throwaway cluster, a test CA, and the sample config pointed at the cluster and any free
/// port (the cluster and the folder live as long as the values returned).
fn sample_config() -> (
    TestPostgres,
    tempfile::TempDir,
    common::TestCa,
    std::path::PathBuf,
) {
    let pg = TestPostgres::start();
    let dir = tempfile::tempdir().unwrap();
    let ca = common::test_ca();
    std::fs::write(dir.path().join("hub-cert.pem"), &ca.server_cert_pem).unwrap();
    std::fs::write(dir.path().join("hub-key.pem"), &ca.server_key_pem).unwrap();
    let sample = include_str!("../hub.example.toml")
        .replace("127.0.0.1:8743", "127.0.0.1:0")
        .replace(
            "host=/var/run/postgresql dbname=grabpack_hub user=grabpack_hub",
            &pg.conninfo(),
        );
    let config = dir.path().join("hub.toml");
    std::fs::write(&config, sample).unwrap();
    (pg, dir, ca, config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_initialises_the_database_adds_a_home_and_serves_it() {
    let (_pg, _dir, ca, config) = sample_config();

    // Before init-db, serving and adding homes are refused with the advice to run it.
    let (ok, _, err) = hub(&["add-home", "--label", "Fictional ref 1"], &config);
    assert!(!ok);
    assert!(
        err.contains("error [hub.schema]") && err.contains("init-db"),
        "{err}"
    );

    let (ok, out, err) = hub(&["init-db"], &config);
    assert!(ok, "{err}");
    assert!(
        out.contains(&format!(
            "{} migration(s) applied",
            grabpack_hub::db::latest_version()
        )),
        "{out}"
    );
    let (ok, out, _) = hub(&["init-db"], &config);
    assert!(
        ok && out.contains("0 migration(s) applied"),
        "init-db runs again safely: {out}"
    );

    let (ok, out, err) = hub(&["add-home", "--label", "Fictional ref 1"], &config);
    assert!(ok, "{err}");
    let field = |name: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap()
    };
    let home_id = field("home id:");
    let token = field("enrolment token (give to the home's first device, once):");

    let mut serve = Command::new(BIN)
        .args(["serve", "--config"])
        .arg(&config)
        .env_remove("GRABPACK_HUB_DATABASE")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(serve.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .strip_prefix("grabpack-hub listening on https://")
        .unwrap_or_else(|| panic!("{first}"));
    let port = addr.rsplit(':').next().unwrap();
    let client = HubClient::new(
        &format!("https://localhost:{port}"),
        std::slice::from_ref(&ca.ca_pem),
    )
    .unwrap();
    let enrolled = client
        .enrol(&token, &DeviceKeys::generate().unwrap())
        .await
        .unwrap();
    assert_eq!(enrolled.home_id, home_id);

    let (ok, out, _) = hub(&["homes"], &config);
    assert!(ok);
    let row = out.lines().find(|l| l.starts_with(&home_id)).unwrap();
    let cols: Vec<&str> = row.split('\t').collect();
    assert_eq!(
        &cols[1..6],
        ["Fictional ref 1", "1", "1", "0", "0"],
        "{row}"
    );

    let pid = serve.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = serve.wait().unwrap();
    assert!(status.success(), "serve stops cleanly on SIGTERM: {status}");
}

/// The one-time token `add-home` printed.
fn enrolment_token(add_home_output: &str) -> String {
    add_home_output
        .lines()
        .find_map(|l| l.strip_prefix("enrolment token (give to the home's first device, once):"))
        .unwrap()
        .trim()
        .to_string()
}

/// A device's client of the instance listening on `port`, trusting the test CA.
fn client_at(ca: &common::TestCa, port: &str) -> HubClient {
    HubClient::new(
        &format!("https://localhost:{port}"),
        std::slice::from_ref(&ca.ca_pem),
    )
    .unwrap()
}

/// `pushes` pushes of forty records of 2 KiB each (ids `{name}{push}-{i}`), sealed once: a push
/// sent again carries the same bytes.
fn sealed_pushes(
    home: &grabpack_sync::HomeKeys,
    me: &grabpack_sync::DeviceIdentity,
    name: &str,
    pushes: usize,
) -> Vec<Vec<grabpack_sync_protocol::Envelope>> {
    (0..pushes)
        .map(|push| {
            (0..40)
                .map(|i| {
                    home.seal(
                        &me.device_id,
                        &grabpack_sync::Record {
                            kind: "revision".into(),
                            record_id: format!("{name}{push}-{i}"),
                            body: vec![b'x'; 2048],
                        },
                    )
                    .unwrap()
                })
                .collect()
        })
        .collect()
}

/// `grabpack-hub serve` on `config`, and the port it listens on.
fn serve(config: &std::path::Path) -> (std::process::Child, String) {
    let mut serve = Command::new(BIN)
        .args(["serve", "--config"])
        .arg(config)
        .env_remove("GRABPACK_HUB_DATABASE")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(serve.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let port = first.rsplit(':').next().unwrap().to_string();
    (serve, port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hub_killed_fifty_times_mid_push_stores_every_envelope_once_in_order() {
    let (_pg, _dir, ca, config) = sample_config();
    assert!(hub(&["init-db"], &config).0);
    let (ok, out, err) = hub(&["add-home", "--label", "Fictional ref 2"], &config);
    assert!(ok, "{err}");
    let token = enrolment_token(&out);
    let client_at = |port: &str| client_at(&ca, port);

    let (mut first, port) = serve(&config);
    let keys = DeviceKeys::generate().unwrap();
    let enrolled = client_at(&port).enrol(&token, &keys).await.unwrap();
    first.kill().unwrap();
    first.wait().unwrap();
    let me = grabpack_sync::DeviceIdentity {
        device_id: enrolled.device_id,
        keys,
    };
    let home = grabpack_sync::HomeKeys::first(&enrolled.home_id).unwrap();
    // Fifty pushes of forty sealed records each, sealed once: a retry sends the same bytes.
    let rounds = sealed_pushes(&home, &me, "r", 50);

    let mut interrupted = 0;
    for (round, envelopes) in rounds.iter().enumerate() {
        let (mut server, port) = serve(&config);
        let client = client_at(&port);
        let (me2, batch) = (me.clone(), envelopes.clone());
        let push = tokio::spawn(async move { client.push(&me2, batch).await });
        // Kill at a different moment each round, from at once to after the push has ended.
        tokio::time::sleep(std::time::Duration::from_millis((round as u64 * 37) % 160)).await;
        server.kill().unwrap();
        server.wait().unwrap();
        if push.await.unwrap().is_err() {
            interrupted += 1;
        }
    }
    println!("pushes cut off by the kill: {interrupted} of 50");
    assert!(
        interrupted >= 10,
        "the kills must land mid-push ({interrupted})"
    );

    // The device pushes everything again, as its next sync would.
    let (mut server, port) = serve(&config);
    let client = client_at(&port);
    for envelopes in &rounds {
        let answer = client.push(&me, envelopes.clone()).await.unwrap();
        assert_eq!(answer.results.len(), envelopes.len());
    }
    let mut seqs = Vec::new();
    let mut cursor = 0;
    loop {
        let page = client.pull(&me, cursor, 500, 0).await.unwrap();
        for e in &page.envelopes {
            seqs.push(e.seq);
            home.open(e).unwrap();
        }
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(seqs.len(), 50 * 40, "every envelope stored, once");
    assert_eq!(
        seqs,
        (1..=(50 * 40) as i64).collect::<Vec<_>>(),
        "in one gap-free order"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hub_instances_under_load_one_killed_store_every_envelope_once_in_order() {
    let (_pg, _dir, ca, config) = sample_config();
    assert!(hub(&["init-db"], &config).0);
    let (ok, out, err) = hub(&["add-home", "--label", "Fictional ref 3"], &config);
    assert!(ok, "{err}");
    let token = enrolment_token(&out);
    let client_at = |port: &str| client_at(&ca, port);
    // Two instances of the hub on one database.
    let (mut doomed, doomed_port) = serve(&config);
    let (mut survivor, survivor_port) = serve(&config);
    let keys = DeviceKeys::generate().unwrap();
    let enrolled = client_at(&survivor_port)
        .enrol(&token, &keys)
        .await
        .unwrap();
    let me = grabpack_sync::DeviceIdentity {
        device_id: enrolled.device_id,
        keys,
    };
    let home = grabpack_sync::HomeKeys::first(&enrolled.home_id).unwrap();
    // Two streams of thirty pushes of forty sealed records, sealed once: a retry sends the same
    // bytes. One stream goes to each instance at the same time.
    let (to_doomed, to_survivor) = (
        sealed_pushes(&home, &me, "d", 30),
        sealed_pushes(&home, &me, "s", 30),
    );
    let run = |port: String, rounds: Vec<Vec<grabpack_sync_protocol::Envelope>>| {
        let (client, me) = (client_at(&port), me.clone());
        tokio::spawn(async move {
            let mut pushed = 0;
            for envelopes in rounds {
                if client.push(&me, envelopes).await.is_err() {
                    break;
                }
                pushed += 1;
            }
            pushed
        })
    };
    let doomed_load = run(doomed_port, to_doomed.clone());
    let survivor_load = run(survivor_port.clone(), to_survivor.clone());
    // One instance killed (SIGKILL) while both are busy.
    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    doomed.kill().unwrap();
    doomed.wait().unwrap();
    let reached_doomed = doomed_load.await.unwrap();
    assert_eq!(
        survivor_load.await.unwrap(),
        30,
        "the other instance carries on"
    );
    println!("pushes the killed instance answered: {reached_doomed} of 30");
    assert!(reached_doomed < 30, "the kill must land under load");

    // The device's next sync pushes everything again, to the instance that is up.
    let client = client_at(&survivor_port);
    for envelopes in to_doomed.iter().chain(to_survivor.iter()) {
        let answer = client.push(&me, envelopes.clone()).await.unwrap();
        assert_eq!(answer.results.len(), envelopes.len());
    }
    let (mut seqs, mut ids) = (Vec::new(), std::collections::BTreeSet::new());
    let mut cursor = 0;
    loop {
        let page = client.pull(&me, cursor, 500, 0).await.unwrap();
        for e in &page.envelopes {
            seqs.push(e.seq);
            assert!(
                ids.insert(home.open(e).unwrap().record.record_id),
                "a record stored twice"
            );
        }
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(ids.len(), 2 * 30 * 40, "every record stored, once");
    assert_eq!(
        seqs,
        (1..=(2 * 30 * 40) as i64).collect::<Vec<_>>(),
        "in one gap-free order"
    );
    survivor.kill().unwrap();
    survivor.wait().unwrap();
}
