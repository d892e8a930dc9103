//! Real servers on loopback for the sending tests, and a fictional home to send from.
//!
//! - [`TestCa`]: a certificate authority made by the test (rcgen), trusted only by the test's
//!   settings, issuing a certificate for 127.0.0.1.
//! - [`SmtpServer`]: aiosmtpd in its own Python process, STARTTLS required, AUTH required, parsing
//!   every message it accepts and logging the SHA-256 of the PDF as received.
//! - [`Intake`]: an axum + rustls server implementing intake protocol v1 (docs/intake-protocol.md)
//!   with idempotency, counting how many packs it stored under each key.
//!
//! Everything named here is fictional.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use grabpack_core::ChildForm;
use grabpack_send::recipients::{Recipient, Role};
use grabpack_send::{SendSettings, SmtpSecurity, SmtpSettings};
use grabpack_store::outbox::Channel;
use grabpack_store::{Sensitive, Setup, Store};
use sha2::{Digest, Sha256};

pub const PASSPHRASE: &str = "correct horse battery staple";
pub const SMTP_USER: &str = "home@maple-house.example";
pub const SMTP_PASSWORD: &str = "test-password-fictional";
pub const TOKEN: &str = "test-bearer-token-fictional";

pub fn sha256_hex(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// The Python that runs the SMTP server: GRABPACK_TEST_PYTHON, else `python3` on the PATH.
pub fn python() -> String {
    std::env::var("GRABPACK_TEST_PYTHON").unwrap_or_else(|_| "python3".into())
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A certificate authority and a server certificate for 127.0.0.1, made fresh by the test.
pub struct TestCa {
    pub ca_pem: String,
    pub cert_pem: String,
    pub key_pem: String,
}

impl TestCa {
    pub fn new() -> Self {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, SanType};
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "Grab Pack test CA (fictional)");
        let ca_key = KeyPair::generate().unwrap();
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca, ca_key);
        let mut leaf = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        leaf.subject_alt_names
            .push(SanType::IpAddress("127.0.0.1".parse().unwrap()));
        leaf.distinguished_name
            .push(DnType::CommonName, "test server (fictional)");
        let leaf_key = KeyPair::generate().unwrap();
        let leaf_cert = leaf.signed_by(&leaf_key, &issuer).unwrap();
        Self {
            ca_pem: ca_cert.pem(),
            cert_pem: leaf_cert.pem(),
            key_pem: leaf_key.serialize_pem(),
        }
    }

    pub fn write(&self, dir: &Path) -> (PathBuf, PathBuf) {
        let cert = dir.join("server-cert.pem");
        let key = dir.join("server-key.pem");
        std::fs::write(&cert, &self.cert_pem).unwrap();
        std::fs::write(&key, &self.key_pem).unwrap();
        (cert, key)
    }
}

/// One message as the SMTP server received it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Received {
    pub rcpt: String,
    pub message_id: String,
    pub subject: String,
    pub pdf_sha256: Option<String>,
    pub pdf_bytes: usize,
    pub user: Option<String>,
    /// SHA-256 of the message exactly as the server received it.
    #[serde(default)]
    pub raw_sha256: String,
    /// The plain-text body.
    #[serde(default)]
    pub text: String,
    /// The threading headers, as received ("" when absent).
    #[serde(default)]
    pub in_reply_to: String,
    #[serde(default)]
    pub references: String,
}

/// aiosmtpd in a child process; killed on drop.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmtpServer {
    pub fn start(ca: &TestCa, size_limit: Option<usize>) -> Self {
        Self::start_with(ca, size_limit, true)
    }

    /// `parse: false` skips the server-side MIME parsing (for the benchmark).
    pub fn start_with(ca: &TestCa, size_limit: Option<usize>, parse: bool) -> Self {
        Self::start_full(ca, size_limit, parse, &[])
    }

    /// TLS from the first byte (port 465 style) instead of STARTTLS.
    pub fn start_implicit_tls(ca: &TestCa) -> Self {
        Self::start_full(ca, None, true, &["--implicit"])
    }

    /// No TLS at all and no STARTTLS offered: a server the app must refuse to use.
    pub fn start_plaintext(ca: &TestCa) -> Self {
        Self::start_full(ca, None, true, &["--plaintext"])
    }

    /// On a port chosen by the test: start it later on a port the home already uses, and the
    /// mail server was "down" until then.
    pub fn start_on(ca: &TestCa, port: u16) -> Self {
        Self::start_port(ca, None, true, &[], port)
    }

    fn start_full(ca: &TestCa, size_limit: Option<usize>, parse: bool, mode: &[&str]) -> Self {
        Self::start_port(ca, size_limit, parse, mode, free_port())
    }

    fn start_port(
        ca: &TestCa,
        size_limit: Option<usize>,
        parse: bool,
        mode: &[&str],
        port: u16,
    ) -> Self {
        let python = python();
        let check = Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .output();
        let ok = matches!(check, Ok(o) if o.status.success());
        assert!(
            ok,
            "These tests need a real SMTP server: {python} with aiosmtpd. Install it with \
             `{python} -m pip install -r crates/grabpack-send/tests/requirements.txt` \
             (GRABPACK_TEST_PYTHON picks another interpreter)."
        );
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = ca.write(dir.path());
        let log = dir.path().join("received.jsonl");
        std::fs::write(&log, "").unwrap();
        // Written out from the test binary, so crates outside grabpack-send can use this server.
        let script = dir.path().join("smtp_server.py");
        std::fs::write(&script, include_str!("../smtp_server.py")).unwrap();
        let mut cmd = Command::new(&python);
        cmd.arg(script)
            .arg("--cert")
            .arg(&cert)
            .arg("--key")
            .arg(&key)
            .arg("--log")
            .arg(&log)
            .arg("--port")
            .arg(port.to_string())
            .arg("--user")
            .arg(SMTP_USER)
            .arg("--password")
            .arg(SMTP_PASSWORD)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(limit) = size_limit {
            cmd.arg("--size-limit").arg(limit.to_string());
        }
        if !parse {
            cmd.arg("--no-parse");
        }
        cmd.args(mode);
        let mut child = cmd.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        assert!(
            line.starts_with("READY"),
            "the SMTP server did not start: {line:?}"
        );
        Self {
            child,
            port,
            log,
            _dir: dir,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        std::fs::read_to_string(&self.log)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One pack stored by the test intake.
#[derive(Debug, Clone)]
pub struct StoredPack {
    pub idempotency_key: String,
    pub manifest: serde_json::Value,
    pub pdf_sha256: String,
    pub receipt: serde_json::Value,
    pub episode_id: Option<String>,
}

#[derive(Default)]
pub struct IntakeState {
    pub stored: Vec<StoredPack>,
    /// POSTs seen, replays included.
    pub posts: usize,
    pub acks: Vec<serde_json::Value>,
}

/// An HTTPS intake implementing protocol v1, on loopback, in its own thread and runtime.
pub struct Intake {
    pub addr: SocketAddr,
    pub state: Arc<Mutex<IntakeState>>,
    handle: axum_server::Handle<SocketAddr>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Intake {
    pub fn base_url(&self) -> String {
        format!("https://127.0.0.1:{}/", self.addr.port())
    }

    pub fn start(ca: &TestCa) -> Self {
        Self::start_on(ca, 0)
    }

    pub fn start_on(ca: &TestCa, port: u16) -> Self {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let state = Arc::new(Mutex::new(IntakeState::default()));
        let handle = axum_server::Handle::new();
        let (tx, rx) = std::sync::mpsc::channel();
        let cert = ca.cert_pem.clone().into_bytes();
        let key = ca.key_pem.clone().into_bytes();
        let st = state.clone();
        let h = handle.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let config = axum_server::tls_rustls::RustlsConfig::from_pem(cert, key)
                    .await
                    .unwrap();
                let app = intake_app(st);
                let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
                listener.set_nonblocking(true).unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                axum_server::from_tcp_rustls(listener, config)
                    .unwrap()
                    .handle(h)
                    .serve(app.into_make_service())
                    .await
                    .unwrap();
            });
        });
        let addr = rx.recv_timeout(Duration::from_secs(30)).unwrap();
        Self {
            addr,
            state,
            handle,
            thread: Some(thread),
        }
    }

    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.handle.shutdown();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    pub fn stored(&self) -> Vec<StoredPack> {
        self.state.lock().unwrap().stored.clone()
    }

    /// An officer acknowledges the pack stored under `key`.
    pub fn acknowledge(
        &self,
        key: &str,
        status: &str,
        officer: &str,
        collar: &str,
        reference: &str,
        grading: &str,
    ) {
        let mut s = self.state.lock().unwrap();
        let pack = s
            .stored
            .iter()
            .find(|p| p.idempotency_key == key)
            .cloned()
            .unwrap();
        let cursor = format!("{:08}", s.acks.len() + 1);
        s.acks.push(serde_json::json!({
            "cursor": cursor,
            "receipt_id": pack.receipt["receipt_id"],
            "idempotency_key": key,
            "episode_id": pack.episode_id,
            "status": status,
            "officer_name": officer,
            "collar_number": collar,
            "police_reference": reference,
            "risk_grading": grading,
            "note": "Test acknowledgement (fictional)",
            "reason": null,
            "at": jiff::Timestamp::now().to_string(),
        }));
    }
}

impl Drop for Intake {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn err(status: u16, code: &str, message: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        axum::http::StatusCode::from_u16(status).unwrap(),
        axum::Json(serde_json::json!({"error": {"code": code, "message": message}})),
    )
        .into_response()
}

fn authorised(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {TOKEN}"))
}

fn intake_app(state: Arc<Mutex<IntakeState>>) -> axum::Router {
    use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
    use axum::http::HeaderMap;
    use axum::response::IntoResponse;
    use axum::routing::{get, post};

    async fn packs(
        State(state): State<Arc<Mutex<IntakeState>>>,
        headers: HeaderMap,
        mut mp: Multipart,
    ) -> axum::response::Response {
        if !authorised(&headers) {
            return err(401, "intake.unauthorised", "bad token");
        }
        let key = headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let mut manifest: Option<serde_json::Value> = None;
        let mut pdf: Option<Vec<u8>> = None;
        loop {
            match mp.next_field().await {
                Ok(Some(field)) => {
                    let name = field.name().unwrap_or("").to_string();
                    let Ok(bytes) = field.bytes().await else {
                        return err(400, "intake.truncated", "upload cut short");
                    };
                    match name.as_str() {
                        "manifest" => manifest = serde_json::from_slice(&bytes).ok(),
                        "pack" => pdf = Some(bytes.to_vec()),
                        _ => {}
                    }
                }
                Ok(None) => break,
                Err(_) => return err(400, "intake.truncated", "upload cut short"),
            }
        }
        let (Some(manifest), Some(pdf)) = (manifest, pdf) else {
            return err(
                400,
                "intake.malformed_manifest",
                "manifest and pack are required",
            );
        };
        if manifest["protocol"] != "grabpack.intake.v1"
            || manifest["idempotency_key"] != key.as_str()
        {
            return err(400, "intake.malformed_manifest", "bad protocol or key");
        }
        let hash = sha256_hex(&pdf);
        if manifest["pdf_sha256"] != hash.as_str() || manifest["pdf_bytes"] != pdf.len() {
            return err(
                400,
                "intake.hash_mismatch",
                "the PDF does not match the manifest",
            );
        }
        let mut s = state.lock().unwrap();
        s.posts += 1;
        if let Some(existing) = s.stored.iter().find(|p| p.idempotency_key == key) {
            if existing.pdf_sha256 == hash {
                return (
                    axum::http::StatusCode::OK,
                    axum::Json(existing.receipt.clone()),
                )
                    .into_response();
            }
            return err(
                409,
                "intake.idempotency_conflict",
                "same key, different pack",
            );
        }
        let receipt = serde_json::json!({
            "receipt_id": format!("R-{:06}", s.stored.len() + 1),
            "received_at": jiff::Timestamp::now().to_string(),
            "idempotency_key": key,
        });
        s.stored.push(StoredPack {
            idempotency_key: key,
            episode_id: manifest["episode_id"].as_str().map(str::to_string),
            manifest,
            pdf_sha256: hash,
            receipt: receipt.clone(),
        });
        (axum::http::StatusCode::CREATED, axum::Json(receipt)).into_response()
    }

    async fn acks(
        State(state): State<Arc<Mutex<IntakeState>>>,
        headers: HeaderMap,
        Query(q): Query<HashMap<String, String>>,
    ) -> axum::response::Response {
        if !authorised(&headers) {
            return err(401, "intake.unauthorised", "bad token");
        }
        let after = q.get("after").cloned().unwrap_or_default();
        let s = state.lock().unwrap();
        let list: Vec<serde_json::Value> = s
            .acks
            .iter()
            .filter(|a| a["cursor"].as_str().unwrap_or("") > after.as_str())
            .cloned()
            .collect();
        // As the protocol says: with nothing new, `next_cursor` is the `after` asked for.
        let next = list
            .last()
            .map(|a| a["cursor"].clone())
            .unwrap_or_else(|| serde_json::Value::from(after.clone()));
        axum::Json(serde_json::json!({"acknowledgements": list, "next_cursor": next}))
            .into_response()
    }

    axum::Router::new()
        .route("/v1/packs", post(packs))
        .route("/v1/acknowledgements", get(acks))
        .layer(DefaultBodyLimit::max(32 * 1024 * 1024))
        .with_state(state)
}

/// A fictional home with one fictional child, unlocked with the passphrase.
pub struct TestHome {
    pub dir: tempfile::TempDir,
    pub child_id: grabpack_store::ChildId,
}

impl TestHome {
    pub fn new() -> (Self, Store) {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _recovery) = Store::create(
            dir.path(),
            Setup {
                home_name: "Maple House (fictional)".into(),
                manager_name: "Amira Test (fictional)".into(),
                manager_pin: None,
                passphrase: Some(Sensitive::from(PASSPHRASE)),
            },
            None,
        )
        .unwrap();
        let mut form = ChildForm::default();
        form.identity.legal_name = "Jordan Testchild (fictional)".into();
        form.identity.known_as = vec!["JJ".into()];
        form.identity.date_of_birth = Some(jiff::civil::date(2011, 3, 14));
        form.placement.placing_council = "Lambeth".into();
        form.placement.social_worker.name = "Sam Social (fictional)".into();
        form.placement.social_worker.email = "social.worker@council.example".into();
        form.placement.out_of_hours.name = "EDT (fictional)".into();
        form.placement.out_of_hours.email = "edt@council.example".into();
        form.placement.registered_manager.name = "Rita Manager (fictional)".into();
        form.placement.registered_manager.email = "manager@maple-house.example".into();
        let child_id = store.create_child(&form, "test child").unwrap();
        (Self { dir, child_id }, store)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn unlock(&self) -> Store {
        Store::unlock(
            self.path(),
            grabpack_store::Credential::Passphrase(&PASSPHRASE.into()),
            None,
        )
        .unwrap()
    }
}

/// A missing episode opened now for the home's one child.
pub fn open_episode(
    store: &mut grabpack_store::Store,
    home: &TestHome,
) -> grabpack_store::EpisodeId {
    store
        .open_episode(&grabpack_store::episodes::NewEpisode {
            child_id: home.child_id.clone(),
            noticed_at: jiff::Timestamp::now(),
            immediate_danger: false,
            missing_from_unit: None,
        })
        .unwrap()
        .id
}

pub fn smtp_settings(ca: &TestCa, port: u16, password: &str) -> SendSettings {
    SendSettings {
        home_police_unit: Some("kent".into()),
        smtp: Some(SmtpSettings {
            host: "127.0.0.1".into(),
            port: Some(port),
            security: SmtpSecurity::Starttls,
            username: SMTP_USER.into(),
            password: password.into(),
            from: SMTP_USER.into(),
            from_name: "Maple House (fictional)".into(),
            timeout_seconds: Some(10),
        }),
        intake_tokens: Default::default(),
        extra_root_pem: vec![ca.ca_pem.clone()],
        marking: String::new(),
        public_domains: Vec::new(),
    }
}

pub fn email_to(address: &str, role: Role) -> Recipient {
    Recipient {
        id: format!("test:{address}"),
        role,
        name: format!("{address} (fictional)"),
        channel: Channel::Email,
        address: address.into(),
        reason: "test".into(),
        confirmed_by_manager: None,
        audience: None,
        widened_by_manager: None,
    }
}

pub fn intake_at(url: &str) -> Recipient {
    Recipient {
        id: format!("police:{url}"),
        role: Role::Police,
        name: "Test intake (fictional)".into(),
        channel: Channel::Https,
        address: url.into(),
        reason: "test".into(),
        confirmed_by_manager: None,
        audience: None,
        widened_by_manager: None,
    }
}

/// A PDF-shaped payload of a given size (real packs come from grabpack-pack in the benchmark).
pub fn fake_pdf(seed: u32, size: usize) -> Vec<u8> {
    let mut v = format!("%PDF-1.7\n% test pack {seed} (fictional)\n").into_bytes();
    let mut x = seed.wrapping_mul(2_654_435_761).max(1);
    while v.len() < size {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        v.push((x & 0xff) as u8);
    }
    v.extend_from_slice(b"\n%%EOF\n");
    v
}

pub fn outgoing(
    home: &TestHome,
    episode: Option<&grabpack_store::EpisodeId>,
    pdf: Vec<u8>,
    recipients: Vec<Recipient>,
) -> grabpack_send::Outgoing {
    grabpack_send::Outgoing {
        child_id: home.child_id.clone(),
        child_display_name: "JJ (Jordan Testchild, fictional)".into(),
        episode_id: episode.cloned(),
        purpose: grabpack_store::outbox::Purpose::Pack,
        pdf: Some(pdf),
        readout: "Jordan Testchild (fictional), known as JJ, aged 15. Test read-out.".into(),
        versions: Vec::new(),
        cover_note: "Test cover note: Jordan is missing from Maple House (fictional).".into(),
        recipients,
        home_id: "home-test".into(),
        home_name: "Maple House (fictional)".into(),
        thread: Vec::new(),
    }
}

pub const HOME_TOKEN: &str = "test-token-for-maple-house-not-a-real-secret";

/// The real police-side intake service (grabpack-inbox) on loopback with the test CA's
/// certificate, knowing one home by [`HOME_TOKEN`].
pub struct RealInbox {
    rt: tokio::runtime::Runtime,
    running: Option<grabpack_inbox::server::Running>,
    pub base: String,
    _dir: tempfile::TempDir,
}

impl RealInbox {
    pub fn start(ca: &TestCa) -> Self {
        Self::start_for_home(ca, "maple-house")
    }

    /// Knowing the home by `home_id` (what the home's manifests carry: its store id).
    pub fn start_for_home(ca: &TestCa, home_id: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("cert.pem"), &ca.cert_pem).unwrap();
        std::fs::write(dir.path().join("key.pem"), &ca.key_pem).unwrap();
        let raw = grabpack_inbox::config::RawConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            database: PathBuf::from("inbox.db"),
            key_file: Some(PathBuf::from("inbox.key")),
            tls_cert: PathBuf::from("cert.pem"),
            tls_key: PathBuf::from("key.pem"),
            max_pack_bytes: 8 * 1024 * 1024,
            max_concurrent_uploads: 8,
            upload_timeout_secs: 60,
            session_minutes: 30,
            homes: vec![grabpack_inbox::config::HomeConfig {
                id: home_id.into(),
                name: "Maple House (fictional)".into(),
                token_sha256: hex::encode(grabpack_inbox::config::token_sha256(HOME_TOKEN)),
            }],
        };
        let config = grabpack_inbox::config::Config::from_raw(raw, dir.path()).unwrap();
        grabpack_inbox::setup::init(&config, None).unwrap();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let running = rt.block_on(grabpack_inbox::server::start(config)).unwrap();
        let base = format!("https://127.0.0.1:{}/", running.addr.port());
        Self {
            rt,
            running: Some(running),
            base,
            _dir: dir,
        }
    }

    pub fn packs(&self) -> i64 {
        let db = self.running.as_ref().unwrap().state.db.clone();
        self.rt
            .block_on(db.call(|c| Ok(c.query_row("SELECT count(*) FROM packs", [], |r| r.get(0))?)))
            .unwrap()
    }

    /// Every manifest the intake stored, oldest first, as the home sent it.
    pub fn manifests(&self) -> Vec<serde_json::Value> {
        let db = self.running.as_ref().unwrap().state.db.clone();
        let texts: Vec<String> = self
            .rt
            .block_on(db.call(|c| {
                let mut stmt = c.prepare("SELECT manifest FROM packs ORDER BY rowid")?;
                let rows = stmt
                    .query_map([], |r| r.get(0))?
                    .collect::<Result<Vec<String>, _>>()?;
                Ok(rows)
            }))
            .unwrap();
        texts
            .iter()
            .map(|t| serde_json::from_str(t).unwrap())
            .collect()
    }

    pub fn acknowledge(&self, receipt_id: &str, ack: grabpack_inbox::acks::NewAck) {
        let db = self.running.as_ref().unwrap().state.db.clone();
        let rid = receipt_id.to_string();
        self.rt
            .block_on(db.call(move |c| {
                grabpack_inbox::auth::add_user(c, "pc-example", "a long fictional password").ok();
                grabpack_inbox::acks::record(c, &rid, "pc-example", &ack)
            }))
            .unwrap();
    }
}

impl Drop for RealInbox {
    fn drop(&mut self) {
        if let Some(r) = self.running.take() {
            self.rt.block_on(r.stop(std::time::Duration::from_secs(5)));
        }
    }
}
