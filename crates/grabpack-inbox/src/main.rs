//! `grabpack-inbox`: thin glue over the library. Parse, call, print; every rule lives in the
//! library so the tests exercise the same code the command runs.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use grabpack_inbox::{Config, InboxError, Result, auth, db, server, setup};

#[derive(Debug, Parser)]
#[command(
    name = "grabpack-inbox",
    about = "Police-side intake service for Grab Pack"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the key file, the database and (with --self-signed) a loopback certificate.
    Init {
        #[arg(long)]
        config: PathBuf,
        /// Make a self-signed certificate for these names if none exists (for trials only).
        #[arg(long, num_args = 0.., value_delimiter = ',')]
        self_signed: Option<Vec<String>>,
    },
    /// Serve HTTPS until interrupted.
    Serve {
        #[arg(long)]
        config: PathBuf,
    },
    /// Officer accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Print a fresh bearer token for a home and the token_sha256 line for the config.
    Token,
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account (or set a new password). The password comes from
    /// GRABPACK_INBOX_PASSWORD or is asked for twice.
    Add {
        name: String,
        #[arg(long)]
        config: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Walk the hash chain and say whether it is intact.
    Verify {
        #[arg(long)]
        config: PathBuf,
    },
}

fn open_db(config: &Config) -> Result<db::Db> {
    let key = config.database_key()?;
    Ok(db::Db::new(db::open(&config.database, &key, false)?))
}

fn read_password() -> Result<zeroize::Zeroizing<String>> {
    if let Ok(p) = std::env::var("GRABPACK_INBOX_PASSWORD") {
        return Ok(zeroize::Zeroizing::new(p));
    }
    let io = |e: std::io::Error| InboxError::InvalidForm(format!("cannot read the password: {e}"));
    let a = zeroize::Zeroizing::new(rpassword::prompt_password("New password: ").map_err(io)?);
    let b = zeroize::Zeroizing::new(rpassword::prompt_password("Again: ").map_err(io)?);
    if a != b {
        return Err(InboxError::InvalidForm("the two passwords differ".into()));
    }
    Ok(a)
}

/// A line on stdout for whoever started the service. A closed stdout (the supervisor went away)
/// must never stop the service, so write errors are ignored rather than panicking as `println!`.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

async fn serve(config: Config) -> Result<()> {
    let running = server::start(config).await?;
    say(&format!(
        "grabpack-inbox listening on https://{}",
        running.addr
    ));
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| InboxError::Internal(format!("signal handler: {e}")))?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    say("grabpack-inbox stopping");
    running.stop(Duration::from_secs(10)).await;
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Init {
            config,
            self_signed,
        } => {
            let cfg = Config::load(&config)?;
            let names = self_signed.map(|n| {
                if n.is_empty() {
                    vec!["localhost".to_string(), "127.0.0.1".to_string()]
                } else {
                    n
                }
            });
            let r = setup::init(&cfg, names.as_deref())?;
            println!(
                "key file {}, certificate {}, database {}",
                if r.created_key { "created" } else { "kept" },
                if r.created_certificate {
                    "created"
                } else {
                    "kept"
                },
                if r.created_database {
                    "created"
                } else {
                    "kept"
                },
            );
            Ok(())
        }
        Command::Serve { config } => {
            let cfg = Config::load(&config)?;
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| InboxError::Internal(format!("runtime: {e}")))?;
            rt.block_on(serve(cfg))
        }
        Command::User {
            command: UserCommand::Add { name, config },
        } => {
            let cfg = Config::load(&config)?;
            let db = open_db(&cfg)?;
            let password = read_password()?;
            db.with(|c| auth::add_user(c, &name, &password))?;
            println!("user {name} saved");
            Ok(())
        }
        Command::Token => {
            let (token, digest) = setup::new_home_token()?;
            println!("token (give to the home, once): {token}");
            println!("token_sha256 = \"{digest}\"");
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify { config },
        } => {
            let cfg = Config::load(&config)?;
            let db = open_db(&cfg)?;
            let report = db.with(|c| Ok(grabpack_audit::verify(c)?))?;
            match report.broken_at {
                None => {
                    println!("audit log intact: {} entries", report.entries);
                    Ok(())
                }
                Some(seq) => Err(InboxError::Internal(format!(
                    "audit log broken at entry {seq}"
                ))),
            }
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error [{}]: {e}", e.code());
            ExitCode::FAILURE
        }
    }
}
