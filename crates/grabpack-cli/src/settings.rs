//! `grabpack settings show|set`: the home's name, address, type and police area, so a store made
//! with `grabpack init` can route a pack to police without the app.
//!
//! Same operations as the app's Settings screen: the home's details through the store's
//! `set_settings`, the police area through grabpack-send's `set_home_police_unit` (which refuses
//! a unit not in the directory).

use std::path::Path;

use clap::Subcommand;
use grabpack_send::{Directory, SendSettings};
use grabpack_store::{HomeSettings, HomeType};
use serde::Serialize;

use crate::Cli;
use crate::error::{CliError, Result, send_error};
use crate::output::print;
use crate::session::unlock;

#[derive(Subcommand, Debug)]
pub enum SettingsCommand {
    /// The home's name, address, type and police area.
    Show,
    /// Change any of them; what is not given stays as it is.
    Set {
        #[arg(long)]
        home_name: Option<String>,
        /// The postal address police are given with the pack (lines separated by commas or \n).
        #[arg(long)]
        address: Option<String>,
        /// childrens_home, foster_home, supported_accommodation or other
        #[arg(long = "type")]
        home_type: Option<String>,
        /// The police unit (directory id, see `grabpack directory list`) covering the home.
        #[arg(long)]
        police_unit: Option<String>,
    },
}

/// The home's settings as printed: the police area with its name from the directory.
#[derive(Serialize)]
struct SettingsView {
    home: HomeSettings,
    police_unit: Option<grabpack_send::Unit>,
}

fn view(store: &grabpack_store::Store) -> Result<SettingsView> {
    let send = SendSettings::load(store).map_err(send_error)?;
    let directory = Directory::load(store).map_err(send_error)?;
    Ok(SettingsView {
        home: store.settings()?,
        police_unit: send
            .home_police_unit
            .as_deref()
            .and_then(|id| directory.unit(id).ok())
            .cloned(),
    })
}

fn home_type(s: &str) -> Result<HomeType> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_owned())).map_err(|_| {
        CliError::input(
            "cli.bad_home_type",
            format!(
                "'{s}' is not a home type: childrens_home, foster_home, supported_accommodation or other."
            ),
        )
    })
}

pub fn run(cli: &Cli, dir: &Path, c: &SettingsCommand) -> Result<()> {
    let mut store = unlock(cli, dir)?;
    if let SettingsCommand::Set {
        home_name,
        address,
        home_type: kind,
        police_unit,
    } = c
    {
        // Parse everything before changing anything.
        let kind = kind.as_deref().map(home_type).transpose()?;
        if let Some(unit) = police_unit {
            grabpack_send::set_home_police_unit(&mut store, Some(unit)).map_err(send_error)?;
        }
        if home_name.is_some() || address.is_some() || kind.is_some() {
            let mut home = store.settings()?;
            if let Some(n) = home_name {
                home.home_name = n.trim().to_owned();
            }
            if let Some(a) = address {
                home.home_address = a.trim().replace("\\n", "\n");
            }
            if let Some(k) = kind {
                home.home_type = k;
            }
            store.set_settings(&home)?;
        }
    }
    let v = view(&store)?;
    print(cli.json, &v, |v| {
        format!(
            "Home: {}\nAddress: {}\nType: {}\nPolice area: {}",
            v.home.home_name,
            if v.home.home_address.is_empty() {
                "(not set: police are given only the home's name)".to_owned()
            } else {
                v.home.home_address.replace('\n', ", ")
            },
            serde_json::to_value(v.home.home_type)
                .ok()
                .and_then(|t| t.as_str().map(str::to_owned))
                .unwrap_or_default(),
            v.police_unit
                .as_ref()
                .map(|u| format!("{} ({})", u.name, u.id))
                .unwrap_or_else(|| "(not set: packs cannot be routed to police)".into())
        )
    });
    Ok(())
}
