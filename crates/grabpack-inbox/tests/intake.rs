//! The protocol's happy path over real HTTPS on loopback: a home sends a pack, gets a receipt,
//! a replay gets the same receipt without a second copy, and an officer's acknowledgement
//! (or refusal) then reaches that home, and only that home.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use grabpack_inbox::acks::NewAck;
use grabpack_protocol::{AckStatus, RiskGrading};

#[tokio::test]
async fn a_pack_sent_over_https_gets_a_receipt_and_is_stored_once_even_when_replayed() {
    let inbox = TestInbox::start().await;
    let client = inbox.client();
    let pdf = fake_pdf(40_000, "first");
    let key = new_key();
    let m = manifest(0, &key, &pdf);

    let (status, receipt) = send(&client, &inbox, &token_for(0), &key, form(&m, pdf.clone())).await;
    assert_eq!(status, 201, "{receipt}");
    assert_eq!(receipt["idempotency_key"], key.as_str());
    assert!(
        receipt["receipt_id"]
            .as_str()
            .is_some_and(|s| s.len() == 36)
    );
    assert!(
        receipt["received_at"]
            .as_str()
            .and_then(|s| s.parse::<jiff::Timestamp>().ok())
            .is_some()
    );

    let (status, again) = send(&client, &inbox, &token_for(0), &key, form(&m, pdf)).await;
    assert_eq!(status, 200, "a replay is answered 200");
    assert_eq!(again, receipt, "a replay gets the very same receipt");
    assert_eq!(inbox.packs().await, 1, "never a second copy");
    assert_eq!(inbox.audit_actions("intake.received").await, 1);
    assert_eq!(inbox.audit_actions("intake.replayed").await, 1);
    assert!(inbox.audit_intact().await);
    inbox.stop().await;
}

#[tokio::test]
async fn the_stored_pdf_is_byte_for_byte_what_the_home_sent() {
    let inbox = TestInbox::start().await;
    let client = inbox.client();
    let pdf = fake_pdf(123_457, "bytes");
    let key = new_key();
    let (status, receipt) = send(
        &client,
        &inbox,
        &token_for(1),
        &key,
        form(&manifest(1, &key, &pdf), pdf.clone()),
    )
    .await;
    assert_eq!(status, 201);
    let rid = receipt["receipt_id"].as_str().unwrap().to_string();
    let stored: Vec<u8> = inbox
        .running
        .as_ref()
        .unwrap()
        .state
        .db
        .call(move |c| {
            Ok(
                c.query_row("SELECT pdf FROM packs WHERE receipt_id = ?1", [rid], |r| {
                    r.get(0)
                })?,
            )
        })
        .await
        .unwrap();
    assert_eq!(stored, pdf);
    inbox.stop().await;
}

#[tokio::test]
async fn an_acknowledgement_travels_back_to_the_sending_home_only() {
    let inbox = TestInbox::start().await;
    let client = inbox.client();
    let pdf = fake_pdf(20_000, "ack");
    let key = new_key();
    let (_, receipt) = send(
        &client,
        &inbox,
        &token_for(0),
        &key,
        form(&manifest(0, &key, &pdf), pdf),
    )
    .await;
    let rid = receipt["receipt_id"].as_str().unwrap().to_string();

    let poll = |token: String, after: &str| {
        let c = client.clone();
        let url = inbox.url(&format!("/v1/acknowledgements?after={after}"));
        async move {
            let r = c.get(url).bearer_auth(token).send().await.unwrap();
            (
                r.status().as_u16(),
                r.json::<serde_json::Value>().await.unwrap(),
            )
        }
    };
    let (status, empty) = poll(token_for(0), "").await;
    assert_eq!(status, 200);
    assert_eq!(empty["acknowledgements"].as_array().unwrap().len(), 0);

    inbox
        .acknowledge(
            &rid,
            NewAck {
                status: Some(AckStatus::Accepted),
                officer_name: "PC Jo Example".into(),
                collar_number: "1234".into(),
                police_reference: "CAD 5678".into(),
                risk_grading: Some(RiskGrading::Medium),
                note: "Officer attending 22:00".into(),
                reason: String::new(),
            },
        )
        .await;

    let (status, page) = poll(token_for(0), "0").await;
    assert_eq!(status, 200);
    let acks = page["acknowledgements"].as_array().unwrap();
    assert_eq!(acks.len(), 1);
    let a = &acks[0];
    assert_eq!(a["receipt_id"], rid.as_str());
    assert_eq!(a["idempotency_key"], key.as_str());
    assert_eq!(a["episode_id"], "ep-2026-11-28-001");
    assert_eq!(a["status"], "accepted");
    assert_eq!(a["officer_name"], "PC Jo Example");
    assert_eq!(a["collar_number"], "1234");
    assert_eq!(a["police_reference"], "CAD 5678");
    assert_eq!(a["risk_grading"], "medium");
    assert_eq!(a["note"], "Officer attending 22:00");
    assert!(a["reason"].is_null());
    assert_eq!(page["next_cursor"], a["cursor"]);

    // Polling after the cursor gives nothing new; another home never sees it.
    let (_, after) = poll(token_for(0), page["next_cursor"].as_str().unwrap()).await;
    assert_eq!(after["acknowledgements"].as_array().unwrap().len(), 0);
    assert_eq!(after["next_cursor"], page["next_cursor"]);
    let (_, other) = poll(token_for(1), "0").await;
    assert_eq!(other["acknowledgements"].as_array().unwrap().len(), 0);

    // Delivery to the home is audited once.
    let (_, _) = poll(token_for(0), "0").await;
    assert_eq!(inbox.audit_actions("ack.delivered").await, 1);
    inbox.stop().await;
}

#[tokio::test]
async fn not_accepted_as_a_missing_report_travels_back_with_its_reason() {
    let inbox = TestInbox::start().await;
    let client = inbox.client();
    let pdf = fake_pdf(10_000, "refused");
    let key = new_key();
    let (_, receipt) = send(
        &client,
        &inbox,
        &token_for(2),
        &key,
        form(&manifest(2, &key, &pdf), pdf),
    )
    .await;
    let rid = receipt["receipt_id"].as_str().unwrap().to_string();
    inbox
        .acknowledge(
            &rid,
            NewAck {
                status: Some(AckStatus::NotAccepted),
                officer_name: "Call handler A Example".into(),
                collar_number: "CH-77".into(),
                reason: "Child located by the home before the report was taken".into(),
                ..Default::default()
            },
        )
        .await;
    let r = client
        .get(inbox.url("/v1/acknowledgements"))
        .bearer_auth(token_for(2))
        .send()
        .await
        .unwrap();
    let page: serde_json::Value = r.json().await.unwrap();
    let a = &page["acknowledgements"][0];
    assert_eq!(a["status"], "not_accepted");
    assert_eq!(
        a["reason"],
        "Child located by the home before the report was taken"
    );
    assert!(a["risk_grading"].is_null());
    assert!(a["police_reference"].is_null());
    inbox.stop().await;
}

#[tokio::test]
async fn polling_with_a_wrong_token_or_a_bad_cursor_is_refused() {
    let inbox = TestInbox::start().await;
    let client = inbox.client();
    let r = client
        .get(inbox.url("/v1/acknowledgements"))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "intake.unauthorised");
    let r = client
        .get(inbox.url("/v1/acknowledgements?after=..%2F..%2Fetc"))
        .bearer_auth(token_for(0))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "intake.bad_cursor");
    inbox.stop().await;
}

#[tokio::test]
async fn a_pack_sent_outside_an_episode_has_a_null_episode_id_both_ways() {
    let inbox = TestInbox::start().await;
    let client = inbox.client();
    let pdf = fake_pdf(9_000, "no episode");
    let key = new_key();
    let mut m = manifest(0, &key, &pdf);
    m["episode_id"] = serde_json::Value::Null;
    let (status, receipt) = send(&client, &inbox, &token_for(0), &key, form(&m, pdf)).await;
    assert_eq!(status, 201, "{receipt}");
    inbox
        .acknowledge(
            receipt["receipt_id"].as_str().unwrap(),
            NewAck {
                status: Some(AckStatus::Accepted),
                officer_name: "PC Jo Example".into(),
                collar_number: "1234".into(),
                police_reference: "CAD 9".into(),
                risk_grading: Some(RiskGrading::Low),
                ..Default::default()
            },
        )
        .await;
    let page: serde_json::Value = client
        .get(inbox.url("/v1/acknowledgements"))
        .bearer_auth(token_for(0))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(page["acknowledgements"][0]["episode_id"].is_null());
    assert_eq!(page["acknowledgements"][0]["risk_grading"], "low");
    inbox.stop().await;
}

/// The app's transport (grabpack-send) builds its body whole, with its own boundary, a
/// nanosecond `sent_at` and the file name `grab-pack.pdf`: that exact shape is accepted.
#[tokio::test]
async fn a_body_shaped_as_the_apps_transport_builds_it_is_accepted() {
    let inbox = TestInbox::start().await;
    let pdf = fake_pdf(25_000, "app shape");
    let key = new_key();
    let mut m = manifest(1, &key, &pdf);
    m["sent_at"] = "2026-11-28T21:05:00.123456789Z".into();
    let boundary = format!("grabpack-{key}");
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"manifest\"\r\nContent-Type: application/json\r\n\r\n").as_bytes());
    body.extend_from_slice(m.to_string().as_bytes());
    body.extend_from_slice(format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"pack\"; filename=\"grab-pack.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
    body.extend_from_slice(&pdf);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = inbox
        .client()
        .post(inbox.url("/v1/packs"))
        .bearer_auth(token_for(1))
        .header("Idempotency-Key", &key)
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    assert_eq!(inbox.packs().await, 1);
    inbox.stop().await;
}
