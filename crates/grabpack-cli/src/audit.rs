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
    }
    Ok(())
}
