//! Who should get the pack, proposed by rule; the person sending decides.
//!
//! Why rules: the London Assembly heard of confusion over which police area leads when a child is
//! placed out of area, and of social workers who never heard of an episode. The proposal is: the
//! police unit for where the child went missing (the home's own area unless changed), the police
//! unit for the child's home area when they are placed out of area, the social worker, the placing
//! council's out-of-hours team and the registered manager. The sender can add or remove anyone;
//! both the proposal and the choice are recorded on the episode.
//!
//! Why a police unit is proposed only with confirmed contacts: the directory ships placeholder
//! addresses (forces rarely publish a missing-persons mailbox), and a pack queued to one of them
//! shows as "retrying" for ever while nobody reads it. A unit whose contacts nobody at the home
//! has entered or confirmed is never an email or intake recipient; the episode says instead to
//! phone it ([`CallAdvice`]), and that a manager can add its address in Settings.
//!
//! Why extra addresses outside public services need a manager: a grab pack is a child's most
//! sensitive record. Police, councils and the NHS receive it on their own domains (police.uk,
//! gov.uk, nhs.net, cjsm.net, and any the home's manager adds); anything else (a personal
//! mailbox, a typo that still has an @) is sent only when a manager confirms it with a reason,
//! and that confirmation is kept on the episode's recipients record and in the audit log.

use grabpack_core::ChildForm;
use grabpack_core::audience::Audience;
use grabpack_store::Store;
use grabpack_store::outbox::Channel;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::directory::{Directory, Unit};
use crate::error::{Result, SendError};
use crate::settings::SendSettings;

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Police,
    SocialWorker,
    OutOfHours,
    Manager,
    Other,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Police => "police",
            Self::SocialWorker => "social_worker",
            Self::OutOfHours => "out_of_hours",
            Self::Manager => "manager",
            Self::Other => "other",
        }
    }

    /// The role a delivery row stored with [`Role::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Police,
            Self::SocialWorker,
            Self::OutOfHours,
            Self::Manager,
            Self::Other,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// One proposed or chosen recipient.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// Stable within an episode: `police:<unit>`, `social_worker`, `out_of_hours`, `manager`,
    /// `other:<address>`.
    pub id: String,
    pub role: Role,
    pub name: String,
    pub channel: Channel,
    /// Email address or intake base URL.
    pub address: String,
    /// Why the rules proposed them.
    pub reason: String,
    /// Set when an added address outside the public-service domains was confirmed by a manager.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_by_manager: Option<ManagerConfirmation>,
    /// The version of the pack this recipient gets, when something other than their role fixed
    /// it: the rules (a second police force), a manager widening an added address, or their first
    /// pack (an update or a returned notice keeps it). Otherwise their role decides
    /// ([`audience_of`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    /// Set when a manager widened an added address to the full pack, with their reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub widened_by_manager: Option<ManagerConfirmation>,
}

/// Which version of the pack a recipient gets: the one place a role becomes an audience
/// (`grabpack_core::audience` says what each audience reads). The police unit where the child
/// went missing gets the full pack; the child's home-area unit, when placed out of area, the
/// second force's; the social worker, the out-of-hours team and the home's manager social care's;
/// an address the sender added page 1 and Part 2 only, unless a manager widened it.
pub fn audience_of(r: &Recipient) -> Audience {
    r.audience.unwrap_or(match r.role {
        Role::Police => Audience::Police,
        Role::SocialWorker | Role::OutOfHours | Role::Manager => Audience::SocialCare,
        Role::Other => Audience::ExtraAddress,
    })
}

/// A manager's confirmation that an address outside the public-service domains may have the pack.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagerConfirmation {
    /// Who confirmed it (the acting manager's name).
    pub by: String,
    pub reason: String,
}

/// What the rules propose, and who they could not reach by email or intake.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// Police units the home has no confirmed address for: phone them. Shown first.
    pub call_advice: Vec<CallAdvice>,
    pub recipients: Vec<Recipient>,
    /// People the rules wanted but who have no address: phone them.
    pub unreachable: Vec<String>,
}

/// Phone a police unit instead of sending to it: the home has no confirmed address for it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallAdvice {
    pub unit_id: String,
    pub unit_name: String,
    /// Why the rules wanted this unit (where the child went missing, or their home area).
    pub why: String,
    /// The unit's non-emergency number from the directory (101 unless the home changed it).
    pub phone_non_emergency: String,
    /// The unit's emergency number (999).
    pub phone_emergency: String,
    /// "Call 101 (999 if in danger) and say you have a Philomena Protocol form".
    pub call: String,
    /// "no confirmed address for <unit>: a manager can add it in Settings".
    pub no_address: String,
}

/// True when a person entered or confirmed the unit's contacts (not the shipped placeholders).
/// Only then may the unit be sent a pack. How long ago (`last_verified`) only warns.
pub fn has_confirmed_contacts(unit: &Unit) -> bool {
    !unit.channels.placeholder
}

/// What to say instead of sending to `unit`.
pub fn call_advice(unit: &Unit, why: &str) -> CallAdvice {
    let or = |s: &str, d: &str| {
        if s.trim().is_empty() {
            d.to_string()
        } else {
            s.trim().to_string()
        }
    };
    let phone_non_emergency = or(&unit.channels.phone_non_emergency, "101");
    let phone_emergency = or(&unit.channels.phone_emergency, "999");
    CallAdvice {
        unit_id: unit.id.clone(),
        unit_name: unit.name.clone(),
        why: why.into(),
        call: format!(
            "Call {phone_non_emergency} ({phone_emergency} if in danger) and say you have a Philomena Protocol form"
        ),
        no_address: format!(
            "no confirmed address for {}: a manager can add it in Settings",
            unit.name
        ),
        phone_non_emergency,
        phone_emergency,
    }
}

/// A police unit, proposed when the home has confirmed its contacts, else phoned.
fn police(
    unit: &Unit,
    settings: &SendSettings,
    why: &str,
    audience: Option<Audience>,
    out: &mut Proposal,
) {
    if !has_confirmed_contacts(unit) {
        out.call_advice.push(call_advice(unit, why));
        return;
    }
    match police_recipient(unit, settings, why) {
        Some(r) => out.recipients.push(Recipient { audience, ..r }),
        None => out
            .unreachable
            .push(format!("{} (police): phone {}", unit.name, {
                let p = unit.channels.phone_non_emergency.trim();
                if p.is_empty() { "101" } else { p }
            })),
    }
}

fn police_recipient(unit: &Unit, settings: &SendSettings, reason: &str) -> Option<Recipient> {
    let ch = &unit.channels;
    // An intake is preferred when the home holds a token for it: the police see it at once and
    // can acknowledge it back.
    if let Some(url) = ch
        .https_intake
        .as_ref()
        .filter(|u| settings.intake_tokens.contains_key(u.as_str()))
    {
        return Some(Recipient {
            id: format!("police:{}", unit.id),
            role: Role::Police,
            name: unit.name.clone(),
            channel: Channel::Https,
            address: url.clone(),
            reason: reason.into(),
            confirmed_by_manager: None,
            audience: None,
            widened_by_manager: None,
        });
    }
    ch.email
        .as_ref()
        .filter(|e| !e.trim().is_empty())
        .map(|e| Recipient {
            id: format!("police:{}", unit.id),
            role: Role::Police,
            name: unit.name.clone(),
            channel: Channel::Email,
            address: e.clone(),
            reason: reason.into(),
            confirmed_by_manager: None,
            audience: None,
            widened_by_manager: None,
        })
}

fn person(
    id: &str,
    role: Role,
    name: &str,
    email: &str,
    what: &str,
    reason: &str,
    out: &mut Proposal,
) {
    let email = email.trim();
    let label = if name.trim().is_empty() {
        what.to_string()
    } else {
        format!("{} ({what})", name.trim())
    };
    if email.is_empty() {
        out.unreachable.push(label);
        return;
    }
    out.recipients.push(Recipient {
        id: id.into(),
        role,
        name: label,
        channel: Channel::Email,
        address: email.into(),
        reason: reason.into(),
        confirmed_by_manager: None,
        audience: None,
        widened_by_manager: None,
    });
}

/// Propose recipients for a child missing from `missing_from_unit` (the home's unit when `None`).
pub fn propose(
    form: &ChildForm,
    missing_from_unit: Option<&str>,
    directory: &Directory,
    settings: &SendSettings,
) -> Proposal {
    let mut out = Proposal::default();
    let missing_unit = missing_from_unit
        .or(settings.home_police_unit.as_deref())
        .and_then(|id| directory.unit(id).ok());
    match missing_unit {
        Some(u) => police(
            u,
            settings,
            "police for where the child went missing",
            None,
            &mut out,
        ),
        None => out
            .unreachable
            .push("police: the home's police area is not set; phone 101".into()),
    }
    // Placed out of area: the child's home-area police too.
    let home_area = directory.unit_for_area(&form.placement.placing_council);
    if let (Some(home), Some(missing)) = (home_area, missing_unit)
        && home.id != missing.id
    {
        let reason = "the child is placed out of area: police for their home area";
        police(
            home,
            settings,
            reason,
            Some(Audience::SecondForce),
            &mut out,
        );
    }
    let p = &form.placement;
    person(
        "social_worker",
        Role::SocialWorker,
        &p.social_worker.name,
        &p.social_worker.email,
        "social worker",
        "the child's social worker is told of every episode",
        &mut out,
    );
    person(
        "out_of_hours",
        Role::OutOfHours,
        &p.out_of_hours.name,
        &p.out_of_hours.email,
        "out-of-hours team",
        "the placing council's out-of-hours team",
        &mut out,
    );
    person(
        "manager",
        Role::Manager,
        &p.registered_manager.name,
        &p.registered_manager.email,
        "registered manager",
        "the home's registered manager",
        &mut out,
    );
    out
}

/// The domains police, councils and the NHS receive packs on. A home's manager can add more
/// (`SendSettings::public_domains`); an address under none of them needs a manager's reason.
pub const PUBLIC_SERVICE_DOMAINS: &[&str] = &["police.uk", "gov.uk", "nhs.net", "cjsm.net"];

/// The host an email address or intake URL goes to, lower case.
fn host_of(address: &str) -> String {
    let a = address.trim();
    let host = match a.split_once("://") {
        Some((_, rest)) => rest
            .split(['/', '?', '#'])
            .next()
            .unwrap_or_default()
            .rsplit('@')
            .next()
            .unwrap_or_default()
            .split(':')
            .next()
            .unwrap_or_default(),
        None => a.rsplit_once('@').map(|(_, d)| d).unwrap_or_default(),
    };
    host.trim_end_matches('.').to_lowercase()
}

/// True when `address` is on a public-service domain (shipped, or one of `home_domains`), or
/// below one (`x@council.gov.uk`, `https://intake.kent.police.uk/`).
pub fn is_public_service(address: &str, home_domains: &[String]) -> bool {
    let host = host_of(address);
    !host.is_empty()
        && PUBLIC_SERVICE_DOMAINS
            .iter()
            .copied()
            .chain(home_domains.iter().map(String::as_str))
            .any(|d| host == d || host.ends_with(&format!(".{d}")))
}

/// A domain as a manager typed it, checked: trimmed, lower case, without a leading `@` or `.`.
pub fn checked_domain(typed: &str) -> Result<String> {
    let d = typed
        .trim()
        .trim_start_matches(['@', '.'])
        .trim_end_matches('.')
        .to_lowercase();
    let ok = d.contains('.')
        && d.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if ok {
        Ok(d)
    } else {
        Err(SendError::BadDomain(typed.trim().to_string()))
    }
}

/// Check every added address outside the public-service domains: refused
/// (`send.needs_manager`) unless the person sending is a manager (`manager` is their name), and
/// then only with a reason (`send.reason_required`). Each confirmed address carries who
/// confirmed it and why, so the episode's recipients record keeps it. Returns the addresses
/// confirmed.
pub fn confirm_outside_addresses(
    chosen: &mut [Recipient],
    choice: &Choice,
    home_domains: &[String],
    manager: Option<&str>,
) -> Result<Vec<String>> {
    let mut confirmed = Vec::new();
    for r in chosen.iter_mut().filter(|r| r.role == Role::Other) {
        if is_public_service(&r.address, home_domains) {
            continue;
        }
        let Some(by) = manager else {
            return Err(SendError::NeedsManager(r.address.clone()));
        };
        let reason = choice.manager_reason.as_deref().map(str::trim);
        let Some(reason) = reason.filter(|r| !r.is_empty()) else {
            return Err(SendError::ReasonRequired(r.address.clone()));
        };
        r.confirmed_by_manager = Some(ManagerConfirmation {
            by: by.to_string(),
            reason: reason.to_string(),
        });
        confirmed.push(r.address.clone());
    }
    Ok(confirmed)
}

/// A manager widens added addresses from page 1 and Part 2 to the full pack: each named in
/// `choice.widen` (by address or id) gets [`Audience::ExtraAddressWidened`] and the manager's
/// name and reason. Only an address the sender added can be widened (everyone else already has a
/// full version). Returns the addresses widened, for the audit log.
///
/// # Errors
/// `send.widen_needs_manager` when the person sending is not a manager,
/// `send.widen_reason_required` without a reason.
pub fn widen_extra_addresses(
    chosen: &mut [Recipient],
    choice: &Choice,
    manager: Option<&str>,
) -> Result<Vec<String>> {
    let mut widened = Vec::new();
    let named = |r: &Recipient| choice.widen.iter().any(|w| *w == r.address || *w == r.id);
    for r in chosen
        .iter_mut()
        .filter(|r| r.role == Role::Other && named(r))
    {
        let Some(by) = manager else {
            return Err(SendError::WidenNeedsManager(r.address.clone()));
        };
        let reason = choice.widen_reason.as_deref().map(str::trim);
        let Some(reason) = reason.filter(|r| !r.is_empty()) else {
            return Err(SendError::WidenReasonRequired(r.address.clone()));
        };
        r.audience = Some(Audience::ExtraAddressWidened);
        r.widened_by_manager = Some(ManagerConfirmation {
            by: by.to_string(),
            reason: reason.to_string(),
        });
        widened.push(r.address.clone());
    }
    Ok(widened)
}

/// A police unit the rules would send this home's packs to, whose contacts nobody has confirmed.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitToConfirm {
    pub unit_id: String,
    pub unit_name: String,
    /// The home's own police area, or the home area of children placed from there.
    pub why: String,
}

/// The home's units that still need confirmed contacts: its own police area, and the home-area
/// unit of every child placed out of area (the proposal sends to both). Set-up and Settings
/// show them, so a manager can add the addresses before a child goes missing.
pub fn units_needing_contacts(store: &Store, today: Date) -> Result<Vec<UnitToConfirm>> {
    let settings = SendSettings::load(store)?;
    let directory = Directory::load(store)?;
    let home = settings
        .home_police_unit
        .as_deref()
        .and_then(|id| directory.unit(id).ok());
    let mut out: Vec<UnitToConfirm> = Vec::new();
    if let Some(u) = home.filter(|u| !has_confirmed_contacts(u)) {
        out.push(UnitToConfirm {
            unit_id: u.id.clone(),
            unit_name: u.name.clone(),
            why: "the home's own police area".into(),
        });
    }
    for row in store.dashboard(today)?.into_iter().filter(|r| !r.damaged) {
        let form = store.child_unaudited(&row.id)?.form;
        let council = form.placement.placing_council.trim();
        let Some(unit) = directory.unit_for_area(council) else {
            continue;
        };
        if home.is_some_and(|h| h.id == unit.id) || has_confirmed_contacts(unit) {
            continue;
        }
        let why = format!("home area of children placed by {council}");
        match out.iter_mut().find(|u| u.unit_id == unit.id) {
            Some(u) if !u.why.contains(&why) => u.why = format!("{}; {why}", u.why),
            Some(_) => {}
            None => out.push(UnitToConfirm {
                unit_id: unit.id.clone(),
                unit_name: unit.name.clone(),
                why,
            }),
        }
    }
    Ok(out)
}

/// The sender's changes to a proposal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Recipient ids to leave out.
    pub remove: Vec<String>,
    pub add: Vec<Recipient>,
    /// A manager's reason for sending to added addresses outside the public-service domains.
    #[serde(default)]
    pub manager_reason: Option<String>,
    /// Added addresses a manager widens from page 1 and Part 2 to the full pack.
    #[serde(default)]
    pub widen: Vec<String>,
    /// The manager's reason for widening them (kept on the episode and in the audit log).
    #[serde(default)]
    pub widen_reason: Option<String>,
}

impl Choice {
    /// The sender's choice as typed on any screen or command line: ids to leave out, and extra
    /// addresses (email or https intake). Each typed address is trimmed and blank ones dropped,
    /// so the app and the command line make the same choice from the same typing. An address
    /// that is still unusable is not refused here: it fails as that recipient's own delivery and
    /// never holds the pack back from everyone else.
    pub fn typed<S: AsRef<str>>(remove: Vec<String>, add: &[S]) -> Self {
        Self {
            remove,
            add: add
                .iter()
                .map(|a| a.as_ref().trim())
                .filter(|a| !a.is_empty())
                .map(|a| extra(a, ""))
                .collect(),
            manager_reason: None,
            widen: Vec::new(),
            widen_reason: None,
        }
    }

    /// The same choice, with these added addresses (as typed) widened to the full pack for a
    /// manager's reason.
    pub fn with_widened<S: AsRef<str>>(self, addresses: &[S], reason: Option<String>) -> Self {
        Self {
            widen: addresses
                .iter()
                .map(|a| a.as_ref().trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect(),
            widen_reason: reason.filter(|r| !r.trim().is_empty()),
            ..self
        }
    }

    /// The same choice, with a manager's reason for any address outside the public services.
    pub fn with_manager_reason(self, reason: Option<String>) -> Self {
        Self {
            manager_reason: reason.filter(|r| !r.trim().is_empty()),
            ..self
        }
    }
}

/// Apply the sender's choice to the proposal.
pub fn choose(proposal: &Proposal, choice: &Choice) -> Vec<Recipient> {
    let mut out: Vec<Recipient> = proposal
        .recipients
        .iter()
        .filter(|r| !choice.remove.contains(&r.id))
        .cloned()
        .collect();
    for r in &choice.add {
        if !out.iter().any(|x| x.id == r.id) {
            out.push(r.clone());
        }
    }
    out
}

/// Who is told at once when police would not accept the report: the social worker and the
/// placing council's out-of-hours team (the record councils told the London Assembly they never
/// get). Police and the manager are not in this notice.
pub fn not_accepted_notice(chosen: Vec<Recipient>) -> Vec<Recipient> {
    chosen
        .into_iter()
        .filter(|r| matches!(r.role, Role::SocialWorker | Role::OutOfHours))
        .collect()
}

/// An extra recipient typed by the sender: an email address or an https intake URL.
pub fn extra(address: &str, name: &str) -> Recipient {
    let address = address.trim();
    let name = name.trim();
    let https = address.starts_with("https://") || address.starts_with("http://");
    Recipient {
        id: format!("other:{address}"),
        role: Role::Other,
        name: if name.is_empty() {
            address.to_string()
        } else {
            name.to_string()
        },
        channel: if https {
            Channel::Https
        } else {
            Channel::Email
        },
        address: address.to_string(),
        reason: "added by the person sending".into(),
        confirmed_by_manager: None,
        audience: None,
        widened_by_manager: None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn form(placing: &str) -> ChildForm {
        let mut f = ChildForm::default();
        f.placement.placing_council = placing.into();
        f.placement.social_worker.name = "Sam Example (fictional)".into();
        f.placement.social_worker.email = "sw@council.example".into();
        f.placement.out_of_hours.email = "edt@council.example".into();
        f.placement.registered_manager.name = "Rita Example (fictional)".into();
        f
    }

    fn settings(home: &str) -> SendSettings {
        SendSettings {
            home_police_unit: Some(home.into()),
            ..Default::default()
        }
    }

    /// The shipped directory with these units' addresses entered by the home (fictional).
    fn confirmed(ids: &[&str]) -> Directory {
        let mut d = Directory::shipped().unwrap();
        for id in ids {
            let mut u = d.unit(id).unwrap().clone();
            u.channels.email = Some(format!("missing@{id}.police.uk.example"));
            u.channels.placeholder = false;
            d.lay_over(u);
        }
        d
    }

    #[test]
    fn a_child_placed_locally_goes_to_the_local_police_social_worker_and_edt() {
        let d = confirmed(&["met-central-north"]);
        let p = propose(&form("Camden"), None, &d, &settings("met-central-north"));
        let ids: Vec<&str> = p.recipients.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            ["police:met-central-north", "social_worker", "out_of_hours"]
        );
        assert_eq!(
            p.unreachable.len(),
            1,
            "the manager has no email: {:?}",
            p.unreachable
        );
    }

    #[test]
    fn a_child_placed_out_of_area_also_goes_to_their_home_area_police() {
        let d = confirmed(&["kent", "met-central-south"]);
        let p = propose(&form("Lambeth"), None, &d, &settings("kent"));
        let ids: Vec<&str> = p.recipients.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids[..2], ["police:kent", "police:met-central-south"]);
    }

    #[test]
    fn each_recipient_gets_the_version_for_their_audience() {
        let d = confirmed(&["kent", "met-central-south"]);
        let mut f = form("Lambeth");
        f.placement.registered_manager.email = "rita@home.example".into();
        let p = propose(&f, None, &d, &settings("kent"));
        let versions: Vec<(&str, Audience)> = p
            .recipients
            .iter()
            .map(|r| (r.id.as_str(), audience_of(r)))
            .collect();
        assert_eq!(
            versions,
            [
                ("police:kent", Audience::Police),
                ("police:met-central-south", Audience::SecondForce),
                ("social_worker", Audience::SocialCare),
                ("out_of_hours", Audience::SocialCare),
                ("manager", Audience::SocialCare),
            ]
        );
        assert_eq!(
            audience_of(&extra("friend@example.org", "")),
            Audience::ExtraAddress
        );
    }

    #[test]
    fn only_a_manager_with_a_reason_widens_an_added_address_to_the_full_pack() {
        let choice = Choice::typed(vec![], &["friend@example.org"])
            .with_widened(&["friend@example.org"], None);
        let mut chosen = choice.add.clone();
        assert_eq!(
            widen_extra_addresses(&mut chosen, &choice, None)
                .unwrap_err()
                .code(),
            "send.widen_needs_manager"
        );
        assert_eq!(
            widen_extra_addresses(&mut chosen, &choice, Some("Rita"))
                .unwrap_err()
                .code(),
            "send.widen_reason_required"
        );
        assert_eq!(audience_of(&chosen[0]), Audience::ExtraAddress);
        let choice = choice.with_widened(&["friend@example.org"], Some("Her advocate".into()));
        let widened = widen_extra_addresses(&mut chosen, &choice, Some("Rita")).unwrap();
        assert_eq!(widened, ["friend@example.org"]);
        assert_eq!(audience_of(&chosen[0]), Audience::ExtraAddressWidened);
        assert_eq!(
            chosen[0]
                .widened_by_manager
                .as_ref()
                .map(|m| m.reason.as_str()),
            Some("Her advocate")
        );
    }

    #[test]
    fn a_refused_report_is_told_to_the_social_worker_and_out_of_hours_team_not_the_police() {
        let d = confirmed(&["met-central-north"]);
        let p = propose(&form("Camden"), None, &d, &settings("met-central-north"));
        let told: Vec<Role> = not_accepted_notice(p.recipients)
            .iter()
            .map(|r| r.role)
            .collect();
        assert_eq!(told, [Role::SocialWorker, Role::OutOfHours]);
    }

    #[test]
    fn the_sender_can_remove_and_add_recipients() {
        let d = confirmed(&["met-central-north"]);
        let p = propose(&form("Camden"), None, &d, &settings("met-central-north"));
        let chosen = choose(
            &p,
            &Choice {
                remove: vec!["out_of_hours".into()],
                add: vec![extra("duty@council.example", "Duty desk")],
                manager_reason: None,
                widen: Vec::new(),
                widen_reason: None,
            },
        );
        let ids: Vec<&str> = chosen.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "police:met-central-north",
                "social_worker",
                "other:duty@council.example"
            ]
        );
    }

    #[test]
    fn typed_addresses_are_trimmed_and_blank_ones_dropped() {
        let choice = Choice::typed(
            vec![],
            &[
                "  duty@council.example \n",
                "   ",
                "",
                "\thttps://intake.example/ ",
            ],
        );
        let added: Vec<(&str, &str)> = choice
            .add
            .iter()
            .map(|r| (r.id.as_str(), r.address.as_str()))
            .collect();
        assert_eq!(
            added,
            [
                ("other:duty@council.example", "duty@council.example"),
                ("other:https://intake.example/", "https://intake.example/")
            ]
        );
        assert_eq!(choice.add[1].channel, Channel::Https);
    }

    #[test]
    fn a_unit_with_placeholder_contacts_is_phoned_never_sent_to() {
        let d = Directory::shipped().unwrap();
        let p = propose(&form("Lambeth"), None, &d, &settings("kent"));
        assert!(
            p.recipients.iter().all(|r| r.role != Role::Police),
            "a placeholder police address was proposed: {:?}",
            p.recipients
        );
        assert!(
            p.recipients
                .iter()
                .all(|r| !r.address.ends_with(".police.example")),
            "{:?}",
            p.recipients
        );
        let advice: Vec<(&str, &str, &str)> = p
            .call_advice
            .iter()
            .map(|a| (a.unit_id.as_str(), a.call.as_str(), a.no_address.as_str()))
            .collect();
        assert_eq!(
            advice,
            [
                (
                    "kent",
                    "Call 101 (999 if in danger) and say you have a Philomena Protocol form",
                    "no confirmed address for Kent Police: a manager can add it in Settings"
                ),
                (
                    "met-central-south",
                    "Call 101 (999 if in danger) and say you have a Philomena Protocol form",
                    "no confirmed address for Metropolitan Police Central South BCU: a manager can add it in Settings"
                ),
            ]
        );
        assert_eq!(p.call_advice[0].phone_non_emergency, "101");
    }

    #[test]
    fn a_confirmed_unit_is_sent_to_and_an_unconfirmed_one_beside_it_is_phoned() {
        let d = confirmed(&["kent"]);
        let p = propose(&form("Lambeth"), None, &d, &settings("kent"));
        let police: Vec<&str> = p
            .recipients
            .iter()
            .filter(|r| r.role == Role::Police)
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(police, ["police:kent"]);
        let phoned: Vec<&str> = p.call_advice.iter().map(|a| a.unit_id.as_str()).collect();
        assert_eq!(phoned, ["met-central-south"]);
    }

    #[test]
    fn public_service_domains_and_the_homes_own_need_no_manager() {
        let home = vec!["council.example.org".to_string()];
        for ok in [
            "duty@kent.police.uk",
            "Duty@Lambeth.GOV.UK",
            "team@nhs.net",
            "x@org.cjsm.net",
            "https://intake.kent.police.uk/",
            "edt@council.example.org",
            "edt@edt.council.example.org",
        ] {
            assert!(is_public_service(ok, &home), "{ok}");
        }
        for no in [
            "someone@gmail.example",
            "x@police.uk.evil.example",
            "x@notpolice.uk",
            "https://police.uk.example/",
            "no-at-sign",
            "x@council.example.org.evil.example",
        ] {
            assert!(!is_public_service(no, &home), "{no}");
        }
    }

    #[test]
    fn an_address_outside_public_services_needs_a_manager_and_a_reason() {
        let d = confirmed(&["met-central-north"]);
        let p = propose(&form("Camden"), None, &d, &settings("met-central-north"));
        let choice = Choice::typed(vec![], &["aunt@mail.example", "duty@camden.gov.uk"]);
        let mut chosen = choose(&p, &choice);
        let err = confirm_outside_addresses(&mut chosen, &choice, &[], None).unwrap_err();
        assert_eq!(err.code(), "send.needs_manager");
        let err = confirm_outside_addresses(&mut chosen, &choice, &[], Some("Rita (fictional)"))
            .unwrap_err();
        assert_eq!(err.code(), "send.reason_required");
        let choice =
            choice.with_manager_reason(Some("  the child's aunt is searching (fictional) ".into()));
        let confirmed =
            confirm_outside_addresses(&mut chosen, &choice, &[], Some("Rita (fictional)")).unwrap();
        assert_eq!(confirmed, ["aunt@mail.example"]);
        let aunt = chosen
            .iter()
            .find(|r| r.address == "aunt@mail.example")
            .unwrap();
        assert_eq!(
            aunt.confirmed_by_manager,
            Some(ManagerConfirmation {
                by: "Rita (fictional)".into(),
                reason: "the child's aunt is searching (fictional)".into()
            })
        );
        let council = chosen
            .iter()
            .find(|r| r.address == "duty@camden.gov.uk")
            .unwrap();
        assert_eq!(council.confirmed_by_manager, None);
    }

    #[test]
    fn a_domain_a_manager_adds_is_checked() {
        assert_eq!(
            checked_domain(" @Council.Example.org ").unwrap(),
            "council.example.org"
        );
        for bad in ["council", "a b.org", "x@y.org/", "..org", ""] {
            assert_eq!(
                checked_domain(bad).unwrap_err().code(),
                "send.bad_domain",
                "{bad}"
            );
        }
    }
}
