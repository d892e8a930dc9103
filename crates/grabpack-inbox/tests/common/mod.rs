//! A real inbox on loopback for the tests: a test CA made here, a server certificate it signs,
//! a fresh encrypted database in a temp folder, and a reqwest client that trusts only that CA.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use grabpack_inbox::config::{Config, HomeConfig, RawConfig, RawPolicy, token_sha256};
use grabpack_inbox::server::{self, Running};
use grabpack_inbox::setup;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub struct TestCa {
    pub ca_pem: String,
    pub server_cert_pem: String,
    pub server_key_pem: String,
}

/// A CA and a certificate for `localhost` and 127.0.0.1 signed by it.
pub fn test_ca() -> TestCa {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "Grab Pack test CA (fictional)");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    leaf.distinguished_name
        .push(DnType::CommonName, "inbox.test.invalid");
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).unwrap();
    TestCa {
        ca_pem: ca_cert.pem(),
        server_cert_pem: leaf_cert.pem(),
        server_key_pem: leaf_key.serialize_pem(),
    }
}

pub fn token_for(home: usize) -> String {
    format!("test-token-for-home-{home:03}-not-a-real-secret")
}

pub fn home_id(home: usize) -> String {
    format!("home-{home:03}")
}

pub struct TestInbox {
    pub dir: tempfile::TempDir,
    pub ca: TestCa,
    pub running: Option<Running>,
    pub base: String,
    pub config: Config,
}

pub struct Options {
    pub homes: usize,
    pub max_pack_bytes: u64,
    pub max_concurrent_uploads: usize,
    pub packs_per_home_per_minute: u32,
    pub max_uploads_per_home: usize,
    pub retention_days_after_episode: Option<u32>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            homes: 3,
            max_pack_bytes: 2 * 1024 * 1024,
            max_concurrent_uploads: 8,
            packs_per_home_per_minute: 60,
            max_uploads_per_home: 4,
            retention_days_after_episode: None,
        }
    }
}

impl TestInbox {
    pub async fn start() -> Self {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(opts: Options) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let ca = test_ca();
        std::fs::write(dir.path().join("cert.pem"), &ca.server_cert_pem).unwrap();
        std::fs::write(dir.path().join("key.pem"), &ca.server_key_pem).unwrap();
        let raw = RawConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            database: PathBuf::from("inbox.db"),
            key_file: Some(PathBuf::from("inbox.key")),
            tls_cert: PathBuf::from("cert.pem"),
            tls_key: PathBuf::from("key.pem"),
            max_pack_bytes: opts.max_pack_bytes,
            max_concurrent_uploads: opts.max_concurrent_uploads,
            upload_timeout_secs: 60,
            session_minutes: 30,
            homes: (0..opts.homes)
                .map(|i| HomeConfig {
                    id: home_id(i),
                    name: format!("Fictional House {i}"),
                    token_sha256: hex::encode(token_sha256(&token_for(i))),
                })
                .collect(),
        };
        let policy = RawPolicy {
            packs_per_home_per_minute: opts.packs_per_home_per_minute,
            max_uploads_per_home: opts.max_uploads_per_home,
            retention_days_after_episode: opts.retention_days_after_episode,
            ..RawPolicy::default()
        };
        let config = Config::from_raw_with(raw, policy, dir.path()).unwrap();
        setup::init(&config, None).unwrap();
        let running = server::start(config.clone()).await.unwrap();
        let base = format!("https://localhost:{}", running.addr.port());
        Self {
            dir,
            ca,
            running: Some(running),
            base,
            config,
        }
    }

    pub fn client(&self) -> reqwest::Client {
        let ca = reqwest::Certificate::from_pem(self.ca.ca_pem.as_bytes()).unwrap();
        reqwest::Client::builder()
            .tls_certs_merge([ca])
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn running(&self) -> &Running {
        self.running.as_ref().unwrap()
    }

    /// Run one SQL query returning a single integer, straight on the service's database.
    pub async fn count(&self, sql: &'static str) -> i64 {
        self.running()
            .state
            .db
            .call(move |c| Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))?))
            .await
            .unwrap()
    }

    pub async fn packs(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM packs").await
    }

    pub async fn audit_actions(&self, action: &'static str) -> i64 {
        let a = action.to_string();
        self.running()
            .state
            .db
            .call(move |c| {
                Ok(
                    c.query_row("SELECT COUNT(*) FROM audit WHERE action = ?1", [a], |r| {
                        r.get::<_, i64>(0)
                    })?,
                )
            })
            .await
            .unwrap()
    }

    pub async fn audit_intact(&self) -> bool {
        self.running()
            .state
            .db
            .call(|c| Ok(grabpack_audit::verify(c)?))
            .await
            .unwrap()
            .intact()
    }

    /// Record an acknowledgement as an officer would (the web form calls the same function).
    pub async fn acknowledge(&self, receipt_id: &str, ack: grabpack_inbox::acks::NewAck) {
        let rid = receipt_id.to_string();
        self.running()
            .state
            .db
            .call(move |c| {
                grabpack_inbox::auth::add_user(c, "pc-example", "a long fictional password").ok();
                grabpack_inbox::acks::record(c, &rid, "pc-example", &ack)
            })
            .await
            .unwrap();
    }

    /// Create an account with a role and units, as `grabpack-inbox user add --role --unit` does.
    pub async fn add_account(
        &self,
        name: &str,
        password: &str,
        role: grabpack_inbox::auth::Role,
        units: &[&str],
    ) {
        let (n, p) = (name.to_string(), password.to_string());
        let units: Vec<String> = units.iter().map(|u| u.to_string()).collect();
        self.running()
            .state
            .db
            .call(move |c| {
                grabpack_inbox::auth::add_user(c, &n, &p)?;
                grabpack_inbox::auth::set_access(c, &n, role, &units)
            })
            .await
            .unwrap();
    }

    /// An officer of the unit the test manifests are addressed to.
    pub async fn add_officer(&self, name: &str, password: &str) {
        self.add_account(
            name,
            password,
            grabpack_inbox::auth::Role::Officer,
            &["met-bcu-north"],
        )
        .await;
    }

    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop(std::time::Duration::from_secs(5)).await;
        }
    }
}

/// A small but real-looking PDF of about `size` bytes, different for each `seed`.
pub fn fake_pdf(size: usize, seed: &str) -> Vec<u8> {
    let mut v = format!("%PDF-1.7\n% grab pack for {seed}\n").into_bytes();
    let mut i = 0u64;
    while v.len() + 7 < size {
        v.extend_from_slice(format!("{:x}\n", (i.wrapping_mul(2654435761)) & 0xffff).as_bytes());
        i += 1;
    }
    v.extend_from_slice(b"\n%%EOF\n");
    v
}

pub fn sha256_hex(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// A manifest that the service accepts for `pdf` from home number `home`.
pub fn manifest(home: usize, key: &str, pdf: &[u8]) -> Value {
    json!({
        "protocol": "grabpack.intake.v1",
        "idempotency_key": key,
        "home": {"id": home_id(home), "name": format!("Fictional House {home}")},
        "child": {"ref": "child-7f3a", "display_name": "Sam Example (known as Sammy)"},
        "episode_id": "ep-2026-11-28-001",
        "recipient_id": "met-bcu-north",
        "sent_at": "2026-11-28T21:05:00Z",
        "pdf_sha256": sha256_hex(pdf),
        "pdf_bytes": pdf.len(),
        "readout": "MISSING: Sam Example, 15, known as Sammy.\nLast seen 20:40 near the bus station, grey hoodie.\nMedication: inhaler (asthma).",
        "marking": "OFFICIAL-SENSITIVE",
    })
}

pub fn form(manifest: &Value, pdf: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .part(
            "manifest",
            reqwest::multipart::Part::text(manifest.to_string())
                .mime_str("application/json")
                .unwrap(),
        )
        .part(
            "pack",
            reqwest::multipart::Part::bytes(pdf)
                .file_name("grab-pack.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        )
}

/// POST a pack; returns status and JSON body.
pub async fn send(
    client: &reqwest::Client,
    inbox: &TestInbox,
    token: &str,
    key: &str,
    form: reqwest::multipart::Form,
) -> (u16, Value) {
    let resp = client
        .post(inbox.url("/v1/packs"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let body = resp.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

pub fn new_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Peak resident memory of this process so far (kB), from /proc/self/status.
pub fn vm_hwm_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
}
