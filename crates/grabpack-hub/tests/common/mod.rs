//! A real hub for the tests: a throwaway PostgreSQL cluster, the hub's schema, one or more hub
//! instances on loopback HTTPS (a test CA made here), and devices that enrol and pair through
//! the real client (`grabpack-sync`). Homes and labels are fictional.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod postgres;

use std::path::PathBuf;

use grabpack_hub::config::{Config, RawConfig};
use grabpack_hub::server::{self, Running};
use grabpack_hub::{db, devices};
use grabpack_sync::{DeviceIdentity, DeviceKeys, HomeKeys, HubClient};
use postgres::TestPostgres;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};

pub struct TestCa {
    pub ca_pem: String,
    pub server_cert_pem: String,
    pub server_key_pem: String,
}

/// A CA and a certificate for `localhost` signed by it.
pub fn test_ca() -> TestCa {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "Grab Pack hub test CA (fictional)");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    leaf.distinguished_name
        .push(DnType::CommonName, "hub.test.invalid");
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).unwrap();
    TestCa {
        ca_pem: ca_cert.pem(),
        server_cert_pem: leaf_cert.pem(),
        server_key_pem: leaf_key.serialize_pem(),
    }
}

/// A device in a test: its identity at the hub and the home keys it holds.
#[derive(Debug)]
pub struct Device {
    pub identity: DeviceIdentity,
    pub keys: HomeKeys,
}

pub struct Options {
    pub instances: usize,
    pub max_envelope_bytes: usize,
    pub max_long_poll_secs: u32,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            instances: 1,
            max_envelope_bytes: 64 * 1024,
            max_long_poll_secs: 600,
        }
    }
}

pub struct TestHub {
    pub instances: Vec<Running>,
    pub config: Config,
    pub ca: TestCa,
    pub dir: tempfile::TempDir,
    pub pg: TestPostgres,
}

impl TestHub {
    pub async fn start() -> Self {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(opts: Options) -> Self {
        let pg = TestPostgres::start();
        let dir = tempfile::tempdir().unwrap();
        let ca = test_ca();
        std::fs::write(dir.path().join("cert.pem"), &ca.server_cert_pem).unwrap();
        std::fs::write(dir.path().join("key.pem"), &ca.server_key_pem).unwrap();
        let raw = RawConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            tls_cert: PathBuf::from("cert.pem"),
            tls_key: PathBuf::from("key.pem"),
            database: Some(pg.conninfo()),
            database_ca: None,
            max_envelope_bytes: opts.max_envelope_bytes,
            max_request_bytes: 4 * opts.max_envelope_bytes,
            max_envelopes_per_push: 100,
            max_long_poll_secs: opts.max_long_poll_secs,
            request_window_secs: 300,
            max_lease_secs: 600,
            pool_size: 8,
        };
        let config = Config::from_raw(raw, dir.path(), None).unwrap();
        let pool = db::pool(&config).unwrap();
        assert_eq!(
            db::migrate(&pool).await.unwrap(),
            db::latest_version() as usize
        );
        pool.close();
        let mut instances = Vec::new();
        for _ in 0..opts.instances {
            instances.push(server::start(config.clone()).await.unwrap());
        }
        Self {
            instances,
            config,
            ca,
            dir,
            pg,
        }
    }

    pub fn base(&self, instance: usize) -> String {
        format!("https://localhost:{}", self.instances[instance].addr.port())
    }

    /// The real client, talking to one instance.
    pub fn client(&self, instance: usize) -> HubClient {
        HubClient::new(&self.base(instance), std::slice::from_ref(&self.ca.ca_pem)).unwrap()
    }

    /// A plain HTTPS client trusting the test CA, for requests no real device would send.
    pub fn http(&self) -> reqwest::Client {
        let ca = reqwest::Certificate::from_pem(self.ca.ca_pem.as_bytes()).unwrap();
        reqwest::Client::builder()
            .tls_certs_merge([ca])
            .build()
            .unwrap()
    }

    pub fn pool(&self) -> deadpool_postgres::Pool {
        self.instances[0].state.pool.clone()
    }

    /// The operator's `add-home`, then the first device's enrolment with a new home key.
    pub async fn new_home(&self, label: &str) -> Device {
        let home = devices::add_home(&self.pool(), label).await.unwrap();
        let keys = DeviceKeys::generate().unwrap();
        let enrolled = self.client(0).enrol(&home.token, &keys).await.unwrap();
        assert_eq!(enrolled.home_id, home.home_id);
        Device {
            identity: DeviceIdentity {
                device_id: enrolled.device_id,
                keys,
            },
            keys: HomeKeys::first(&home.home_id).unwrap(),
        }
    }

    /// A new device asks to join `approver`'s home; the approver finds it by its code, checks
    /// the fingerprint it computes from the relayed keys against the one the new device shows,
    /// and approves; the new device opens its wrapped keys.
    pub async fn pair(&self, approver: &Device, instance: usize) -> Device {
        let client = self.client(instance);
        let keys = DeviceKeys::generate().unwrap();
        let shown_fingerprint = keys.public().fingerprint();
        let started = client
            .request_pairing(&approver.keys.home_id, &keys)
            .await
            .unwrap();
        let identity = DeviceIdentity {
            device_id: started.device_id.clone(),
            keys,
        };
        let err = client.home_keys(&identity).await.unwrap_err();
        assert_eq!(err.hub_code(), Some("hub.not_paired"));
        let list = client.pairings(&approver.identity).await.unwrap();
        let pending = list
            .pairings
            .iter()
            .find(|p| p.code == started.code)
            .expect("the code shown on the new device is listed");
        let seen = grabpack_sync::DevicePublicKeys::from_slices(
            &pending.signing_key.0,
            &pending.box_key.0,
        )
        .unwrap()
        .fingerprint();
        assert_eq!(
            seen, shown_fingerprint,
            "the fingerprints on both screens agree"
        );
        client
            .approve(&approver.identity, &approver.keys, pending)
            .await
            .unwrap();
        let keys = client.home_keys(&identity).await.unwrap();
        Device { identity, keys }
    }

    /// One integer from the hub's database.
    /// Every delivery lease runs out now: the hub's clock moved past them (as if their holders
    /// had not renewed them for two minutes).
    pub async fn expire_leases(&self) {
        self.pool()
            .get()
            .await
            .unwrap()
            .batch_execute("UPDATE leases SET expires_at = now() - interval '1 second'")
            .await
            .unwrap();
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let client = self.pool().get().await.unwrap();
        client.query_one(sql, &[]).await.unwrap().get::<_, i64>(0)
    }

    /// Counts of every table's rows (what "nothing stored" compares).
    pub async fn row_counts(&self) -> Vec<(String, i64)> {
        let mut out = Vec::new();
        for t in [
            "homes",
            "enrolment_tokens",
            "devices",
            "wrapped_keys",
            "envelopes",
            "leases",
        ] {
            out.push((
                t.to_string(),
                self.count(&format!("SELECT count(*) FROM {t}")).await,
            ));
        }
        out
    }

    /// Every row of every table of the hub, as PostgreSQL prints it (bytea as hex).
    pub async fn all_rows_as_text(&self) -> String {
        let client = self.pool().get().await.unwrap();
        let tables: Vec<String> = client
            .query(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut text = String::new();
        for t in tables {
            for r in client
                .query(&format!("SELECT t::text FROM {t} t"), &[])
                .await
                .unwrap()
            {
                text.push_str(&r.get::<_, String>(0));
                text.push('\n');
            }
        }
        text
    }

    pub async fn stop(mut self) {
        for r in self.instances.drain(..) {
            r.stop(std::time::Duration::from_secs(5)).await;
        }
    }
}
