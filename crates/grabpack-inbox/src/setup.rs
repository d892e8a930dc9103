//! First-run set-up: the database key, a self-signed certificate for loopback trials, the
//! database itself, and fresh home tokens.
//!
//! These live in the library (not only the binary) so the tests, the UI tests and the benchmark
//! prepare a service exactly the way an administrator does.

use std::io::Write;
use std::path::Path;

use crate::config::{Config, random_hex, token_sha256};
use crate::db;
use crate::error::{InboxError, Result};

/// What `init` did, for the administrator to read.
#[derive(Debug, Default)]
pub struct InitReport {
    pub created_key: bool,
    pub created_certificate: bool,
    pub created_database: bool,
}

fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| InboxError::Config(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| InboxError::Config(format!("cannot create {}: {e}", path.display())))?;
    f.write_all(contents)
        .and_then(|_| f.sync_all())
        .map_err(|e| InboxError::Config(format!("cannot write {}: {e}", path.display())))
}

/// Create what is missing: the key file (unless the key comes from the environment), a
/// self-signed certificate for `names` when `self_signed` is set, and the database.
pub fn init(config: &Config, self_signed: Option<&[String]>) -> Result<InitReport> {
    let mut report = InitReport::default();
    if std::env::var(crate::config::KEY_ENV).is_err()
        && let Some(path) = &config.key_file
        && !path.exists()
    {
        let key = zeroize::Zeroizing::new(random_hex(32)?);
        write_private(path, format!("{}\n", key.as_str()).as_bytes())?;
        report.created_key = true;
    }
    if let Some(names) = self_signed
        && !config.tls_cert.exists()
        && !config.tls_key.exists()
    {
        let (cert, key) = self_signed_pem(names)?;
        write_private(&config.tls_key, key.as_bytes())?;
        write_private(&config.tls_cert, cert.as_bytes())?;
        report.created_certificate = true;
    }
    let existed = config.database.exists();
    if let Some(dir) = config.database.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| InboxError::Config(format!("cannot create {}: {e}", dir.display())))?;
    }
    let key = config.database_key()?;
    let conn = db::open(&config.database, &key, true)?;
    if !existed {
        db::audit(&conn, "admin", "inbox.created", None, "{}")?;
        report.created_database = true;
    }
    Ok(report)
}

/// A self-signed certificate and key (PEM) for the given DNS names / IP addresses.
pub fn self_signed_pem(names: &[String]) -> Result<(String, String)> {
    let certified = rcgen::generate_simple_self_signed(names.to_vec())
        .map_err(|e| InboxError::Config(format!("cannot make a certificate: {e}")))?;
    Ok((certified.cert.pem(), certified.signing_key.serialize_pem()))
}

/// A fresh bearer token for a home and the line for the config.
pub fn new_home_token() -> Result<(String, String)> {
    let token = random_hex(32)?;
    let digest = hex::encode(token_sha256(&token));
    Ok((token, digest))
}
