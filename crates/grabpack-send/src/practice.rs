//! Which force's practice applies to an episode: the unit the child went missing from (else the
//! home's own), turned into its force through the directory, then that force's entry in
//! `assets/police/practice.json` (`grabpack_core::practice`), or the national advice.
//!
//! Why here: the practice file is keyed by force, and only the directory knows which force a BCU
//! belongs to; the sender already reads the directory for every episode screen.

use grabpack_core::practice::{ForcePractice, Practice};
use grabpack_store::StoreError;

use crate::directory::Directory;
use crate::error::Result;

/// The practice for the force covering `unit_id` (a force or BCU id); the national advice when no
/// unit is known, the unit is not in the directory, or the file does not list its force.
pub fn for_unit(directory: &Directory, unit_id: Option<&str>) -> Result<ForcePractice> {
    let practice = Practice::shipped().map_err(StoreError::from)?;
    let force = unit_id
        .and_then(|id| directory.unit(id).ok())
        .map(|unit| directory.force_of(unit).id.clone());
    Ok(practice.for_force(force.as_deref()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_force_in_the_practice_file_is_a_force_in_the_directory() {
        let d = Directory::shipped().unwrap();
        let p = Practice::shipped().unwrap();
        let ids: Vec<&str> = p.force_ids().collect();
        assert!(!ids.is_empty());
        for id in ids {
            let unit = d
                .unit(id)
                .unwrap_or_else(|_| panic!("'{id}' is not in the directory"));
            assert_eq!(unit.kind, "force", "'{id}' is a {}, not a force", unit.kind);
        }
    }

    #[test]
    fn a_met_bcu_takes_londons_practice_and_an_unknown_unit_the_national_advice() {
        let d = Directory::shipped().unwrap();
        let bcu = for_unit(&d, Some("met-central-north")).unwrap();
        assert_eq!(bcu.force_id.as_deref(), Some("metropolitan"));
        assert_eq!(bcu.prevention_interview.within_hours, Some(24));
        let national = for_unit(&d, None).unwrap();
        assert_eq!(national.force_id, None);
        assert_eq!(for_unit(&d, Some("no-such-unit")).unwrap(), national);
    }
}
