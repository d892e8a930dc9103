//! `grabpack audit list|verify`: read the hash-chained audit log and prove it is intact. A broken
//! chain is an error (non-zero exit), so a script notices.

use std::path::Path;

use clap::Subcommand;

use crate::Cli;
use crate::error::{CliError, Result};
use crate::output::print;
use crate::session::unlock;

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    List {
        #[arg(long)]
        child: Option<String>,
        #[arg(long)]
        action: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// Every device of the home, merged by time (each entry names its device), not only
        /// this device's chain.
        #[arg(long)]
        home: bool,
    },
    /// Prove the hash chain is intact from the first entry, and each other device's chain this
    /// device holds (a device that syncs).
    Verify,
    /// Check a head of the chain that left this device with a pack (SEQ:HASH, as in an intake
    /// manifest's `audit_head` or an email's X-Grabpack-Audit-Head): does the log still hold it?
    CheckAnchor { head: String },
}

pub fn run(cli: &Cli, dir: &Path, c: &AuditCommand) -> Result<()> {
    let json = cli.json;
    match c {
        AuditCommand::List {
            child,
            action,
            limit,
            home: true,
        } => {
            let store = unlock(cli, dir)?;
            let child = child.as_deref().map(|c| store.find_child(c)).transpose()?;
            let entries = store.audit_list_home(child.as_ref(), action.as_deref(), *limit)?;
            print(json, &entries, |es| {
                es.iter()
                    .map(|e| {
                        format!(
                            "{:<14} {:>6}  {}  {:<22} {:<16} {}",
                            e.device
                                .as_deref()
                                .map_or("this device".to_string(), short_device),
                            e.seq,
                            e.at,
                            e.actor,
                            e.action,
                            e.detail
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        AuditCommand::List {
            child,
            action,
            limit,
            home: false,
        } => {
            let store = unlock(cli, dir)?;
            let child = child.as_deref().map(|c| store.find_child(c)).transpose()?;
            let entries = store.audit_list(child.as_ref(), action.as_deref(), *limit)?;
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
        AuditCommand::Verify => {
            let store = unlock(cli, dir)?;
            let report = store.audit_verify()?;
            let others: Vec<_> = store
                .audit_verify_home()?
                .into_iter()
                .filter(|d| d.device.is_some())
                .collect();
            let shown = serde_json::json!({
                "entries": report.entries,
                "broken_at": report.broken_at,
                "other_devices": others,
            });
            print(json, &shown, |_| {
                let mut lines = vec![match report.broken_at {
                    None => format!("Audit chain intact: {} entries verified.", report.entries),
                    Some(seq) => format!(
                        "AUDIT CHAIN BROKEN at entry {seq}: the log was altered outside Grab Pack."
                    ),
                }];
                for d in &others {
                    let name = short_device(d.device.as_deref().unwrap_or_default());
                    lines.push(match d.broken_at {
                        None => format!(
                            "Device {name}'s chain intact: {} entries verified.",
                            d.entries
                        ),
                        Some(seq) => format!(
                            "DEVICE {name}'S CHAIN BROKEN at entry {seq}: its copy here was altered."
                        ),
                    });
                }
                lines.join("\n")
            });
            if !report.intact() || others.iter().any(|d| d.broken_at.is_some()) {
                return Err(CliError::input(
                    "audit.chain_broken",
                    "The audit chain does not verify.",
                ));
            }
        }
        AuditCommand::CheckAnchor { head } => {
            let (seq, hash) = head
                .trim()
                .split_once(':')
                .and_then(|(s, h)| Some((s.parse::<i64>().ok()?, h.trim().to_ascii_lowercase())))
                .ok_or_else(|| {
                    CliError::input(
                        "cli.bad_anchor",
                        "Give the head as SEQ:HASH, for example 42:9f86d0...",
                    )
                })?;
            let store = unlock(cli, dir)?;
            let finding = store.audit_check_anchor(seq, &hash)?;
            print(json, &finding, |f| match f {
                grabpack_store::audit::AnchorFinding::Holds => {
                    format!("Entry {seq} still has that hash: the log up to it is as it was sent.")
                }
                grabpack_store::audit::AnchorFinding::Rewritten => format!(
                    "AUDIT LOG REWRITTEN: entry {seq} no longer has the hash sent with the pack."
                ),
                grabpack_store::audit::AnchorFinding::Missing => format!(
                    "AUDIT LOG CUT BACK: there is no entry {seq} any more, though a pack carried it."
                ),
            });
            if finding != grabpack_store::audit::AnchorFinding::Holds {
                return Err(CliError::input(
                    "audit.anchor_not_held",
                    "The audit log no longer holds the head that went out with a pack.",
                ));
            }
        }
    }
    Ok(())
}

/// A device's id as people read it: its first eight characters, as the Devices screen shows.
fn short_device(id: &str) -> String {
    id.chars().take(8).collect()
}
