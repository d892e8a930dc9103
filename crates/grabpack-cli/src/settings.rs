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
        /// The home's own public-service domains beside police.uk, gov.uk, nhs.net and cjsm.net
        /// (repeat for each; replaces the list; one empty value clears it). An added recipient
        /// on none of them needs a manager's reason.
        #[arg(long = "public-domain")]
        public_domains: Option<Vec<String>>,
        /// The home's strategy-meeting rule: this many episodes (with `--strategy-meeting-days`)
        /// raise the flag when an episode closes. A local rule; 3 in 30 days by default.
        #[arg(long)]
        strategy_meeting_episodes: Option<u32>,
        /// ... noticed within this many days.
        #[arg(long)]
        strategy_meeting_days: Option<u32>,
    },
}

/// The home's settings as printed: the police area with its name from the directory.
#[derive(Serialize)]
struct SettingsView {
    home: HomeSettings,
    police_unit: Option<grabpack_send::Unit>,
    /// The home's own public-service domains (beside the shipped ones).
    public_domains: Vec<String>,
    /// The home's police units that still need confirmed contacts.
    units_needing_contacts: Vec<grabpack_send::recipients::UnitToConfirm>,
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
        public_domains: send.public_domains,
        units_needing_contacts: grabpack_send::recipients::units_needing_contacts(
            store,
            crate::session::today(),
        )
        .map_err(send_error)?,
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
        public_domains,
        strategy_meeting_episodes,
        strategy_meeting_days,
    } = c
    {
        // Parse everything before changing anything.
        let kind = kind.as_deref().map(home_type).transpose()?;
        if strategy_meeting_episodes.is_some() || strategy_meeting_days.is_some() {
            // The store checks the rule (the app's Settings screen sets it the same way).
            let mut rule = store.settings()?.strategy_meeting;
            rule.episodes = strategy_meeting_episodes.unwrap_or(rule.episodes);
            rule.within_days = strategy_meeting_days.unwrap_or(rule.within_days);
            store.set_strategy_meeting_rule(rule)?;
        }
        if let Some(domains) = public_domains {
            let mut send = SendSettings::load(&store).map_err(send_error)?;
            send.set_public_domains(domains).map_err(send_error)?;
            send.save(&mut store).map_err(send_error)?;
        }
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
        let mut confirm: String = v
            .units_needing_contacts
            .iter()
            .map(|u| {
                format!(
                    "\n  {} ({}): {}; edit with `grabpack directory edit {}`",
                    u.unit_name, u.why, "no confirmed address", u.unit_id
                )
            })
            .collect();
        if !confirm.is_empty() {
            confirm = format!(
                "\nStill need confirmed contacts (packs cannot go to them; staff are told to phone):{confirm}"
            );
        }
        format!(
            "Home: {}\nAddress: {}\nType: {}\nPolice area: {}\nPublic-service domains added: {}\nStrategy meeting: {} episodes within {} days{confirm}",
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
                .unwrap_or_else(|| "(not set: packs cannot be routed to police)".into()),
            if v.public_domains.is_empty() {
                "(none)".to_owned()
            } else {
                v.public_domains.join(", ")
            },
            v.home.strategy_meeting.episodes,
            v.home.strategy_meeting.within_days,
        )
    });
    Ok(())
}
