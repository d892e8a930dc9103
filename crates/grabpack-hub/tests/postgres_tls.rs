//! A provider whose PostgreSQL is on another machine: the hub reaches it over TLS, checks its
//! certificate against the configured authority, and serves (its pool and its LISTEN connection
//! both encrypted). The throwaway cluster takes TCP connections over TLS only.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::path::PathBuf;

use common::postgres::TestPostgres;
use common::test_ca;
use grabpack_hub::config::{Config, RawConfig};
use grabpack_hub::{db, server};

fn config(dir: &std::path::Path, port: u16, database_ca: Option<&str>) -> Config {
    let raw = RawConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        tls_cert: PathBuf::from("cert.pem"),
        tls_key: PathBuf::from("key.pem"),
        database: Some(format!(
            "host=127.0.0.1 port={port} user=grabpack dbname=postgres sslmode=require"
        )),
        database_ca: database_ca.map(PathBuf::from),
        max_envelope_bytes: 64 * 1024,
        max_request_bytes: 256 * 1024,
        max_envelopes_per_push: 100,
        max_long_poll_secs: 60,
        request_window_secs: 300,
        max_lease_secs: 600,
        pool_size: 4,
    };
    Config::from_raw(raw, dir, None).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_reaches_postgresql_over_tls_and_checks_its_certificate() {
    let ca = test_ca();
    let (_pg, port) = TestPostgres::start_tls(&ca.server_cert_pem, &ca.server_key_pem);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cert.pem"), &ca.server_cert_pem).unwrap();
    std::fs::write(dir.path().join("key.pem"), &ca.server_key_pem).unwrap();
    std::fs::write(dir.path().join("db-ca.pem"), &ca.ca_pem).unwrap();

    // PostgreSQL itself refuses a connection without TLS: what gets through below is TLS.
    let plain = tokio_postgres::connect(
        &format!("host=127.0.0.1 port={port} user=grabpack dbname=postgres sslmode=disable"),
        tokio_postgres::NoTls,
    )
    .await;
    assert!(plain.is_err(), "a connection without TLS is refused");

    // A server certificate no configured authority vouches for is refused.
    let unvouched = db::pool(&config(dir.path(), port, None)).unwrap();
    assert!(
        unvouched.get().await.is_err(),
        "the database's certificate is checked"
    );

    // With the provider's authority: migrated and served over TLS.
    let cfg = config(dir.path(), port, Some("db-ca.pem"));
    let pool = db::pool(&cfg).unwrap();
    assert_eq!(
        db::migrate(&pool).await.unwrap(),
        db::latest_version() as usize
    );
    let running = server::start(cfg).await.unwrap();
    let client = pool.get().await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        // Every connection of the hub's (this pool's and the server's LISTEN one) is encrypted.
        let row = client
            .query_one(
                "SELECT count(*) FILTER (WHERE s.ssl), count(*) FILTER (WHERE a.query LIKE 'LISTEN%'),
                        count(*) FILTER (WHERE NOT s.ssl)
                 FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
                 WHERE a.backend_type = 'client backend'",
                &[],
            )
            .await
            .unwrap();
        let (encrypted, listening, plain): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
        if listening == 1 {
            assert!(encrypted >= 2, "{encrypted} encrypted connections");
            assert_eq!(plain, 0, "no connection of the hub's is in the clear");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the hub's LISTEN connection never came"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    running.stop(std::time::Duration::from_secs(1)).await;
}
