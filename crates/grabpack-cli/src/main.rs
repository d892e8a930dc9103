//! `grabpack`: the command line for administrators, scripts and tests.
//!
//! Thin glue by design: parse the arguments, get the secret, call one function of a domain crate,
//! print the result (human-readable or `--json`) and map errors to their stable codes. Any rule
//! about children, keys or photos found here belongs in a crate instead. This file only
//! dispatches: each subcommand has its own module, and everything printed goes through
//! [`output`].

mod audit;
mod child;
mod dashboard;
mod directory;
mod error;
mod init;
mod keys;
mod missing;
mod outbox;
mod output;
mod pack;
mod photo;
mod review;
mod session;
mod settings;
mod staff;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::Result;

#[derive(Parser, Debug)]
#[command(
    name = "grabpack",
    version,
    about = "Grab Pack: keep each child's Philomena Protocol grab pack current and encrypted."
)]
struct Cli {
    /// The store folder. Default: the platform's app-data folder, the same one the app uses.
    #[arg(long, global = true, env = "GRABPACK_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Unlock with this staff member's PIN (GRABPACK_PIN, or asked for) instead of the passphrase.
    #[arg(long, global = true, env = "GRABPACK_STAFF")]
    staff: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create a new, empty store: the home, its first manager, a recovery key to print.
    Init(init::InitArgs),
    /// Create a store of fictional children covering every readiness state (GRABPACK_PASSPHRASE).
    Demo,
    /// The dashboard: every child with readiness, what needs attention first.
    Dashboard,
    #[command(subcommand)]
    Child(child::ChildCommand),
    #[command(subcommand)]
    Photo(photo::PhotoCommand),
    /// Stamp "reviewed, no changes" on a child's form.
    Review(review::ReviewArgs),
    #[command(subcommand)]
    Staff(staff::StaffCommand),
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// A missing episode: start, checklist steps, Part 2, report, send, updates, found, close, show.
    #[command(subcommand)]
    Missing(missing::MissingCommand),
    /// The outbox: each recipient's delivery state; send, retry, abandon; sending settings.
    #[command(subcommand)]
    Outbox(outbox::OutboxCommand),
    /// The police directory: forces and BCUs with their contacts; edit this home's copy.
    #[command(subcommand)]
    Directory(directory::DirectoryCommand),
    #[command(subcommand)]
    Pack(pack::PackCommand),
    /// The home's name, address, type and police area.
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
    /// This device in its home's sync through a hub: enrol, pair, approve, devices, revoke, now, status.
    #[command(subcommand)]
    Sync(sync::SyncCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            output::print_error(cli.json, &e);
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<()> {
    let dir = session::data_dir(cli)?;
    match &cli.command {
        Command::Init(args) => init::init(cli.json, &dir, args),
        Command::Demo => init::demo(cli.json, &dir),
        Command::Dashboard => dashboard::run(cli, &dir),
        Command::Child(c) => child::run(cli, &dir, c),
        Command::Photo(c) => photo::run(cli, &dir, c),
        Command::Review(args) => review::run(cli, &dir, args),
        Command::Staff(c) => staff::run(cli, &dir, c),
        Command::Keys(c) => keys::run(cli, &dir, c),
        Command::Audit(c) => audit::run(cli, &dir, c),
        Command::Missing(c) => missing::run(cli, &dir, c),
        Command::Outbox(c) => outbox::run(cli, &dir, c),
        Command::Directory(c) => directory::run(cli, &dir, c),
        Command::Sync(c) => sync::run(cli, &dir, c),
        Command::Pack(c) => pack::run(cli, &dir, c),
        Command::Settings(c) => settings::run(cli, &dir, c),
    }
}
