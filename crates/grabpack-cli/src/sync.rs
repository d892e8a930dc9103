//! `grabpack sync`: this device in its home's sync through a hub: join (`enrol` as the home's
//! first device, `pair` to join it), `waiting` and `approve` a new device after comparing its
//! fingerprint, `devices` and `revoke`, `now`, `status`, and choosing between two edits that
//! disagree (`disagreements`, `choose`). Each is one call into `grabpack_sync::device` or the
//! store; the rules live there.

use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use grabpack_core::merge::disagreement_words;
use grabpack_store::sync::Choice;
use grabpack_sync::SyncError;
use grabpack_sync::device;

use crate::Cli;
use crate::error::{CliError, Result};
use crate::output::print;
use crate::session::unlock;

#[derive(Subcommand, Debug)]
pub enum SyncCommand {
    /// Set this device up as the home's first, with the token the hub's operator gave the home.
    Enrol {
        /// The hub's address, https://...
        #[arg(long)]
        hub: String,
        /// The enrolment token (or GRABPACK_HUB_TOKEN). It may start with a dash.
        #[arg(long, allow_hyphen_values = true)]
        token: Option<String>,
        /// A certificate authority to trust for the hub (PEM file), beside the system's.
        #[arg(long)]
        ca: Option<PathBuf>,
    },
    /// Ask to join a home: shows a code and this device's fingerprint for a manager to approve.
    Pair {
        #[arg(long)]
        hub: String,
        /// The home's id (shown by `grabpack sync status` on a paired device).
        #[arg(long)]
        home: String,
        #[arg(long)]
        ca: Option<PathBuf>,
    },
    /// Devices waiting to join, each with its code and fingerprint.
    Waiting,
    /// Approve the device showing CODE, once its fingerprint is typed as its screen shows it.
    Approve {
        code: String,
        #[arg(long)]
        fingerprint: String,
    },
    /// The home's devices.
    Devices,
    /// Revoke a device (lost, or handed back): the home key rotates without it.
    Revoke { device_id: String },
    /// Sync now: send this device's changes, take in the others'.
    Now {
        /// When nothing new has arrived, wait up to this many seconds for the next change.
        #[arg(long, default_value_t = 0)]
        wait: u32,
    },
    /// Where this device stands, in words.
    Status,
    /// Fields where two edits disagree, for one child or all.
    Disagreements { child: Option<String> },
    /// Choose between the two values of a field where two edits disagree.
    Choose {
        child: String,
        /// The field, as `disagreements` lists it.
        field: String,
        #[arg(long, value_enum)]
        keep: Keep,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Keep {
    /// The value the record shows now (the later edit's).
    Shown,
    /// The other edit's value.
    Other,
}

fn sync_error(e: SyncError) -> CliError {
    match e {
        SyncError::Store(s) => CliError::Store(s),
        other => CliError::input(other.code(), other.to_string()),
    }
}

fn read_ca(ca: &Option<PathBuf>) -> Result<Option<String>> {
    ca.as_ref()
        .map(|p| {
            std::fs::read_to_string(p).map_err(|e| {
                CliError::input(
                    "cli.unreadable_file",
                    format!("Could not read the certificate {}: {e}", p.display()),
                )
            })
        })
        .transpose()
}

pub fn run(cli: &Cli, dir: &Path, command: &SyncCommand) -> Result<()> {
    let mut store = unlock(cli, dir)?;
    match command {
        SyncCommand::Enrol { hub, token, ca } => {
            let token = match token {
                Some(t) => t.clone(),
                None => std::env::var("GRABPACK_HUB_TOKEN").map_err(|_| {
                    CliError::input(
                        "cli.secret_needed",
                        "Give the enrolment token: --token or GRABPACK_HUB_TOKEN.",
                    )
                })?,
            };
            let ca = read_ca(ca)?;
            let joined =
                device::enrol(&mut store, hub, ca.as_deref(), &token).map_err(sync_error)?;
            print(cli.json, &joined, |j| {
                format!(
                    "This device is the first of home {}.\nDevice {}, fingerprint {}.\nOther devices join with: grabpack sync pair --hub {hub} --home {}",
                    j.home_id, j.device_id, j.fingerprint, j.home_id
                )
            });
        }
        SyncCommand::Pair { hub, home, ca } => {
            let ca = read_ca(ca)?;
            let joined = device::request_pairing(&mut store, hub, ca.as_deref(), home)
                .map_err(sync_error)?;
            print(cli.json, &joined, |j| {
                format!(
                    "Asked to join home {}.\nCODE: {}\nFINGERPRINT: {}\nA manager on a paired device runs: grabpack sync approve {} --fingerprint \"{}\"\nafter checking the fingerprint matches this screen; then run grabpack sync now here.",
                    j.home_id,
                    j.code.as_deref().unwrap_or(""),
                    j.fingerprint,
                    j.code.as_deref().unwrap_or(""),
                    j.fingerprint
                )
            });
        }
        SyncCommand::Waiting => {
            let waiting = device::waiting_devices(&mut store).map_err(sync_error)?;
            print(cli.json, &waiting, |w| {
                if w.is_empty() {
                    return "No device is waiting to join.".into();
                }
                w.iter()
                    .map(|d| {
                        format!(
                            "code {}  fingerprint {}  device {}",
                            d.code, d.fingerprint, d.device_id
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        SyncCommand::Approve { code, fingerprint } => {
            let approved = device::approve(&mut store, code, fingerprint).map_err(sync_error)?;
            print(cli.json, &approved, |d| {
                format!(
                    "Approved device {} (fingerprint {}). It receives the home's records at its next sync.",
                    d.device_id, d.fingerprint
                )
            });
        }
        SyncCommand::Devices => {
            let devices = device::devices(&mut store).map_err(sync_error)?;
            print(cli.json, &devices, |list| {
                list.iter()
                    .map(|d| {
                        format!(
                            "{:<8} {} {}{}",
                            d.status.as_str(),
                            d.device_id,
                            d.fingerprint,
                            if d.this_device { "  (this device)" } else { "" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        SyncCommand::Revoke { device_id } => {
            let epoch = device::revoke(&mut store, device_id).map_err(sync_error)?;
            print(
                cli.json,
                &serde_json::json!({ "revoked": device_id, "epoch": epoch }),
                |_| {
                    format!(
                        "Revoked {device_id}. The home key is now epoch {epoch}: that device can read nothing written from now on."
                    )
                },
            );
        }
        SyncCommand::Now { wait } => {
            let report = device::sync_and_wait(&mut store, *wait).map_err(sync_error)?;
            // Then the deliveries of devices gone quiet that this device can send as queued.
            let settings =
                grabpack_send::SendSettings::load(&store).map_err(crate::error::send_error)?;
            let taken = device::take_over_deliveries(&mut store, |s, d| {
                grabpack_send::can_send_as_queued(s, &settings, d)
            })
            .map_err(sync_error)?;
            let report = NowReport {
                report,
                taken_over: taken.iter().map(|d| d.id.to_string()).collect(),
            };
            print(cli.json, &report, |n| {
                let mut words = now_words(&n.report);
                if !n.taken_over.is_empty() {
                    words.push_str(&format!(
                        " Took over {} deliveries from a device that has stopped syncing: they go from this device now (grabpack outbox send).",
                        n.taken_over.len()
                    ));
                }
                words
            });
        }
        SyncCommand::Status => {
            let status = device::status(&store).map_err(sync_error)?;
            print(cli.json, &status, |s| {
                let mut out = format!("Sync: {}.", s.words);
                if let Some(d) = &s.joined {
                    out.push_str(&format!(
                        "\nHub {}\nHome {}\nThis device {} (fingerprint {})",
                        d.hub_url,
                        d.home_id,
                        d.device_id,
                        s.fingerprint.as_deref().unwrap_or("")
                    ));
                    if let (Some(by), Some(fp)) = (&d.approved_by, &d.approver_fingerprint) {
                        out.push_str(&format!(
                            "\nApproved by device {by} (fingerprint {fp}): the manager who approved checks that their device shows this fingerprint"
                        ));
                    }
                    if let Some(e) = &d.last_error {
                        out.push_str(&format!("\nLast try: {e}"));
                    }
                }
                for (child, n) in &s.children_with_disagreements {
                    out.push_str(&format!(
                        "\nChild {}: two edits disagree on {n} fields",
                        child.short()
                    ));
                }
                out
            });
        }
        SyncCommand::Disagreements { child } => {
            let children = match child {
                Some(c) => vec![store.find_child(c)?],
                None => store
                    .children_with_disagreements()?
                    .into_iter()
                    .map(|(c, _)| c)
                    .collect(),
            };
            let mut all = Vec::new();
            for c in children {
                for d in store.disagreements(&c)? {
                    let (label, shown_words) = disagreement_words(&d.path, &d.shown);
                    let (_, other_words) = disagreement_words(&d.path, &d.other);
                    all.push(serde_json::json!({
                        "child_id": c, "field": d.path, "label": label,
                        "shown": d.shown, "other": d.other,
                        "shown_words": shown_words, "other_words": other_words,
                    }));
                }
            }
            print(cli.json, &all, |list| {
                if list.is_empty() {
                    return "No two edits disagree.".into();
                }
                list.iter()
                    .map(|d| {
                        format!(
                            "child {}  {} ({}): shown \"{}\", other \"{}\"",
                            d["child_id"].as_str().unwrap_or(""),
                            d["label"].as_str().unwrap_or(""),
                            d["field"].as_str().unwrap_or(""),
                            d["shown_words"].as_str().unwrap_or(""),
                            d["other_words"].as_str().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        SyncCommand::Choose { child, field, keep } => {
            let id = store.find_child(child)?;
            let choice = match keep {
                Keep::Shown => Choice::Shown,
                Keep::Other => Choice::Other,
            };
            let rev = store.settle_disagreement(&id, field, choice)?;
            print(cli.json, &rev, |r| {
                format!("Chosen: revision {} by {}.", r.seq, r.saved_by_name)
            });
        }
    }
    Ok(())
}

/// What `sync now` did, in words.
fn now_words(r: &device::SyncReport) -> String {
    if r.state == grabpack_store::sync::SyncState::WaitingForApproval {
        return "Not approved yet: a manager on a paired device approves this device's code."
            .into();
    }
    let got = &r.received;
    let mut s = format!(
        "Synced: sent {}, received {} revisions and {} photos",
        r.sent, got.revisions, got.photos
    );
    if got.episodes + got.episode_entries > 0 {
        s.push_str(&format!(
            ", {} missing episodes and {} episode entries",
            got.episodes, got.episode_entries
        ));
    }
    // Each figure said only when there is something to say, after its separator.
    let more: [(usize, &str, &str); 8] = [
        (
            got.outbox,
            ",",
            "sent messages, their bytes or delivery states",
        ),
        (
            got.home,
            ",",
            "settings, police-directory edits or archived children",
        ),
        (
            got.staff,
            ",",
            "changes of staff members (added, a new PIN, disabled)",
        ),
        (
            got.linked_episodes,
            ";",
            "children were reported missing on two devices at once: both records are kept, shown together (grabpack missing show)",
        ),
        (got.merges, ";", "edits made at the same time merged"),
        (
            got.children_with_disagreements.len(),
            ";",
            "children have two edits that disagree (grabpack sync disagreements)",
        ),
        (
            got.refused,
            ";",
            "records from other devices could not be read and were set aside (grabpack sync status)",
        ),
        (got.waiting, ";", "records wait for what they build on"),
    ];
    for (n, sep, words) in more {
        if n > 0 {
            s.push_str(&format!("{sep} {n} {words}"));
        }
    }
    s.push('.');
    s
}

/// `sync now`'s report: the sync's, and the deliveries taken over after it.
#[derive(serde::Serialize)]
struct NowReport {
    #[serde(flatten)]
    report: device::SyncReport,
    /// Deliveries of devices gone quiet that this device sends now.
    taken_over: Vec<String>,
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    #[test]
    fn sync_now_says_each_figure_only_when_there_is_one() {
        let mut report = super::device::SyncReport {
            state: grabpack_store::sync::SyncState::Paired,
            sent: 3,
            received: Default::default(),
            epoch: 1,
        };
        assert_eq!(
            super::now_words(&report),
            "Synced: sent 3, received 0 revisions and 0 photos."
        );
        report.received.outbox = 2;
        report.received.merges = 1;
        report.received.waiting = 4;
        assert_eq!(
            super::now_words(&report),
            "Synced: sent 3, received 0 revisions and 0 photos, 2 sent messages, their bytes or delivery states; 1 edits made at the same time merged; 4 records wait for what they build on."
        );
        report.state = grabpack_store::sync::SyncState::WaitingForApproval;
        assert!(super::now_words(&report).starts_with("Not approved yet"));
    }

    #[test]
    fn an_enrolment_token_that_starts_with_a_dash_is_taken_as_the_token() {
        // The hub's tokens are URL-safe base64: one in 64 starts with '-'.
        let cli = crate::Cli::try_parse_from([
            "grabpack",
            "sync",
            "enrol",
            "--hub",
            "https://hub.example.invalid",
            "--token",
            "-H5eSpXNoE8L2whH9r_fictional",
        ]);
        let Ok(crate::Cli {
            command: crate::Command::Sync(super::SyncCommand::Enrol { token, .. }),
            ..
        }) = cli
        else {
            panic!("not parsed as an enrolment: {cli:?}");
        };
        assert_eq!(token.as_deref(), Some("-H5eSpXNoE8L2whH9r_fictional"));
    }
}
