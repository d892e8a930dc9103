//! `grabpack child ...`: list, show, save, import, export, history, diff, archive. Every change is a
//! new immutable revision in the store; an export is the one file that leaves it unencrypted, and
//! the person is told so.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use grabpack_core::ChildForm;

use crate::Cli;
use crate::error::{CliError, Result};
use crate::output::print;
use crate::session::{today, unlock};

#[derive(Subcommand, Debug)]
pub enum ChildCommand {
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
    /// The child's own copy, "what we keep about you, and who we share it with", as a PDF to
    /// print for the child. With --shown, record that it was shown to the child (audited). The
    /// file is NOT encrypted.
    Copy {
        child: String,
        #[arg(short = 'o', long)]
        output: PathBuf,
        /// Record that this copy was shown to the child now.
        #[arg(long)]
        shown: bool,
    },
    /// Every revision: who, when, what changed.
    History { child: String },
    /// Field-level differences between two revisions.
    Diff { child: String, from: i64, to: i64 },
    /// Archive a child who has left the placement (kept read-only).
    Archive { child: String },
}

pub fn run(cli: &Cli, dir: &Path, c: &ChildCommand) -> Result<()> {
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
                            r.id.short(),
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
            crate::output::write_handover(output, doc.to_json().as_bytes())?;
            print(json, &serde_json::json!({ "written": output }), |_| {
                format!(
                    "Written to {}. This file is NOT encrypted: hand it over securely and delete it after.",
                    output.display()
                )
            });
        }
        ChildCommand::Copy {
            child,
            output,
            shown,
        } => {
            let id = store.find_child(child)?;
            let send = crate::error::send_error;
            let pdf = grabpack_send::child_copy::build(&store, &id, jiff::Timestamp::now())
                .map_err(send)?;
            crate::output::write_handover(output, &pdf)?;
            if *shown {
                grabpack_send::child_copy::record_shown(&mut store, &id, &pdf).map_err(send)?;
            }
            let times = grabpack_send::child_copy::shown(&store, &id).map_err(send)?;
            let last = times.first().map(|e| e.at.clone());
            print(
                json,
                &serde_json::json!({ "written": output, "shown_to_child": last }),
                |_| {
                    let when = match &last {
                        Some(at) => format!("Last shown to the child: {at}."),
                        None => {
                            "Not yet recorded as shown to the child (add --shown when you show it)."
                                .into()
                        }
                    };
                    format!(
                        "Written to {}. This file is NOT encrypted: print it and delete it after. {when}",
                        output.display()
                    )
                },
            );
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
