//! A throwaway PostgreSQL cluster for one test: `initdb` into a temp folder, listening only on
//! a unix socket in that folder, stopped (and the folder removed) when dropped.
//!
//! Debian's server binaries are in `/usr/lib/postgresql/<version>/bin` (installed by
//! `scripts/setup.sh`), or wherever `GRABPACK_PG_BIN` says. `initdb` refuses to run as root,
//! so under root (CI, these machines) the cluster is made and run as the `postgres` user.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct TestPostgres {
    pub dir: tempfile::TempDir,
    bin: PathBuf,
    as_postgres: bool,
}

fn pg_bin() -> PathBuf {
    if let Ok(dir) = std::env::var("GRABPACK_PG_BIN") {
        return PathBuf::from(dir);
    }
    for v in ["17", "16", "15"] {
        let p = PathBuf::from(format!("/usr/lib/postgresql/{v}/bin"));
        if p.join("initdb").exists() {
            return p;
        }
    }
    panic!(
        "no PostgreSQL server found: run scripts/setup.sh (Debian's postgresql) or set GRABPACK_PG_BIN"
    );
}

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("id -u runs");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

impl TestPostgres {
    pub fn start() -> Self {
        let pg = Self::init();
        pg.launch(&format!(
            "-k {} -c listen_addresses='' -c fsync=off -c max_connections=200 -c shared_buffers=16MB",
            pg.dir.path().display()
        ));
        pg
    }

    /// Also listening on 127.0.0.1 (the port returned), over TLS only: this certificate and
    /// key, and any TCP connection without TLS refused (`hostnossl ... reject`).
    pub fn start_tls(cert_pem: &str, key_pem: &str) -> (Self, u16) {
        let pg = Self::init();
        let (cert, key) = (
            pg.dir.path().join("server.crt"),
            pg.dir.path().join("server.key"),
        );
        std::fs::write(&cert, cert_pem).unwrap();
        std::fs::write(&key, key_pem).unwrap();
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        if pg.as_postgres {
            let out = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&cert)
                .arg(&key)
                .output()
                .unwrap();
            assert!(out.status.success());
        }
        let hba = pg.data().join("pg_hba.conf");
        let rules = std::fs::read_to_string(&hba).unwrap();
        std::fs::write(
            &hba,
            format!("hostnossl all all 127.0.0.1/32 reject\n{rules}"),
        )
        .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        pg.launch(&format!(
            "-k {} -c listen_addresses='127.0.0.1' -p {port} -c ssl=on -c ssl_cert_file={} -c ssl_key_file={} -c fsync=off -c max_connections=200 -c shared_buffers=16MB",
            pg.dir.path().display(),
            cert.display(),
            key.display()
        ));
        (pg, port)
    }

    fn init() -> Self {
        let bin = pg_bin();
        let dir = tempfile::Builder::new()
            .prefix("grabpack-hub-pg-")
            .tempdir()
            .unwrap();
        let as_postgres = is_root();
        if as_postgres {
            let out = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(dir.path())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "chown: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let pg = Self {
            dir,
            bin,
            as_postgres,
        };
        let data = pg.data();
        pg.run(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-A",
                "trust",
                "-U",
                "grabpack",
                "--no-sync",
                "-E",
                "UTF8",
            ],
        );
        pg
    }

    fn launch(&self, opts: &str) {
        let data = self.data();
        let log = self.dir.path().join("log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-o",
                opts,
                "-l",
                log.to_str().unwrap(),
                "-w",
                "start",
            ],
        );
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let out = if self.as_postgres {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&exe)
                .args(args)
                .output()
                .unwrap()
        } else {
            Command::new(&exe).args(args).output().unwrap()
        };
        assert!(
            out.status.success(),
            "{tool} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The connection string for the cluster's `postgres` database (over the unix socket).
    pub fn conninfo(&self) -> String {
        format!(
            "host={} user=grabpack dbname=postgres",
            self.dir.path().display()
        )
    }

    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    /// Every file of the cluster's data folder, for scanning what reached the disk.
    pub fn data_files(&self) -> Vec<PathBuf> {
        fn walk(p: &Path, out: &mut Vec<PathBuf>) {
            if let Ok(entries) = std::fs::read_dir(p) {
                for e in entries.flatten() {
                    let path = e.path();
                    if path.is_dir() {
                        walk(&path, out);
                    } else {
                        out.push(path);
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.data(), &mut out);
        out
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let data = self.data();
        let exe = self.bin.join("pg_ctl");
        let args = [
            "-D",
            data.to_str().unwrap_or(""),
            "-m",
            "immediate",
            "-w",
            "stop",
        ];
        let _ = if self.as_postgres {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&exe)
                .args(args)
                .output()
        } else {
            Command::new(&exe).args(args).output()
        };
    }
}
