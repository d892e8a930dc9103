//! The `grabpack-inbox` command as an administrator uses it, with the sample config: `init`
//! makes the key, a trial certificate and the database; `user add` takes the password from the
//! environment; `token` prints a token and its digest; `audit verify` walks the chain.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_grabpack-inbox");

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(BIN);
    c.args(args)
        .current_dir(dir)
        .env_remove("GRABPACK_INBOX_DB_KEY")
        .env_remove("GRABPACK_INBOX_PASSWORD");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_sample_config_sets_up_a_working_service() {
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("inbox.example.toml");
    std::fs::copy(&sample, dir.path().join("inbox.toml")).unwrap();
    let d = dir.path();

    let o = run(
        d,
        &[
            "init",
            "--config",
            "inbox.toml",
            "--self-signed",
            "localhost,127.0.0.1",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("key file created, certificate created, database created"),
        "{}",
        text(&o)
    );
    for f in ["inbox.key", "cert.pem", "key.pem", "inbox.db"] {
        assert!(d.join("inbox-data").join(f).exists(), "{f}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("inbox-data/inbox.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the key file is private to its owner");
    }
    // Running it again keeps everything.
    let o = run(d, &["init", "--config", "inbox.toml", "--self-signed"], &[]);
    assert!(
        text(&o).contains("key file kept, certificate kept, database kept"),
        "{}",
        text(&o)
    );

    let o = run(
        d,
        &["user", "add", "duty-sergeant", "--config", "inbox.toml"],
        &[("GRABPACK_INBOX_PASSWORD", "a long trial password")],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = run(
        d,
        &["user", "add", "duty-sergeant", "--config", "inbox.toml"],
        &[("GRABPACK_INBOX_PASSWORD", "short")],
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("error [intake.invalid_form]"),
        "{}",
        text(&o)
    );

    let o = run(d, &["audit", "verify", "--config", "inbox.toml"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("audit log intact"), "{}", text(&o));
}

#[test]
fn a_token_is_printed_with_the_digest_the_config_needs() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["token"], &[]);
    assert!(o.status.success());
    let out = text(&o);
    let token = out
        .lines()
        .find_map(|l| l.strip_prefix("token (give to the home, once): "))
        .unwrap();
    let digest = out
        .lines()
        .find_map(|l| l.strip_prefix("token_sha256 = \""))
        .unwrap()
        .trim_end_matches('"');
    assert_eq!(
        digest,
        hex::encode(grabpack_inbox::config::token_sha256(token))
    );
}

#[test]
fn the_key_can_come_from_the_environment_instead_of_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("inbox.example.toml");
    std::fs::copy(&sample, dir.path().join("inbox.toml")).unwrap();
    let key = "ab".repeat(32);
    let o = run(
        dir.path(),
        &["init", "--config", "inbox.toml"],
        &[("GRABPACK_INBOX_DB_KEY", &key)],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(!dir.path().join("inbox-data/inbox.key").exists());
    let o = run(
        dir.path(),
        &["audit", "verify", "--config", "inbox.toml"],
        &[("GRABPACK_INBOX_DB_KEY", &key)],
    );
    assert!(o.status.success(), "{}", text(&o));
    // Without it there is no key: a clear error, and the key never appears in the output.
    let o = run(
        dir.path(),
        &["audit", "verify", "--config", "inbox.toml"],
        &[],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("error [intake.key]"), "{}", text(&o));
    let o = run(
        dir.path(),
        &["audit", "verify", "--config", "inbox.toml"],
        &[("GRABPACK_INBOX_DB_KEY", &"cd".repeat(32))],
    );
    assert!(text(&o).contains("error [intake.key]"), "{}", text(&o));
    assert!(!text(&o).contains(&"cd".repeat(32)));
}

#[test]
fn a_config_with_an_unknown_setting_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), "listen = \"127.0.0.1:0\"\ndatabase = \"x.db\"\ntls_cert = \"c\"\ntls_key = \"k\"\nmax_pack_byte = 5\n").unwrap();
    let o = run(dir.path(), &["init", "--config", "bad.toml"], &[]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("error [intake.config]") && text(&o).contains("max_pack_byte"),
        "{}",
        text(&o)
    );
}

#[test]
fn accounts_get_a_role_and_units_and_can_be_disabled_and_removed_from_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("inbox.example.toml");
    // The sample config with every optional key set, as an administrator would write them.
    let mut cfg = std::fs::read_to_string(&sample).unwrap();
    cfg = cfg.replace(
        "session_minutes = 480\n",
        "session_minutes = 480\nsession_idle_minutes = 20\nlogin_attempts_per_address_per_minute = 5\n\
         login_attempts_per_minute = 50\nmax_uploads_per_home = 2\npacks_per_home_per_minute = 30\n\
         retention_days_after_episode = 90\n",
    );
    std::fs::write(dir.path().join("inbox.toml"), cfg).unwrap();
    let d = dir.path();
    let pw = [("GRABPACK_INBOX_PASSWORD", "a long trial password")];
    assert!(
        run(d, &["init", "--config", "inbox.toml"], &[])
            .status
            .success()
    );
    let o = run(
        d,
        &[
            "user",
            "add",
            "pc-example",
            "--config",
            "inbox.toml",
            "--unit",
            "met-bcu-north",
        ],
        &pw,
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = run(
        d,
        &["user", "add", "new-starter", "--config", "inbox.toml"],
        &pw,
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = run(
        d,
        &[
            "user",
            "access",
            "new-starter",
            "--role",
            "supervisor",
            "--unit",
            "met-bcu-south",
            "--unit",
            "met-bcu-east",
            "--config",
            "inbox.toml",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = run(
        d,
        &[
            "user",
            "access",
            "new-starter",
            "--role",
            "chief",
            "--config",
            "inbox.toml",
        ],
        &[],
    );
    assert!(
        text(&o).contains("error [intake.invalid_form]"),
        "{}",
        text(&o)
    );
    assert!(
        run(
            d,
            &["user", "disable", "pc-example", "--config", "inbox.toml"],
            &[]
        )
        .status
        .success()
    );
    let list = text(&run(d, &["user", "list", "--config", "inbox.toml"], &[]));
    assert!(
        list.contains("new-starter\tsupervisor\tmet-bcu-east,met-bcu-south\n"),
        "{list}"
    );
    assert!(
        list.contains("pc-example\tofficer\tmet-bcu-north\tdisabled\n"),
        "{list}"
    );
    assert!(
        run(
            d,
            &["user", "remove", "pc-example", "--config", "inbox.toml"],
            &[]
        )
        .status
        .success()
    );
    let list = text(&run(d, &["user", "list", "--config", "inbox.toml"], &[]));
    assert!(!list.contains("pc-example"), "{list}");
    let o = run(
        d,
        &["user", "remove", "pc-example", "--config", "inbox.toml"],
        &[],
    );
    assert!(
        text(&o).contains("error [intake.invalid_form]"),
        "{}",
        text(&o)
    );
    let o = run(d, &["retention", "sweep", "--config", "inbox.toml"], &[]);
    assert!(text(&o).contains("0 pack(s) deleted"), "{}", text(&o));
    let o = run(d, &["audit", "verify", "--config", "inbox.toml"], &[]);
    assert!(o.status.success(), "{}", text(&o));
}
