//! `POST /v1/packs`: receive one grab pack, check it, store it once, answer with a receipt.
//!
//! The body is read as a stream and counted as it arrives: the whole request is cut off the
//! moment it passes the configured limit, so a sender can never make the service buffer more
//! than `max_pack_bytes` (plus a small allowance for the manifest and multipart framing) per
//! upload, and at most `max_concurrent_uploads` uploads are buffered at once (the rest wait, with
//! their bytes still in the network). Nothing is written until every check has passed, and then
//! the pack, the receipt and the audit entry commit in one transaction, so a refused or broken
//! upload leaves no trace but its audit line.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use grabpack_protocol::{
    MANIFEST_MAX_BYTES, Manifest, PROTOCOL, READOUT_MAX_BYTES, Receipt, TEXT_MAX_BYTES,
    is_safe_part_filename, is_valid_id,
};

use crate::auth;
use crate::config::Home;
use crate::db;
use crate::error::{InboxError, Result};
use crate::server::AppState;

/// Allowance over `max_pack_bytes` for the manifest and the multipart framing.
pub const ENVELOPE_ALLOWANCE: u64 = MANIFEST_MAX_BYTES + 16 * 1024;

fn is_clean_text(s: &str, max: usize, multiline: bool) -> bool {
    s.len() <= max
        && !s
            .chars()
            .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t')))
}

fn malformed(msg: impl Into<String>) -> InboxError {
    InboxError::MalformedManifest(msg.into())
}

/// Every rule a manifest must meet, checked before a byte of the PDF is kept.
pub fn validate_manifest(
    m: &Manifest,
    home: &Home,
    header_key: &uuid::Uuid,
    limit: u64,
) -> Result<()> {
    if m.protocol != PROTOCOL {
        return Err(malformed(format!("protocol must be {PROTOCOL:?}")));
    }
    let key = uuid::Uuid::parse_str(&m.idempotency_key)
        .map_err(|_| malformed("idempotency_key must be a UUID"))?;
    if &key != header_key {
        return Err(malformed(
            "idempotency_key differs from the Idempotency-Key header",
        ));
    }
    let ids = [
        ("home.id", Some(&m.home.id)),
        ("child.ref", Some(&m.child.child_ref)),
        ("episode_id", m.episode_id.as_ref()),
        ("recipient_id", Some(&m.recipient_id)),
    ];
    for (field, value) in ids.into_iter().filter_map(|(f, v)| v.map(|v| (f, v))) {
        if !is_valid_id(value) {
            return Err(malformed(format!(
                "{field} must be 1-128 of A-Z a-z 0-9 . _ : - starting with a letter or digit"
            )));
        }
    }
    if m.home.id != home.id {
        return Err(malformed(
            "home.id is not the home this bearer token belongs to",
        ));
    }
    for (field, value) in [
        ("home.name", &m.home.name),
        ("child.display_name", &m.child.display_name),
        ("marking", &m.marking),
    ] {
        if value.trim().is_empty() || !is_clean_text(value, TEXT_MAX_BYTES, false) {
            return Err(malformed(format!(
                "{field} must be 1-{TEXT_MAX_BYTES} bytes of text without control characters"
            )));
        }
    }
    if m.readout.trim().is_empty() || !is_clean_text(&m.readout, READOUT_MAX_BYTES, true) {
        return Err(malformed(format!(
            "readout must be 1-{READOUT_MAX_BYTES} bytes of plain text"
        )));
    }
    m.sent_at
        .parse::<jiff::Timestamp>()
        .map_err(|_| malformed("sent_at must be an RFC 3339 timestamp with an offset"))?;
    if m.pdf_sha256.len() != 64
        || !m
            .pdf_sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(malformed("pdf_sha256 must be 64 lower-case hex digits"));
    }
    if m.pdf_bytes == 0 {
        return Err(malformed("pdf_bytes must be positive"));
    }
    if m.pdf_bytes > limit {
        return Err(InboxError::TooLarge { limit });
    }
    Ok(())
}

/// A fully read and checked upload, ready to store.
#[derive(Debug)]
pub struct Upload {
    pub manifest: Manifest,
    pub manifest_text: String,
    pub pdf: Bytes,
}

pub async fn post_pack(
    State(st): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(home) = auth::bearer_home(&st.config.homes, &headers) else {
        st.audit_unauthorised(peer, "/v1/packs").await;
        return InboxError::Unauthorised.into_response();
    };
    match receive(&st, &home, &headers, body).await {
        Ok((status, receipt)) => (status, Json(receipt)).into_response(),
        Err(e) => {
            let actor = format!("home:{}", home.id);
            let detail = serde_json::json!({"code": e.code(), "peer": peer.ip().to_string(),
                "idempotency_key": headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(|s| s.chars().take(64).collect::<String>())})
            .to_string();
            let _ = st
                .db
                .call(move |c| db::audit(c, &actor, "intake.refused", None, &detail))
                .await;
            e.into_response()
        }
    }
}

async fn receive(
    st: &AppState,
    home: &Home,
    headers: &HeaderMap,
    body: Body,
) -> Result<(StatusCode, Receipt)> {
    let limit = st.config.max_pack_bytes;
    let envelope = limit.saturating_add(ENVELOPE_ALLOWANCE);
    let key_text = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| malformed("the Idempotency-Key header is missing"))?;
    let key = uuid::Uuid::parse_str(key_text.trim())
        .map_err(|_| malformed("the Idempotency-Key header must be a UUID"))?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| malformed("the body must be multipart/form-data with a boundary"))?;
    if let Some(len) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        && len > envelope
    {
        return Err(InboxError::TooLarge { limit });
    }

    // The home's own share first, so one home can never hold every slot; then a slot.
    let _home_permit = st.home_limits.admit(&home.id, &st.config).await?;
    let _permit = st
        .uploads
        .acquire()
        .await
        .map_err(|_| InboxError::Internal("upload limiter closed".into()))?;
    let _reading = Reading::start(st);
    let dur = Duration::from_secs(st.config.upload_timeout_secs);
    let upload = tokio::time::timeout(
        dur,
        read_upload(
            body.into_data_stream(),
            boundary,
            home,
            &key,
            limit,
            envelope,
        ),
    )
    .await
    .map_err(|_| InboxError::Timeout)??;

    // The PDF must be exactly what the manifest promised.
    let m = &upload.manifest;
    let got = upload.pdf.len() as u64;
    if got < m.pdf_bytes {
        return Err(InboxError::Truncated(format!(
            "the pack part has {got} of the {} bytes the manifest promised",
            m.pdf_bytes
        )));
    }
    if got != m.pdf_bytes {
        return Err(InboxError::HashMismatch(format!(
            "the pack part has {got} bytes, the manifest says {}",
            m.pdf_bytes
        )));
    }
    let actual = hex::encode(Sha256::digest(&upload.pdf));
    if actual != m.pdf_sha256 {
        return Err(InboxError::HashMismatch(
            "the SHA-256 of the pack part is not the manifest's pdf_sha256".into(),
        ));
    }

    let home = home.clone();
    let key = key.hyphenated().to_string();
    st.db
        .call(move |conn| store(conn, &home, &key, upload))
        .await
}

fn store(
    conn: &mut rusqlite::Connection,
    home: &Home,
    key: &str,
    upload: Upload,
) -> Result<(StatusCode, Receipt)> {
    let tx = conn.transaction()?;
    let actor = format!("home:{}", home.id);
    let m = &upload.manifest;
    let existing: Option<(String, String, String)> = tx
        .query_row(
            "SELECT receipt_id, received_at, pdf_sha256 FROM packs WHERE home_id = ?1 AND idempotency_key = ?2",
            params![home.id, key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((receipt_id, received_at, sha)) = existing {
        if sha != m.pdf_sha256 {
            return Err(InboxError::IdempotencyConflict);
        }
        db::audit(&tx, &actor, "intake.replayed", Some(&receipt_id), "{}")?;
        tx.commit()?;
        return Ok((
            StatusCode::OK,
            Receipt {
                receipt_id,
                received_at,
                idempotency_key: key.to_string(),
            },
        ));
    }
    let receipt = Receipt {
        receipt_id: uuid::Uuid::new_v4().hyphenated().to_string(),
        received_at: db::now_rfc3339(),
        idempotency_key: key.to_string(),
    };
    tx.execute(
        "INSERT INTO packs (receipt_id, home_id, home_name, idempotency_key, received_at, manifest,
            child_ref, child_display_name, episode_id, recipient_id, sent_at, marking, readout,
            pdf_sha256, pdf_bytes, pdf)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            receipt.receipt_id,
            home.id,
            home.name,
            key,
            receipt.received_at,
            upload.manifest_text,
            m.child.child_ref,
            m.child.display_name,
            m.episode_id,
            m.recipient_id,
            m.sent_at,
            m.marking,
            m.readout,
            m.pdf_sha256,
            m.pdf_bytes as i64,
            upload.pdf.as_ref(),
        ],
    )?;
    let detail = serde_json::json!({
        "idempotency_key": key, "episode_id": m.episode_id, "recipient_id": m.recipient_id,
        "pdf_sha256": m.pdf_sha256, "pdf_bytes": m.pdf_bytes,
    })
    .to_string();
    db::audit(
        &tx,
        &actor,
        "intake.received",
        Some(&receipt.receipt_id),
        &detail,
    )?;
    tx.commit()?;
    Ok((StatusCode::CREATED, receipt))
}

/// Each home's share: at most `max_uploads_per_home` of its uploads hold or wait for a slot at
/// once (the rest wait for the home's own turn, never for everyone's), and at most
/// `packs_per_home_per_minute` uploads are started per minute. A home over either limit gets
/// 429 `intake.rate_limited` (the sender retries later with the same key); other homes' packs
/// are not held up. The homes are fixed by the config, so these maps never grow.
#[derive(Debug)]
pub struct HomeLimits {
    slots: std::collections::HashMap<String, Arc<tokio::sync::Semaphore>>,
    started: std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, u32)>>,
    /// Uploads refused by these limits since start.
    pub refused: std::sync::atomic::AtomicUsize,
}

impl HomeLimits {
    pub fn new(config: &crate::config::Config) -> Self {
        let per_home = config
            .policy
            .max_uploads_per_home
            .min(config.max_concurrent_uploads);
        Self {
            slots: config
                .homes
                .iter()
                .map(|h| {
                    (
                        h.id.clone(),
                        Arc::new(tokio::sync::Semaphore::new(per_home)),
                    )
                })
                .collect(),
            started: Default::default(),
            refused: Default::default(),
        }
    }

    /// Count one upload by `home` and take one of its slots (waiting at most the upload
    /// timeout for one).
    pub async fn admit(
        &self,
        home: &str,
        config: &crate::config::Config,
    ) -> Result<tokio::sync::OwnedSemaphorePermit> {
        let over = {
            let mut started = self
                .started
                .lock()
                .map_err(|_| InboxError::Internal("home limiter poisoned".into()))?;
            let now = std::time::Instant::now();
            let entry = started.entry(home.to_string()).or_insert((now, 0));
            if now.duration_since(entry.0) >= Duration::from_secs(60) {
                *entry = (now, 0);
            }
            entry.1 += 1;
            entry.1 > config.policy.packs_per_home_per_minute
        };
        let refuse = || {
            self.refused.fetch_add(1, Ordering::SeqCst);
            InboxError::RateLimited
        };
        if over {
            return Err(refuse());
        }
        let sem = self
            .slots
            .get(home)
            .cloned()
            .ok_or_else(|| InboxError::Internal("a home without a slot share".into()))?;
        let wait = Duration::from_secs(config.upload_timeout_secs);
        match tokio::time::timeout(wait, sem.acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) => Err(InboxError::Internal("home limiter closed".into())),
            Err(_) => Err(refuse()),
        }
    }
}

/// Counts an upload as being read for as long as it lives.
struct Reading(Arc<std::sync::atomic::AtomicUsize>);

impl Reading {
    fn start(st: &AppState) -> Self {
        let now = st.uploads_reading.fetch_add(1, Ordering::SeqCst) + 1;
        st.uploads_reading_peak.fetch_max(now, Ordering::SeqCst);
        Self(st.uploads_reading.clone())
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[derive(Debug, thiserror::Error)]
#[error("request body over the limit")]
struct OverLimit;

/// The multipart reading and the manifest's checks of one upload, from any stream of chunks.
///
/// Public, and apart from axum's `Body`, only so the fuzz target (`fuzz/`) can feed it hostile
/// bytes without an HTTP server or a database; the service reaches it only through `post_pack`.
pub async fn read_upload<S, E>(
    stream: S,
    boundary: String,
    home: &Home,
    key: &uuid::Uuid,
    limit: u64,
    envelope: u64,
) -> Result<Upload>
where
    S: futures_util::Stream<Item = std::result::Result<Bytes, E>> + Send + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let exceeded = Arc::new(AtomicBool::new(false));
    let flag = exceeded.clone();
    let mut seen: u64 = 0;
    let counted = stream.map(
        move |chunk| -> std::result::Result<Bytes, Box<dyn std::error::Error + Send + Sync>> {
            let chunk = chunk.map_err(Into::into)?;
            seen = seen.saturating_add(chunk.len() as u64);
            if seen > envelope {
                flag.store(true, Ordering::SeqCst);
                return Err(Box::new(OverLimit));
            }
            Ok(chunk)
        },
    );
    let mut multipart = multer::Multipart::new(counted, boundary);
    let map_err = |e: multer::Error| -> InboxError {
        if exceeded.load(Ordering::SeqCst) {
            return InboxError::TooLarge { limit };
        }
        match e {
            multer::Error::IncompleteStream
            | multer::Error::IncompleteFieldData { .. }
            | multer::Error::IncompleteHeaders
            | multer::Error::StreamReadFailed(_) => {
                InboxError::Truncated("the multipart body ended before its closing boundary".into())
            }
            other => malformed(format!("the multipart body is not well formed ({other})")),
        }
    };

    let mut manifest: Option<(Manifest, String)> = None;
    let mut pdf: Option<Bytes> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(map_err)? {
        if let Some(name) = field.file_name()
            && !is_safe_part_filename(name)
        {
            return Err(malformed(
                "a part's filename may not contain /, \\, %, .. or control characters",
            ));
        }
        let essence = field.content_type().map(|m| m.essence_str().to_string());
        match field.name() {
            Some("manifest") if manifest.is_none() => {
                if essence.as_deref() != Some("application/json") {
                    return Err(malformed("the manifest part must be application/json"));
                }
                let mut buf = BytesMut::new();
                while let Some(chunk) = field.chunk().await.map_err(map_err)? {
                    if (buf.len() + chunk.len()) as u64 > MANIFEST_MAX_BYTES {
                        return Err(malformed("the manifest part is larger than 64 KiB"));
                    }
                    buf.extend_from_slice(&chunk);
                }
                let text = String::from_utf8(buf.to_vec())
                    .map_err(|_| malformed("the manifest is not UTF-8"))?;
                let m: Manifest = serde_json::from_str(&text).map_err(|e| {
                    malformed(format!("the manifest is not valid JSON for v1 ({e})"))
                })?;
                validate_manifest(&m, home, key, limit)?;
                manifest = Some((m, text));
            }
            Some("pack") if pdf.is_none() => {
                if essence.as_deref() != Some("application/pdf") {
                    return Err(malformed("the pack part must be application/pdf"));
                }
                let cap = manifest
                    .as_ref()
                    .map(|(m, _)| m.pdf_bytes as usize)
                    .unwrap_or(64 * 1024);
                let mut buf = BytesMut::with_capacity(cap.min(limit as usize));
                while let Some(chunk) = field.chunk().await.map_err(map_err)? {
                    if (buf.len() + chunk.len()) as u64 > limit {
                        return Err(InboxError::TooLarge { limit });
                    }
                    buf.extend_from_slice(&chunk);
                }
                pdf = Some(buf.freeze());
            }
            Some("manifest") | Some("pack") => {
                return Err(malformed("a part appears twice"));
            }
            _ => {
                return Err(malformed(
                    "only the parts `manifest` and `pack` are accepted",
                ));
            }
        }
    }
    let (manifest, manifest_text) =
        manifest.ok_or_else(|| malformed("the manifest part is missing"))?;
    let pdf = pdf.ok_or_else(|| malformed("the pack part is missing"))?;
    Ok(Upload {
        manifest,
        manifest_text,
        pdf,
    })
}
