//! The hub's configuration file (TOML).
//!
//! Where it listens, its certificate and key, how to reach PostgreSQL (and, over TCP, which
//! certificate authority vouches for it), and the limits. Relative paths are resolved against the
//! config file's folder. The database connection string may carry
//! a password, so `GRABPACK_HUB_DATABASE` (when set) replaces the file's `database`, and the
//! string is never printed.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{HubError, Result};

/// When set, the PostgreSQL connection string to use instead of the file's `database`.
pub const DATABASE_ENV: &str = "GRABPACK_HUB_DATABASE";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub listen: SocketAddr,
    pub tls_cert: PathBuf,
    pub tls_key: PathBuf,
    /// A libpq-style connection string (`host=/run/postgresql dbname=grabpack_hub user=hub`).
    #[serde(default)]
    pub database: Option<String>,
    /// A certificate authority (PEM) that PostgreSQL's server certificate is checked against,
    /// beside the system's: for a database reached over the network (`sslmode=require` in
    /// `database` refuses a connection without TLS).
    #[serde(default)]
    pub database_ca: Option<PathBuf>,
    #[serde(default = "default_max_envelope_bytes")]
    pub max_envelope_bytes: usize,
    #[serde(default = "default_max_request_bytes")]
    pub max_request_bytes: usize,
    #[serde(default = "default_max_envelopes_per_push")]
    pub max_envelopes_per_push: usize,
    #[serde(default = "default_max_long_poll_secs")]
    pub max_long_poll_secs: u32,
    #[serde(default = "default_request_window_secs")]
    pub request_window_secs: i64,
    #[serde(default = "default_max_lease_secs")]
    pub max_lease_secs: u32,
    #[serde(default = "default_pool_size")]
    pub pool_size: usize,
}

fn default_max_envelope_bytes() -> usize {
    8 * 1024 * 1024
}
fn default_max_request_bytes() -> usize {
    32 * 1024 * 1024
}
fn default_max_envelopes_per_push() -> usize {
    500
}
fn default_max_long_poll_secs() -> u32 {
    60
}
fn default_request_window_secs() -> i64 {
    300
}
fn default_max_lease_secs() -> u32 {
    600
}
fn default_pool_size() -> usize {
    16
}

/// The configuration with paths resolved and values checked.
#[derive(Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub tls_cert: PathBuf,
    pub tls_key: PathBuf,
    pub database: String,
    /// The PEM text of `database_ca`, read when the configuration is loaded.
    pub database_ca_pem: Option<String>,
    /// The largest sealed record (ciphertext bytes) one envelope may carry.
    pub max_envelope_bytes: usize,
    /// The largest request body.
    pub max_request_bytes: usize,
    pub max_envelopes_per_push: usize,
    /// The longest a pull may wait for something new.
    pub max_long_poll_secs: u32,
    /// How far a signed request's time may be from the hub's clock, either way.
    pub request_window_secs: i64,
    pub max_lease_secs: u32,
    pub pool_size: usize,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("tls_cert", &self.tls_cert)
            .field("database", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl Config {
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| HubError::Config(format!("cannot read {}: {e}", path.display())))?;
        let raw: RawConfig = toml::from_str(&text)
            .map_err(|e| HubError::Config(format!("{}: {e}", path.display())))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let database = std::env::var(DATABASE_ENV).ok();
        Self::from_raw(raw, base, database)
    }

    /// `database_override` (the environment's) wins over the file's `database`.
    pub fn from_raw(
        raw: RawConfig,
        base: &Path,
        database_override: Option<String>,
    ) -> Result<Self> {
        let resolve = |p: &Path| {
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                base.join(p)
            }
        };
        let database = database_override
            .or(raw.database)
            .ok_or_else(|| HubError::Config(format!("set `database` or {DATABASE_ENV}")))?;
        if raw.max_envelope_bytes == 0
            || raw.max_request_bytes < raw.max_envelope_bytes
            || raw.max_envelopes_per_push == 0
            || raw.request_window_secs <= 0
            || raw.max_lease_secs == 0
            || raw.pool_size == 0
        {
            return Err(HubError::Config(
                "max_envelope_bytes, max_envelopes_per_push, request_window_secs, max_lease_secs and pool_size must be positive, and max_request_bytes at least max_envelope_bytes".into(),
            ));
        }
        let database_ca_pem = match &raw.database_ca {
            None => None,
            Some(p) => {
                let path = resolve(p);
                Some(std::fs::read_to_string(&path).map_err(|e| {
                    HubError::Config(format!("cannot read database_ca {}: {e}", path.display()))
                })?)
            }
        };
        Ok(Self {
            listen: raw.listen,
            tls_cert: resolve(&raw.tls_cert),
            tls_key: resolve(&raw.tls_key),
            database,
            database_ca_pem,
            max_envelope_bytes: raw.max_envelope_bytes,
            max_request_bytes: raw.max_request_bytes,
            max_envelopes_per_push: raw.max_envelopes_per_push,
            max_long_poll_secs: raw.max_long_poll_secs,
            request_window_secs: raw.request_window_secs,
            max_lease_secs: raw.max_lease_secs,
            pool_size: raw.pool_size,
        })
    }

    pub fn postgres(&self) -> Result<tokio_postgres::Config> {
        self.database
            .parse()
            .map_err(|_| HubError::Config("the database connection string is not valid".into()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_sample_config_loads_and_limits_must_be_positive() {
        let text = include_str!("../hub.example.toml");
        let raw: RawConfig = toml::from_str(text).unwrap();
        let cfg = Config::from_raw(raw.clone(), Path::new("/srv/hub"), None).unwrap();
        assert_eq!(cfg.tls_cert, Path::new("/srv/hub/hub-cert.pem"));
        assert!(cfg.postgres().is_ok());
        assert!(!format!("{cfg:?}").contains("dbname"));
        let zero = RawConfig {
            max_envelope_bytes: 0,
            ..raw
        };
        assert!(Config::from_raw(zero, Path::new("."), None).is_err());
    }
}
