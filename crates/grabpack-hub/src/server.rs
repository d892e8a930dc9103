//! The HTTPS service: routes, thin handlers, start and stop.
//!
//! Handlers only read the request, authenticate it and call the module that owns the rule
//! (`devices`, `envelopes`, `leases`). Bodies are read whole up to `max_request_bytes` (the
//! signature covers them) before anything else; JSON that does not parse is `hub.malformed`.
//! TLS is rustls with the aws-lc-rs provider, like every other Grab Pack service.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Json;
use axum::routing::{get, post};
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};
use deadpool_postgres::Pool;
use grabpack_sync_protocol::{
    ApproveRequest, DeviceList, EnrolRequest, Enrolled, HubLimits, KeyList, Lease, LeaseRequest,
    PairingList, PairingRequest, PairingStarted, PullResponse, PushRequest, PushResponse,
    RevokeRequest,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::auth::{self, Caller};
use crate::config::Config;
use crate::error::{HubError, Result};
use crate::notify::{self, Notifier};
use crate::{db, devices, envelopes, leases};

/// Bodies of requests that carry no envelopes (enrolment, pairing, approval, revocation).
const SMALL_BODY: usize = 256 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub pool: Pool,
    pub notifier: Arc<Notifier>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").finish_non_exhaustive()
    }
}

async fn read_body(body: Body, limit: usize) -> Result<Bytes> {
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| HubError::TooLarge { limit })
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| HubError::Malformed(e.to_string()))
}

/// A signed request, authenticated: the device that sent it and the body it signed. The body is
/// read up to `SMALL_BODY`, or up to `max_request_bytes` for a push (`Signed<true>`). As the last
/// argument of a handler it is the whole of that handler's authentication.
struct Signed<const PUSH: bool = false> {
    caller: Caller,
    body: Bytes,
}

impl<const PUSH: bool> axum::extract::FromRequest<AppState> for Signed<PUSH> {
    type Rejection = HubError;

    async fn from_request(req: axum::extract::Request, s: &AppState) -> Result<Self> {
        let (parts, body) = req.into_parts();
        let limit = if PUSH {
            s.config.max_request_bytes
        } else {
            SMALL_BODY
        };
        let (caller, body) =
            signed(s, &parts.method, &parts.uri, &parts.headers, body, limit).await?;
        Ok(Self { caller, body })
    }
}

/// Read the body and authenticate the signed request.
async fn signed(
    s: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<(Caller, Bytes)> {
    let bytes = read_body(body, limit).await?;
    let path = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or(uri.path());
    let caller = auth::authenticate(
        &s.pool,
        s.config.request_window_secs,
        method.as_str(),
        path,
        headers,
        &bytes,
    )
    .await?;
    Ok((caller, bytes))
}

async fn enrol(State(s): State<AppState>, body: Body) -> Result<Json<Enrolled>> {
    let request: EnrolRequest = parse(&read_body(body, SMALL_BODY).await?)?;
    Ok(Json(devices::enrol(&s.pool, &request).await?))
}

async fn request_pairing(State(s): State<AppState>, body: Body) -> Result<Json<PairingStarted>> {
    let request: PairingRequest = parse(&read_body(body, SMALL_BODY).await?)?;
    Ok(Json(devices::request_pairing(&s.pool, &request).await?))
}

async fn pairings(
    State(s): State<AppState>,
    Signed { caller, .. }: Signed,
) -> Result<Json<PairingList>> {
    Ok(Json(devices::pending_pairings(&s.pool, &caller).await?))
}

async fn approve(
    State(s): State<AppState>,
    UrlPath(device_id): UrlPath<String>,
    Signed { caller, body }: Signed,
) -> Result<Json<serde_json::Value>> {
    let request: ApproveRequest = parse(&body)?;
    devices::approve(&s.pool, &caller, &device_id, &request).await?;
    Ok(Json(serde_json::json!({ "approved": device_id })))
}

async fn keys(State(s): State<AppState>, Signed { caller, .. }: Signed) -> Result<Json<KeyList>> {
    Ok(Json(devices::keys(&s.pool, &caller).await?))
}

async fn limits(State(s): State<AppState>, _: Signed) -> Json<HubLimits> {
    Json(HubLimits {
        max_envelope_bytes: s.config.max_envelope_bytes as u64,
        max_request_bytes: s.config.max_request_bytes as u64,
        max_envelopes_per_push: u32::try_from(s.config.max_envelopes_per_push).unwrap_or(u32::MAX),
    })
}

async fn device_list(
    State(s): State<AppState>,
    Signed { caller, .. }: Signed,
) -> Result<Json<DeviceList>> {
    Ok(Json(devices::devices(&s.pool, &caller).await?))
}

async fn revoke(
    State(s): State<AppState>,
    UrlPath(device_id): UrlPath<String>,
    Signed { caller, body }: Signed,
) -> Result<Json<serde_json::Value>> {
    let request: RevokeRequest = parse(&body)?;
    devices::revoke(&s.pool, &caller, &device_id, &request).await?;
    Ok(Json(
        serde_json::json!({ "revoked": device_id, "epoch": request.new_epoch }),
    ))
}

async fn push(
    State(s): State<AppState>,
    Signed { caller, body }: Signed<true>,
) -> Result<Json<PushResponse>> {
    let request: PushRequest = parse(&body)?;
    Ok(Json(
        envelopes::push(&s.pool, &s.config, &caller, &request).await?,
    ))
}

#[derive(Debug, Deserialize)]
struct PullQuery {
    #[serde(default)]
    after: i64,
    #[serde(default = "default_limit")]
    limit: u32,
    #[serde(default)]
    wait: u32,
}

fn default_limit() -> u32 {
    envelopes::MAX_PULL
}

async fn pull(
    State(s): State<AppState>,
    query: std::result::Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
    Signed { caller, .. }: Signed,
) -> Result<Json<PullResponse>> {
    let Query(q) = query.map_err(|e| HubError::Malformed(e.body_text()))?;
    Ok(Json(
        envelopes::pull(
            &s.pool,
            &s.notifier,
            &s.config,
            &caller,
            q.after,
            q.limit,
            q.wait,
        )
        .await?,
    ))
}

async fn acquire_lease(
    State(s): State<AppState>,
    UrlPath(delivery_id): UrlPath<String>,
    Signed { caller, body }: Signed,
) -> Result<Json<Lease>> {
    let request: LeaseRequest = parse(&body)?;
    Ok(Json(
        leases::acquire(
            &s.pool,
            &caller,
            &delivery_id,
            request.ttl_secs,
            s.config.max_lease_secs,
        )
        .await?,
    ))
}

async fn release_lease(
    State(s): State<AppState>,
    UrlPath(delivery_id): UrlPath<String>,
    Signed { caller, .. }: Signed,
) -> Result<Json<serde_json::Value>> {
    leases::release(&s.pool, &caller, &delivery_id).await?;
    Ok(Json(serde_json::json!({ "released": delivery_id })))
}

async fn not_found() -> HubError {
    HubError::NotFound
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/enrol", post(enrol))
        .route("/v1/pairings", post(request_pairing).get(pairings))
        .route("/v1/pairings/{device_id}/approve", post(approve))
        .route("/v1/keys", get(keys))
        .route("/v1/limits", get(limits))
        .route("/v1/devices", get(device_list))
        .route("/v1/devices/{device_id}/revoke", post(revoke))
        .route("/v1/envelopes", post(push).get(pull))
        .route(
            "/v1/leases/{delivery_id}",
            post(acquire_lease).delete(release_lease),
        )
        .fallback(not_found)
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
        .map_err(|e| HubError::Config(format!("certificate {}: {e}", cert.display())))?;
    if certs.is_empty() {
        return Err(HubError::Config(format!(
            "no certificate in {}",
            cert.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| HubError::Config(format!("private key {}: {e}", key.display())))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut cfg = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| HubError::Config(format!("TLS: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| HubError::Config(format!("TLS certificate and key: {e}")))?;
    cfg.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(RustlsConfig::from_config(Arc::new(cfg)))
}

/// A running hub instance.
#[derive(Debug)]
pub struct Running {
    pub addr: SocketAddr,
    pub handle: axum_server::Handle<SocketAddr>,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
    pub state: AppState,
    background: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stop accepting, let requests in flight finish (up to `grace`), then wait for the end.
    pub async fn stop(self, grace: Duration) {
        for b in &self.background {
            b.abort();
        }
        self.handle.graceful_shutdown(Some(grace));
        let _ = self.task.await;
        self.state.pool.close();
    }
}

/// Connect to PostgreSQL (its schema must be current), bind the listener and serve.
pub async fn start(config: Config) -> Result<Running> {
    install_crypto_provider();
    let pool = db::pool(&config)?;
    db::check_schema(&pool).await?;
    let tls = tls_config(&config.tls_cert, &config.tls_key)?;
    let listener = std::net::TcpListener::bind(config.listen)
        .map_err(|e| HubError::Config(format!("cannot listen on {}: {e}", config.listen)))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| HubError::Config(format!("listener: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| HubError::Config(format!("listener: {e}")))?;
    let notifier = Arc::new(Notifier::default());
    let listen = tokio::spawn(notify::listen(
        config.postgres()?,
        db::tls(&config)?,
        notifier.clone(),
    ));
    let sweep = {
        let pool = pool.clone();
        let window = config.request_window_secs;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                if let Err(e) = auth::sweep_nonces(&pool, window).await {
                    eprintln!("grabpack-hub: sweeping old nonces: {e}");
                }
            }
        })
    };
    let state = AppState {
        config: Arc::new(config),
        pool,
        notifier,
    };
    let app = router(state.clone());
    let handle = axum_server::Handle::new();
    let acceptor = RustlsAcceptor::new(tls).handshake_timeout(Duration::from_secs(10));
    let server = axum_server::from_tcp(listener)
        .map_err(|e| HubError::Config(format!("listener: {e}")))?
        .acceptor(acceptor)
        .handle(handle.clone());
    let task = tokio::spawn(server.serve(app.into_make_service()));
    Ok(Running {
        addr,
        handle,
        task,
        state,
        background: vec![listen, sweep],
    })
}
