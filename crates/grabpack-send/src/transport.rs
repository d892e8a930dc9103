//! The two ways a pack leaves the home: SMTP submission (lettre) and an HTTPS intake (reqwest),
//! both over rustls.
//!
//! Why these rules: packs carry a child's most sensitive data. SMTP must use STARTTLS (required,
//! never opportunistic) or TLS from the first byte, and must authenticate; an intake must be
//! `https://` (plain http only to a loopback address, for tests). Each failure becomes one
//! [`SendError`] that says whether waiting can help, so the worker knows to retry or to wait for a
//! person.

use std::collections::BTreeMap;
use std::time::Duration;

use grabpack_protocol::{
    ACK_PAGE_MAX_BYTES, AckPage, ErrorBody, PDF_FILE_NAME, ProtocolError, RECEIPT_MAX_BYTES,
};
use grabpack_store::outbox::{Channel, Claimed};
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{SmtpTransport, Transport as _};

use crate::error::{Result, SendError};
use crate::settings::{SecretText, SendSettings, SmtpSecurity};

/// What one attempt came to.
#[derive(Debug)]
pub enum Outcome {
    /// The server took it; its words (SMTP reply or intake receipt JSON).
    Delivered(String),
    Failed(SendError),
}

/// Refuse anything but https, except plain http to a loopback address (tests only): the
/// protocol's rule ([`grabpack_protocol::check_intake_url`]), in the sender's own error codes.
pub fn check_intake_url(url: &str) -> Result<url::Url> {
    grabpack_protocol::check_intake_url(url).map_err(|e| match e {
        ProtocolError::BadUrl { url, reason } => SendError::BadAddress(url, reason),
        ProtocolError::TlsRequired(url) => SendError::TlsRequired(url),
    })
}

/// Configured transports, built once from the home's settings.
pub struct Transports {
    smtp: Option<SmtpTransport>,
    smtp_config_error: Option<String>,
    http: reqwest::blocking::Client,
    tokens: BTreeMap<String, SecretText>,
}

impl std::fmt::Debug for Transports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transports")
            .field("smtp", &self.smtp.is_some())
            .field("intakes", &self.tokens.keys().collect::<Vec<_>>())
            .finish()
    }
}

fn smtp_transport(settings: &SendSettings) -> Result<Option<SmtpTransport>> {
    let Some(s) = &settings.smtp else {
        return Ok(None);
    };
    if s.host.trim().is_empty() {
        return Err(SendError::Settings("the SMTP host is empty".into()));
    }
    let mut tls = TlsParameters::builder(s.host.clone());
    for pem in &settings.extra_root_pem {
        let cert = Certificate::from_pem(pem.as_bytes())
            .map_err(|e| SendError::Certificate(e.to_string()))?;
        tls = tls.add_root_certificate(cert);
    }
    let tls = tls
        .build_rustls()
        .map_err(|e| SendError::Certificate(e.to_string()))?;
    let (mode, default_port) = match s.security {
        SmtpSecurity::Starttls => (Tls::Required(tls), 587),
        SmtpSecurity::ImplicitTls => (Tls::Wrapper(tls), 465),
    };
    let transport = SmtpTransport::builder_dangerous(s.host.clone())
        .port(s.port.unwrap_or(default_port))
        .tls(mode)
        .credentials(Credentials::new(
            s.username.clone(),
            s.password.expose().to_owned(),
        ))
        .authentication(vec![Mechanism::Plain, Mechanism::Login])
        // Capped well inside the claim's lease (`worker::LEASE_MS`), so a live attempt always
        // ends before another sender may take its delivery over.
        .timeout(Some(Duration::from_secs(
            s.timeout_seconds.unwrap_or(30).clamp(1, 120),
        )))
        .build();
    Ok(Some(transport))
}

impl Transports {
    pub fn from_settings(settings: &SendSettings) -> Result<Self> {
        // A broken SMTP setting must not stop HTTPS deliveries: it becomes each email
        // recipient's own failure.
        let (smtp, smtp_config_error) = match smtp_transport(settings) {
            Ok(t) => (t, None),
            Err(e) => (None, Some(e.to_string())),
        };
        let mut certs = Vec::new();
        for pem in &settings.extra_root_pem {
            certs.push(
                reqwest::Certificate::from_pem(pem.as_bytes())
                    .map_err(|e| SendError::Certificate(e.to_string()))?,
            );
        }
        let http = reqwest::blocking::Client::builder()
            .tls_certs_merge(certs)
            .connect_timeout(Duration::from_secs(15))
            .timeout(Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| SendError::Settings(format!("the HTTPS client could not start: {e}")))?;
        Ok(Self {
            smtp,
            smtp_config_error,
            http,
            tokens: settings.intake_tokens.clone(),
        })
    }

    /// Intakes with a token: the ones whose acknowledgements are polled.
    pub fn intakes(&self) -> impl Iterator<Item = &str> {
        self.tokens.keys().map(String::as_str)
    }

    /// Make one attempt. Never panics; every failure is an [`Outcome::Failed`].
    pub fn deliver(&self, claimed: &Claimed) -> Outcome {
        let result = match claimed.delivery.channel {
            Channel::Email => self.deliver_email(claimed),
            Channel::Https => self.deliver_https(claimed),
        };
        match result {
            Ok(receipt) => Outcome::Delivered(receipt),
            Err(e) => Outcome::Failed(e),
        }
    }

    fn deliver_email(&self, claimed: &Claimed) -> Result<String> {
        let Some(smtp) = &self.smtp else {
            return Err(match &self.smtp_config_error {
                Some(e) => SendError::Settings(e.clone()),
                None => SendError::SmtpNotConfigured,
            });
        };
        let d = &claimed.delivery;
        let to: lettre::Address =
            d.address
                .parse()
                .map_err(|e: lettre::address::AddressError| {
                    SendError::BadAddress(d.address.clone(), e.to_string())
                })?;
        let from = queued_from(&claimed.payload)
            .ok_or_else(|| SendError::Compose("the queued email has no From address".into()))?;
        let envelope =
            Envelope::new(Some(from), vec![to]).map_err(|e| SendError::Compose(e.to_string()))?;
        match smtp.send_raw(&envelope, &claimed.payload) {
            Ok(resp) => Ok(format!(
                "{} {}",
                resp.code(),
                resp.message().collect::<Vec<_>>().join(" ")
            )),
            Err(e) => Err(classify_smtp(&e)),
        }
    }

    fn deliver_https(&self, claimed: &Claimed) -> Result<String> {
        let d = &claimed.delivery;
        let base = check_intake_url(&d.address)?;
        let token = self
            .tokens
            .get(d.address.as_str())
            .ok_or_else(|| SendError::NoToken(d.address.clone()))?;
        let pdf = claimed
            .pdf
            .clone()
            .ok_or_else(|| SendError::Compose("the message has no PDF".into()))?;
        let url = join(&base, "v1/packs")?;
        // The multipart body is built whole, so a TLS or connection failure surfaces as itself
        // (a streamed body hides it behind "body error"), and every retry sends the same bytes.
        let boundary = format!("grabpack-{}", d.idempotency_key);
        let body = multipart_body(&boundary, &claimed.payload, &pdf);
        let resp = self
            .http
            .post(url)
            .bearer_auth(token.expose())
            .header("Idempotency-Key", &d.idempotency_key)
            .header(
                reqwest::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .map_err(|e| classify_http(&e, &base))?;
        let status = resp.status().as_u16();
        let body = read_response(resp, RECEIPT_MAX_BYTES)
            .map_err(|e| SendError::IntakeRejected(format!("HTTP {status}, but the answer {e}")))?;
        let code = error_code(&body);
        match status {
            200 | 201 => Ok(body),
            401 | 403 => Err(SendError::IntakeUnauthorised),
            409 => Err(SendError::IntakeConflict(code)),
            413 => Err(SendError::TooLarge(format!("the intake said 413 {code}"))),
            408 | 425 | 429 | 500..=599 => {
                Err(SendError::ServerBusy(format!("HTTP {status} {code}")))
            }
            _ => Err(SendError::IntakeRejected(format!("HTTP {status} {code}"))),
        }
    }

    /// "Send test" for the email account: connect, TLS, log in, and say goodbye. Nothing is sent
    /// to anyone, so a manager can check the settings at any time.
    pub fn test_smtp(&self) -> Result<String> {
        let Some(smtp) = &self.smtp else {
            return Err(match &self.smtp_config_error {
                Some(e) => SendError::Settings(e.clone()),
                None => SendError::SmtpNotConfigured,
            });
        };
        match smtp.test_connection() {
            Ok(true) => Ok("The mail server accepted the connection, TLS and the login.".into()),
            Ok(false) => Err(SendError::Unreachable(
                "the mail server did not answer a NOOP".into(),
            )),
            Err(e) => Err(classify_smtp(&e)),
        }
    }

    /// "Send test" for an intake: read its acknowledgement feed with the token, which proves the
    /// address, the certificate and the token without filing anything.
    pub fn test_intake(&self, base_url: &str) -> Result<String> {
        self.fetch_acknowledgements(base_url, None)?;
        Ok(format!(
            "The intake at {base_url} accepted the TLS connection and the token."
        ))
    }

    /// Read one intake's acknowledgements after `cursor`.
    pub fn fetch_acknowledgements(&self, base_url: &str, cursor: Option<&str>) -> Result<AckPage> {
        let base = check_intake_url(base_url)?;
        let token = self
            .tokens
            .get(base_url)
            .ok_or_else(|| SendError::NoToken(base_url.into()))?;
        let mut url = join(&base, "v1/acknowledgements")?;
        if let Some(c) = cursor {
            url.query_pairs_mut().append_pair("after", c);
        }
        let resp = self
            .http
            .get(url)
            .bearer_auth(token.expose())
            .send()
            .map_err(|e| classify_http(&e, &base))?;
        let status = resp.status().as_u16();
        let body = read_response(resp, ACK_PAGE_MAX_BYTES)
            .map_err(|e| SendError::AckFeed(base_url.into(), format!("HTTP {status}: {e}")))?;
        if status == 401 {
            return Err(SendError::IntakeUnauthorised);
        }
        if status != 200 {
            return Err(SendError::AckFeed(
                base_url.into(),
                format!("HTTP {status} {}", error_code(&body)),
            ));
        }
        serde_json::from_str(&body).map_err(|e| SendError::AckFeed(base_url.into(), e.to_string()))
    }
}

/// An intake's answer as text, reading at most `limit` bytes: whatever sits at an intake's address
/// cannot make the app buffer an unbounded body (a receipt is a few hundred bytes, a feed page a
/// few hundred KiB). An answer that is longer, or not UTF-8, is an error in words for the episode
/// screen, never a truncated body parsed as if whole.
fn read_response(resp: impl std::io::Read, limit: u64) -> std::result::Result<String, String> {
    use std::io::Read as _;
    let mut buf = Vec::new();
    resp.take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| format!("could not be read ({e})"))?;
    if buf.len() as u64 > limit {
        return Err(format!("was longer than {limit} bytes and was not read"));
    }
    String::from_utf8(buf).map_err(|_| "was not UTF-8 text".to_string())
}

/// `manifest` (application/json) then `pack` (application/pdf, grab-pack.pdf), per protocol v1.
fn multipart_body(boundary: &str, manifest: &[u8], pdf: &[u8]) -> Vec<u8> {
    let mut b = Vec::with_capacity(manifest.len() + pdf.len() + 512);
    b.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"manifest\"\r\nContent-Type: application/json\r\n\r\n").as_bytes());
    b.extend_from_slice(manifest);
    b.extend_from_slice(format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"pack\"; filename=\"{}\"\r\nContent-Type: application/pdf\r\n\r\n", PDF_FILE_NAME).as_bytes());
    b.extend_from_slice(pdf);
    b.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    b
}

fn join(base: &url::Url, path: &str) -> Result<url::Url> {
    let mut s = base.as_str().to_string();
    if !s.ends_with('/') {
        s.push('/');
    }
    url::Url::parse(&s)
        .and_then(|b| b.join(path))
        .map_err(|e| SendError::BadAddress(base.to_string(), e.to_string()))
}

fn error_code(body: &str) -> String {
    serde_json::from_str::<ErrorBody>(body)
        .map(|b| format!("{}: {}", b.error.code, b.error.message))
        .unwrap_or_default()
}

/// The From address of a queued email: its envelope sender, and the account it must go from.
pub(crate) fn queued_from(payload: &[u8]) -> Option<lettre::Address> {
    header_value(payload, "From").and_then(|f| {
        let addr = f
            .rsplit_once('<')
            .map(|(_, a)| a.trim_end_matches('>'))
            .unwrap_or(&f);
        addr.trim().parse::<lettre::Address>().ok()
    })
}

fn header_value(raw: &[u8], name: &str) -> Option<String> {
    let head_end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = std::str::from_utf8(&raw[..head_end]).ok()?;
    let prefix = format!("{}:", name.to_ascii_lowercase());
    head.split("\r\n")
        .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
        .map(|l| l[prefix.len()..].trim().to_string())
}

fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        parts.push(s.to_string());
        cur = s.source();
    }
    parts.join(": ")
}

fn looks_like_certificate(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("certificate") || t.contains("unknownissuer") || t.contains("unknown issuer")
}

fn looks_like_dns(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("failed to lookup")
        || t.contains("dns error")
        || t.contains("name or service not known")
        || t.contains("no address associated")
        || t.contains("temporary failure in name resolution")
        || t.contains("nodename nor servname")
}

fn classify_smtp(e: &lettre::transport::smtp::Error) -> SendError {
    let text = chain(e);
    if let Some(code) = e.status() {
        let c = code.to_string();
        if e.is_permanent() {
            return match c.as_str() {
                "535" | "534" | "530" | "538" => SendError::AuthFailed(text),
                "552" | "523" => SendError::TooLarge(text),
                _ => SendError::Rejected(text),
            };
        }
        if e.is_transient() {
            return if c == "452" && text.to_ascii_lowercase().contains("size") {
                SendError::TooLarge(text)
            } else {
                SendError::ServerBusy(text)
            };
        }
    }
    if e.is_timeout() {
        return SendError::Timeout;
    }
    if e.is_tls() || looks_like_certificate(&text) {
        if looks_like_certificate(&text) {
            return SendError::UntrustedCertificate(text);
        }
        return SendError::Unreachable(text);
    }
    if looks_like_dns(&text) {
        return SendError::UnknownHost(text);
    }
    if text.to_ascii_lowercase().contains("starttls") {
        // The server does not offer STARTTLS: we never fall back to plaintext.
        return SendError::TlsRequired(text);
    }
    SendError::Unreachable(text)
}

fn classify_http(e: &reqwest::Error, base: &url::Url) -> SendError {
    let text = chain(e);
    if e.is_timeout() {
        return SendError::Timeout;
    }
    if looks_like_certificate(&text) {
        return SendError::UntrustedCertificate(text);
    }
    if looks_like_dns(&text) {
        return SendError::UnknownHost(base.host_str().unwrap_or_default().to_string());
    }
    SendError::Unreachable(text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_except_to_loopback() {
        assert_eq!(
            check_intake_url("http://intake.police.example/")
                .unwrap_err()
                .code(),
            "send.tls_required"
        );
        assert_eq!(
            check_intake_url("ftp://x.example/").unwrap_err().code(),
            "send.tls_required"
        );
        assert!(check_intake_url("http://127.0.0.1:8080/").is_ok());
        assert!(check_intake_url("http://[::1]:8080/").is_ok());
        assert_eq!(
            check_intake_url("http://localhost.police.example/")
                .unwrap_err()
                .code(),
            "send.tls_required"
        );
        assert!(check_intake_url("https://intake.police.example/").is_ok());
        assert_eq!(
            check_intake_url("not an address").unwrap_err().code(),
            "send.bad_address"
        );
    }

    #[test]
    fn an_intake_answer_longer_than_the_limit_is_refused_not_buffered_or_cut() {
        let receipt = br#"{"receipt_id":"r"}"#;
        assert_eq!(
            read_response(&receipt[..], 64).unwrap(),
            r#"{"receipt_id":"r"}"#
        );
        // An endless answer: reading stops one byte past the limit.
        let endless = std::io::repeat(b'x');
        let err = read_response(endless, RECEIPT_MAX_BYTES).unwrap_err();
        assert!(err.contains("longer than 65536 bytes"), "{err}");
        assert!(read_response(&[0xff, 0xfe][..], 64).is_err());
    }
}
