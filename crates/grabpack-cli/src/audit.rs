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
    },
    /// Prove the hash chain is intact from the first entry.
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
