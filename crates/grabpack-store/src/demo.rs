//! The demo store's children, shared by `grabpack demo` and the app's demo mode: fictional children
//! covering every readiness state, with generated portraits.
//!
//! Everything here is invented. The photos are drawn by `grabpack_photo::synthetic_portrait`, not
//! taken of anyone.

use crate::ids::ChildId;
use crate::{Store, StoreError};
use grabpack_core::interchange::{ChildDocument, PhotoRecord};
use grabpack_core::sample::complete_form;
use grabpack_core::{Concern, PhotoKind, RiskEntry};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};

fn portrait(seed: u64) -> Result<Vec<u8>, StoreError> {
    Ok(grabpack_photo::synthetic_portrait(seed, 900, 1200)?)
}

/// Fill `store` with the demo children; returns their ids in the order added.
pub fn populate(store: &mut Store, today: Date) -> Result<Vec<ChildId>, StoreError> {
    let mut ids = Vec::new();
    let days_ago = |n: i64| today.saturating_sub(n.days());

    // Ready: complete, recent photo, reviewed today.
    let maya = complete_form(
        "Maya Thompson (fictional)",
        "May",
        Date::constant(2011, 5, 4),
        today,
    );
    let id = store.create_child(&maya, "demo: placement start")?;
    store.add_photo(&id, &portrait(1)?, PhotoKind::Face, Some(days_ago(12)))?;
    store.add_photo(
        &id,
        &portrait(11)?,
        PhotoKind::FullLength,
        Some(days_ago(12)),
    )?;
    ids.push(id);

    // Attention: the face photo is five months old.
    let mut kwame = complete_form(
        "Kwame Mensah (fictional)",
        "KJ",
        Date::constant(2010, 9, 17),
        today,
    );
    kwame.identity.gender = "Male".into();
    kwame.identity.ethnicity = Some(grabpack_core::Ethnicity::BlackAfrican);
    kwame.identity.appearance = "Dark skin, short black hair in twists".into();
    // A foster placement: the fostering agency's contacts matter, not a registered manager's.
    kwame.placement.placement_type = Some(grabpack_core::PlacementType::FosterCare);
    kwame.placement.registered_manager = grabpack_core::Contact::default();
    kwame.placement.address.lines = vec!["14 Sample Close (fictional foster home)".into()];
    kwame.placement.fostering_agency = grabpack_core::Contact {
        name: "Brightside Fostering (fictional)".into(),
        phone: "020 7946 0010".into(),
        email: "duty@brightside-fostering.example".into(),
    };
    kwame.placement.supervising_social_worker = grabpack_core::Professional {
        name: "Chris Okafor (fictional)".into(),
        team: "Brightside Fostering (fictional)".into(),
        phone: "020 7946 0011".into(),
        email: "chris.okafor@brightside-fostering.example".into(),
    };
    kwame.placement.agency_out_of_hours = grabpack_core::Contact {
        name: "Brightside out of hours (fictional)".into(),
        phone: "020 7946 0012".into(),
        email: String::new(),
    };
    let id = store.create_child(&kwame, "demo")?;
    store.add_photo(&id, &portrait(2)?, PhotoKind::Face, Some(days_ago(150)))?;
    ids.push(id);

    // Attention: handed over from another placement, last reviewed there 45 days ago.
    let zofia = complete_form(
        "Zofia Nowak (fictional)",
        "Zosia",
        Date::constant(2012, 1, 23),
        days_ago(45),
    );
    let doc = ChildDocument::new(
        Timestamp::now(),
        "previous-placement-demo".into(),
        zofia,
        vec![PhotoRecord::new(
            PhotoKind::Face,
            Some(days_ago(20)),
            Timestamp::now(),
            &portrait(3)?,
        )],
    );
    ids.push(store.import(&doc.to_json())?);

    // Not ready: new arrival, critical fields still empty. Names in Bengali script too.
    let mut rahim = complete_form(
        "Rahim Chowdhury (fictional)",
        "রহিম চৌধুরী",
        Date::constant(2013, 7, 2),
        today,
    );
    rahim.identity.gender = "Male".into();
    rahim.identity.date_of_birth = None;
    rahim.phones_online.mobiles.clear();
    rahim.risks.criminal_exploitation = RiskEntry::default();
    rahim.places.risk_assessed.clear();
    let id = store.create_child(&rahim, "demo: emergency placement last night")?;
    store.add_photo(&id, &portrait(4)?, PhotoKind::Face, Some(days_ago(1)))?;
    ids.push(id);

    // Ready, with an Arabic known-as name and a known exploitation risk.
    let mut amira = complete_form(
        "Amira Haddad (fictional)",
        "أميرة حداد",
        Date::constant(2009, 11, 30),
        today,
    );
    amira.risks.criminal_exploitation = RiskEntry {
        concern: Some(Concern::Known),
        note: "County lines: found in Southend twice (fictional)".into(),
    };
    let id = store.create_child(&amira, "demo")?;
    store.add_photo(&id, &portrait(5)?, PhotoKind::Face, Some(days_ago(30)))?;
    ids.push(id);

    Ok(ids)
}
