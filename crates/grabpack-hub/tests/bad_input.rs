//! Bad input is refused with a stable code and nothing stored: unknown, wrongly signed and
//! revoked devices, a replayed or stale signed request, oversize and malformed envelopes, and
//! another home's ids. Each test compares every table's row count before and after.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Device, Options, TestHub};
use grabpack_sync::client::{now_secs, sign_request};
use grabpack_sync::{DeviceIdentity, DeviceKeys, Record};
use grabpack_sync_protocol::{B64, Envelope, ErrorBody, PushRequest};

fn record(text: &str) -> Record {
    Record {
        kind: "revision".into(),
        record_id: uuid::Uuid::new_v4().to_string(),
        body: text.as_bytes().to_vec(),
    }
}

/// Send a request signed by `who` at `time`, with these exact bytes; the answer's status and code.
async fn send(
    hub: &TestHub,
    who: &DeviceIdentity,
    method: &str,
    path: &str,
    body: &[u8],
    time: i64,
) -> (u16, String) {
    let headers = sign_request(who, method, path, body, time).unwrap();
    send_with(hub, method, path, body, &headers).await
}

async fn send_with(
    hub: &TestHub,
    method: &str,
    path: &str,
    body: &[u8],
    headers: &[(&'static str, String)],
) -> (u16, String) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = hub
        .http()
        .request(method, format!("{}{path}", hub.base(0)))
        .body(body.to_vec());
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let code = serde_json::from_str::<ErrorBody>(&text)
        .map(|b| b.code)
        .unwrap_or_else(|_| format!("(success) {text}"));
    (status, code)
}

fn push_body(envelopes: Vec<Envelope>) -> Vec<u8> {
    serde_json::to_vec(&PushRequest { envelopes }).unwrap()
}

fn sealed(d: &Device, text: &str) -> Envelope {
    d.keys.seal(&d.identity.device_id, &record(text)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_replayed_or_stale_signed_request_is_refused_and_stores_nothing() {
    let hub = TestHub::start().await;
    let a = hub.new_home("Fictional provider home 10").await;
    let body = push_body(vec![sealed(&a, "first")]);
    let headers = sign_request(&a.identity, "POST", "/v1/envelopes", &body, now_secs()).unwrap();
    let (status, _) = send_with(&hub, "POST", "/v1/envelopes", &body, &headers).await;
    assert_eq!(status, 200);
    let before = hub.row_counts().await;

    // The same signed request captured and sent again.
    let (status, code) = send_with(&hub, "POST", "/v1/envelopes", &body, &headers).await;
    assert_eq!((status, code.as_str()), (401, "hub.replay"));
    // A correctly signed request made ten minutes ago (outside the five-minute window).
    let old = push_body(vec![sealed(&a, "old")]);
    let (status, code) = send(
        &hub,
        &a.identity,
        "POST",
        "/v1/envelopes",
        &old,
        now_secs() - 600,
    )
    .await;
    assert_eq!((status, code.as_str()), (401, "hub.stale_request"));
    // Headers missing altogether.
    let (status, code) = send_with(&hub, "POST", "/v1/envelopes", &old, &[]).await;
    assert_eq!((status, code.as_str()), (401, "hub.unsigned"));
    assert_eq!(hub.row_counts().await, before);
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unknown_wrongly_signed_pending_and_revoked_devices_are_refused() {
    let hub = TestHub::start().await;
    let mut a = hub.new_home("Fictional provider home 11").await;
    let b = hub.pair(&a, 0).await;
    let body = push_body(vec![sealed(&a, "x")]);

    // Revoke B (the key rotates), then look at the tables.
    hub.client(0)
        .revoke(&a.identity, &mut a.keys, &b.identity.device_id)
        .await
        .unwrap();
    // A device that asked to pair but was never approved.
    let pending_keys = DeviceKeys::generate().unwrap();
    let started = hub
        .client(0)
        .request_pairing(&a.keys.home_id, &pending_keys)
        .await
        .unwrap();
    let pending = DeviceIdentity {
        device_id: started.device_id,
        keys: pending_keys,
    };
    let before = hub.row_counts().await;

    let stranger = DeviceIdentity {
        device_id: uuid::Uuid::new_v4().to_string(),
        keys: DeviceKeys::generate().unwrap(),
    };
    let (status, code) = send(&hub, &stranger, "POST", "/v1/envelopes", &body, now_secs()).await;
    assert_eq!((status, code.as_str()), (401, "hub.unknown_device"));

    // A's id signed with another key.
    let impostor = DeviceIdentity {
        device_id: a.identity.device_id.clone(),
        keys: DeviceKeys::generate().unwrap(),
    };
    let (status, code) = send(&hub, &impostor, "POST", "/v1/envelopes", &body, now_secs()).await;
    assert_eq!((status, code.as_str()), (401, "hub.bad_signature"));

    // A's own signature over another body.
    let headers = sign_request(&a.identity, "POST", "/v1/envelopes", b"{}", now_secs()).unwrap();
    let (status, code) = send_with(&hub, "POST", "/v1/envelopes", &body, &headers).await;
    assert_eq!((status, code.as_str()), (401, "hub.bad_signature"));

    let b_body = push_body(vec![
        b.keys
            .seal(&b.identity.device_id, &record("from b"))
            .unwrap(),
    ]);
    let (status, code) = send(
        &hub,
        &b.identity,
        "POST",
        "/v1/envelopes",
        &b_body,
        now_secs(),
    )
    .await;
    assert_eq!((status, code.as_str()), (403, "hub.device_revoked"));

    let (status, code) = send(&hub, &pending, "POST", "/v1/envelopes", &body, now_secs()).await;
    assert_eq!((status, code.as_str()), (403, "hub.not_paired"));

    assert_eq!(hub.row_counts().await, before);
    assert_eq!(hub.count("SELECT count(*) FROM envelopes").await, 0);
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn oversize_envelopes_and_requests_are_refused_and_store_nothing() {
    let hub = TestHub::start_with(Options {
        max_envelope_bytes: 64 * 1024,
        ..Options::default()
    })
    .await;
    let a = hub.new_home("Fictional provider home 12").await;
    let before = hub.row_counts().await;
    let big = Record {
        kind: "photo".into(),
        record_id: uuid::Uuid::new_v4().to_string(),
        body: vec![7u8; 64 * 1024],
    };
    let too_big = a.keys.seal(&a.identity.device_id, &big).unwrap();
    let err = hub
        .client(0)
        .push(&a.identity, vec![too_big])
        .await
        .unwrap_err();
    assert_eq!(err.hub_code(), Some("hub.too_large"));
    // A body over the request limit (four envelopes' worth here) is refused before it is read whole.
    let body = vec![b' '; 4 * 64 * 1024 + 1];
    let (status, code) = send(
        &hub,
        &a.identity,
        "POST",
        "/v1/envelopes",
        &body,
        now_secs(),
    )
    .await;
    assert_eq!((status, code.as_str()), (413, "hub.too_large"));
    assert_eq!(hub.row_counts().await, before);
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn malformed_envelopes_are_refused_whole_and_store_nothing() {
    let hub = TestHub::start().await;
    let a = hub.new_home("Fictional provider home 13").await;
    let good = sealed(&a, "good");
    let before = hub.row_counts().await;
    let with = |f: &dyn Fn(&mut Envelope)| {
        let mut e = sealed(&a, "bad");
        f(&mut e);
        // A good envelope first: the bad one must refuse the whole push.
        push_body(vec![good.clone(), e])
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("not JSON", b"{\"envelopes\": [".to_vec()),
        (
            "an unknown field",
            br#"{"envelopes": [], "home_id": "x"}"#.to_vec(),
        ),
        ("no envelopes", push_body(vec![])),
        (
            "an id that is not a UUID",
            with(&|e| e.id = "../../etc".into()),
        ),
        ("a short nonce", with(&|e| e.nonce = B64(vec![0; 12]))),
        (
            "a ciphertext too short to be sealed",
            with(&|e| e.ciphertext = B64(vec![1; 5])),
        ),
        ("epoch 0", with(&|e| e.epoch = 0)),
        (
            "the same id twice",
            push_body(vec![good.clone(), good.clone()]),
        ),
        (
            "bad base64",
            String::from_utf8(push_body(vec![good.clone()]))
                .unwrap()
                .replacen("\"ciphertext\":\"", "\"ciphertext\":\"*", 1)
                .into_bytes(),
        ),
    ];
    for (what, body) in cases {
        let (status, code) = send(
            &hub,
            &a.identity,
            "POST",
            "/v1/envelopes",
            &body,
            now_secs(),
        )
        .await;
        assert_eq!((status, code.as_str()), (400, "hub.malformed"), "{what}");
    }
    // A pull with a cursor that cannot be.
    let (status, code) = send(
        &hub,
        &a.identity,
        "GET",
        "/v1/envelopes?after=-5",
        b"",
        now_secs(),
    )
    .await;
    assert_eq!((status, code.as_str()), (400, "hub.malformed"));
    let (status, code) = send(
        &hub,
        &a.identity,
        "GET",
        "/v1/envelopes?after=abc",
        b"",
        now_secs(),
    )
    .await;
    assert_eq!((status, code.as_str()), (400, "hub.malformed"));
    assert_eq!(hub.row_counts().await, before);
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn another_homes_ids_are_refused_and_its_records_never_shown() {
    let hub = TestHub::start().await;
    let a = hub.new_home("Fictional provider home 14").await;
    let other = hub.new_home("Fictional provider home 15").await;
    let client = hub.client(0);
    let mine = sealed(&a, "home 14's record");
    client.push(&a.identity, vec![mine.clone()]).await.unwrap();
    // A device of home 15 waiting to pair, and home 14's second device.
    let pending_keys = DeviceKeys::generate().unwrap();
    let pending = client
        .request_pairing(&a.keys.home_id, &pending_keys)
        .await
        .unwrap();
    let before = hub.row_counts().await;

    // The other home pushes an envelope under home 14's envelope id.
    let stolen = other
        .keys
        .seal_as(&mine.id, &other.identity.device_id, &record("home 15"))
        .unwrap();
    let err = client
        .push(&other.identity, vec![stolen])
        .await
        .unwrap_err();
    assert_eq!(err.hub_code(), Some("hub.foreign_id"));
    // It cannot approve home 14's waiting device, nor revoke home 14's devices.
    let listed = client.pairings(&other.identity).await.unwrap();
    assert!(
        listed.pairings.is_empty(),
        "another home's pairings are not listed"
    );
    let body = br#"{"wrapped_keys":[{"epoch":1,"wrapped":"AAAA"}]}"#;
    let path = format!("/v1/pairings/{}/approve", pending.device_id);
    let (status, code) = send(&hub, &other.identity, "POST", &path, body, now_secs()).await;
    assert_eq!((status, code.as_str()), (404, "hub.not_found"));
    let path = format!("/v1/devices/{}/revoke", a.identity.device_id);
    let body = br#"{"new_epoch":2,"wrapped_keys":[]}"#;
    let (status, code) = send(&hub, &other.identity, "POST", &path, body, now_secs()).await;
    assert_eq!((status, code.as_str()), (404, "hub.not_found"));
    // Its pulls and device list show only its own home.
    let page = client.pull(&other.identity, 0, 100, 0).await.unwrap();
    assert!(page.envelopes.is_empty());
    let devices = client.devices(&other.identity).await.unwrap();
    assert_eq!(devices.devices.len(), 1);
    assert_eq!(hub.row_counts().await, before);

    // Enrolment tokens: an unknown one, and one used a second time.
    let err = client
        .enrol("not-a-token-fictional", &DeviceKeys::generate().unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.hub_code(), Some("hub.bad_token"));
    let home = grabpack_hub::devices::add_home(&hub.pool(), "Fictional provider home 16")
        .await
        .unwrap();
    client
        .enrol(&home.token, &DeviceKeys::generate().unwrap())
        .await
        .unwrap();
    let after_first = hub.row_counts().await;
    let err = client
        .enrol(&home.token, &DeviceKeys::generate().unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.hub_code(), Some("hub.bad_token"));
    assert_eq!(hub.row_counts().await, after_first);
    hub.stop().await;
}
