//! The hub's PostgreSQL: the connection pool and the hub's own migrations.
//!
//! The hub keeps nothing of its own beside PostgreSQL, so several instances can serve one
//! database; replication, backups and failover are PostgreSQL's job. Migrations are a list of
//! SQL strings applied in order under an advisory lock (two instances starting at once do not
//! both apply one), numbered in `hub_schema`. Never edit a published migration: append one.

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::config::Config;
use crate::error::{HubError, Result};

/// An arbitrary constant naming the hub's migration lock among PostgreSQL's advisory locks.
const MIGRATION_LOCK: i64 = 0x6772_6162_6875_6201;

/// The schema, one entry per version. Only ciphertext and what routing needs: ids, sizes,
/// times, key epochs, public keys. No column can hold a name, a field, a photo or a pack
/// in the clear, because no device ever sends one.
const MIGRATIONS: &[&str] = &[
    // 1: homes, devices, keys, envelopes, request nonces, delivery leases.
    r#"
    CREATE TABLE homes (
        id          text PRIMARY KEY,
        label       text NOT NULL,
        epoch       integer NOT NULL DEFAULT 1 CHECK (epoch >= 1),
        last_seq    bigint NOT NULL DEFAULT 0,
        created_at  timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE enrolment_tokens (
        token_sha256 bytea PRIMARY KEY,
        home_id      text NOT NULL REFERENCES homes (id),
        created_at   timestamptz NOT NULL DEFAULT now(),
        used_at      timestamptz
    );
    CREATE TABLE devices (
        id           text PRIMARY KEY,
        home_id      text NOT NULL REFERENCES homes (id),
        signing_key  bytea NOT NULL UNIQUE CHECK (length(signing_key) = 32),
        box_key      bytea NOT NULL CHECK (length(box_key) = 32),
        status       text NOT NULL CHECK (status IN ('pending', 'active', 'revoked')),
        pairing_code text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        approved_by  text REFERENCES devices (id),
        approved_at  timestamptz,
        revoked_by   text REFERENCES devices (id),
        revoked_at   timestamptz,
        last_seen_at timestamptz
    );
    CREATE INDEX devices_home ON devices (home_id);
    CREATE TABLE wrapped_keys (
        device_id   text NOT NULL REFERENCES devices (id),
        epoch       integer NOT NULL,
        home_id     text NOT NULL REFERENCES homes (id),
        wrapped_by  text NOT NULL REFERENCES devices (id),
        wrapped     bytea NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (device_id, epoch)
    );
    CREATE TABLE envelopes (
        id          text PRIMARY KEY,
        home_id     text NOT NULL REFERENCES homes (id),
        seq         bigint NOT NULL,
        device_id   text NOT NULL REFERENCES devices (id),
        epoch       integer NOT NULL,
        nonce       bytea NOT NULL,
        ciphertext  bytea NOT NULL,
        size        integer NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (home_id, seq)
    );
    CREATE TABLE request_nonces (
        device_id text NOT NULL REFERENCES devices (id),
        nonce     text NOT NULL,
        seen_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (device_id, nonce)
    );
    CREATE INDEX request_nonces_seen ON request_nonces (seen_at);
    CREATE TABLE leases (
        home_id     text NOT NULL REFERENCES homes (id),
        delivery_id text NOT NULL,
        holder      text NOT NULL REFERENCES devices (id),
        expires_at  timestamptz NOT NULL,
        PRIMARY KEY (home_id, delivery_id)
    );
    "#,
    // 2: a lease's term, raised each time the delivery passes to another device, so every device
    // can tell the newer sender's word from the older's (a fencing token). A released lease is
    // kept, expired, so its term is never counted again from 1.
    r#"
    ALTER TABLE leases ADD COLUMN term bigint NOT NULL DEFAULT 1;
    "#,
];

/// The schema version this hub writes.
pub fn latest_version() -> i32 {
    MIGRATIONS.len() as i32
}

/// How the hub reaches PostgreSQL over TCP: TLS (rustls), the server's certificate checked
/// against the system's authorities and the configuration's `database_ca`. `sslmode` in the
/// connection string decides whether TLS is required (`require`) or tried first (`prefer`, the
/// default). `None` when every host is a unix socket, the usual set-up on one machine: there is no
/// TLS on a socket (and no server name to check).
pub fn tls(config: &Config) -> Result<Option<MakeRustlsConnect>> {
    let pg = config.postgres()?;
    if pg
        .get_hosts()
        .iter()
        .all(|h| matches!(h, tokio_postgres::config::Host::Unix(_)))
    {
        return Ok(None);
    }
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    // A system certificate that cannot be read is skipped, as every TLS client does.
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Some(pem) = &config.database_ca_pem {
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            let cert = cert.map_err(|e| HubError::Config(format!("database_ca: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| HubError::Config(format!("database_ca: {e}")))?;
            added += 1;
        }
        if added == 0 {
            return Err(HubError::Config(
                "database_ca holds no PEM certificate".into(),
            ));
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| HubError::Config(format!("TLS to the database: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Some(MakeRustlsConnect::new(tls)))
}

/// A pool of connections to the hub's database.
pub fn pool(config: &Config) -> Result<Pool> {
    let pg = config.postgres()?;
    let recycling = ManagerConfig {
        recycling_method: RecyclingMethod::Fast,
    };
    let manager = match tls(config)? {
        None => Manager::from_config(pg, tokio_postgres::NoTls, recycling),
        Some(tls) => Manager::from_config(pg, tls, recycling),
    };
    Pool::builder(manager)
        .max_size(config.pool_size)
        .build()
        .map_err(|e| HubError::Config(format!("database pool: {e}")))
}

/// Apply every migration not yet applied; returns how many were applied.
pub async fn migrate(pool: &Pool) -> Result<usize> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS hub_schema (version integer NOT NULL)")
        .await?;
    let current: i32 = tx
        .query_one("SELECT coalesce(max(version), 0) FROM hub_schema", &[])
        .await?
        .get(0);
    if current > latest_version() {
        return Err(HubError::Schema(format!(
            "the database is at schema {current}, newer than this hub ({}): update the hub",
            latest_version()
        )));
    }
    let mut applied = 0;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO hub_schema (version) VALUES ($1)",
            &[&(i as i32 + 1)],
        )
        .await?;
        applied += 1;
    }
    tx.commit().await?;
    Ok(applied)
}

/// Refuse to serve a database that `init-db` has not brought to this hub's schema.
pub async fn check_schema(pool: &Pool) -> Result<()> {
    let client = pool.get().await?;
    let exists: bool = client
        .query_one("SELECT to_regclass('hub_schema') IS NOT NULL", &[])
        .await?
        .get(0);
    let version: i32 = if exists {
        client
            .query_one("SELECT coalesce(max(version), 0) FROM hub_schema", &[])
            .await?
            .get(0)
    } else {
        0
    };
    if version != latest_version() {
        return Err(HubError::Schema(format!(
            "the database is at schema {version}, this hub needs {}: run `grabpack-hub init-db`",
            latest_version()
        )));
    }
    Ok(())
}
