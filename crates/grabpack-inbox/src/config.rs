//! The service's configuration file (TOML) and the database key.
//!
//! One file says where the service listens, where its certificate, key and database are, which
//! homes may send (by the SHA-256 of their bearer token, so a leaked config file does not leak a
//! token) and the limits. Relative paths are resolved against the config file's folder so the
//! same file works wherever the folder is copied. The database key never lives in the config:
//! it comes from `GRABPACK_INBOX_DB_KEY` or from a key file, and is never logged.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{InboxError, Result};

/// The keys added after the first release (sign-in limits, per-home limits, idle sessions,
/// retention). They are read from the same file but kept out of [`RawConfig`], so every config
/// file and every caller that builds a `RawConfig` keeps working, each key with its default.
const POLICY_KEYS: &[&str] = &[
    "login_attempts_per_address_per_minute",
    "login_attempts_per_minute",
    "session_idle_minutes",
    "max_uploads_per_home",
    "packs_per_home_per_minute",
    "retention_days_after_episode",
];

/// The environment variable that, when set, holds the 64-hex-digit database key.
pub const KEY_ENV: &str = "GRABPACK_INBOX_DB_KEY";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub listen: SocketAddr,
    pub database: PathBuf,
    pub key_file: Option<PathBuf>,
    pub tls_cert: PathBuf,
    pub tls_key: PathBuf,
    #[serde(default = "default_max_pack_bytes")]
    pub max_pack_bytes: u64,
    #[serde(default = "default_max_concurrent_uploads")]
    pub max_concurrent_uploads: usize,
    #[serde(default = "default_upload_timeout_secs")]
    pub upload_timeout_secs: u64,
    #[serde(default = "default_session_minutes")]
    pub session_minutes: i64,
    #[serde(default)]
    pub homes: Vec<HomeConfig>,
}

fn default_max_pack_bytes() -> u64 {
    25 * 1024 * 1024
}
fn default_max_concurrent_uploads() -> usize {
    16
}
fn default_upload_timeout_secs() -> u64 {
    120
}
fn default_session_minutes() -> i64 {
    480
}

/// The optional keys (see [`POLICY_KEYS`]); every one has a default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    #[serde(default = "default_login_per_address")]
    pub login_attempts_per_address_per_minute: u32,
    #[serde(default = "default_login_overall")]
    pub login_attempts_per_minute: u32,
    #[serde(default = "default_idle_minutes")]
    pub session_idle_minutes: i64,
    #[serde(default = "default_uploads_per_home")]
    pub max_uploads_per_home: usize,
    #[serde(default = "default_packs_per_home")]
    pub packs_per_home_per_minute: u32,
    /// `None`: packs are kept until an administrator sets this.
    #[serde(default)]
    pub retention_days_after_episode: Option<u32>,
}

impl Default for RawPolicy {
    fn default() -> Self {
        Self {
            login_attempts_per_address_per_minute: default_login_per_address(),
            login_attempts_per_minute: default_login_overall(),
            session_idle_minutes: default_idle_minutes(),
            max_uploads_per_home: default_uploads_per_home(),
            packs_per_home_per_minute: default_packs_per_home(),
            retention_days_after_episode: None,
        }
    }
}

fn default_login_per_address() -> u32 {
    10
}
fn default_login_overall() -> u32 {
    120
}
fn default_idle_minutes() -> i64 {
    30
}
fn default_uploads_per_home() -> usize {
    4
}
fn default_packs_per_home() -> u32 {
    60
}

/// One sending home: its id (must match the manifest's `home.id`), its name, and the SHA-256
/// (lower hex) of its bearer token.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeConfig {
    pub id: String,
    pub name: String,
    pub token_sha256: String,
}

/// The configuration with paths resolved and values checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub database: PathBuf,
    pub key_file: Option<PathBuf>,
    pub tls_cert: PathBuf,
    pub tls_key: PathBuf,
    pub max_pack_bytes: u64,
    pub max_concurrent_uploads: usize,
    pub upload_timeout_secs: u64,
    pub session_minutes: i64,
    pub homes: Vec<Home>,
    pub policy: Policy,
}

/// The limits and periods added after the first release, checked.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Password checks one address may ask for in a minute.
    pub login_attempts_per_address_per_minute: u32,
    /// Password checks everyone together may ask for in a minute.
    pub login_attempts_per_minute: u32,
    /// A session unused for this long ends (beside `session_minutes`, the absolute end).
    pub session_idle_minutes: i64,
    /// Upload slots one home may hold at once (of `max_concurrent_uploads`).
    pub max_uploads_per_home: usize,
    /// Packs one home may send in a minute (replays included).
    pub packs_per_home_per_minute: u32,
    /// Packs are deleted this many days after their episode's last pack; `None` keeps them.
    pub retention_days_after_episode: Option<u32>,
}

impl Policy {
    fn from_raw(raw: RawPolicy) -> Result<Self> {
        if raw.login_attempts_per_address_per_minute == 0
            || raw.login_attempts_per_minute == 0
            || raw.session_idle_minutes <= 0
            || raw.max_uploads_per_home == 0
            || raw.packs_per_home_per_minute == 0
            || raw.retention_days_after_episode == Some(0)
        {
            return Err(InboxError::Config(
                "login_attempts_per_address_per_minute, login_attempts_per_minute, \
                 session_idle_minutes, max_uploads_per_home, packs_per_home_per_minute and \
                 retention_days_after_episode must be positive"
                    .into(),
            ));
        }
        Ok(Self {
            login_attempts_per_address_per_minute: raw.login_attempts_per_address_per_minute,
            login_attempts_per_minute: raw.login_attempts_per_minute,
            session_idle_minutes: raw.session_idle_minutes,
            max_uploads_per_home: raw.max_uploads_per_home,
            packs_per_home_per_minute: raw.packs_per_home_per_minute,
            retention_days_after_episode: raw.retention_days_after_episode,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Home {
    pub id: String,
    pub name: String,
    pub token_sha256: [u8; 32],
}

impl Config {
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| InboxError::Config(format!("cannot read {}: {e}", path.display())))?;
        let bad = |e: toml::de::Error| InboxError::Config(format!("{}: {e}", path.display()));
        let mut table: toml::Table = toml::from_str(&text).map_err(bad)?;
        let mut policy = toml::Table::new();
        for key in POLICY_KEYS {
            if let Some(v) = table.remove(*key) {
                policy.insert((*key).to_string(), v);
            }
        }
        let raw: RawConfig = table.try_into().map_err(bad)?;
        let policy: RawPolicy = policy.try_into().map_err(bad)?;
        let base = path.parent().unwrap_or(Path::new("."));
        Self::from_raw_with(raw, policy, base)
    }

    /// A configuration with every optional limit at its default.
    pub fn from_raw(raw: RawConfig, base: &Path) -> Result<Self> {
        Self::from_raw_with(raw, RawPolicy::default(), base)
    }

    pub fn from_raw_with(raw: RawConfig, policy: RawPolicy, base: &Path) -> Result<Self> {
        let resolve = |p: &Path| {
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                base.join(p)
            }
        };
        if raw.max_pack_bytes == 0 || raw.max_concurrent_uploads == 0 || raw.session_minutes <= 0 {
            return Err(InboxError::Config(
                "max_pack_bytes, max_concurrent_uploads and session_minutes must be positive"
                    .into(),
            ));
        }
        let mut homes = Vec::with_capacity(raw.homes.len());
        for h in raw.homes {
            if !grabpack_protocol::is_valid_id(&h.id) {
                return Err(InboxError::Config(format!(
                    "home id {:?} must be 1-128 of A-Z a-z 0-9 . _ : - and not start with a dot",
                    h.id
                )));
            }
            let bytes = hex::decode(&h.token_sha256)
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .ok_or_else(|| {
                    InboxError::Config(format!("home {}: token_sha256 must be 64 hex digits", h.id))
                })?;
            if homes.iter().any(|x: &Home| x.id == h.id) {
                return Err(InboxError::Config(format!("home {} is listed twice", h.id)));
            }
            homes.push(Home {
                id: h.id,
                name: h.name,
                token_sha256: bytes,
            });
        }
        Ok(Config {
            listen: raw.listen,
            database: resolve(&raw.database),
            key_file: raw.key_file.as_deref().map(resolve),
            tls_cert: resolve(&raw.tls_cert),
            tls_key: resolve(&raw.tls_key),
            max_pack_bytes: raw.max_pack_bytes,
            max_concurrent_uploads: raw.max_concurrent_uploads,
            upload_timeout_secs: raw.upload_timeout_secs,
            session_minutes: raw.session_minutes,
            homes,
            policy: Policy::from_raw(policy)?,
        })
    }

    /// The database key: `GRABPACK_INBOX_DB_KEY` wins over `key_file`. Both hold 64 hex digits
    /// (surrounding whitespace ignored).
    pub fn database_key(&self) -> Result<Zeroizing<[u8; 32]>> {
        let text: Zeroizing<String> = match std::env::var(KEY_ENV) {
            Ok(v) => Zeroizing::new(v),
            Err(_) => {
                let path = self.key_file.as_ref().ok_or_else(|| {
                    InboxError::Key(format!("set {KEY_ENV} or key_file in the config"))
                })?;
                Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
                    InboxError::Key(format!("cannot read the key file {}: {e}", path.display()))
                })?)
            }
        };
        parse_key(text.trim())
    }
}

pub fn parse_key(hex_text: &str) -> Result<Zeroizing<[u8; 32]>> {
    let mut key = Zeroizing::new([0u8; 32]);
    hex::decode_to_slice(hex_text, key.as_mut_slice())
        .map_err(|_| InboxError::Key("the key must be exactly 64 hex digits".into()))?;
    Ok(key)
}

/// SHA-256 of a bearer token, as stored in the config.
pub fn token_sha256(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Random bytes from the OS, as lower hex.
pub fn random_hex(n: usize) -> Result<String> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| InboxError::Internal(format!("no randomness: {e}")))?;
    Ok(hex::encode(buf))
}
