//! `grabpack directory list|edit`: the police directory (forces and BCUs with their contacts) and
//! this home's edits to it, kept in the store with every version.

use std::path::Path;

use clap::Subcommand;
use grabpack_send::Directory;

use crate::Cli;
use crate::error::{CliError, Result, send_error};
use crate::output::print;
use crate::session::unlock;

#[derive(Subcommand, Debug)]
pub enum DirectoryCommand {
    /// Police units (forces, BCUs), optionally those covering an area.
    List {
        #[arg(long)]
        area: Option<String>,
    },
    /// Edit a unit's contacts for this home (kept in the store; every version kept).
    Edit {
        unit: String,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        intake: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// The date a person checked these contacts (YYYY-MM-DD); default today.
        #[arg(long)]
        verified: Option<String>,
        /// Make this the home's own police area.
        #[arg(long)]
        home: bool,
    },
}

pub fn run(cli: &Cli, dir: &Path, c: &DirectoryCommand) -> Result<()> {
    let json = cli.json;
    let mut store = unlock(cli, dir)?;
    let directory = Directory::load(&store).map_err(send_error)?;
    match c {
        DirectoryCommand::List { area } => {
            let units: Vec<&grabpack_send::Unit> = match area {
                Some(a) => directory.unit_for_area(a).into_iter().collect(),
                None => directory.units().collect(),
            };
            print(json, &units, |us| {
                us.iter()
                    .map(|u| {
                        format!(
                            "{:<28} {:<48} verified {}{}  {}",
                            u.id,
                            u.name,
                            u.last_verified,
                            if u.edited { " (edited)" } else { "" },
                            u.channels.email.as_deref().unwrap_or("-")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        DirectoryCommand::Edit {
            unit,
            email,
            intake,
            phone,
            verified,
            home,
        } => {
            let mut u = directory.unit(unit).map_err(send_error)?.clone();
            if email.is_some() || intake.is_some() || phone.is_some() {
                let verified = match verified {
                    Some(v) => v.parse().map_err(|_| {
                        CliError::input("cli.bad_date", "--verified is a date, YYYY-MM-DD.")
                    })?,
                    None => crate::session::today(),
                };
                let edit = grabpack_send::directory::ContactsEdit {
                    email: email.clone(),
                    https_intake: intake.clone(),
                    phone_non_emergency: phone.clone(),
                };
                u = Directory::edit_contacts(&mut store, unit, &edit, verified)
                    .map_err(send_error)?;
            }
            if *home {
                grabpack_send::set_home_police_unit(&mut store, Some(&u.id)).map_err(send_error)?;
            }
            print(json, &u, |u| {
                format!(
                    "{} saved{}.",
                    u.name,
                    if *home {
                        "; it is now the home's police area"
                    } else {
                        ""
                    }
                )
            });
        }
    }
    Ok(())
}
