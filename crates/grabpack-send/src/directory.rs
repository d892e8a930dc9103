//! The police directory: which unit covers which area, and how to reach it.
//!
//! Why a shipped file plus edited copies: forces rarely publish a missing-persons mailbox, unit
//! names change, and each home is told its own contacts. The shipped data (assets/police) gives the
//! 45 territorial forces, British Transport Police and the Met's 12 BCUs with placeholder contacts;
//! a manager's edits are kept in the encrypted store (every version kept, audited) and win over
//! the shipped entry. Each entry carries `last_verified` so a stale contact is visible.

use std::collections::BTreeMap;

use grabpack_store::Store;
use serde::{Deserialize, Serialize};

use crate::error::{Result, SendError};

/// The shipped directory, compiled in so the emergency path never reads a file.
pub const SHIPPED: &str = include_str!("../../../assets/police/directory.json");

/// How a unit can be reached.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Channels {
    pub phone_emergency: String,
    pub phone_non_emergency: String,
    /// Text number, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Where to email the pack, if the force gave one.
    pub email: Option<String>,
    /// Base URL of a grab-pack intake (protocol in docs/intake-protocol.md).
    pub https_intake: Option<String>,
    /// True while the contacts are the shipped placeholders, not ones a person entered.
    pub placeholder: bool,
    pub note: String,
}

/// A force or a BCU.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: String,
    /// `force` or `bcu`.
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub nation: String,
    /// The force a BCU belongs to.
    #[serde(default)]
    pub parent: Option<String>,
    /// Councils or boroughs covered, used to route by the child's placing council.
    #[serde(default)]
    pub areas: Vec<String>,
    #[serde(default)]
    pub channels: Channels,
    pub last_verified: String,
    #[serde(default)]
    pub unit_name_confirmed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// True when this entry comes from the home's edits rather than the shipped file.
    #[serde(default, skip_deserializing)]
    pub edited: bool,
}

#[derive(Debug, Deserialize)]
struct DirectoryFile {
    schema: String,
    units: Vec<Unit>,
}

/// Contacts a person changes for one unit; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct ContactsEdit {
    pub email: Option<String>,
    pub https_intake: Option<String>,
    pub phone_non_emergency: Option<String>,
}

/// The directory in force: shipped entries with the home's edits laid over them.
#[derive(Debug, Clone)]
pub struct Directory {
    units: BTreeMap<String, Unit>,
}

fn normalise_area(s: &str) -> String {
    let s = s.to_lowercase().replace('&', " and ");
    let mut words: Vec<&str> = s
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    // "London Borough of Lambeth", "Royal Borough of Greenwich", "Kent County Council", ...
    let drop = [
        "london",
        "borough",
        "royal",
        "of",
        "council",
        "county",
        "city",
        "metropolitan",
        "the",
        "district",
    ];
    if words.len() > 1 {
        words.retain(|w| !drop.contains(w));
    }
    words.join(" ")
}

impl Directory {
    /// The shipped directory only.
    pub fn shipped() -> Result<Self> {
        Self::parse(SHIPPED)
    }

    pub fn parse(json: &str) -> Result<Self> {
        let file: DirectoryFile =
            serde_json::from_str(json).map_err(|e| SendError::Directory(e.to_string()))?;
        if file.schema != "grabpack.police-directory.v1" {
            return Err(SendError::Directory(format!(
                "unknown schema '{}'",
                file.schema
            )));
        }
        Ok(Self {
            units: file.units.into_iter().map(|u| (u.id.clone(), u)).collect(),
        })
    }

    /// The shipped directory with this home's edits.
    pub fn load(store: &Store) -> Result<Self> {
        let mut dir = Self::shipped()?;
        for (id, json) in store.directory_overrides()? {
            let unit: Unit = serde_json::from_str(&json)
                .map_err(|e| SendError::Directory(format!("{id}: {e}")))?;
            dir.lay_over(unit);
        }
        Ok(dir)
    }

    /// Lay a home's edited entry over the shipped one (as [`Directory::load`] does for each).
    pub fn lay_over(&mut self, mut unit: Unit) {
        unit.edited = true;
        self.units.insert(unit.id.clone(), unit);
    }

    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.units.values()
    }

    pub fn unit(&self, id: &str) -> Result<&Unit> {
        self.units
            .get(id)
            .ok_or_else(|| SendError::UnknownUnit(id.to_string()))
    }

    /// The unit covering a council or borough: a Met BCU before the Met as a whole.
    pub fn unit_for_area(&self, area: &str) -> Option<&Unit> {
        let want = normalise_area(area);
        if want.is_empty() {
            return None;
        }
        let matches = |u: &&Unit| u.areas.iter().any(|a| normalise_area(a) == want);
        self.units
            .values()
            .filter(|u| u.kind == "bcu")
            .find(matches)
            .or_else(|| self.units.values().find(matches))
    }

    /// The force a unit belongs to (itself for a force).
    pub fn force_of<'a>(&'a self, unit: &'a Unit) -> &'a Unit {
        unit.parent
            .as_deref()
            .and_then(|p| self.units.get(p))
            .unwrap_or(unit)
    }

    /// Change a unit's contacts for this home, checked (an intake must be https), marked as
    /// entered by the home and verified on `verified`. `None` leaves a contact as it is; an empty
    /// string clears it. Returns the unit as saved.
    pub fn edit_contacts(
        store: &mut Store,
        unit_id: &str,
        edit: &ContactsEdit,
        verified: jiff::civil::Date,
    ) -> Result<Unit> {
        let mut u = Self::load(store)?.unit(unit_id)?.clone();
        // Once edited, the unit counts as confirmed: a shipped placeholder address the person
        // did not re-enter must not survive under that mark and be sent a pack.
        if u.channels.placeholder {
            u.channels.email = None;
            u.channels.https_intake = None;
        }
        if let Some(e) = &edit.email {
            let e = e.trim();
            if !e.is_empty() && !e.contains('@') {
                return Err(SendError::BadAddress(
                    e.to_string(),
                    "an email address has an @".into(),
                ));
            }
            u.channels.email = Some(e.to_string()).filter(|e| !e.is_empty());
        }
        if let Some(i) = &edit.https_intake {
            let i = i.trim();
            if !i.is_empty() {
                crate::transport::check_intake_url(i)?;
            }
            u.channels.https_intake = Some(i.to_string()).filter(|i| !i.is_empty());
        }
        if let Some(p) = &edit.phone_non_emergency {
            u.channels.phone_non_emergency = p.trim().to_string();
        }
        u.channels.placeholder = false;
        u.channels.note = "Entered by the home.".into();
        u.last_verified = verified.to_string();
        Self::save_edit(store, &u)?;
        u.edited = true;
        Ok(u)
    }

    /// Save an edited entry for this home (managers only). The shipped file is never changed.
    pub fn save_edit(store: &mut Store, unit: &Unit) -> Result<()> {
        let json = serde_json::to_string(unit).map_err(|e| SendError::Directory(e.to_string()))?;
        store.save_directory_entry(&unit.id, &json)?;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_directory_has_every_territorial_force_btp_and_the_twelve_met_bcus() {
        let d = Directory::shipped().unwrap();
        let forces = d.units().filter(|u| u.kind == "force").count();
        let bcus = d.units().filter(|u| u.kind == "bcu").count();
        assert_eq!(
            forces, 46,
            "45 territorial forces plus British Transport Police"
        );
        assert_eq!(bcus, 12);
        assert!(d.unit("btp").is_ok());
    }

    #[test]
    fn shipped_contact_addresses_are_fictional_placeholders() {
        let d = Directory::shipped().unwrap();
        for u in d.units() {
            assert!(u.channels.placeholder, "{}", u.id);
            if let Some(e) = &u.channels.email {
                assert!(e.ends_with(".police.example"), "{e}");
            }
            assert!(!u.last_verified.is_empty());
        }
    }

    #[test]
    fn a_london_borough_routes_to_its_bcu_and_a_county_to_its_force() {
        let d = Directory::shipped().unwrap();
        assert_eq!(
            d.unit_for_area("London Borough of Lambeth").unwrap().id,
            "met-central-south"
        );
        assert_eq!(
            d.unit_for_area("Kensington & Chelsea").unwrap().id,
            "met-central-west"
        );
        assert_eq!(d.unit_for_area("Kent County Council").unwrap().id, "kent");
        assert_eq!(
            d.unit_for_area("Manchester City Council").unwrap().id,
            "greater-manchester"
        );
        assert!(d.unit_for_area("Atlantis").is_none());
    }
}
