//! Wiring: the router, the TLS listener and the shared state.
//!
//! TLS is rustls with the aws-lc-rs provider (the same provider as every other Grab Pack crate,
//! so one process never mixes two), certificate and key read from the PEM files the config names.
//! `start` binds before it returns, so tests and the benchmark can bind port 0 and learn the port.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};
use tokio::sync::Semaphore;

use crate::config::Config;
use crate::db::{self, Db};
use crate::error::{InboxError, Result};
use crate::{acks, intake, web};

/// How often the retention sweep runs while the service is up.
const RETENTION_EVERY: Duration = Duration::from_secs(60 * 60);

/// What every handler shares.
#[derive(Clone, Debug)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    /// At most this many uploads are read into memory at once.
    pub uploads: Arc<Semaphore>,
    /// Uploads being read right now, and the most there have ever been at once: the figure the
    /// load test holds to `max_concurrent_uploads`, which is what bounds upload memory.
    pub uploads_reading: Arc<AtomicUsize>,
    pub uploads_reading_peak: Arc<AtomicUsize>,
    /// Coalesces audit entries for floods of bad tokens.
    pub unauthorised: Arc<crate::auth::UnauthorisedLog>,
    /// Admits sign-in attempts per address and overall before any password is checked.
    pub login_gate: Arc<crate::auth::LoginGate>,
    /// Coalesces audit entries for failed and refused sign-ins, per address.
    pub login_failures: Arc<crate::auth::UnauthorisedLog>,
    pub login_refusals: Arc<crate::auth::UnauthorisedLog>,
    /// Sign-ins refused by the gate or a throttled name since start (nothing was written for them).
    pub login_refused: Arc<AtomicUsize>,
    /// Each home's own share of upload slots and packs per minute.
    pub home_limits: Arc<crate::intake::HomeLimits>,
}

impl AppState {
    /// Audit an unauthorised request (coalesced per address, see [`crate::auth::UnauthorisedLog`]).
    pub async fn audit_unauthorised(&self, peer: SocketAddr, path: &'static str) {
        let Some(held_back) = self.unauthorised.should_audit(peer.ip()) else {
            return;
        };
        let detail = serde_json::json!({
            "path": path,
            "peer": peer.ip().to_string(),
            "held_back_since_last_entry": held_back,
        })
        .to_string();
        let _ = self
            .db
            .call(move |c| db::audit(c, "unknown", "intake.unauthorised", None, &detail))
            .await;
    }
}

impl AppState {
    pub fn new(config: Config, db: Db) -> Self {
        let permits = config.max_concurrent_uploads;
        let p = &config.policy;
        let login_gate = crate::auth::LoginGate::new(
            p.login_attempts_per_address_per_minute,
            p.login_attempts_per_minute,
        );
        let home_limits = crate::intake::HomeLimits::new(&config);
        Self {
            login_gate: Arc::new(login_gate),
            login_failures: Arc::default(),
            login_refusals: Arc::default(),
            login_refused: Arc::new(AtomicUsize::new(0)),
            home_limits: Arc::new(home_limits),
            config: Arc::new(config),
            db,
            uploads: Arc::new(Semaphore::new(permits)),
            uploads_reading: Arc::new(AtomicUsize::new(0)),
            uploads_reading_peak: Arc::new(AtomicUsize::new(0)),
            unauthorised: Arc::default(),
        }
    }
}

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/v1/packs", post(intake::post_pack))
        .route("/v1/acknowledgements", get(acks::get_acks))
        // The intake handler counts the body itself and answers 413 in the protocol's shape.
        .layer(DefaultBodyLimit::disable());
    let pages = Router::new()
        .route("/", get(web::get_root))
        .route("/login", get(web::get_login).post(web::post_login))
        .route("/logout", post(web::post_logout))
        .route("/packs", get(web::get_packs))
        .route("/packs/{id}", get(web::get_pack))
        .route("/packs/{id}/pdf", get(web::get_pdf))
        .route("/packs/{id}/acknowledge", post(web::post_ack))
        .route("/static/inbox.css", get(web::get_css))
        .layer(DefaultBodyLimit::max(64 * 1024));
    api.merge(pages)
        .layer(middleware::map_response(web::security_headers))
        .with_state(state)
}

/// Make sure the process uses aws-lc-rs whichever crate asks rustls first.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// Read the certificate chain and private key (PEM) into a rustls configuration.
pub fn tls_config(cert: &Path, key: &Path) -> Result<RustlsConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(cert)
        .and_then(|it| it.collect::<std::result::Result<Vec<_>, _>>())
        .map_err(|e| InboxError::Config(format!("certificate {}: {e}", cert.display())))?;
    if certs.is_empty() {
        return Err(InboxError::Config(format!(
            "no certificate in {}",
            cert.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| InboxError::Config(format!("private key {}: {e}", key.display())))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut cfg = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| InboxError::Config(format!("TLS: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| InboxError::Config(format!("TLS certificate and key: {e}")))?;
    cfg.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(RustlsConfig::from_config(Arc::new(cfg)))
}

/// A running service.
#[derive(Debug)]
pub struct Running {
    pub addr: SocketAddr,
    pub handle: axum_server::Handle<SocketAddr>,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
    pub state: AppState,
    /// The hourly retention sweep, when retention is configured.
    pub retention: Option<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stop accepting, let requests in flight finish (up to `grace`), then wait for the end.
    pub async fn stop(self, grace: Duration) {
        if let Some(r) = &self.retention {
            r.abort();
        }
        self.handle.graceful_shutdown(Some(grace));
        let _ = self.task.await;
    }
}

/// Open the database, bind the listener and start serving.
pub async fn start(config: Config) -> Result<Running> {
    install_crypto_provider();
    let key = config.database_key()?;
    let conn = db::open(&config.database, &key, false)?;
    drop(key);
    let tls = tls_config(&config.tls_cert, &config.tls_key)?;
    let listener = std::net::TcpListener::bind(config.listen)
        .map_err(|e| InboxError::Config(format!("cannot listen on {}: {e}", config.listen)))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| InboxError::Config(format!("listener: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| InboxError::Config(format!("listener: {e}")))?;
    let state = AppState::new(config, Db::new(conn));
    let app = router(state.clone());
    let handle = axum_server::Handle::new();
    let acceptor = RustlsAcceptor::new(tls).handshake_timeout(Duration::from_secs(10));
    let mut server = axum_server::from_tcp(listener)
        .map_err(|e| InboxError::Config(format!("listener: {e}")))?
        .acceptor(acceptor)
        .handle(handle.clone())
        // A connection that never sends a whole request (slowloris) is closed; slow bodies are
        // bounded by `upload_timeout_secs` in the intake handler.
        .first_request_timeout(Duration::from_secs(30));
    // Each connection reads ahead at most 16 KiB (hyper's default is ~400 KiB), so a thousand
    // senders waiting for an upload slot hold little memory while they wait.
    server
        .http_builder()
        .http1()
        .header_read_timeout(Duration::from_secs(30))
        .max_buf_size(16 * 1024);
    let task = tokio::spawn(server.serve(app.into_make_service_with_connect_info::<SocketAddr>()));
    let retention = state
        .config
        .policy
        .retention_days_after_episode
        .map(|days| {
            let db = state.db.clone();
            tokio::spawn(async move {
                // At start, then hourly, for as long as the service runs.
                let mut tick = tokio::time::interval(RETENTION_EVERY);
                loop {
                    tick.tick().await;
                    let now = jiff::Timestamp::now();
                    if let Err(e) = db
                        .call(move |c| crate::retention::sweep(c, days, now))
                        .await
                    {
                        e.log();
                    }
                }
            })
        });
    Ok(Running {
        addr,
        handle,
        task,
        state,
        retention,
    })
}
