//! The chain on its own, on an in-memory database: what the store and the intake both rely on.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use grabpack_audit::{AuditError, GENESIS, SCHEMA_SQL, append, list, verify};
use rusqlite::Connection;

fn log_with(entries: &[(&str, Option<&str>)]) -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(SCHEMA_SQL).unwrap();
    for (i, (action, subject)) in entries.iter().enumerate() {
        let at = format!("2026-11-28T21:{i:02}:00.000Z");
        append(&conn, &at, "staff:fictional", action, *subject, "{}").unwrap();
    }
    conn
}

#[test]
fn an_empty_log_is_intact_with_no_entries() {
    let report = verify(&log_with(&[])).unwrap();
    assert_eq!(report.entries, 0);
    assert!(report.intact());
}

#[test]
fn appended_entries_chain_from_genesis_and_verify() {
    let conn = log_with(&[("created", None), ("viewed", Some("child-1"))]);
    let first_prev: String = conn
        .query_row("SELECT prev_hash FROM audit WHERE seq = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(first_prev, GENESIS);
    let report = verify(&conn).unwrap();
    assert_eq!(report.entries, 2);
    assert!(report.intact());
}

#[test]
fn verification_names_the_first_row_that_was_altered_behind_the_log_s_back() {
    let conn = log_with(&[("a", None), ("b", None), ("c", None), ("d", None)]);
    conn.execute_batch("DROP TRIGGER audit_no_update;").unwrap();
    conn.execute("UPDATE audit SET detail = 'edited' WHERE seq = 3", [])
        .unwrap();
    assert_eq!(verify(&conn).unwrap().broken_at, Some(3));
}

#[test]
fn a_deleted_row_breaks_the_chain_where_it_was() {
    let conn = log_with(&[("a", None), ("b", None), ("c", None)]);
    conn.execute_batch("DROP TRIGGER audit_no_delete;").unwrap();
    conn.execute("DELETE FROM audit WHERE seq = 2", []).unwrap();
    assert_eq!(verify(&conn).unwrap().broken_at, Some(3));
}

#[test]
fn the_table_refuses_updates_and_deletes() {
    let conn = log_with(&[("a", None)]);
    assert!(conn.execute("UPDATE audit SET actor = 'x'", []).is_err());
    assert!(conn.execute("DELETE FROM audit", []).is_err());
}

#[test]
fn the_list_is_newest_first_and_filters_by_subject_and_action() {
    let conn = log_with(&[
        ("viewed", Some("child-1")),
        ("viewed", Some("child-2")),
        ("edited", Some("child-1")),
    ]);
    let all: Vec<i64> = list(&conn, None, None, 10)
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(all, [3, 2, 1]);
    let one_child: Vec<String> = list(&conn, Some("child-1"), None, 10)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(one_child, ["edited", "viewed"]);
    assert_eq!(list(&conn, None, Some("viewed"), 1).unwrap().len(), 1);
}

#[test]
fn appending_without_the_table_is_an_audit_database_error_not_a_panic() {
    let conn = Connection::open_in_memory().unwrap();
    let e = append(&conn, "2026-11-28T21:00:00Z", "x", "y", None, "").unwrap_err();
    assert!(matches!(e, AuditError::Database(_)));
    assert_eq!(e.code(), "audit.database");
}
