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
    /// Deleting packs after their episode (see retention_days_after_episode).
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account (or set a new password). The password comes from
    /// GRABPACK_INBOX_PASSWORD or is asked for twice. A new account is an officer with no unit
    /// (it sees no pack) unless --role or --unit say otherwise.
    Add {
        name: String,
        #[arg(long)]
        config: PathBuf,
        /// officer, supervisor or administrator.
        #[arg(long)]
        role: Option<String>,
        /// A unit (the recipient id homes send packs to, e.g. met-bcu-north); repeat for more.
        #[arg(long = "unit")]
        units: Vec<String>,
    },
    /// Set an account's role and units (replacing its units).
    Access {
        name: String,
        #[arg(long)]
        config: PathBuf,
        #[arg(long)]
        role: String,
        #[arg(long = "unit")]
        units: Vec<String>,
    },
    /// Stop an account signing in (its sessions end at once).
    Disable {
        name: String,
        #[arg(long)]
        config: PathBuf,
    },
    /// Let a disabled account sign in again.
    Enable {
        name: String,
        #[arg(long)]
        config: PathBuf,
    },
    /// Remove an account for good (the audit log keeps what it did).
    Remove {
        name: String,
        #[arg(long)]
        config: PathBuf,
    },
    /// List the accounts with their roles, units and whether they are disabled.
    List {
        #[arg(long)]
        config: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum RetentionCommand {
    /// Delete now every pack past the configured retention (the service also does this hourly).
    Sweep {
        #[arg(long)]
        config: PathBuf,
    },
}

fn parse_role(role: &str) -> Result<auth::Role> {
    auth::Role::parse(role).ok_or_else(|| {
        InboxError::InvalidForm(format!(
            "role {role:?} must be officer, supervisor or administrator"
        ))
    })
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
            command:
                UserCommand::Add {
                    name,
                    config,
                    role,
                    units,
                },
        } => {
            let cfg = Config::load(&config)?;
            let role = role.as_deref().map(parse_role).transpose()?;
            let db = open_db(&cfg)?;
            let password = read_password()?;
            db.with(|c| auth::add_user(c, &name, &password))?;
            if role.is_some() || !units.is_empty() {
                let role = role.unwrap_or(auth::Role::Officer);
                db.with(|c| auth::set_access(c, &name, role, &units))?;
            }
            println!("user {name} saved");
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Access {
                    name,
                    config,
                    role,
                    units,
                },
        } => {
            let cfg = Config::load(&config)?;
            let role = parse_role(&role)?;
            let db = open_db(&cfg)?;
            db.with(|c| auth::set_access(c, &name, role, &units))?;
            println!("user {name}: {}", role.as_str());
            Ok(())
        }
        Command::User {
            command: UserCommand::Disable { name, config },
        } => {
            let db = open_db(&Config::load(&config)?)?;
            db.with(|c| auth::set_disabled(c, &name, true))?;
            println!("user {name} disabled");
            Ok(())
        }
        Command::User {
            command: UserCommand::Enable { name, config },
        } => {
            let db = open_db(&Config::load(&config)?)?;
            db.with(|c| auth::set_disabled(c, &name, false))?;
            println!("user {name} enabled");
            Ok(())
        }
        Command::User {
            command: UserCommand::Remove { name, config },
        } => {
            let db = open_db(&Config::load(&config)?)?;
            db.with(|c| auth::remove_user(c, &name))?;
            println!("user {name} removed");
            Ok(())
        }
        Command::User {
            command: UserCommand::List { config },
        } => {
            let db = open_db(&Config::load(&config)?)?;
            for a in db.with(|c| auth::list_users(c))? {
                println!(
                    "{}\t{}\t{}{}",
                    a.name,
                    a.role.as_str(),
                    a.units.join(","),
                    if a.disabled { "\tdisabled" } else { "" }
                );
            }
            Ok(())
        }
        Command::Retention {
            command: RetentionCommand::Sweep { config },
        } => {
            let cfg = Config::load(&config)?;
            let Some(days) = cfg.policy.retention_days_after_episode else {
                return Err(InboxError::Config(
                    "retention_days_after_episode is not set: packs are kept".into(),
                ));
            };
            let db = open_db(&cfg)?;
            let swept =
                db.with(|c| grabpack_inbox::retention::sweep(c, days, jiff::Timestamp::now()))?;
            println!("{} pack(s) deleted", swept.receipt_ids.len());
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
