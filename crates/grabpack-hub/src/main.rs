//! `grabpack-hub`: thin glue over the library. Parse, call, print; every rule lives in the
//! library so the tests exercise the same code the command runs.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use grabpack_hub::{Config, HubError, Result, db, devices, server};

#[derive(Debug, Parser)]
#[command(
    name = "grabpack-hub",
    about = "Grab Pack's sync hub: relays homes' encrypted records between their devices"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create or bring up to date the hub's tables in PostgreSQL.
    InitDb {
        #[arg(long)]
        config: PathBuf,
    },
    /// Register a home; prints its id and the one-time token its first device enrols with.
    AddHome {
        #[arg(long)]
        config: PathBuf,
        /// The provider's own reference for the home (stored in the clear: no address, no names).
        #[arg(long)]
        label: String,
    },
    /// List the homes with what the hub knows of each (devices, envelopes, bytes, last seen).
    Homes {
        #[arg(long)]
        config: PathBuf,
    },
    /// Serve HTTPS until interrupted.
    Serve {
        #[arg(long)]
        config: PathBuf,
    },
}

/// A line on stdout; a closed stdout must never stop the service.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

async fn serve(config: Config) -> Result<()> {
    let running = server::start(config).await?;
    say(&format!(
        "grabpack-hub listening on https://{}",
        running.addr
    ));
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| HubError::Internal(format!("signal handler: {e}")))?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    say("grabpack-hub stopping");
    running.stop(Duration::from_secs(10)).await;
    Ok(())
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::InitDb { config } => {
            let cfg = Config::load(&config)?;
            let pool = db::pool(&cfg)?;
            let applied = db::migrate(&pool).await?;
            say(&format!(
                "hub schema at version {} ({applied} migration(s) applied)",
                db::latest_version()
            ));
            Ok(())
        }
        Command::AddHome { config, label } => {
            let cfg = Config::load(&config)?;
            let pool = db::pool(&cfg)?;
            db::check_schema(&pool).await?;
            let home = devices::add_home(&pool, &label).await?;
            say(&format!("home id: {}", home.home_id));
            say(&format!(
                "enrolment token (give to the home's first device, once): {}",
                home.token
            ));
            Ok(())
        }
        Command::Homes { config } => {
            let cfg = Config::load(&config)?;
            let pool = db::pool(&cfg)?;
            db::check_schema(&pool).await?;
            say("home id\tlabel\tepoch\tactive devices\tenvelopes\tbytes\tlast seen (unix)");
            for h in devices::list_homes(&pool).await? {
                say(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    h.home_id,
                    h.label,
                    h.epoch,
                    h.active_devices,
                    h.envelopes,
                    h.bytes,
                    h.last_seen_at
                        .map(|t| t.to_string())
                        .unwrap_or_else(|| "-".into())
                ));
            }
            Ok(())
        }
        Command::Serve { config } => serve(Config::load(&config)?).await,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error [hub.internal]: runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error [{}]: {e}", e.code());
            ExitCode::FAILURE
        }
    }
}
