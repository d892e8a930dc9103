//! `grabpack staff add|list|disable|set-pin`: who may unlock. Disabling keeps a person's history; the
//! store refuses to disable the last manager.

use std::path::Path;

use clap::Subcommand;
use grabpack_core::StaffRole;
use jiff::civil::Date;

use crate::Cli;
use crate::error::{CliError, Result};
use crate::output::print;
use crate::session::{secret, unlock};

#[derive(Subcommand, Debug)]
pub enum StaffCommand {
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
    /// Set a PIN on this device (6 to 12 digits): your own, or anyone's as a manager.
    SetPin {
        name: String,
    },
}

pub fn run(cli: &Cli, dir: &Path, s: &StaffCommand) -> Result<()> {
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
        StaffCommand::SetPin { name } => {
            let pin = secret("GRABPACK_NEW_PIN", &format!("New PIN for {name}: "))?;
            store.set_pin(name, &pin)?;
            print(json, &serde_json::json!({ "pin_set": name }), |_| {
                format!("{name}'s new PIN works on this device from now on.")
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
