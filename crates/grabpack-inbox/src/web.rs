//! The officer and call-handler pages: server-rendered HTML behind a login.
//!
//! Officers open these on a patrol phone or a control-room laptop and need the critical facts in
//! thirty seconds, so each pack shows its page-1 read-out as sent, a link to the PDF and the
//! acknowledge form, with no JavaScript at all. maud escapes every interpolated value, so nothing
//! a sender wrote can become markup. Every view of a child's pack is audited (who saw what), the
//! first opening clears the "new" mark for everyone, and every form carries the session's CSRF
//! token on top of SameSite=Strict cookies.

use std::net::SocketAddr;

use axum::Form;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{DOCTYPE, Markup, html};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Deserialize;

use grabpack_protocol::{AckStatus, Acknowledgement, RiskGrading};

use crate::acks::{self, NewAck};
use crate::auth::{self, Session};
use crate::config::random_hex;
use crate::db;
use crate::error::{InboxError, Result};
use crate::server::AppState;

pub const SESSION_COOKIE: &str = "__Host-grabpack_session";
pub const LOGIN_COOKIE: &str = "__Host-grabpack_login";
/// The newest packs shown on the list page.
const LIST_LIMIT: i64 = 200;

pub const CSS: &str = include_str!("inbox.css");

/// A pack as the officer page shows it (never the PDF bytes).
#[derive(Debug, Clone)]
pub struct PackView {
    pub receipt_id: String,
    pub home_name: String,
    pub child_display_name: String,
    pub child_ref: String,
    pub episode_id: Option<String>,
    pub received_at: String,
    pub sent_at: String,
    pub marking: String,
    pub readout: String,
    pub pdf_bytes: i64,
    pub unread: bool,
    pub acks: Vec<Acknowledgement>,
}

const SELECT_VIEW: &str = "SELECT receipt_id, home_name, child_display_name, child_ref, episode_id,
    received_at, sent_at, marking, readout, pdf_bytes, first_opened_at IS NULL FROM packs";

fn row_to_view(r: &rusqlite::Row<'_>) -> rusqlite::Result<PackView> {
    Ok(PackView {
        receipt_id: r.get(0)?,
        home_name: r.get(1)?,
        child_display_name: r.get(2)?,
        child_ref: r.get(3)?,
        episode_id: r.get(4)?,
        received_at: r.get(5)?,
        sent_at: r.get(6)?,
        marking: r.get(7)?,
        readout: r.get(8)?,
        pdf_bytes: r.get(9)?,
        unread: r.get(10)?,
        acks: Vec::new(),
    })
}

/// The packs this account may see (its units'; see [`Session::SEES_SQL`]), newest first.
fn list_packs(conn: &Connection, s: &Session) -> Result<Vec<PackView>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT_VIEW} WHERE {} ORDER BY received_at DESC, rowid DESC LIMIT :limit",
        Session::SEES_SQL
    ))?;
    let mut packs = stmt
        .query_map(
            rusqlite::named_params! {":limit": LIST_LIMIT, ":role": s.role.as_str(), ":user": s.user},
            row_to_view,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for p in &mut packs {
        p.acks = acks::for_pack(conn, &p.receipt_id)?;
    }
    Ok(packs)
}

/// One pack, if this account may see it: a pack of another unit is "not found", the same
/// answer as for a pack that does not exist, so its existence is not revealed either.
fn one_pack(conn: &Connection, receipt_id: &str, s: &Session) -> Result<PackView> {
    let mut p = conn
        .query_row(
            &format!(
                "{SELECT_VIEW} WHERE receipt_id = :rid AND {}",
                Session::SEES_SQL
            ),
            rusqlite::named_params! {":rid": receipt_id, ":role": s.role.as_str(), ":user": s.user},
            row_to_view,
        )
        .optional()?
        .ok_or(InboxError::NotFound)?;
    p.acks = acks::for_pack(conn, receipt_id)?;
    Ok(p)
}

fn mark_opened(conn: &Connection, receipt_id: &str, user: &str, action: &str) -> Result<()> {
    conn.execute(
        "UPDATE packs SET first_opened_at = ?2, first_opened_by = ?3 WHERE receipt_id = ?1 AND first_opened_at IS NULL",
        params![receipt_id, db::now_rfc3339(), user],
    )?;
    db::audit(
        conn,
        &format!("officer:{user}"),
        action,
        Some(receipt_id),
        "{}",
    )
}

// ---------- time, cookies, headers ----------

/// "28 Nov 2026, 21:19 GMT": UK local time, which is what officers and homes speak in.
pub fn uk_time(rfc3339: &str) -> String {
    rfc3339
        .parse::<jiff::Timestamp>()
        .ok()
        .and_then(|t| t.in_tz("Europe/London").ok())
        .map(|z| z.strftime("%-d %b %Y, %H:%M %Z").to_string())
        .unwrap_or_else(|| rfc3339.to_string())
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn set_cookie(resp: &mut Response, name: &str, value: &str, max_age: i64) {
    let c = format!("{name}={value}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={max_age}");
    if let Ok(v) = HeaderValue::from_str(&c) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Headers on every page: no caching of a child's details, no framing, no inline code.
pub async fn security_headers(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    let pairs = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"),
    ];
    for (k, v) in pairs {
        if !h.contains_key(&k) {
            h.insert(k, HeaderValue::from_static(v));
        }
    }
    resp
}

fn peer_ip(peer: &SocketAddr) -> String {
    peer.ip().to_string()
}

/// The logged-in officer, or a redirect to the login page.
async fn require_session(
    st: &AppState,
    headers: &HeaderMap,
) -> std::result::Result<(String, Session), Response> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Err(Redirect::to("/login").into_response());
    };
    let t = token.clone();
    let idle = st.config.policy.session_idle_minutes;
    match st.db.call(move |c| auth::session(c, &t, idle)).await {
        Ok(Some(s)) => Ok((token, s)),
        Ok(None) => Err(Redirect::to("/login?expired=1").into_response()),
        Err(e) => Err(error_page(&e)),
    }
}

// ---------- rendering ----------

fn layout(title: &str, session: Option<&Session>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - Grab Pack inbox" }
                link rel="stylesheet" href="/static/inbox.css";
            }
            body {
                header class="top" {
                    p class="service" { a href="/packs" { "Grab Pack inbox" } }
                    @if let Some(s) = session {
                        form method="post" action="/logout" class="signout" {
                            input type="hidden" name="csrf" value=(s.csrf);
                            span {
                                "Signed in as " strong { (s.user) }
                                " (" (s.role.as_str())
                                @if !s.units.is_empty() { ", " (s.units.join(", ")) }
                                ") "
                            }
                            button type="submit" class="link-button" { "Sign out" }
                        }
                    }
                }
                main id="main" { (body) }
            }
        }
    }
}

pub fn error_page(e: &InboxError) -> Response {
    if e.status().is_server_error() {
        e.log();
    }
    let body = layout(
        "Problem",
        None,
        html! {
            h1 { "Something went wrong" }
            p { (e.public_message()) }
            p class="code" { "Code: " code { (e.code()) } }
            p { a href="/packs" { "Back to incoming packs" } }
        },
    );
    (e.status(), maud_response(body)).into_response()
}

fn maud_response(m: Markup) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        m.into_string(),
    )
        .into_response()
}

fn ack_summary(a: &Acknowledgement) -> Markup {
    html! {
        @match a.status {
            AckStatus::Accepted => {
                span class="badge accepted" { "Accepted" }
                " by " (a.officer_name)
                @if let Some(c) = &a.collar_number { " (collar " (c) ")" }
                " at " (uk_time(&a.at))
                @if let Some(r) = &a.police_reference { ", reference " strong { (r) } }
                @if let Some(g) = a.risk_grading { ", graded " strong { (g.label()) } }
                @if let Some(n) = &a.note { span class="note" { " Note: " (n) } }
            }
            AckStatus::NotAccepted => {
                span class="badge refused" { "Not accepted" }
                " as a missing report by " (a.officer_name)
                @if let Some(c) = &a.collar_number { " (collar " (c) ")" }
                " at " (uk_time(&a.at))
                @if let Some(r) = &a.reason { ". Reason: " (r) }
            }
        }
    }
}

/// What the officer typed, kept when the form has to be shown again.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AckForm {
    pub csrf: Option<String>,
    pub decision: Option<String>,
    pub officer_name: Option<String>,
    pub collar_number: Option<String>,
    pub police_reference: Option<String>,
    pub risk_grading: Option<String>,
    pub note: Option<String>,
    pub reason: Option<String>,
}

fn v(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

fn ack_forms(p: &PackView, s: &Session, prev: &AckForm, open: bool) -> Markup {
    let id = &p.receipt_id;
    let action = format!("/packs/{id}/acknowledge");
    let f = |name: &str| format!("{name}-{id}");
    let accepted_prev = prev.decision.as_deref() != Some("not_accepted");
    html! {
        details class="ack" open[open && accepted_prev] {
            summary { "Acknowledge this report" span class="visually-hidden" { " for " (p.child_display_name) } }
            form method="post" action=(action) class="stack" {
                input type="hidden" name="csrf" value=(s.csrf);
                input type="hidden" name="decision" value="accepted";
                div class="field" {
                    label for=(f("officer")) { "Officer name" }
                    input id=(f("officer")) name="officer_name" type="text" autocomplete="name" required
                        value=(if accepted_prev { v(&prev.officer_name) } else { "" });
                }
                div class="field" {
                    label for=(f("collar")) { "Collar number" }
                    input id=(f("collar")) name="collar_number" type="text" required
                        value=(if accepted_prev { v(&prev.collar_number) } else { "" });
                }
                div class="field" {
                    label for=(f("ref")) { "Police reference (CAD, CAD/COMPACT or incident number)" }
                    input id=(f("ref")) name="police_reference" type="text" required value=(v(&prev.police_reference));
                }
                fieldset class="field" {
                    legend { "Risk grading" }
                    @for g in RiskGrading::ALL {
                        div class="radio" {
                            input type="radio" id=(f(g.as_str())) name="risk_grading" value=(g.as_str()) required
                                checked[prev.risk_grading.as_deref() == Some(g.as_str())];
                            label for=(f(g.as_str())) { (g.label()) }
                        }
                    }
                }
                div class="field" {
                    label for=(f("note")) { "Note for the home (optional)" }
                    textarea id=(f("note")) name="note" rows="3" { (v(&prev.note)) }
                }
                button type="submit" class="primary" { "Acknowledge" }
            }
        }
        details class="ack" open[open && !accepted_prev] {
            summary { "Not accepted as a missing report" span class="visually-hidden" { " for " (p.child_display_name) } }
            form method="post" action=(action) class="stack" {
                input type="hidden" name="csrf" value=(s.csrf);
                input type="hidden" name="decision" value="not_accepted";
                div class="field" {
                    label for=(f("na-officer")) { "Officer name" }
                    input id=(f("na-officer")) name="officer_name" type="text" autocomplete="name" required
                        value=(if accepted_prev { "" } else { v(&prev.officer_name) });
                }
                div class="field" {
                    label for=(f("na-collar")) { "Collar number" }
                    input id=(f("na-collar")) name="collar_number" type="text" required
                        value=(if accepted_prev { "" } else { v(&prev.collar_number) });
                }
                div class="field" {
                    label for=(f("na-reason")) { "Reason (the home and the social worker will see this)" }
                    textarea id=(f("na-reason")) name="reason" rows="3" required { (v(&prev.reason)) }
                }
                button type="submit" class="secondary" { "Record as not accepted" }
            }
        }
    }
}

fn pack_article(
    p: &PackView,
    s: &Session,
    heading_level: u8,
    prev: &AckForm,
    open_form: bool,
) -> Markup {
    let id = &p.receipt_id;
    let title_id = format!("title-{id}");
    let title = html! {
        (p.child_display_name)
        @if p.unread { " " span class="badge new" { "New" span class="visually-hidden" { ", not yet opened" } } }
    };
    html! {
        article class=(if p.unread { "pack unread" } else { "pack" }) aria-labelledby=(title_id) {
            @if heading_level == 1 {
                h1 id=(title_id) { (title) }
            } @else {
                h2 id=(title_id) { (title) }
            }
            p class="marking" { (p.marking) }
            dl class="meta" {
                div { dt { "From" } dd { (p.home_name) } }
                div { dt { "Received" } dd { (uk_time(&p.received_at)) } }
                div { dt { "Sent by the home" } dd { (uk_time(&p.sent_at)) } }
                div { dt { "Home's references" } dd {
                    "child " (p.child_ref)
                    @if let Some(e) = &p.episode_id { ", episode " (e) }
                } }
            }
            @if p.acks.is_empty() {
                p class="status" { span class="badge waiting" { "Not yet acknowledged" } }
            } @else {
                ul class="status" {
                    @for a in &p.acks { li { (ack_summary(a)) } }
                }
            }
            @if heading_level == 1 { h2 { "Page-1 facts" } } @else { h3 { "Page-1 facts" } }
            pre class="readout" { (p.readout) }
            p class="actions" {
                a class="pdf" href=(format!("/packs/{id}/pdf")) {
                    "Open the grab pack PDF" span class="visually-hidden" { " for " (p.child_display_name) }
                    " (" (p.pdf_bytes / 1024) " KB)"
                }
                @if heading_level != 1 {
                    " "
                    a href=(format!("/packs/{id}")) {
                        "Details" span class="visually-hidden" { " for " (p.child_display_name) }
                    }
                }
            }
            (ack_forms(p, s, prev, open_form))
        }
    }
}

// ---------- handlers ----------

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    pub username: Option<String>,
    pub password: Option<String>,
    pub csrf: Option<String>,
}

fn login_page(status: StatusCode, message: Option<&str>) -> Response {
    let csrf = match random_hex(32) {
        Ok(c) => c,
        Err(e) => return error_page(&e),
    };
    let body = layout(
        "Sign in",
        None,
        html! {
            h1 { "Sign in" }
            p { "Grab packs sent to police by children's homes, for officers and call handlers." }
            @if let Some(m) = message {
                div class="error-summary" role="alert" { p { (m) } }
            }
            form method="post" action="/login" class="stack narrow" {
                input type="hidden" name="csrf" value=(csrf);
                div class="field" {
                    label for="username" { "User name" }
                    input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" required;
                }
                div class="field" {
                    label for="password" { "Password" }
                    input id="password" name="password" type="password" autocomplete="current-password" required;
                }
                button type="submit" class="primary" { "Sign in" }
            }
        },
    );
    let mut resp = (status, maud_response(body)).into_response();
    set_cookie(&mut resp, LOGIN_COOKIE, &csrf, 1800);
    resp
}

pub async fn get_login(axum::extract::RawQuery(q): axum::extract::RawQuery) -> Response {
    let expired = q.as_deref().is_some_and(|q| q.contains("expired=1"));
    login_page(
        StatusCode::OK,
        expired.then_some("Your session has ended. Please sign in again."),
    )
}

pub async fn post_login(
    State(st): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let cookie_csrf = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    let form_csrf = form.csrf.unwrap_or_default();
    if cookie_csrf.is_empty() || !auth::same_secret(&cookie_csrf, &form_csrf) {
        return login_page(
            StatusCode::FORBIDDEN,
            Some("The sign-in form was out of date. Please try again."),
        );
    }
    let name = form.username.unwrap_or_default().trim().to_string();
    let password = zeroize::Zeroizing::new(form.password.unwrap_or_default());
    let minutes = st.config.session_minutes;
    match sign_in(&st, peer, name, password, minutes).await {
        Ok((token, _session)) => {
            let mut resp = Redirect::to("/packs").into_response();
            set_cookie(&mut resp, SESSION_COOKIE, &token, minutes * 60);
            set_cookie(&mut resp, LOGIN_COOKIE, "", 0);
            resp
        }
        Err(InboxError::LoginFailed) => login_page(
            StatusCode::UNAUTHORIZED,
            Some("The user name or password is not right."),
        ),
        Err(e @ InboxError::LoginThrottled) => {
            login_page(StatusCode::TOO_MANY_REQUESTS, Some(&e.to_string()))
        }
        // The gate's refusal, in words for an officer (the error's own words are for homes).
        Err(InboxError::RateLimited) => login_page(
            StatusCode::TOO_MANY_REQUESTS,
            Some("Too many sign-in attempts right now. Wait a minute, then try again."),
        ),
        Err(e) => error_page(&e),
    }
}

/// A sign-in, in the order that keeps a flood cheap: the gate (per address and overall, in
/// memory), a read-only look-up under the database lock, the Argon2id check with the lock
/// released (one at a time), then one transaction for the outcome. Refused attempts write
/// nothing; their audit entries, like failures', are coalesced per address.
async fn sign_in(
    st: &AppState,
    peer: SocketAddr,
    name: String,
    password: zeroize::Zeroizing<String>,
    minutes: i64,
) -> Result<(zeroize::Zeroizing<String>, Session)> {
    let ip = peer.ip();
    let peer_text = peer_ip(&peer);
    if let Err(why) = st.login_gate.admit(ip) {
        st.login_refused
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        audit_refused_sign_in(st, ip, &peer_text, why_word(why), None).await;
        return Err(InboxError::RateLimited);
    }
    let lookup = st.db.call(move |c| auth::login_lookup(c, &name)).await?;
    if lookup.throttled {
        st.login_refused
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        audit_refused_sign_in(st, ip, &peer_text, "name_throttled", Some(&lookup.shown)).await;
        return Err(InboxError::LoginThrottled);
    }
    let ok = {
        let _turn = st
            .login_gate
            .checks
            .acquire()
            .await
            .map_err(|_| InboxError::Internal("sign-in limiter closed".into()))?;
        let l = lookup.clone();
        tokio::task::spawn_blocking(move || auth::check_password(&l, &password))
            .await
            .map_err(|e| InboxError::Internal(format!("password check failed: {e}")))?
    };
    let audit = if ok {
        None
    } else {
        st.login_failures.should_audit(ip)
    };
    st.db
        .call(move |c| auth::login_finish(c, &lookup, ok, minutes, &peer_text, audit))
        .await
}

fn why_word(why: auth::GateRefusal) -> &'static str {
    match why {
        auth::GateRefusal::Address => "address_limit",
        auth::GateRefusal::Overall => "overall_limit",
    }
}

/// One `user.login_throttled` entry per address per window, carrying how many were held back.
async fn audit_refused_sign_in(
    st: &AppState,
    ip: std::net::IpAddr,
    peer: &str,
    why: &'static str,
    user: Option<&str>,
) {
    let Some(held_back) = st.login_refusals.should_audit(ip) else {
        return;
    };
    let detail = serde_json::json!({"peer": peer, "why": why, "user": user,
        "held_back_since_last_entry": held_back})
    .to_string();
    let _ = st
        .db
        .call(move |c| db::audit(c, "unknown", "user.login_throttled", None, &detail))
        .await;
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    pub csrf: Option<String>,
}

pub async fn post_logout(
    State(st): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let (token, s) = match require_session(&st, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !auth::same_secret(&s.csrf, form.csrf.as_deref().unwrap_or("")) {
        return error_page(&InboxError::Csrf);
    }
    if let Err(e) = st.db.call(move |c| auth::logout(c, &token)).await {
        return error_page(&e);
    }
    let mut resp = Redirect::to("/login").into_response();
    set_cookie(&mut resp, SESSION_COOKIE, "", 0);
    resp
}

pub async fn get_root() -> Redirect {
    Redirect::to("/packs")
}

pub async fn get_packs(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let (_, s) = match require_session(&st, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let user = s.user.clone();
    let sess = s.clone();
    let packs = match st
        .db
        .call(move |c| {
            let packs = list_packs(c, &sess)?;
            // The list shows each pack's page-1 facts, so it is a view of every pack on it.
            let shown: Vec<&str> = packs.iter().map(|p| p.receipt_id.as_str()).collect();
            let detail =
                serde_json::json!({"shown": packs.len(), "receipt_ids": shown}).to_string();
            db::audit(c, &format!("officer:{user}"), "packs.listed", None, &detail)?;
            Ok(packs)
        })
        .await
    {
        Ok(p) => p,
        Err(e) => return error_page(&e),
    };
    let unread = packs.iter().filter(|p| p.unread).count();
    let body = layout(
        "Incoming packs",
        Some(&s),
        html! {
            h1 { "Incoming packs" }
            p class="lede" {
                @if packs.is_empty() { "No packs have been received yet." }
                @else {
                    (packs.len()) " shown, newest first. "
                    @if unread > 0 { strong { (unread) " not yet opened." } }
                }
            }
            @for p in &packs {
                (pack_article(p, &s, 2, &AckForm::default(), false))
            }
        },
    );
    maud_response(body)
}

fn parse_receipt(id: &str) -> Result<String> {
    uuid::Uuid::parse_str(id)
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| InboxError::NotFound)
}

fn detail_page(p: &PackView, s: &Session, problems: &[&str], prev: &AckForm) -> Markup {
    layout(
        &p.child_display_name,
        Some(s),
        html! {
            p { a href="/packs" { "All incoming packs" } }
            @if !problems.is_empty() {
                div class="error-summary" role="alert" aria-labelledby="problems" {
                    h2 id="problems" { "The acknowledgement was not recorded" }
                    ul { @for pr in problems { li { (pr) } } }
                }
            }
            (pack_article(p, s, 1, prev, !problems.is_empty()))
        },
    )
}

pub async fn get_pack(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (_, s) = match require_session(&st, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let id = match parse_receipt(&id) {
        Ok(i) => i,
        Err(e) => return error_page(&e),
    };
    let user = s.user.clone();
    let sess = s.clone();
    match st
        .db
        .call(move |c| {
            let p = one_pack(c, &id, &sess)?;
            mark_opened(c, &id, &user, "pack.viewed")?;
            Ok(p)
        })
        .await
    {
        Ok(p) => maud_response(detail_page(&p, &s, &[], &AckForm::default())),
        Err(e) => error_page(&e),
    }
}

pub async fn get_pdf(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (_, s) = match require_session(&st, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let id = match parse_receipt(&id) {
        Ok(i) => i,
        Err(e) => return error_page(&e),
    };
    let user = s.user.clone();
    let rid = id.clone();
    let sess = s.clone();
    let pdf = st
        .db
        .call(move |c| {
            if !sess.sees(c, &rid)? {
                return Err(InboxError::NotFound);
            }
            let pdf: Vec<u8> = c
                .query_row("SELECT pdf FROM packs WHERE receipt_id = ?1", [&rid], |r| {
                    r.get(0)
                })
                .optional()?
                .ok_or(InboxError::NotFound)?;
            mark_opened(c, &rid, &user, "pdf.opened")?;
            Ok(pdf)
        })
        .await;
    match pdf {
        Ok(bytes) => {
            // The file name is ours, never the sender's.
            let disposition = format!("inline; filename=\"grab-pack-{id}.pdf\"");
            let mut resp = ([(header::CONTENT_TYPE, "application/pdf")], bytes).into_response();
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            // The pages' `default-src 'none'` would also forbid the browser's own PDF viewer
            // (object-src), so the PDF only refuses being framed by other sites.
            resp.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("frame-ancestors 'none'"),
            );
            resp
        }
        Err(e) => error_page(&e),
    }
}

pub async fn post_ack(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<AckForm>,
) -> Response {
    let (_, s) = match require_session(&st, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !auth::same_secret(&s.csrf, v(&form.csrf)) {
        return error_page(&InboxError::Csrf);
    }
    let id = match parse_receipt(&id) {
        Ok(i) => i,
        Err(e) => return error_page(&e),
    };
    let ack = NewAck {
        status: match form.decision.as_deref() {
            Some("accepted") => Some(AckStatus::Accepted),
            Some("not_accepted") => Some(AckStatus::NotAccepted),
            _ => None,
        },
        officer_name: v(&form.officer_name).to_string(),
        collar_number: v(&form.collar_number).to_string(),
        police_reference: v(&form.police_reference).to_string(),
        risk_grading: form.risk_grading.as_deref().and_then(RiskGrading::parse),
        note: v(&form.note).to_string(),
        reason: v(&form.reason).to_string(),
    };
    let problems = ack.check();
    if !problems.is_empty() {
        let rid = id.clone();
        let sess = s.clone();
        return match st.db.call(move |c| one_pack(c, &rid, &sess)).await {
            Ok(p) => (
                StatusCode::BAD_REQUEST,
                maud_response(detail_page(&p, &s, &problems, &form)),
            )
                .into_response(),
            Err(e) => error_page(&e),
        };
    }
    let user = s.user.clone();
    let rid = id.clone();
    let sess = s.clone();
    match st
        .db
        .call(move |c| {
            // Only a pack this account sees can be acknowledged by it.
            if !sess.sees(c, &rid)? {
                return Err(InboxError::NotFound);
            }
            acks::record(c, &rid, &user, &ack)
        })
        .await
    {
        Ok(_) => Redirect::to(&format!("/packs/{id}")).into_response(),
        Err(e) => error_page(&e),
    }
}

pub async fn get_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}
