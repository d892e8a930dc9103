//! Every kind of bad input is refused with its status and stable code, and nothing is stored:
//! the pack table is counted before and after each attempt, and no file other than the
//! database's own appears in the service's folder.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::*;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn files_in(dir: &std::path::Path) -> BTreeSet<String> {
    walk(dir)
}

fn walk(dir: &std::path::Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.insert(p.display().to_string());
        }
    }
    out
}

/// Send, and check the refusal's status and code and that nothing was stored.
async fn refused(
    inbox: &TestInbox,
    token: &str,
    key: &str,
    form: reqwest::multipart::Form,
    status: u16,
    code: &str,
) {
    let before = inbox.packs().await;
    let (got, body) = send(&inbox.client(), inbox, token, key, form).await;
    assert_eq!(got, status, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert_eq!(inbox.packs().await, before, "nothing is stored");
}

#[tokio::test]
async fn a_wrong_or_missing_token_is_refused_401_and_audited() {
    let inbox = TestInbox::start().await;
    let pdf = fake_pdf(5_000, "x");
    let key = new_key();
    let m = manifest(0, &key, &pdf);
    refused(
        &inbox,
        "wrong-token",
        &key,
        form(&m, pdf.clone()),
        401,
        "intake.unauthorised",
    )
    .await;
    // The token of another home is a wrong token too for this manifest? No: it is a valid token,
    // so the manifest's home id must match it instead (tested below). Here: no header at all.
    let r = inbox
        .client()
        .post(inbox.url("/v1/packs"))
        .header("Idempotency-Key", &key)
        .multipart(form(&m, pdf))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert!(r.headers().contains_key("www-authenticate"));
    assert_eq!(inbox.audit_actions("intake.unauthorised").await, 1);
    assert_eq!(inbox.packs().await, 0);
    inbox.stop().await;
}

#[tokio::test]
async fn a_flood_of_bad_tokens_is_refused_but_costs_one_audit_entry_per_address_and_window() {
    let inbox = TestInbox::start().await;
    let client = inbox.client();
    for _ in 0..50 {
        let r = client
            .get(inbox.url("/v1/acknowledgements"))
            .bearer_auth("guessed-token")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401);
    }
    // All 50 were refused; the first is in the audit log at once, the rest are counted into the
    // next entry from that address after the window.
    assert_eq!(inbox.audit_actions("intake.unauthorised").await, 1);
    inbox.stop().await;
}

#[tokio::test]
async fn a_manifest_claiming_another_home_is_refused() {
    let inbox = TestInbox::start().await;
    let pdf = fake_pdf(5_000, "x");
    let key = new_key();
    let m = manifest(1, &key, &pdf); // home 1's manifest, home 0's token
    refused(
        &inbox,
        &token_for(0),
        &key,
        form(&m, pdf),
        400,
        "intake.malformed_manifest",
    )
    .await;
    inbox.stop().await;
}

#[tokio::test]
async fn a_pdf_that_does_not_match_its_hash_is_refused() {
    let inbox = TestInbox::start().await;
    let pdf = fake_pdf(5_000, "x");
    let key = new_key();
    let mut m = manifest(0, &key, &pdf);
    m["pdf_sha256"] = Value::from(sha256_hex(b"something else"));
    refused(
        &inbox,
        &token_for(0),
        &key,
        form(&m, pdf.clone()),
        400,
        "intake.hash_mismatch",
    )
    .await;
    // Same length, one byte flipped.
    let mut flipped = pdf.clone();
    flipped[100] ^= 1;
    let m = manifest(0, &key, &pdf);
    refused(
        &inbox,
        &token_for(0),
        &key,
        form(&m, flipped),
        400,
        "intake.hash_mismatch",
    )
    .await;
    inbox.stop().await;
}

#[tokio::test]
async fn a_pack_shorter_than_the_manifest_promised_is_truncated() {
    let inbox = TestInbox::start().await;
    let pdf = fake_pdf(50_000, "x");
    let key = new_key();
    let m = manifest(0, &key, &pdf);
    refused(
        &inbox,
        &token_for(0),
        &key,
        form(&m, pdf[..20_000].to_vec()),
        400,
        "intake.truncated",
    )
    .await;
    inbox.stop().await;
}

#[tokio::test]
async fn a_multipart_body_without_its_closing_boundary_is_truncated() {
    let inbox = TestInbox::start().await;
    let pdf = fake_pdf(30_000, "x");
    let key = new_key();
    let m = manifest(0, &key, &pdf);
    let mut body = Vec::new();
    body.extend_from_slice(b"--XyZbound\r\nContent-Disposition: form-data; name=\"manifest\"\r\nContent-Type: application/json\r\n\r\n");
    body.extend_from_slice(m.to_string().as_bytes());
    body.extend_from_slice(b"\r\n--XyZbound\r\nContent-Disposition: form-data; name=\"pack\"; filename=\"p.pdf\"\r\nContent-Type: application/pdf\r\n\r\n");
    body.extend_from_slice(&pdf[..10_000]); // and then the body simply stops
    let r = inbox
        .client()
        .post(inbox.url("/v1/packs"))
        .bearer_auth(token_for(0))
        .header("Idempotency-Key", &key)
        .header("Content-Type", "multipart/form-data; boundary=XyZbound")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["error"]["code"], "intake.truncated");
    assert_eq!(inbox.packs().await, 0);
    inbox.stop().await;
}

/// One raw HTTP/1.1 request over TLS, for what reqwest will not send: chunked bodies that grow
/// past the limit, and connections cut mid-body. Returns the status, if a response came.
async fn raw(
    inbox: &TestInbox,
    head: String,
    chunks: Vec<Vec<u8>>,
    cut_after_chunks: bool,
) -> Option<u16> {
    let mut roots = rustls::RootCertStore::empty();
    use rustls::pki_types::pem::PemObject;
    roots
        .add(rustls::pki_types::CertificateDer::from_pem_slice(inbox.ca.ca_pem.as_bytes()).unwrap())
        .unwrap();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let cfg = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(cfg));
    let tcp = tokio::net::TcpStream::connect(inbox.running.as_ref().unwrap().addr)
        .await
        .unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let tls = connector.connect(name, tcp).await.unwrap();
    let (mut rd, mut wr) = tokio::io::split(tls);
    let writer = tokio::spawn(async move {
        wr.write_all(head.as_bytes()).await?;
        for c in chunks {
            wr.write_all(&c).await?;
        }
        wr.flush().await?;
        if cut_after_chunks {
            wr.shutdown().await?;
        }
        Ok::<_, std::io::Error>(wr)
    });
    let mut buf = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        let mut tmp = [0u8; 4096];
        loop {
            match rd.read(&mut tmp).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    buf.extend_from_slice(&tmp[..n]);
                    if buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
            }
        }
    })
    .await;
    writer.abort();
    read.ok()?;
    let text = String::from_utf8_lossy(&buf);
    text.split_whitespace().nth(1).and_then(|s| s.parse().ok())
}

fn head(inbox: &TestInbox, key: &str, extra: &str) -> String {
    let _ = inbox;
    format!(
        "POST /v1/packs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\nIdempotency-Key: {key}\r\nContent-Type: multipart/form-data; boundary=XyZbound\r\n{extra}\r\n",
        token_for(0)
    )
}

#[tokio::test]
async fn a_connection_cut_mid_upload_stores_nothing() {
    let inbox = TestInbox::start().await;
    let pdf = fake_pdf(200_000, "x");
    let key = new_key();
    let m = manifest(0, &key, &pdf);
    let mut body = Vec::new();
    body.extend_from_slice(b"--XyZbound\r\nContent-Disposition: form-data; name=\"manifest\"\r\nContent-Type: application/json\r\n\r\n");
    body.extend_from_slice(m.to_string().as_bytes());
    body.extend_from_slice(b"\r\n--XyZbound\r\nContent-Disposition: form-data; name=\"pack\"\r\nContent-Type: application/pdf\r\n\r\n");
    let full_len = body.len() + pdf.len() + b"\r\n--XyZbound--\r\n".len();
    body.extend_from_slice(&pdf[..50_000]);
    let h = head(&inbox, &key, &format!("Content-Length: {full_len}\r\n"));
    let status = raw(&inbox, h, vec![body], true).await;
    println!("answer after the cut: {status:?}");
    // The sender has gone; if the answer still reaches it, it says "truncated".
    if let Some(s) = status {
        assert_eq!(s, 400);
    }
    // Give the server a moment to finish with the dead connection, then count.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(inbox.packs().await, 0);
    inbox.stop().await;
}

#[tokio::test]
async fn an_oversized_upload_is_refused_413_with_or_without_a_declared_length() {
    let inbox = TestInbox::start_with(Options {
        max_pack_bytes: 256 * 1024,
        ..Options::default()
    })
    .await;
    let pdf = fake_pdf(600_000, "big");
    let key = new_key();
    let m = manifest(0, &key, &pdf);
    // Declared up front (reqwest sends Content-Length): refused before the body is read.
    refused(
        &inbox,
        &token_for(0),
        &key,
        form(&m, pdf.clone()),
        413,
        "intake.too_large",
    )
    .await;

    // Streamed with no declared length and a manifest that lies about the size: cut off while
    // streaming, once past the limit.
    let mut lying = m.clone();
    lying["pdf_bytes"] = Value::from(100_000);
    let mut first = Vec::new();
    first.extend_from_slice(b"--XyZbound\r\nContent-Disposition: form-data; name=\"manifest\"\r\nContent-Type: application/json\r\n\r\n");
    first.extend_from_slice(lying.to_string().as_bytes());
    first.extend_from_slice(b"\r\n--XyZbound\r\nContent-Disposition: form-data; name=\"pack\"\r\nContent-Type: application/pdf\r\n\r\n");
    let mut chunks = vec![chunk(&first)];
    // 8 MB of PDF in 64 KiB chunks: far more than the limit, never all in memory.
    for _ in 0..128 {
        chunks.push(chunk(&vec![b'%'; 64 * 1024]));
    }
    chunks.push(chunk(b"\r\n--XyZbound--\r\n"));
    chunks.push(b"0\r\n\r\n".to_vec());
    let h = head(&inbox, &key, "Transfer-Encoding: chunked\r\n");
    let status = raw(&inbox, h, chunks, false).await;
    assert_eq!(status, Some(413));
    assert_eq!(inbox.packs().await, 0);
    inbox.stop().await;
}

fn chunk(data: &[u8]) -> Vec<u8> {
    let mut v = format!("{:x}\r\n", data.len()).into_bytes();
    v.extend_from_slice(data);
    v.extend_from_slice(b"\r\n");
    v
}

#[tokio::test]
async fn malformed_json_and_wrong_shapes_are_refused() {
    let inbox = TestInbox::start().await;
    let pdf = fake_pdf(5_000, "x");
    let key = new_key();
    let good = manifest(0, &key, &pdf);
    let bad_forms: Vec<(&str, reqwest::multipart::Form)> = vec![
        (
            "not JSON",
            reqwest::multipart::Form::new()
                .part(
                    "manifest",
                    reqwest::multipart::Part::text("{\"protocol\": ")
                        .mime_str("application/json")
                        .unwrap(),
                )
                .part(
                    "pack",
                    reqwest::multipart::Part::bytes(pdf.clone())
                        .mime_str("application/pdf")
                        .unwrap(),
                ),
        ),
        (
            "wrong protocol",
            form(
                &{
                    let mut m = good.clone();
                    m["protocol"] = "grabpack.intake.v9".into();
                    m
                },
                pdf.clone(),
            ),
        ),
        (
            "missing field",
            form(
                &{
                    let mut m = good.clone();
                    m.as_object_mut().unwrap().remove("readout");
                    m
                },
                pdf.clone(),
            ),
        ),
        (
            "bad sent_at",
            form(
                &{
                    let mut m = good.clone();
                    m["sent_at"] = "yesterday teatime".into();
                    m
                },
                pdf.clone(),
            ),
        ),
        (
            "upper-case hash",
            form(
                &{
                    let mut m = good.clone();
                    m["pdf_sha256"] = sha256_hex(&pdf).to_uppercase().into();
                    m
                },
                pdf.clone(),
            ),
        ),
        (
            "key differs from header",
            form(
                &{
                    let mut m = good.clone();
                    m["idempotency_key"] = new_key().into();
                    m
                },
                pdf.clone(),
            ),
        ),
        (
            "manifest as text/plain",
            reqwest::multipart::Form::new()
                .part(
                    "manifest",
                    reqwest::multipart::Part::text(good.to_string())
                        .mime_str("text/plain")
                        .unwrap(),
                )
                .part(
                    "pack",
                    reqwest::multipart::Part::bytes(pdf.clone())
                        .mime_str("application/pdf")
                        .unwrap(),
                ),
        ),
        (
            "no pack part",
            reqwest::multipart::Form::new().part(
                "manifest",
                reqwest::multipart::Part::text(good.to_string())
                    .mime_str("application/json")
                    .unwrap(),
            ),
        ),
        (
            "an extra part",
            form(&good, pdf.clone()).part("photo", reqwest::multipart::Part::bytes(vec![1, 2, 3])),
        ),
    ];
    for (why, f) in bad_forms {
        let before = inbox.packs().await;
        let (status, body) = send(&inbox.client(), &inbox, &token_for(0), &key, f).await;
        assert_eq!(status, 400, "{why}: {body}");
        assert_eq!(
            body["error"]["code"], "intake.malformed_manifest",
            "{why}: {body}"
        );
        assert_eq!(inbox.packs().await, before, "{why}");
    }
    // Not a UUID in the header.
    refused(
        &inbox,
        &token_for(0),
        "not-a-uuid",
        form(&good, pdf),
        400,
        "intake.malformed_manifest",
    )
    .await;
    inbox.stop().await;
}

#[tokio::test]
async fn a_replay_of_a_delivered_pack_stores_nothing_new_and_a_changed_one_conflicts() {
    let inbox = TestInbox::start().await;
    let client = inbox.client();
    let pdf = fake_pdf(8_000, "delivered");
    let key = new_key();
    let m = manifest(0, &key, &pdf);
    let (s, first) = send(&client, &inbox, &token_for(0), &key, form(&m, pdf.clone())).await;
    assert_eq!(s, 201);
    for _ in 0..3 {
        let (s, again) = send(&client, &inbox, &token_for(0), &key, form(&m, pdf.clone())).await;
        assert_eq!((s, &again), (200, &first));
    }
    assert_eq!(inbox.packs().await, 1);
    let other = fake_pdf(8_000, "a different pack under the same key");
    refused(
        &inbox,
        &token_for(0),
        &key,
        form(&manifest(0, &key, &other), other),
        409,
        "intake.idempotency_conflict",
    )
    .await;
    // The same key from a different home is that home's own key, not a replay.
    let (s, theirs) = send(
        &client,
        &inbox,
        &token_for(1),
        &key,
        form(&manifest(1, &key, &pdf), pdf),
    )
    .await;
    assert_eq!(s, 201);
    assert_ne!(theirs["receipt_id"], first["receipt_id"]);
    inbox.stop().await;
}

#[tokio::test]
async fn path_tricks_in_any_name_are_refused_and_never_reach_the_filesystem() {
    let inbox = TestInbox::start().await;
    let files_before = files_in(inbox.dir.path());
    let pdf = fake_pdf(5_000, "x");
    let key = new_key();
    let good = manifest(0, &key, &pdf);
    let tricks = [
        "../../etc/passwd",
        "..\\..\\windows\\system32",
        "/absolute",
        "a/../../b",
        "..",
        ".hidden",
        "child\0ref",
        "%2e%2e%2f",
    ];
    let fields: [&[&str]; 4] = [
        &["home", "id"],
        &["child", "ref"],
        &["episode_id"],
        &["recipient_id"],
    ];
    for trick in tricks {
        for path in fields {
            let mut m = good.clone();
            let target = path.iter().fold(&mut m, |v, k| &mut v[*k]);
            *target = Value::from(trick);
            refused(
                &inbox,
                &token_for(0),
                &key,
                form(&m, pdf.clone()),
                400,
                "intake.malformed_manifest",
            )
            .await;
        }
    }
    // The pack part's filename, sent raw (not percent-encoded).
    for trick in [
        "../../etc/passwd",
        "..\\..\\windows\\system32",
        "/absolute",
        "a/../../b",
        "..",
        "%2e%2e%2f",
    ] {
        let f = reqwest::multipart::Form::new()
            .percent_encode_noop()
            .part(
                "manifest",
                reqwest::multipart::Part::text(good.to_string())
                    .mime_str("application/json")
                    .unwrap(),
            )
            .part(
                "pack",
                reqwest::multipart::Part::bytes(pdf.clone())
                    .file_name(trick.to_string())
                    .mime_str("application/pdf")
                    .unwrap(),
            );
        refused(
            &inbox,
            &token_for(0),
            &key,
            f,
            400,
            "intake.malformed_manifest",
        )
        .await;
    }
    assert_eq!(inbox.packs().await, 0);
    let after: BTreeSet<String> = files_in(inbox.dir.path());
    let new: Vec<_> = after.difference(&files_before).collect();
    assert!(
        new.iter()
            .all(|f| f.ends_with("inbox.db-wal") || f.ends_with("inbox.db-shm")),
        "no file is created from a sender's name: {new:?}"
    );
    inbox.stop().await;
}
