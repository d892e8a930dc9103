//! `grabpack`: the command line for administrators, scripts and tests.
//!
//! Thin glue by design: parse the arguments, get the secret, call one function of a domain crate,
//! print the result (human-readable or `--json`) and map errors to their stable codes. Any rule
//! about children, keys or photos found here belongs in a crate instead.

mod missing;
mod pack;

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use grabpack_core::{ChildForm, PhotoKind, StaffRole};
use grabpack_store::{
    Credential, DeviceKeychain, KeyringKeychain, Sensitive, Setup, Store, StoreError,
};
use jiff::civil::Date;
use serde::Serialize;

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
    Init {
        #[arg(long)]
        home: String,
        #[arg(long)]
        manager: String,
        /// Also give the manager a PIN on this device (needs the system keychain).
        #[arg(long)]
        with_pin: bool,
    },
    /// Create a store of fictional children covering every readiness state (GRABPACK_PASSPHRASE).
    Demo,
    /// The dashboard: every child with readiness, what needs attention first.
    Dashboard,
    #[command(subcommand)]
    Child(ChildCommand),
    #[command(subcommand)]
    Photo(PhotoCommand),
    /// Stamp "reviewed, no changes" on a child's form.
    Review {
        child: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    #[command(subcommand)]
    Staff(StaffCommand),
    #[command(subcommand)]
    Keys(KeysCommand),
    #[command(subcommand)]
    Audit(AuditCommand),
    /// A missing episode: start, checklist steps, Part 2, report, send, updates, found, close, show.
    #[command(subcommand)]
    Missing(missing::MissingCommand),
    /// The outbox: each recipient's delivery state; send, retry, abandon; sending settings.
    #[command(subcommand)]
    Outbox(missing::OutboxCommand),
    /// The police directory: forces and BCUs with their contacts; edit this home's copy.
    #[command(subcommand)]
    Directory(missing::DirectoryCommand),
    #[command(subcommand)]
    Pack(PackCommand),
}

#[derive(Subcommand, Debug)]
enum PackCommand {
    /// Build the grab-pack PDF in memory and save it to FILE (not encrypted: you are told so).
    Render {
        child: String,
        /// Include this missing episode's Part 2 (when the child is missing now).
        #[arg(long)]
        episode: Option<String>,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// The page-1 facts as text, in the order a 101 call handler asks for them.
    Readout {
        child: String,
        #[arg(long)]
        episode: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum ChildCommand {
    /// Every child (archived ones with --all).
    List,
    /// One child's current record, readiness and photos.
    Show { child: String },
    /// Save an edited Part 1 (a JSON form, as in `child show --json`'s "form") as a new revision.
    Save {
        child: String,
        form: PathBuf,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Add a child from a child record file (docs/interchange.md).
    Import { file: PathBuf },
    /// Write a child record file for the next placement. The file is NOT encrypted: keep it safe.
    Export {
        child: String,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Every revision: who, when, what changed.
    History { child: String },
    /// Field-level differences between two revisions.
    Diff { child: String, from: i64, to: i64 },
    /// Archive a child who has left the placement (kept read-only).
    Archive { child: String },
}

#[derive(Subcommand, Debug)]
enum PhotoCommand {
    /// Add a photo (JPEG, PNG or WebP): turned upright, stripped of metadata, stored encrypted.
    Add {
        child: String,
        file: PathBuf,
        #[arg(long, default_value = "face")]
        kind: String,
        /// Date taken (YYYY-MM-DD) when the camera's date is missing or wrong.
        #[arg(long)]
        taken: Option<Date>,
    },
    /// A child's photos, newest face photo first.
    List { child: String },
}

#[derive(Subcommand, Debug)]
enum StaffCommand {
    Add {
        name: String,
        /// manager, keyworker or agency
        #[arg(long, default_value = "keyworker")]
        role: String,
        /// End of an agency engagement (YYYY-MM-DD).
        #[arg(long)]
        until: Option<Date>,
        /// Give them a PIN on this device (asked for, or GRABPACK_NEW_PIN).
        #[arg(long)]
        with_pin: bool,
    },
    List,
    Disable {
        name: String,
    },
}

#[derive(Subcommand, Debug)]
enum KeysCommand {
    /// New database key, every page re-encrypted, a new recovery key to print.
    Rotate {
        /// Drop the passphrase instead of keeping it under the new key.
        #[arg(long)]
        drop_passphrase: bool,
    },
    /// Add or replace the passphrase (GRABPACK_NEW_PASSPHRASE, or asked for).
    AddPassphrase,
    /// Unlock with the recovery key (GRABPACK_RECOVERY_KEY, or asked for), set this device up
    /// again so PINs work, and issue a new recovery key.
    Recover {
        #[arg(long)]
        drop_passphrase: bool,
    },
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    List {
        #[arg(long)]
        child: Option<String>,
        #[arg(long)]
        action: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Prove the hash chain is intact from the first entry.
    Verify,
}

/// The failure of one command: a stable code and a message.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{message}")]
    Input { code: &'static str, message: String },
}

impl CliError {
    fn code(&self) -> &'static str {
        match self {
            Self::Store(e) => e.code(),
            Self::Input { code, .. } => code,
        }
    }

    fn input(code: &'static str, message: impl Into<String>) -> Self {
        Self::Input {
            code,
            message: message.into(),
        }
    }
}

type Result<T> = std::result::Result<T, CliError>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "error": { "code": e.code(), "message": e.to_string() } })
                );
            } else {
                eprintln!("error[{}]: {e}", e.code());
            }
            ExitCode::FAILURE
        }
    }
}

fn data_dir(cli: &Cli) -> Result<PathBuf> {
    if let Some(d) = &cli.data_dir {
        return Ok(d.clone());
    }
    // The Tauri app keeps its data in <platform data dir>/<bundle identifier>; so do we.
    directories::BaseDirs::new()
        .map(|b| b.data_dir().join("uk.grabpack.app"))
        .ok_or_else(|| {
            CliError::input(
                "cli.no_data_dir",
                "No app-data folder on this machine: pass --data-dir.",
            )
        })
}

fn keychain() -> Option<Arc<dyn DeviceKeychain>> {
    KeyringKeychain::platform()
        .ok()
        .map(|k| Arc::new(k) as Arc<dyn DeviceKeychain>)
}

/// A secret from the environment, or asked for on the terminal (never echoed).
fn secret(var: &str, prompt: &str) -> Result<Sensitive<String>> {
    if let Ok(v) = std::env::var(var) {
        return Ok(v.into());
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt)
            .map(Sensitive::from)
            .map_err(|e| CliError::input("cli.prompt_failed", e.to_string()));
    }
    Err(CliError::input(
        "cli.secret_needed",
        format!("Set {var} or run in a terminal to be asked for it."),
    ))
}

fn unlock(cli: &Cli, dir: &Path) -> Result<Store> {
    if let Some(staff) = &cli.staff {
        let pin = secret("GRABPACK_PIN", &format!("PIN for {staff}: "))?;
        return Ok(Store::unlock(
            dir,
            Credential::Pin {
                staff_name: staff,
                pin: &pin,
            },
            keychain(),
        )?);
    }
    let passphrase = secret("GRABPACK_PASSPHRASE", "Passphrase: ")?;
    Ok(Store::unlock(
        dir,
        Credential::Passphrase(&passphrase),
        keychain(),
    )?)
}

fn today() -> Date {
    jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC))
        .date()
}

fn print<T: Serialize>(json: bool, value: &T, text: impl FnOnce(&T) -> String) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(value).unwrap_or_default()
        );
    } else {
        println!("{}", text(value));
    }
}

fn run(cli: Cli) -> Result<()> {
    let dir = data_dir(&cli)?;
    let json = cli.json;
    match &cli.command {
        Command::Init {
            home,
            manager,
            with_pin,
        } => {
            let pin = if *with_pin {
                Some(secret("GRABPACK_PIN", "New PIN (4-12 digits): ")?)
            } else {
                None
            };
            let passphrase = std::env::var("GRABPACK_PASSPHRASE")
                .ok()
                .map(Sensitive::from);
            if pin.is_none() && passphrase.is_none() {
                return Err(CliError::input(
                    "cli.secret_needed",
                    "Give the store a passphrase (GRABPACK_PASSPHRASE) or a manager PIN (--with-pin).",
                ));
            }
            let (_store, recovery) = Store::create(
                &dir,
                Setup {
                    home_name: home.clone(),
                    manager_name: manager.clone(),
                    manager_pin: pin,
                    passphrase,
                },
                keychain(),
            )?;
            print_recovery_key(json, &dir, &recovery);
        }
        Command::Demo => {
            let passphrase = secret("GRABPACK_PASSPHRASE", "Passphrase for the demo store: ")?;
            let (mut store, recovery) = Store::create(
                &dir,
                Setup {
                    home_name: "Maple House Children's Home (fictional demo)".into(),
                    manager_name: "Demo Manager (fictional)".into(),
                    manager_pin: None,
                    passphrase: Some(passphrase),
                },
                None,
            )?;
            let ids = grabpack_store::demo::populate(&mut store, today())?;
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "data_dir": dir, "children": ids, "recovery_key": recovery.expose() })
                );
            } else {
                println!(
                    "Demo store created in {} with {} fictional children.",
                    dir.display(),
                    ids.len()
                );
                println!(
                    "Recovery key (fictional demo store): {}\n",
                    recovery.expose()
                );
                println!("{}", dashboard_text(&store.dashboard(today())?));
            }
        }
        Command::Dashboard => {
            let store = unlock(&cli, &dir)?;
            let rows = store.dashboard(today())?;
            print(json, &rows, |r| dashboard_text(r));
        }
        Command::Child(c) => child_command(&cli, &dir, c)?,
        Command::Photo(PhotoCommand::Add {
            child,
            file,
            kind,
            taken,
        }) => {
            let mut store = unlock(&cli, &dir)?;
            let id = store.find_child(child)?;
            let kind = PhotoKind::parse(kind).ok_or_else(|| {
                CliError::input(
                    "cli.bad_photo_kind",
                    format!("'{kind}' is not a photo kind: use face, full_length or mark."),
                )
            })?;
            let bytes = std::fs::read(file).map_err(|e| {
                CliError::input(
                    "cli.file_unreadable",
                    format!("{} could not be read: {e}", file.display()),
                )
            })?;
            let info = store.add_photo(&id, &bytes, kind, *taken)?;
            print(json, &info, |i| {
                format!(
                    "Added {} photo {} ({}x{}), taken {}.",
                    i.kind.as_str(),
                    i.id,
                    i.width,
                    i.height,
                    i.taken_on
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "unknown: add --taken".into())
                )
            });
        }
        Command::Photo(PhotoCommand::List { child }) => {
            let store = unlock(&cli, &dir)?;
            let photos = store.photos(&store.find_child(child)?)?;
            print(json, &photos, |ps| {
                ps.iter()
                    .map(|p| {
                        format!(
                            "{}  {:<11} taken {}  {}x{}",
                            p.id,
                            p.kind.as_str(),
                            p.taken_on
                                .map(|d| d.to_string())
                                .unwrap_or_else(|| "unknown".into()),
                            p.width,
                            p.height
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Review { child, note } => {
            let mut store = unlock(&cli, &dir)?;
            let id = store.find_child(child)?;
            let rev = store.review(&id, note)?;
            print(json, &rev, |r| {
                format!(
                    "Reviewed, no changes: revision {} by {}.",
                    r.seq, r.saved_by_name
                )
            });
        }
        Command::Staff(s) => staff_command(&cli, &dir, s)?,
        Command::Keys(k) => keys_command(&cli, &dir, k)?,
        Command::Missing(c) => missing::missing_command(&cli, &dir, c)?,
        Command::Outbox(c) => missing::outbox_command(&cli, &dir, c)?,
        Command::Directory(c) => missing::directory_command(&cli, &dir, c)?,
        Command::Audit(AuditCommand::List {
            child,
            action,
            limit,
        }) => {
            let store = unlock(&cli, &dir)?;
            let child = child.as_deref().map(|c| store.find_child(c)).transpose()?;
            let entries = store.audit_list(child.as_deref(), action.as_deref(), *limit)?;
            print(json, &entries, |es| {
                es.iter()
                    .map(|e| {
                        format!(
                            "{:>6}  {}  {:<22} {:<16} {}",
                            e.seq, e.at, e.actor, e.action, e.detail
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Pack(PackCommand::Render {
            child,
            episode,
            output,
        }) => {
            let mut store = unlock(&cli, &dir)?;
            let id = store.find_child(child)?;
            pack::render(&mut store, &id, episode.as_deref(), output, json)?;
        }
        Command::Pack(PackCommand::Readout { child, episode }) => {
            let mut store = unlock(&cli, &dir)?;
            let id = store.find_child(child)?;
            pack::readout(&mut store, &id, episode.as_deref(), json)?;
        }
        Command::Audit(AuditCommand::Verify) => {
            let store = unlock(&cli, &dir)?;
            let report = store.audit_verify()?;
            print(json, &report, |r| match r.broken_at {
                None => format!("Audit chain intact: {} entries verified.", r.entries),
                Some(seq) => format!(
                    "AUDIT CHAIN BROKEN at entry {seq}: the log was altered outside Grab Pack."
                ),
            });
            if !report.intact() {
                return Err(CliError::input(
                    "audit.chain_broken",
                    "The audit chain does not verify.",
                ));
            }
        }
    }
    Ok(())
}

fn print_recovery_key(json: bool, dir: &Path, recovery: &Sensitive<String>) {
    if json {
        println!(
            "{}",
            serde_json::json!({ "data_dir": dir, "recovery_key": recovery.expose() })
        );
    } else {
        println!("Store created in {}.\n", dir.display());
        println!(
            "RECOVERY KEY (shown once; print it and keep it in the home's safe):\n\n    {}\n",
            recovery.expose()
        );
        println!(
            "It opens every record if PINs, the passphrase or this device's keychain are lost."
        );
    }
}

fn dashboard_text(rows: &[grabpack_store::DashboardRow]) -> String {
    let mut out = format!(
        "{:<10} {:<32} {:>4}  {}\n",
        "STATE", "CHILD", "AGE", "WHAT NEEDS DOING"
    );
    for r in rows {
        let reasons: Vec<String> = r
            .readiness
            .reasons
            .iter()
            .take(3)
            .map(|x| x.message())
            .collect();
        let more = r.readiness.reasons.len().saturating_sub(3);
        out.push_str(&format!(
            "{:<10} {:<32} {:>4}  {}{}\n",
            r.readiness.state.as_str(),
            r.legal_name,
            r.age.map(|a| a.to_string()).unwrap_or_else(|| "?".into()),
            if reasons.is_empty() {
                "-".into()
            } else {
                reasons.join("; ")
            },
            if more > 0 {
                format!(" (+{more} more)")
            } else {
                String::new()
            }
        ));
    }
    out
}

fn child_command(cli: &Cli, dir: &Path, c: &ChildCommand) -> Result<()> {
    let json = cli.json;
    let mut store = unlock(cli, dir)?;
    match c {
        ChildCommand::List => {
            let rows = store.dashboard(today())?;
            print(json, &rows, |rs| {
                rs.iter()
                    .map(|r| {
                        format!(
                            "{}  {:<32} {}",
                            &r.id[..8],
                            r.legal_name,
                            r.readiness.state.as_str()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ChildCommand::Show { child } => {
            let id = store.find_child(child)?;
            let record = store.child(&id)?;
            let readiness = store.readiness(&id, today())?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({ "child": record, "readiness": readiness })
                    )
                    .unwrap_or_default()
                );
            } else {
                let f = &record.form;
                let mut out = format!("{}  ({})\n", f.identity.legal_name, record.id);
                if !f.identity.known_as.is_empty() {
                    out.push_str(&format!("Known as: {}\n", f.identity.known_as.join(", ")));
                }
                if let Some(dob) = f.identity.date_of_birth {
                    out.push_str(&format!(
                        "Born: {dob} (age {})\n",
                        grabpack_core::readiness::age_on(dob, today()).unwrap_or(0)
                    ));
                }
                out.push_str(&format!("Readiness: {}\n", readiness.state.as_str()));
                for r in &readiness.reasons {
                    out.push_str(&format!("  - {}\n", r.message()));
                }
                out.push_str(&format!(
                    "Revision {} ({}) by {} at {}\nPhotos: {}\n",
                    record.revision.seq,
                    record.revision.kind,
                    record.revision.saved_by_name,
                    record.revision.saved_at,
                    record.photos.len()
                ));
                if record.archived_at.is_some() {
                    out.push_str("ARCHIVED (read-only)\n");
                }
                print!("{out}");
            }
        }
        ChildCommand::Save { child, form, note } => {
            let id = store.find_child(child)?;
            let text = std::fs::read_to_string(form).map_err(|e| {
                CliError::input(
                    "cli.file_unreadable",
                    format!("{} could not be read: {e}", form.display()),
                )
            })?;
            let form: ChildForm = serde_json::from_str(&text).map_err(|e| {
                CliError::input(
                    "interchange.malformed",
                    format!("The form is not valid: {e}"),
                )
            })?;
            let rev = store.save_form(&id, &form, note)?;
            print(json, &rev, |r| {
                format!(
                    "Saved revision {} ({}): {}",
                    r.seq,
                    r.kind,
                    r.changed_paths.join(", ")
                )
            });
        }
        ChildCommand::Import { file } => {
            let text = std::fs::read_to_string(file).map_err(|e| {
                CliError::input(
                    "cli.file_unreadable",
                    format!("{} could not be read: {e}", file.display()),
                )
            })?;
            let id = store.import(&text)?;
            print(json, &serde_json::json!({ "child": id }), |_| {
                format!("Imported as child {id}.")
            });
        }
        ChildCommand::Export { child, output } => {
            let id = store.find_child(child)?;
            let doc = store.export(&id)?;
            std::fs::write(output, doc.to_json()).map_err(|e| {
                CliError::input(
                    "cli.file_unwritable",
                    format!("{} could not be written: {e}", output.display()),
                )
            })?;
            print(json, &serde_json::json!({ "written": output }), |_| {
                format!(
                    "Written to {}. This file is NOT encrypted: hand it over securely and delete it after.",
                    output.display()
                )
            });
        }
        ChildCommand::History { child } => {
            let id = store.find_child(child)?;
            let history = store.history(&id)?;
            print(json, &history, |h| {
                h.iter()
                    .map(|r| {
                        format!(
                            "{:>4}  {:<7} {}  {:<28} {}",
                            r.seq,
                            r.kind,
                            r.saved_at,
                            r.saved_by_name,
                            r.changed_paths.join(", ")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ChildCommand::Diff { child, from, to } => {
            let id = store.find_child(child)?;
            let changes = store.diff(&id, *from, *to)?;
            print(json, &changes, |cs| {
                if cs.is_empty() {
                    return "No differences.".into();
                }
                cs.iter()
                    .map(|c| {
                        format!(
                            "{}\n  - {}\n  + {}",
                            c.path,
                            c.before.as_deref().unwrap_or("(empty)"),
                            c.after.as_deref().unwrap_or("(empty)")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ChildCommand::Archive { child } => {
            let id = store.find_child(child)?;
            store.archive(&id)?;
            print(json, &serde_json::json!({ "archived": id }), |_| {
                "Archived: kept read-only, out of the dashboard.".into()
            });
        }
    }
    Ok(())
}

fn staff_command(cli: &Cli, dir: &Path, s: &StaffCommand) -> Result<()> {
    let json = cli.json;
    let mut store = unlock(cli, dir)?;
    match s {
        StaffCommand::Add {
            name,
            role,
            until,
            with_pin,
        } => {
            let role = match (role.as_str(), until) {
                ("manager", _) => StaffRole::Manager,
                ("keyworker", _) => StaffRole::Keyworker,
                ("agency", Some(ends_on)) => StaffRole::Agency { ends_on: *ends_on },
                ("agency", None) => {
                    return Err(CliError::input(
                        "cli.agency_needs_end",
                        "Agency staff need --until YYYY-MM-DD.",
                    ));
                }
                (other, _) => {
                    return Err(CliError::input(
                        "cli.bad_role",
                        format!("'{other}' is not a role: manager, keyworker or agency."),
                    ));
                }
            };
            let pin = if *with_pin {
                Some(secret(
                    "GRABPACK_NEW_PIN",
                    &format!("New PIN for {name}: "),
                )?)
            } else {
                None
            };
            let member = store.add_staff(name, role, pin.as_ref())?;
            print(json, &member, |m| {
                format!("Added {} ({}).", m.name, m.role.label())
            });
        }
        StaffCommand::List => {
            let staff = store.staff()?;
            print(json, &staff, |ss| {
                ss.iter()
                    .map(|m| {
                        format!(
                            "{:<30} {:<24} {}{}",
                            m.name,
                            m.role.label(),
                            if m.has_pin { "PIN" } else { "no PIN" },
                            m.disabled_at
                                .as_ref()
                                .map(|d| format!("  disabled {d}"))
                                .unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        StaffCommand::Disable { name } => {
            store.disable_staff(name)?;
            print(json, &serde_json::json!({ "disabled": name }), |_| {
                format!("{name} can no longer unlock; their history is kept.")
            });
        }
    }
    Ok(())
}

fn keys_command(cli: &Cli, dir: &Path, k: &KeysCommand) -> Result<()> {
    let json = cli.json;
    match k {
        KeysCommand::Rotate { drop_passphrase } => {
            let mut store = unlock(cli, dir)?;
            let keep = if *drop_passphrase {
                None
            } else {
                std::env::var("GRABPACK_PASSPHRASE")
                    .ok()
                    .map(Sensitive::from)
            };
            let recovery = store.rotate(keep.as_ref(), *drop_passphrase)?;
            print_recovery_key(json, dir, &recovery);
        }
        KeysCommand::AddPassphrase => {
            let mut store = unlock(cli, dir)?;
            let p = secret(
                "GRABPACK_NEW_PASSPHRASE",
                "New passphrase (12+ characters): ",
            )?;
            store.set_passphrase(&p)?;
            print(json, &serde_json::json!({ "passphrase": "set" }), |_| {
                "Passphrase set.".into()
            });
        }
        KeysCommand::Recover { drop_passphrase } => {
            let key = secret("GRABPACK_RECOVERY_KEY", "Recovery key: ")?;
            let mut store = Store::unlock(dir, Credential::RecoveryKey(&key), keychain())?;
            let keep = if *drop_passphrase {
                None
            } else {
                std::env::var("GRABPACK_PASSPHRASE")
                    .ok()
                    .map(Sensitive::from)
            };
            let recovery = store.recover_device(keep.as_ref(), *drop_passphrase)?;
            print_recovery_key(json, dir, &recovery);
        }
    }
    Ok(())
}
