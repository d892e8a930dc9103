//! Who may talk to the inbox: homes by bearer token, officers by password and session.
//!
//! Tokens are compared as SHA-256 digests in constant time against every configured home (no
//! early exit), so neither timing nor the config file reveals a token. Officer passwords are
//! hashed with Argon2id; a login for an unknown name still runs one Argon2 verification so the
//! answer takes as long as for a known one. Sessions are random 256-bit tokens of which only the
//! SHA-256 is stored, with an absolute expiry, an idle timeout and a per-session CSRF token for
//! every form.
//!
//! The sign-in page is the one thing anyone on the network can make the service do work for, so
//! a sign-in is split in three: an in-memory gate (per address and overall), a read-only look-up,
//! and the Argon2id check with the database lock released; packs, which share that lock, never
//! wait behind a flood. Accounts carry a role and units, and which packs an account sees is one
//! SQL condition ([`Session::SEES_SQL`]) so that no page can apply a different rule.

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

/// Create an account (an officer with no unit, who sees nothing until [`set_access`] gives it
/// units) or set a new password for an existing one (its role and units are kept).
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
        "INSERT INTO users (name, password_hash, created_at, role) VALUES (?1, ?2, ?3, 'officer')
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

/// What an account may see and do. Accounts are managed with the command line by the
/// service's operator; the role decides which packs the pages show (see [`Session::sees_sql`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Sees and acknowledges the packs addressed to their units.
    Officer,
    /// As an officer, and also the packs addressed to a unit no account holds (so a pack for a
    /// unit nobody was given yet still reaches a person).
    Supervisor,
    /// Every pack.
    Administrator,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Officer, Role::Supervisor, Role::Administrator];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Supervisor => "supervisor",
            Role::Administrator => "administrator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A signed-in account.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: String,
    pub csrf: String,
    pub role: Role,
    /// The units (the `recipient_id`s homes address packs to) this account belongs to.
    pub units: Vec<String>,
}

impl Session {
    /// The one rule for which packs an account sees, as an SQL condition on the `packs` table
    /// with `?user` and `?role` bound by [`Session::sees_params`]: every page, the PDF and the
    /// acknowledge form go through it.
    pub const SEES_SQL: &'static str = "(:role = 'administrator'
        OR packs.recipient_id IN (SELECT unit FROM user_units WHERE user_name = :user)
        OR (:role = 'supervisor' AND NOT EXISTS
            (SELECT 1 FROM user_units uu JOIN users u ON u.name = uu.user_name
             WHERE uu.unit = packs.recipient_id AND u.disabled_at IS NULL)))";

    /// Whether this account may see the pack `receipt_id` (false also when there is no such pack).
    pub fn sees(&self, conn: &Connection, receipt_id: &str) -> Result<bool> {
        Ok(conn.query_row(
            &format!(
                "SELECT EXISTS (SELECT 1 FROM packs WHERE receipt_id = :rid AND {})",
                Self::SEES_SQL
            ),
            rusqlite::named_params! {":rid": receipt_id, ":role": self.role.as_str(), ":user": self.user},
            |r| r.get(0),
        )?)
    }
}

/// What a sign-in needs from the database, read in one short look under the lock: the Argon2id
/// hash (or none) and whether the name is throttled. The password is checked afterwards with the
/// lock released ([`check_password`]), so a flood of sign-ins never holds up a pack being stored.
#[derive(Debug, Clone)]
pub struct LoginLookup {
    /// The name as typed, cut to 64 characters (what the failure records carry).
    pub shown: String,
    pub name: String,
    stored: Option<String>,
    pub throttled: bool,
}

/// Read what a sign-in needs. Never writes.
pub fn login_lookup(conn: &Connection, name: &str) -> Result<LoginLookup> {
    let stored: Option<String> = if is_valid_user_name(name) {
        conn.query_row(
            "SELECT password_hash FROM users WHERE name = ?1 AND disabled_at IS NULL",
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
    Ok(LoginLookup {
        shown,
        name: name.to_string(),
        stored,
        throttled: recent >= THROTTLE_FAILURES,
    })
}

/// Argon2id verification (about as costly for an unknown or disabled name as for a real one).
/// Needs no connection: run it with the database lock released.
pub fn check_password(lookup: &LoginLookup, password: &str) -> bool {
    verify_password(password, lookup.stored.as_deref().unwrap_or(dummy_hash()))
        && lookup.stored.is_some()
}

/// Record the outcome of a checked password: a failure row (which feeds the per-name throttle)
/// and, when `audit_failure` is `Some(held_back)`, its audit entry; or a new session. One
/// transaction, one durable commit.
pub fn login_finish(
    conn: &mut Connection,
    lookup: &LoginLookup,
    password_ok: bool,
    session_minutes: i64,
    peer: &str,
    audit_failure: Option<u64>,
) -> Result<(Zeroizing<String>, Session)> {
    let now = jiff::Timestamp::now().as_second();
    let tx = conn.transaction()?;
    // Disabled between the look-up and now: refused all the same.
    let still_usable = password_ok
        && tx
            .query_row(
                "SELECT COUNT(*) FROM users WHERE name = ?1 AND disabled_at IS NULL",
                [&lookup.name],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n == 1)?;
    if !still_usable {
        tx.execute(
            "INSERT INTO login_failures (user_name, at_unix) VALUES (?1, ?2)",
            params![lookup.shown, now],
        )?;
        tx.execute(
            "DELETE FROM login_failures WHERE at_unix <= ?1",
            [now - THROTTLE_WINDOW_SECS],
        )?;
        if let Some(held_back) = audit_failure {
            db::audit(
                &tx,
                "unknown",
                "user.login_failed",
                None,
                &serde_json::json!({"user": lookup.shown, "peer": peer,
                    "held_back_since_last_entry": held_back})
                .to_string(),
            )?;
        }
        tx.commit()?;
        return Err(InboxError::LoginFailed);
    }
    let name = lookup.name.as_str();
    tx.execute("DELETE FROM login_failures WHERE user_name = ?1", [name])?;
    let token = Zeroizing::new(random_hex(32)?);
    let csrf = random_hex(32)?;
    let expires = now + session_minutes * 60;
    tx.execute("DELETE FROM sessions WHERE expires_unix <= ?1", [now])?;
    tx.execute(
        "INSERT INTO sessions (token_sha256, user_name, csrf, created_at, expires_unix, last_seen_unix)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![hex::encode(Sha256::digest(token.as_bytes())), name, csrf, db::now_rfc3339(), expires, now],
    )?;
    db::audit(
        &tx,
        &format!("officer:{name}"),
        "user.login",
        None,
        &serde_json::json!({"peer": peer}).to_string(),
    )?;
    let (role, units) = role_and_units(&tx, name)?;
    tx.commit()?;
    Ok((
        token,
        Session {
            user: name.to_string(),
            csrf,
            role,
            units,
        },
    ))
}

/// Check a password; on success open a session and return its cookie token. Every failure is
/// audited. (The service's sign-in page runs the same three steps with the lock released for
/// the password check and failures coalesced per address: `web::post_login`.)
pub fn login(
    conn: &mut Connection,
    name: &str,
    password: &str,
    session_minutes: i64,
    peer: &str,
) -> Result<(Zeroizing<String>, Session)> {
    let lookup = login_lookup(conn, name)?;
    if lookup.throttled {
        return Err(InboxError::LoginThrottled);
    }
    let ok = check_password(&lookup, password);
    login_finish(conn, &lookup, ok, session_minutes, peer, Some(0))
}

fn role_and_units(conn: &Connection, name: &str) -> Result<(Role, Vec<String>)> {
    let role: String = conn.query_row("SELECT role FROM users WHERE name = ?1", [name], |r| {
        r.get(0)
    })?;
    // The table's CHECK holds the column to the three words.
    let role = Role::parse(&role)
        .ok_or_else(|| InboxError::Internal(format!("unknown role {role:?} in the database")))?;
    let mut stmt =
        conn.prepare("SELECT unit FROM user_units WHERE user_name = ?1 ORDER BY unit")?;
    let units = stmt
        .query_map([name], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok((role, units))
}

/// A session's last use is written at most this often, so reading pages does not turn into a
/// durable write per request.
const LAST_SEEN_GRANULARITY_SECS: i64 = 60;

/// The session a cookie token belongs to, if it exists, has neither passed its absolute end nor
/// been idle for `idle_minutes`, and its account is not disabled. Marks the session used.
pub fn session(conn: &Connection, token: &str, idle_minutes: i64) -> Result<Option<Session>> {
    let digest = hex::encode(Sha256::digest(token.as_bytes()));
    let now = jiff::Timestamp::now().as_second();
    let found = conn
        .query_row(
            "SELECT s.user_name, s.csrf, s.last_seen_unix FROM sessions s JOIN users u ON u.name = s.user_name
             WHERE s.token_sha256 = ?1 AND s.expires_unix > ?2 AND s.last_seen_unix > ?3
               AND u.disabled_at IS NULL",
            params![digest, now, now - idle_minutes * 60],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)),
        )
        .optional()?;
    let Some((user, csrf, last_seen)) = found else {
        return Ok(None);
    };
    if now - last_seen >= LAST_SEEN_GRANULARITY_SECS {
        conn.execute(
            "UPDATE sessions SET last_seen_unix = ?2 WHERE token_sha256 = ?1",
            params![digest, now],
        )?;
    }
    let (role, units) = role_and_units(conn, &user)?;
    Ok(Some(Session {
        user,
        csrf,
        role,
        units,
    }))
}

pub fn logout(conn: &Connection, token: &str) -> Result<()> {
    let digest = hex::encode(Sha256::digest(token.as_bytes()));
    conn.execute("DELETE FROM sessions WHERE token_sha256 = ?1", [digest])?;
    Ok(())
}

/// An account as `user list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub role: Role,
    pub units: Vec<String>,
    pub disabled: bool,
}

fn require_user(conn: &Connection, name: &str) -> Result<()> {
    let n: i64 = conn.query_row("SELECT COUNT(*) FROM users WHERE name = ?1", [name], |r| {
        r.get(0)
    })?;
    if n == 0 {
        return Err(InboxError::InvalidForm(format!(
            "there is no account {name:?}"
        )));
    }
    Ok(())
}

/// Give an account its role and units (replacing what it had). Units are the ids homes address
/// packs to (`recipient_id`, e.g. `met-bcu-north`). Ends the account's sessions, so the change
/// holds at once.
pub fn set_access(conn: &mut Connection, name: &str, role: Role, units: &[String]) -> Result<()> {
    for u in units {
        if !grabpack_protocol::is_valid_id(u) {
            return Err(InboxError::InvalidForm(format!(
                "unit {u:?} must be 1-128 of A-Z a-z 0-9 . _ : - (the id homes send as recipient_id)"
            )));
        }
    }
    let tx = conn.transaction()?;
    require_user(&tx, name)?;
    tx.execute(
        "UPDATE users SET role = ?2 WHERE name = ?1",
        params![name, role.as_str()],
    )?;
    tx.execute("DELETE FROM user_units WHERE user_name = ?1", [name])?;
    for u in units {
        tx.execute(
            "INSERT OR IGNORE INTO user_units (user_name, unit) VALUES (?1, ?2)",
            params![name, u],
        )?;
    }
    tx.execute("DELETE FROM sessions WHERE user_name = ?1", [name])?;
    db::audit(
        &tx,
        "admin",
        "user.access_set",
        None,
        &serde_json::json!({"user": name, "role": role.as_str(), "units": units}).to_string(),
    )?;
    tx.commit()?;
    Ok(())
}

/// Disable (or re-enable) an account: a disabled account cannot sign in and its sessions end.
/// Its name stays in the audit log and on the acknowledgements it recorded.
pub fn set_disabled(conn: &mut Connection, name: &str, disabled: bool) -> Result<()> {
    let tx = conn.transaction()?;
    require_user(&tx, name)?;
    tx.execute(
        "UPDATE users SET disabled_at = ?2 WHERE name = ?1",
        params![name, disabled.then(db::now_rfc3339)],
    )?;
    tx.execute("DELETE FROM sessions WHERE user_name = ?1", [name])?;
    db::audit(
        &tx,
        "admin",
        if disabled {
            "user.disabled"
        } else {
            "user.enabled"
        },
        None,
        &serde_json::json!({"user": name}).to_string(),
    )?;
    tx.commit()?;
    Ok(())
}

/// Remove an account for good: its password hash, units and sessions go; what it did stays in
/// the audit log and on its acknowledgements (by name).
pub fn remove_user(conn: &mut Connection, name: &str) -> Result<()> {
    let tx = conn.transaction()?;
    require_user(&tx, name)?;
    tx.execute("DELETE FROM sessions WHERE user_name = ?1", [name])?;
    tx.execute("DELETE FROM user_units WHERE user_name = ?1", [name])?;
    tx.execute("DELETE FROM login_failures WHERE user_name = ?1", [name])?;
    tx.execute("DELETE FROM users WHERE name = ?1", [name])?;
    db::audit(
        &tx,
        "admin",
        "user.removed",
        None,
        &serde_json::json!({"user": name}).to_string(),
    )?;
    tx.commit()?;
    Ok(())
}

/// Every account, by name.
pub fn list_users(conn: &Connection) -> Result<Vec<Account>> {
    let mut stmt = conn.prepare("SELECT name, disabled_at IS NOT NULL FROM users ORDER BY name")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (name, disabled) in rows {
        let (role, units) = role_and_units(conn, &name)?;
        out.push(Account {
            name,
            role,
            units,
            disabled,
        });
    }
    Ok(out)
}

/// Sign-in attempts are admitted per minute per address and per minute overall before any
/// password is checked or anything is written; what is refused here costs a hash-map look-up.
/// The overall limit keeps a flood from many addresses from taking the machine's cores from
/// packs; officers already signed in are not affected by it.
#[derive(Debug)]
pub struct LoginGate {
    per_address: u32,
    overall: u32,
    state: std::sync::Mutex<GateState>,
    /// Password checks run one at a time, on the blocking pool, with the database lock released.
    pub checks: tokio::sync::Semaphore,
}

#[derive(Debug)]
struct GateState {
    window: std::time::Instant,
    overall: u32,
    by_address: std::collections::HashMap<std::net::IpAddr, u32>,
}

/// Why the gate refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateRefusal {
    Address,
    Overall,
}

impl LoginGate {
    pub fn new(per_address: u32, overall: u32) -> Self {
        Self {
            per_address,
            overall,
            state: std::sync::Mutex::new(GateState {
                window: std::time::Instant::now(),
                overall: 0,
                by_address: Default::default(),
            }),
            checks: tokio::sync::Semaphore::new(1),
        }
    }

    /// Count one attempt from `ip`; refused when this minute's allowance for the address or
    /// for everyone is used up.
    pub fn admit(&self, ip: std::net::IpAddr) -> std::result::Result<(), GateRefusal> {
        let Ok(mut st) = self.state.lock() else {
            return Err(GateRefusal::Overall);
        };
        let now = std::time::Instant::now();
        if now.duration_since(st.window) >= std::time::Duration::from_secs(60) {
            st.window = now;
            st.overall = 0;
            st.by_address.clear();
        }
        let from_here = st.by_address.get(&ip).copied().unwrap_or(0);
        if from_here >= self.per_address {
            return Err(GateRefusal::Address);
        }
        if st.overall >= self.overall {
            return Err(GateRefusal::Overall);
        }
        st.overall += 1;
        // A flood from more addresses than the overall allowance cannot grow the map further.
        st.by_address.insert(ip, from_here + 1);
        Ok(())
    }
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
    fn the_sign_in_gate_holds_each_address_and_everyone_together_to_their_allowance() {
        let gate = LoginGate::new(3, 5);
        let a: std::net::IpAddr = [127, 0, 0, 2].into();
        let b: std::net::IpAddr = [127, 0, 0, 3].into();
        for _ in 0..3 {
            assert_eq!(gate.admit(a), Ok(()));
        }
        assert_eq!(gate.admit(a), Err(GateRefusal::Address));
        // Another address still gets in, until the overall allowance is used up.
        assert_eq!(gate.admit(b), Ok(()));
        assert_eq!(gate.admit(b), Ok(()));
        let c: std::net::IpAddr = [127, 0, 0, 4].into();
        assert_eq!(gate.admit(c), Err(GateRefusal::Overall));
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
