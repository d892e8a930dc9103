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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_initialises_the_database_adds_a_home_and_serves_it() {
    let pg = TestPostgres::start();
    let dir = tempfile::tempdir().unwrap();
    let ca = common::test_ca();
    std::fs::write(dir.path().join("hub-cert.pem"), &ca.server_cert_pem).unwrap();
    std::fs::write(dir.path().join("hub-key.pem"), &ca.server_key_pem).unwrap();
    // The sample config, pointed at the test cluster and any free port.
    let sample = include_str!("../hub.example.toml")
        .replace("127.0.0.1:8743", "127.0.0.1:0")
        .replace(
            "host=/var/run/postgresql dbname=grabpack_hub user=grabpack_hub",
            &pg.conninfo(),
        );
    let config = dir.path().join("hub.toml");
    std::fs::write(&config, sample).unwrap();

    // Before init-db, serving and adding homes are refused with the advice to run it.
    let (ok, _, err) = hub(&["add-home", "--label", "Fictional ref 1"], &config);
    assert!(!ok);
    assert!(
        err.contains("error [hub.schema]") && err.contains("init-db"),
        "{err}"
    );

    let (ok, out, err) = hub(&["init-db"], &config);
    assert!(ok, "{err}");
    assert!(out.contains("1 migration(s) applied"), "{out}");
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
