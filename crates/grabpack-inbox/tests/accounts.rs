//! Officer accounts and sessions: Argon2id passwords, sessions that end, sign-in throttling, and
//! a database that is unreadable without its key and holds no plaintext.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use grabpack_inbox::auth;
use grabpack_inbox::db;

const PASSWORD: &str = "a long fictional password";

fn fresh_db() -> (tempfile::TempDir, rusqlite::Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = db::open(&dir.path().join("inbox.db"), &[7u8; 32], true).unwrap();
    (dir, conn)
}

#[test]
fn a_stored_password_is_an_argon2id_hash_never_the_password() {
    let (_dir, mut conn) = fresh_db();
    auth::add_user(&mut conn, "sgt-example", PASSWORD).unwrap();
    let stored: String = conn
        .query_row(
            "SELECT password_hash FROM users WHERE name = 'sgt-example'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(stored.starts_with("$argon2id$"));
    assert!(!stored.contains(PASSWORD));
}

#[test]
fn a_short_password_or_odd_user_name_is_refused() {
    let (_dir, mut conn) = fresh_db();
    assert_eq!(
        auth::add_user(&mut conn, "sgt", "short")
            .unwrap_err()
            .code(),
        "intake.invalid_form"
    );
    assert_eq!(
        auth::add_user(&mut conn, "../admin", PASSWORD)
            .unwrap_err()
            .code(),
        "intake.invalid_form"
    );
}

#[test]
fn the_right_password_opens_a_session_and_a_wrong_one_is_audited() {
    let (_dir, mut conn) = fresh_db();
    auth::add_user(&mut conn, "sgt-example", PASSWORD).unwrap();
    let err = auth::login(&mut conn, "sgt-example", "wrong", 30, "127.0.0.1").unwrap_err();
    assert_eq!(err.code(), "intake.login_failed");
    let err = auth::login(&mut conn, "nobody", PASSWORD, 30, "127.0.0.1").unwrap_err();
    assert_eq!(err.code(), "intake.login_failed");
    let (token, session) =
        auth::login(&mut conn, "sgt-example", PASSWORD, 30, "127.0.0.1").unwrap();
    assert_eq!(session.user, "sgt-example");
    assert!(auth::session(&conn, &token, 30).unwrap().is_some());
    // Only a digest of the cookie is stored.
    let stored: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sessions WHERE token_sha256 = ?1",
            [token.as_str()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 0);
    let failed: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'user.login_failed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(failed, 2);
    auth::logout(&conn, &token).unwrap();
    assert!(auth::session(&conn, &token, 30).unwrap().is_none());
}

#[test]
fn a_session_ends_when_it_expires() {
    let (_dir, mut conn) = fresh_db();
    auth::add_user(&mut conn, "sgt-example", PASSWORD).unwrap();
    // A session whose end is already in the past.
    let (token, _) = auth::login(&mut conn, "sgt-example", PASSWORD, -1, "127.0.0.1").unwrap();
    assert!(auth::session(&conn, &token, 30).unwrap().is_none());
}

#[test]
fn a_new_password_ends_every_session_of_that_account() {
    let (_dir, mut conn) = fresh_db();
    auth::add_user(&mut conn, "sgt-example", PASSWORD).unwrap();
    let (token, _) = auth::login(&mut conn, "sgt-example", PASSWORD, 30, "127.0.0.1").unwrap();
    auth::add_user(&mut conn, "sgt-example", "another long fictional password").unwrap();
    assert!(auth::session(&conn, &token, 30).unwrap().is_none());
}

#[test]
fn after_five_failed_sign_ins_even_the_right_password_waits_until_reset() {
    let (_dir, mut conn) = fresh_db();
    auth::add_user(&mut conn, "sgt-example", PASSWORD).unwrap();
    for _ in 0..auth::THROTTLE_FAILURES {
        let e = auth::login(&mut conn, "sgt-example", "guess", 30, "127.0.0.1").unwrap_err();
        assert_eq!(e.code(), "intake.login_failed");
    }
    let e = auth::login(&mut conn, "sgt-example", PASSWORD, 30, "127.0.0.1").unwrap_err();
    assert_eq!(e.code(), "intake.login_throttled");
    // An administrator setting a new password lifts it.
    auth::add_user(&mut conn, "sgt-example", PASSWORD).unwrap();
    assert!(auth::login(&mut conn, "sgt-example", PASSWORD, 30, "127.0.0.1").is_ok());
}

#[test]
fn the_database_will_not_open_with_another_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inbox.db");
    drop(db::open(&path, &[1u8; 32], true).unwrap());
    let err = db::open(&path, &[2u8; 32], false).unwrap_err();
    assert_eq!(err.code(), "intake.key");
}

#[tokio::test]
async fn what_a_home_sends_is_not_readable_in_the_files_on_disk() {
    let mut inbox = TestInbox::start().await;
    let pdf = fake_pdf(30_000, "at rest");
    let key = new_key();
    let (status, _) = send(
        &inbox.client(),
        &inbox,
        &token_for(0),
        &key,
        form(&manifest(0, &key, &pdf), pdf),
    )
    .await;
    assert_eq!(status, 201);
    let dir = inbox.dir.path().to_path_buf();
    // Stop the service but keep its folder.
    if let Some(r) = inbox.running.take() {
        r.stop(std::time::Duration::from_secs(5)).await;
    }
    let mut all = Vec::new();
    for name in ["inbox.db", "inbox.db-wal", "inbox.db-shm"] {
        if let Ok(b) = std::fs::read(dir.join(name)) {
            all.extend(b);
        }
    }
    assert!(all.len() > 30_000, "the pack was written somewhere");
    for needle in [
        "Sam Example",
        "bus station",
        "%PDF-1.7",
        "grab pack for at rest",
        "home-000",
        "OFFICIAL-SENSITIVE",
    ] {
        assert!(
            !all.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle:?} is readable on disk"
        );
    }
}
