//! Acknowledgements: an officer's answer, recorded once and carried back to the home.
//!
//! Today a home often never hears whether police accepted a report, what risk grading it got or
//! who is dealing with it. Each acknowledgement is an immutable row with a cursor that only grows,
//! so a home polls `GET /v1/acknowledgements?after=<cursor>` and sees every answer for its own
//! packs exactly once in order, and the first time one is handed to the home is audited.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use rusqlite::{Connection, params};

use grabpack_protocol::{ACK_PAGE_MAX, AckPage, AckStatus, Acknowledgement, RiskGrading};

use crate::auth;
use crate::db;
use crate::error::{InboxError, Result};
use crate::server::AppState;

/// At most this many acknowledgements per poll; `next_cursor` fetches the rest.
pub const PAGE: i64 = ACK_PAGE_MAX as i64;

/// What an officer records. Validated by [`NewAck::check`].
#[derive(Debug, Clone, Default)]
pub struct NewAck {
    pub status: Option<AckStatus>,
    pub officer_name: String,
    pub collar_number: String,
    pub police_reference: String,
    pub risk_grading: Option<RiskGrading>,
    pub note: String,
    pub reason: String,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl NewAck {
    /// Accepted needs who, their collar number, the police reference and a risk grading; not
    /// accepted needs who, their collar number and the reason, so the home and the social worker
    /// can act on it. Returns each problem in words an officer can fix.
    pub fn check(&self) -> Vec<&'static str> {
        let mut problems = Vec::new();
        let long = |s: &str, n: usize| s.chars().count() > n;
        if self.officer_name.trim().is_empty() {
            problems.push("Enter the officer's name.");
        }
        if self.collar_number.trim().is_empty() {
            problems.push("Enter the collar number.");
        }
        match self.status {
            Some(AckStatus::Accepted) => {
                if self.police_reference.trim().is_empty() {
                    problems.push("Enter the police reference.");
                }
                if self.risk_grading.is_none() {
                    problems.push("Choose a risk grading.");
                }
            }
            Some(AckStatus::NotAccepted) => {
                if self.reason.trim().is_empty() {
                    problems.push("Enter the reason it was not accepted.");
                }
            }
            None => problems.push("Choose whether the report is accepted."),
        }
        if long(&self.officer_name, 200)
            || long(&self.collar_number, 50)
            || long(&self.police_reference, 100)
            || long(&self.note, 4000)
            || long(&self.reason, 4000)
        {
            problems.push("One of the fields is too long.");
        }
        problems
    }
}

/// Record an acknowledgement (one transaction with its audit entry).
pub fn record(conn: &mut Connection, receipt_id: &str, user: &str, ack: &NewAck) -> Result<i64> {
    let problems = ack.check();
    let Some(status) = ack.status else {
        return Err(InboxError::InvalidForm(problems.join(" ")));
    };
    if !problems.is_empty() {
        return Err(InboxError::InvalidForm(problems.join(" ")));
    }
    let tx = conn.transaction()?;
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM packs WHERE receipt_id = ?1)",
        [receipt_id],
        |r| r.get(0),
    )?;
    if !exists {
        return Err(InboxError::NotFound);
    }
    let accepted = status == AckStatus::Accepted;
    tx.execute(
        "INSERT INTO acks (receipt_id, status, officer_name, collar_number, police_reference,
            risk_grading, note, reason, at, by_user)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            receipt_id,
            status.as_str(),
            ack.officer_name.trim(),
            opt(&ack.collar_number),
            if accepted {
                opt(&ack.police_reference)
            } else {
                None
            },
            if accepted {
                ack.risk_grading.map(|r| r.as_str())
            } else {
                None
            },
            opt(&ack.note),
            if accepted { None } else { opt(&ack.reason) },
            db::now_rfc3339(),
            user,
        ],
    )?;
    let cursor = tx.last_insert_rowid();
    let detail = serde_json::json!({"cursor": cursor, "status": status.as_str()}).to_string();
    db::audit(
        &tx,
        &format!("officer:{user}"),
        if accepted {
            "ack.accepted"
        } else {
            "ack.not_accepted"
        },
        Some(receipt_id),
        &detail,
    )?;
    // Acknowledging is reading: the pack is no longer unread.
    tx.execute(
        "UPDATE packs SET first_opened_at = ?2, first_opened_by = ?3 WHERE receipt_id = ?1 AND first_opened_at IS NULL",
        params![receipt_id, db::now_rfc3339(), user],
    )?;
    tx.commit()?;
    Ok(cursor)
}

const SELECT_ACK: &str = "SELECT a.cursor, a.receipt_id, p.idempotency_key, p.episode_id, a.status,
    a.officer_name, a.collar_number, a.police_reference, a.risk_grading, a.note, a.reason, a.at
    FROM acks a JOIN packs p ON p.receipt_id = a.receipt_id";

fn row_to_ack(r: &rusqlite::Row<'_>) -> rusqlite::Result<Acknowledgement> {
    let status: String = r.get(4)?;
    // The table's CHECK constraints hold both columns to the wire vocabulary.
    let status = AckStatus::parse(&status).ok_or_else(|| {
        rusqlite::Error::InvalidColumnType(4, "status".into(), rusqlite::types::Type::Text)
    })?;
    let grading: Option<String> = r.get(8)?;
    let cursor: i64 = r.get(0)?;
    Ok(Acknowledgement {
        cursor: cursor.to_string(),
        receipt_id: r.get(1)?,
        idempotency_key: r.get(2)?,
        episode_id: r.get(3)?,
        status,
        officer_name: r.get(5)?,
        collar_number: r.get(6)?,
        police_reference: r.get(7)?,
        risk_grading: grading.as_deref().and_then(RiskGrading::parse),
        note: r.get(9)?,
        reason: r.get(10)?,
        at: r.get(11)?,
    })
}

/// Every acknowledgement of one pack, oldest first (for the officer page).
pub fn for_pack(conn: &Connection, receipt_id: &str) -> Result<Vec<Acknowledgement>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT_ACK} WHERE a.receipt_id = ?1 ORDER BY a.cursor"
    ))?;
    let rows = stmt.query_map([receipt_id], row_to_ack)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One home's acknowledgements after `after`, marking first deliveries.
pub fn page_for_home(conn: &mut Connection, home_id: &str, after: i64) -> Result<AckPage> {
    let tx = conn.transaction()?;
    let acks = {
        let mut stmt = tx.prepare(&format!(
            "{SELECT_ACK} WHERE p.home_id = ?1 AND a.cursor > ?2 ORDER BY a.cursor LIMIT ?3"
        ))?;
        let rows = stmt.query_map(params![home_id, after, PAGE], row_to_ack)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let now = db::now_rfc3339();
    for a in &acks {
        let changed = tx.execute(
            "UPDATE acks SET delivered_at = ?2 WHERE cursor = ?1 AND delivered_at IS NULL",
            params![a.cursor.parse::<i64>().unwrap_or(0), now],
        )?;
        if changed == 1 {
            let detail = serde_json::json!({"cursor": a.cursor}).to_string();
            db::audit(
                &tx,
                &format!("home:{home_id}"),
                "ack.delivered",
                Some(&a.receipt_id),
                &detail,
            )?;
        }
    }
    tx.commit()?;
    let next_cursor = acks
        .last()
        .map(|a| a.cursor.clone())
        .unwrap_or_else(|| after.to_string());
    Ok(AckPage {
        acknowledgements: acks,
        next_cursor,
    })
}

fn parse_after(query: Option<&str>) -> Result<i64> {
    let mut after = 0;
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if k == "after" {
            if v.is_empty() {
                continue;
            }
            if v.len() > 18 || !v.bytes().all(|b| b.is_ascii_digit()) {
                return Err(InboxError::BadCursor);
            }
            after = v.parse().map_err(|_| InboxError::BadCursor)?;
        }
    }
    Ok(after)
}

pub async fn get_acks(
    State(st): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some(home) = auth::bearer_home(&st.config.homes, &headers) else {
        st.audit_unauthorised(peer, "/v1/acknowledgements").await;
        return InboxError::Unauthorised.into_response();
    };
    let after = match parse_after(query.as_deref()) {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    match st.db.call(move |c| page_for_home(c, &home.id, after)).await {
        Ok(page) => Json(page).into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_are_plain_numbers_and_anything_else_is_refused() {
        assert_eq!(parse_after(None).ok(), Some(0));
        assert_eq!(parse_after(Some("after=42")).ok(), Some(42));
        assert_eq!(parse_after(Some("after=")).ok(), Some(0));
        assert!(parse_after(Some("after=../../etc")).is_err());
        assert!(parse_after(Some("after=-1")).is_err());
    }

    #[test]
    fn an_accepted_report_needs_reference_and_grading() {
        let ack = NewAck {
            status: Some(AckStatus::Accepted),
            officer_name: "PC Jo Example".into(),
            collar_number: "1234".into(),
            ..Default::default()
        };
        assert_eq!(
            ack.check(),
            vec!["Enter the police reference.", "Choose a risk grading."]
        );
    }
}
