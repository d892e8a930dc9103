//! Who may talk to the inbox: homes by bearer token, officers by password and session.
//!
//! Tokens are compared as SHA-256 digests in constant time against every configured home (no
//! early exit), so neither timing nor the config file reveals a token. Officer passwords are
//! hashed with Argon2id; a login for an unknown name still runs one Argon2 verification so the
//! answer takes as long as for a known one. Sessions are random 256-bit tokens of which only the
//! SHA-256 is stored, with an absolute expiry and a per-session CSRF token for every form.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::http::{HeaderMap, header};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::config::{Home, random_hex, token_sha256};
use crate::db;
use crate::error::{InboxError, Result};

/// The home whose token is in `Authorization: Bearer <token>`, if any.
pub fn bearer_home(homes: &[Home], headers: &HeaderMap) -> Option<Home> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return None;
    }
    let digest = token_sha256(token.trim());
    let mut found: Option<&Home> = None;
    for home in homes {
        let same: bool = home.token_sha256.ct_eq(&digest).into();
        if same && found.is_none() {
            found = Some(home);
        }
    }
    found.cloned()
}

fn argon2() -> Result<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| InboxError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn hash_password(password: &str) -> Result<String> {
    let mut salt_bytes = [0u8; 16];
    getrandom::fill(&mut salt_bytes)
        .map_err(|e| InboxError::Internal(format!("no randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| InboxError::Internal(format!("salt: {e}")))?;
    Ok(argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| InboxError::Internal(format!("argon2: {e}")))?
        .to_string())
}

fn verify_password(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    argon2()
        .map(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Unauthorised attempts from one address are written to the audit log at most once per this
/// window; the entry carries how many were held back since the previous one.
pub const UNAUTHORISED_AUDIT_WINDOW: std::time::Duration = std::time::Duration::from_secs(10);

/// Keeps a flood of bad tokens from turning into a flood of durable audit writes (each one an
/// fsync holding the database lock that real packs wait for), while every burst is still audited.
#[derive(Debug, Default)]
pub struct UnauthorisedLog {
    seen: std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, (std::time::Instant, u64)>>,
}

impl UnauthorisedLog {
    /// `Some(held_back)` when this attempt is to be audited, `None` when it is only counted.
    pub fn should_audit(&self, ip: std::net::IpAddr) -> Option<u64> {
        let now = std::time::Instant::now();
        let Ok(mut seen) = self.seen.lock() else {
            return Some(0);
        };
        if seen.len() > 10_000 {
            seen.retain(|_, (t, _)| now.duration_since(*t) < UNAUTHORISED_AUDIT_WINDOW);
        }
        match seen.get_mut(&ip) {
            Some((t, n)) if now.duration_since(*t) < UNAUTHORISED_AUDIT_WINDOW => {
                *n += 1;
                None
            }
            Some((t, n)) => {
                let held = *n;
                *t = now;
                *n = 0;
                Some(held)
            }
            None => {
                if seen.len() <= 10_000 {
                    seen.insert(ip, (now, 0));
                }
                Some(0)
            }
        }
    }
}

/// A user name officers type: 1-64 of letters, digits, `.`, `_`, `-`.
pub fn is_valid_user_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Create or replace an officer account.
pub fn add_user(conn: &mut Connection, name: &str, password: &str) -> Result<()> {
    if !is_valid_user_name(name) {
        return Err(InboxError::InvalidForm(
            "a user name is 1-64 of letters, digits, . _ -".into(),
        ));
    }
    if password.chars().count() < 12 {
        return Err(InboxError::InvalidForm(
            "a password needs at least 12 characters".into(),
        ));
    }
    let hash = hash_password(password)?;
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO users (name, password_hash, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
        params![name, hash, db::now_rfc3339()],
    )?;
    // A new password ends every session of that account and lifts any sign-in throttle.
    tx.execute("DELETE FROM sessions WHERE user_name = ?1", [name])?;
    tx.execute("DELETE FROM login_failures WHERE user_name = ?1", [name])?;
    db::audit(
        &tx,
        "admin",
        "user.set",
        None,
        &serde_json::json!({"user": name}).to_string(),
    )?;
    tx.commit()?;
    Ok(())
}

/// An Argon2id hash of a random string, checked when the user does not exist so that an
/// unknown name costs the same time as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        random_hex(16)
            .and_then(|p| hash_password(&p))
            .unwrap_or_default()
    })
}

/// Failed sign-ins for one user name within this window ...
pub const THROTTLE_WINDOW_SECS: i64 = 15 * 60;
/// ... beyond this many refuse even the right password until the window passes, so a
/// password cannot be guessed online.
pub const THROTTLE_FAILURES: i64 = 5;

/// A logged-in officer.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: String,
    pub csrf: String,
}

/// Check a password; on success open a session and return its cookie token.
pub fn login(
    conn: &mut Connection,
    name: &str,
    password: &str,
    session_minutes: i64,
    peer: &str,
) -> Result<(Zeroizing<String>, Session)> {
    let stored: Option<String> = if is_valid_user_name(name) {
        conn.query_row(
            "SELECT password_hash FROM users WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?
    } else {
        None
    };
    let shown: String = name.chars().take(64).collect();
    let now = jiff::Timestamp::now().as_second();
    let recent: i64 = conn.query_row(
        "SELECT COUNT(*) FROM login_failures WHERE user_name = ?1 AND at_unix > ?2",
        params![shown, now - THROTTLE_WINDOW_SECS],
        |r| r.get(0),
    )?;
    if recent >= THROTTLE_FAILURES {
        db::audit(
            conn,
            "unknown",
            "user.login_throttled",
            None,
            &serde_json::json!({"user": shown, "peer": peer}).to_string(),
        )?;
        return Err(InboxError::LoginThrottled);
    }
    let ok =
        verify_password(password, stored.as_deref().unwrap_or(dummy_hash())) && stored.is_some();
    let tx = conn.transaction()?;
    if !ok {
        tx.execute(
            "INSERT INTO login_failures (user_name, at_unix) VALUES (?1, ?2)",
            params![shown, now],
        )?;
        tx.execute(
            "DELETE FROM login_failures WHERE at_unix <= ?1",
            [now - THROTTLE_WINDOW_SECS],
        )?;
        db::audit(
            &tx,
            "unknown",
            "user.login_failed",
            None,
            &serde_json::json!({"user": shown, "peer": peer}).to_string(),
        )?;
        tx.commit()?;
        return Err(InboxError::LoginFailed);
    }
    tx.execute("DELETE FROM login_failures WHERE user_name = ?1", [name])?;
    let token = Zeroizing::new(random_hex(32)?);
    let csrf = random_hex(32)?;
    let expires = jiff::Timestamp::now().as_second() + session_minutes * 60;
    tx.execute(
        "DELETE FROM sessions WHERE expires_unix <= ?1",
        [jiff::Timestamp::now().as_second()],
    )?;
    tx.execute(
        "INSERT INTO sessions (token_sha256, user_name, csrf, created_at, expires_unix) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![hex::encode(Sha256::digest(token.as_bytes())), name, csrf, db::now_rfc3339(), expires],
    )?;
    db::audit(
        &tx,
        &format!("officer:{name}"),
        "user.login",
        None,
        &serde_json::json!({"peer": peer}).to_string(),
    )?;
    tx.commit()?;
    Ok((
        token,
        Session {
            user: name.to_string(),
            csrf,
        },
    ))
}

/// The session a cookie token belongs to, if it exists and has not expired.
pub fn session(conn: &Connection, token: &str) -> Result<Option<Session>> {
    let digest = hex::encode(Sha256::digest(token.as_bytes()));
    Ok(conn
        .query_row(
            "SELECT user_name, csrf FROM sessions WHERE token_sha256 = ?1 AND expires_unix > ?2",
            params![digest, jiff::Timestamp::now().as_second()],
            |r| {
                Ok(Session {
                    user: r.get(0)?,
                    csrf: r.get(1)?,
                })
            },
        )
        .optional()?)
}

pub fn logout(conn: &Connection, token: &str) -> Result<()> {
    let digest = hex::encode(Sha256::digest(token.as_bytes()));
    conn.execute("DELETE FROM sessions WHERE token_sha256 = ?1", [digest])?;
    Ok(())
}

/// Constant-time comparison for CSRF tokens.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_hash_is_argon2id_and_verifies_only_the_right_password() {
        let h = hash_password("correct horse battery").unwrap_or_default();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterz", &h));
    }

    #[test]
    fn a_token_for_no_home_finds_no_home() {
        let homes = vec![Home {
            id: "home-a".into(),
            name: "A".into(),
            token_sha256: token_sha256("secret-a"),
        }];
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            "Bearer secret-a".parse().unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(bearer_home(&homes, &h).map(|h| h.id), Some("home-a".into()));
        h.insert(
            header::AUTHORIZATION,
            "Bearer secret-b".parse().unwrap_or_else(|_| unreachable!()),
        );
        assert!(bearer_home(&homes, &h).is_none());
    }
}
