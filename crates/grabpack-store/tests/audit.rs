//! The audit log is append-only and hash-chained; tampering is detected.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;

#[test]
fn the_chain_verifies_after_ordinary_work() {
    let (_home, mut store) = TestHome::new();
    let id = store.create_child(&Default::default(), "").unwrap();
    store.review(&id, "").unwrap();
    store.child(&id).unwrap();
    let report = store.audit_verify().unwrap();
    assert!(report.intact());
    let actions: Vec<String> = store
        .audit_list(None, None, 100)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        vec![
            "viewed",
            "reviewed",
            "child_created",
            "staff_added",
            "store_created"
        ]
    );
}

#[test]
fn verification_fails_at_the_row_that_was_altered() {
    let (_home, mut store) = TestHome::new();
    let id = store.create_child(&Default::default(), "").unwrap();
    store.review(&id, "").unwrap();
    let conn = store.connection_for_tests();
    // Someone with the key, going around the app: drop the guard and rewrite history.
    conn.execute_batch("DROP TRIGGER audit_no_update;").unwrap();
    conn.execute("UPDATE audit SET actor = 'someone else' WHERE seq = 3", [])
        .unwrap();
    let report = store.audit_verify().unwrap();
    assert_eq!(report.broken_at, Some(3));
}

#[test]
fn the_audit_log_refuses_updates_and_deletes() {
    let (_home, store) = TestHome::new();
    let conn = store.connection_for_tests();
    assert!(conn.execute("UPDATE audit SET actor = 'x'", []).is_err());
    assert!(conn.execute("DELETE FROM audit", []).is_err());
}
