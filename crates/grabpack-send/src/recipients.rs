//! Who should get the pack, proposed by rule; the person sending decides.
//!
//! Why rules: the London Assembly heard of confusion over which police area leads when a child is
//! placed out of area, and of social workers who never heard of an episode. The proposal is: the
//! police unit for where the child went missing (the home's own area unless changed), the police
//! unit for the child's home area when they are placed out of area, the social worker, the placing
//! council's out-of-hours team and the registered manager. The sender can add or remove anyone;
//! both the proposal and the choice are recorded on the episode.

use grabpack_core::ChildForm;
use grabpack_store::outbox::Channel;
use serde::{Deserialize, Serialize};

use crate::directory::{Directory, Unit};
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
}

/// What the rules propose, and who they could not reach by email or intake.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub recipients: Vec<Recipient>,
    /// People the rules wanted but who have no address: phone them.
    pub unreachable: Vec<String>,
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
        Some(u) => match police_recipient(u, settings, "police for where the child went missing") {
            Some(r) => out.recipients.push(r),
            None => out
                .unreachable
                .push(format!("{} (police): phone 101", u.name)),
        },
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
        match police_recipient(home, settings, reason) {
            Some(r) => out.recipients.push(r),
            None => out
                .unreachable
                .push(format!("{} (police, home area)", home.name)),
        }
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

/// The sender's changes to a proposal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Recipient ids to leave out.
    pub remove: Vec<String>,
    pub add: Vec<Recipient>,
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

    #[test]
    fn a_child_placed_locally_goes_to_the_local_police_social_worker_and_edt() {
        let d = Directory::shipped().unwrap();
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
        let d = Directory::shipped().unwrap();
        let p = propose(&form("Lambeth"), None, &d, &settings("kent"));
        let ids: Vec<&str> = p.recipients.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids[..2], ["police:kent", "police:met-central-south"]);
    }

    #[test]
    fn a_refused_report_is_told_to_the_social_worker_and_out_of_hours_team_not_the_police() {
        let d = Directory::shipped().unwrap();
        let p = propose(&form("Camden"), None, &d, &settings("met-central-north"));
        let told: Vec<Role> = not_accepted_notice(p.recipients)
            .iter()
            .map(|r| r.role)
            .collect();
        assert_eq!(told, [Role::SocialWorker, Role::OutOfHours]);
    }

    #[test]
    fn the_sender_can_remove_and_add_recipients() {
        let d = Directory::shipped().unwrap();
        let p = propose(&form("Camden"), None, &d, &settings("met-central-north"));
        let chosen = choose(
            &p,
            &Choice {
                remove: vec!["out_of_hours".into()],
                add: vec![extra("duty@council.example", "Duty desk")],
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
}
