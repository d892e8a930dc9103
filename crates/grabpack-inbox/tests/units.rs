//! Units are kept apart: an officer sees, opens and acknowledges only the packs addressed to
//! their units (the manifest's `recipient_id`); a supervisor also sees packs for a unit no
//! account holds; an administrator sees every pack. Every view is audited with the account.
//! Accounts can be disabled and removed, sessions end when idle, and packs are deleted after
//! their episode by retention, audited, leaving no bytes of the PDF in the database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use grabpack_inbox::auth::{self, Role};
use grabpack_inbox::{db, retention};

const PASSWORD: &str = "a long fictional password";

/// A signed-in account's browser, reduced to its session cookie.
struct Browser {
    client: reqwest::Client,
    base: String,
    cookie: String,
}

fn no_redirects(inbox: &TestInbox) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(inbox.ca.ca_pem.as_bytes()).unwrap();
    reqwest::Client::builder()
        .tls_certs_merge([ca])
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Sign in through the real page; `None` when the service refuses.
async fn sign_in(inbox: &TestInbox, user: &str) -> Option<Browser> {
    let client = no_redirects(inbox);
    let resp = client
        .post(inbox.url("/login"))
        .header("Cookie", "__Host-grabpack_login=abc")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!(
            "csrf=abc&username={user}&password={}",
            PASSWORD.replace(' ', "+")
        ))
        .send()
        .await
        .unwrap();
    if resp.status().as_u16() != 303 {
        return None;
    }
    let cookie = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__Host-grabpack_session="))?
        .split(';')
        .next()?
        .to_string();
    Some(Browser {
        client,
        base: inbox.base.clone(),
        cookie,
    })
}

impl Browser {
    async fn get(&self, path: &str) -> (u16, String) {
        let resp = self
            .client
            .get(format!("{}{path}", self.base))
            .header("Cookie", &self.cookie)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.text().await.unwrap_or_default())
    }

    /// The CSRF token from a page's forms.
    async fn csrf(&self) -> String {
        let (_, page) = self.get("/packs").await;
        let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
        page[at..at + 64].to_string()
    }

    async fn acknowledge(&self, receipt_id: &str) -> u16 {
        let csrf = self.csrf().await;
        self.client
            .post(format!("{}/packs/{receipt_id}/acknowledge", self.base))
            .header("Cookie", &self.cookie)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!(
                "csrf={csrf}&decision=accepted&officer_name=PC+Jo+Example&collar_number=1234\
                 &police_reference=CAD+5678&risk_grading=medium"
            ))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

/// Send a pack from home 0 addressed to `unit`, for a child shown as `name`.
async fn pack_for(inbox: &TestInbox, unit: &str, name: &str) -> String {
    let pdf = fake_pdf(20_000, name);
    let key = new_key();
    let mut m = manifest(0, &key, &pdf);
    m["recipient_id"] = unit.into();
    m["child"]["display_name"] = name.into();
    let (status, body) = send(&inbox.client(), inbox, &token_for(0), &key, form(&m, pdf)).await;
    assert_eq!(status, 201, "{body}");
    body["receipt_id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_officer_sees_opens_and_acknowledges_only_the_packs_addressed_to_their_units() {
    let inbox = TestInbox::start().await;
    let north = pack_for(&inbox, "met-bcu-north", "Ash Example North").await;
    let south = pack_for(&inbox, "met-bcu-south", "Bea Example South").await;
    let nobody = pack_for(&inbox, "unit-nobody-holds", "Cal Example Unrouted").await;
    inbox
        .add_account("pc-north", PASSWORD, Role::Officer, &["met-bcu-north"])
        .await;
    inbox
        .add_account("pc-south", PASSWORD, Role::Officer, &["met-bcu-south"])
        .await;
    inbox
        .add_account("sgt-north", PASSWORD, Role::Supervisor, &["met-bcu-north"])
        .await;
    inbox
        .add_account("admin-example", PASSWORD, Role::Administrator, &[])
        .await;
    inbox
        .add_account("pc-new", PASSWORD, Role::Officer, &[])
        .await;

    let pc = sign_in(&inbox, "pc-north").await.unwrap();
    let (status, list) = pc.get("/packs").await;
    assert_eq!(status, 200);
    assert!(list.contains("Ash Example North"));
    assert!(
        !list.contains("Bea Example South"),
        "another unit's pack listed"
    );
    assert!(
        !list.contains("Cal Example Unrouted"),
        "an unrouted pack listed to an officer"
    );
    // Asking for another unit's pack by its id is the same answer as for no such pack.
    assert_eq!(pc.get(&format!("/packs/{south}")).await.0, 404);
    assert_eq!(pc.get(&format!("/packs/{south}/pdf")).await.0, 404);
    assert_eq!(pc.acknowledge(&south).await, 404);
    assert_eq!(
        inbox.count("SELECT COUNT(*) FROM acks").await,
        0,
        "an acknowledgement of another unit's pack was recorded"
    );
    assert_eq!(pc.get(&format!("/packs/{north}")).await.0, 200);
    assert_eq!(pc.get(&format!("/packs/{north}/pdf")).await.0, 200);
    assert_eq!(pc.acknowledge(&north).await, 303);
    assert_eq!(inbox.count("SELECT COUNT(*) FROM acks").await, 1);

    // The supervisor also sees the pack for a unit nobody holds, not the other unit's.
    let sgt = sign_in(&inbox, "sgt-north").await.unwrap();
    let (_, list) = sgt.get("/packs").await;
    assert!(list.contains("Ash Example North") && list.contains("Cal Example Unrouted"));
    assert!(!list.contains("Bea Example South"));
    assert_eq!(sgt.get(&format!("/packs/{nobody}")).await.0, 200);

    // The administrator sees every pack; an officer with no unit sees none.
    let admin = sign_in(&inbox, "admin-example").await.unwrap();
    let (_, list) = admin.get("/packs").await;
    for name in [
        "Ash Example North",
        "Bea Example South",
        "Cal Example Unrouted",
    ] {
        assert!(list.contains(name), "{name} not shown to the administrator");
    }
    let new = sign_in(&inbox, "pc-new").await.unwrap();
    let (_, list) = new.get("/packs").await;
    assert!(list.contains("No packs"), "{list}");

    // Every view is audited with the account that made it, the list naming each pack shown.
    let views = inbox
        .count("SELECT COUNT(*) FROM audit WHERE action IN ('pack.viewed', 'pdf.opened') AND actor = 'officer:pc-north' AND child_id = (SELECT receipt_id FROM packs WHERE recipient_id = 'met-bcu-north')")
        .await;
    assert_eq!(views, 2);
    let listed = inbox
        .count("SELECT COUNT(*) FROM audit WHERE action = 'packs.listed' AND actor = 'officer:pc-north' AND detail LIKE '%' || (SELECT receipt_id FROM packs WHERE recipient_id = 'met-bcu-north') || '%' AND detail NOT LIKE '%' || (SELECT receipt_id FROM packs WHERE recipient_id = 'met-bcu-south') || '%'")
        .await;
    assert!(listed >= 1);
    assert!(inbox.audit_intact().await);
    inbox.stop().await;
}

#[tokio::test]
async fn a_disabled_account_is_signed_out_and_cannot_sign_in_and_a_removed_one_is_gone() {
    let inbox = TestInbox::start().await;
    inbox.add_officer("pc-leaving", PASSWORD).await;
    let b = sign_in(&inbox, "pc-leaving").await.unwrap();
    assert_eq!(b.get("/packs").await.0, 200);
    let state = &inbox.running.as_ref().unwrap().state;
    state
        .db
        .call(|c| auth::set_disabled(c, "pc-leaving", true))
        .await
        .unwrap();
    // The open session ends at once, and the right password no longer signs in.
    let (status, _) = b.get("/packs").await;
    assert_eq!(status, 303);
    assert!(sign_in(&inbox, "pc-leaving").await.is_none());
    state
        .db
        .call(|c| auth::set_disabled(c, "pc-leaving", false))
        .await
        .unwrap();
    assert!(sign_in(&inbox, "pc-leaving").await.is_some());
    state
        .db
        .call(|c| auth::remove_user(c, "pc-leaving"))
        .await
        .unwrap();
    assert!(sign_in(&inbox, "pc-leaving").await.is_none());
    assert_eq!(
        inbox.count("SELECT COUNT(*) FROM users").await,
        0,
        "the removed account's row is still there"
    );
    for action in ["user.disabled", "user.enabled", "user.removed"] {
        assert_eq!(inbox.audit_actions(action).await, 1, "{action}");
    }
    inbox.stop().await;
}

fn fresh_db() -> (tempfile::TempDir, rusqlite::Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = db::open(&dir.path().join("inbox.db"), &[7u8; 32], true).unwrap();
    (dir, conn)
}

#[test]
fn a_session_unused_for_the_idle_time_ends_before_its_absolute_end() {
    let (_dir, mut conn) = fresh_db();
    auth::add_user(&mut conn, "pc-example", PASSWORD).unwrap();
    let (token, _) = auth::login(&mut conn, "pc-example", PASSWORD, 480, "127.0.0.1").unwrap();
    assert!(auth::session(&conn, &token, 30).unwrap().is_some());
    // Last used 31 minutes ago: well inside the 8-hour absolute end, past the 30-minute idle one.
    conn.execute(
        "UPDATE sessions SET last_seen_unix = last_seen_unix - 31 * 60",
        [],
    )
    .unwrap();
    assert!(auth::session(&conn, &token, 30).unwrap().is_none());
    assert!(auth::session(&conn, &token, 60).unwrap().is_some());
}

/// A pack stored straight in the database with a chosen arrival time (the service always
/// stamps "now"), carrying a recognisable PDF.
fn stored_pack(
    conn: &rusqlite::Connection,
    episode: Option<&str>,
    received_at: &str,
    pdf: &[u8],
) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    conn.execute(
        "INSERT INTO packs (receipt_id, home_id, home_name, idempotency_key, received_at, manifest,
            child_ref, child_display_name, episode_id, recipient_id, sent_at, marking, readout,
            pdf_sha256, pdf_bytes, pdf)
         VALUES (?1, 'home-000', 'Fictional House 0', ?2, ?3, '{}', 'child-1', 'Dee Example',
            ?4, 'met-bcu-north', ?3, 'OFFICIAL-SENSITIVE', 'MISSING: Dee Example (fictional)', ?5, ?6, ?7)",
        rusqlite::params![id, uuid::Uuid::new_v4().to_string(), received_at, episode, sha256_hex(pdf), pdf.len() as i64, pdf],
    )
    .unwrap();
    id
}

fn at(day: i64) -> jiff::Timestamp {
    "2026-01-01T12:00:00Z".parse::<jiff::Timestamp>().unwrap()
        + jiff::SignedDuration::from_hours(24 * day)
}

fn rfc(day: i64) -> String {
    at(day).strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

#[test]
fn retention_deletes_an_episodes_packs_days_after_its_last_pack_audited_and_leaves_no_pdf_bytes() {
    let (_dir, mut conn) = fresh_db();
    let marker = |tag: &str| {
        let mut pdf = format!("%PDF-1.7 fictional {tag} ").into_bytes();
        pdf.extend(std::iter::repeat_n(b'Q', 300_000));
        pdf
    };
    // Episode 1: packs on day 0 and day 20. Episode 2: day 0. A pack outside an episode: day 0.
    let e1_first = stored_pack(&conn, Some("ep-1"), &rfc(0), &marker("ep-1 first"));
    let e1_update = stored_pack(&conn, Some("ep-1"), &rfc(20), &marker("ep-1 update"));
    let e2 = stored_pack(&conn, Some("ep-2"), &rfc(0), &marker("ep-2"));
    let loose = stored_pack(&conn, None, &rfc(0), &marker("loose"));
    acks_for(&mut conn, &e2);
    // Nothing but retention may delete a pack.
    assert!(
        conn.execute("DELETE FROM packs WHERE receipt_id = ?1", [&e2])
            .is_err()
    );
    let auto_vacuum: i64 = conn
        .query_row("PRAGMA auto_vacuum", [], |r| r.get(0))
        .unwrap();
    assert_eq!(auto_vacuum, 2, "incremental auto-vacuum");
    let pages_before: i64 = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();

    // Day 35, 30 days' retention: episode 2 and the loose pack go; episode 1's last pack was
    // on day 20, so both its packs stay.
    let swept = retention::sweep(&mut conn, 30, at(35)).unwrap();
    let mut gone = swept.receipt_ids.clone();
    gone.sort();
    let mut expected = vec![e2.clone(), loose.clone()];
    expected.sort();
    assert_eq!(gone, expected);
    let left: i64 = conn
        .query_row("SELECT COUNT(*) FROM packs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 2);
    let acks_left: i64 = conn
        .query_row("SELECT COUNT(*) FROM acks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(acks_left, 0);
    let tombstones: i64 = conn
        .query_row("SELECT COUNT(*) FROM pack_deletions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tombstones, 2);
    let audited: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'pack.deleted' AND actor = 'retention'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 2);

    // No copy of a deleted PDF is left: no free page holds old content (freed pages are zeroed
    // and handed back to the file system), the file shrank by at least the two PDFs, and the
    // write-ahead log is empty.
    let free: i64 = conn
        .query_row("PRAGMA freelist_count", [], |r| r.get(0))
        .unwrap();
    assert_eq!(free, 0, "free pages left in the database");
    let secure: i64 = conn
        .query_row("PRAGMA secure_delete", [], |r| r.get(0))
        .unwrap();
    assert_eq!(secure, 1);
    let pages_after: i64 = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    // SQLCipher answers the page size as text.
    let page_size: i64 = conn
        .query_row("PRAGMA cipher_page_size", [], |r| r.get::<_, String>(0))
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (pages_before - pages_after) * page_size >= 600_000,
        "the file kept the deleted PDFs' pages ({pages_before} -> {pages_after})"
    );
    let wal = _dir.path().join("inbox.db-wal");
    assert_eq!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0), 0);
    let still: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM packs WHERE instr(pdf, CAST('fictional ep-2' AS BLOB)) > 0
             OR instr(pdf, CAST('fictional loose' AS BLOB)) > 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(still, 0);

    // Day 51: episode 1 is 31 days past its last pack; both its packs go together.
    let swept = retention::sweep(&mut conn, 30, at(51)).unwrap();
    assert_eq!(swept.receipt_ids.len(), 2);
    assert!(swept.receipt_ids.contains(&e1_first) && swept.receipt_ids.contains(&e1_update));
    assert!(grabpack_audit::verify(&conn).unwrap().intact());
}

fn acks_for(conn: &mut rusqlite::Connection, receipt_id: &str) {
    auth::add_user(conn, "pc-example", PASSWORD).unwrap();
    grabpack_inbox::acks::record(
        conn,
        receipt_id,
        "pc-example",
        &grabpack_inbox::acks::NewAck {
            status: Some(grabpack_protocol::AckStatus::Accepted),
            officer_name: "PC Jo Example".into(),
            collar_number: "1234".into(),
            police_reference: "CAD 5678".into(),
            risk_grading: Some(grabpack_protocol::RiskGrading::Medium),
            ..Default::default()
        },
    )
    .unwrap();
}
