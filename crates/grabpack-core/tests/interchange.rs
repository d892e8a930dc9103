//! The child file format: round trips, refusal of what it does not understand, and the schema.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use grabpack_core::interchange::{self, ChildDocument, PhotoRecord, schema_json};
use grabpack_core::sample::complete_form;
use grabpack_core::*;
use jiff::Timestamp;
use jiff::civil::{Date, date};
use proptest::prelude::*;
use std::collections::BTreeSet;

const TODAY: Date = date(2026, 11, 28);

fn document(form: ChildForm) -> ChildDocument {
    let at: Timestamp = "2026-11-28T10:00:00Z".parse().unwrap();
    ChildDocument::new(
        at,
        "child-1".into(),
        form,
        vec![PhotoRecord::new(
            PhotoKind::Face,
            Some(date(2026, 11, 1)),
            at,
            &[0xFF, 0xD8, 0xFF, 0xD9],
        )],
    )
}

#[test]
fn the_committed_schema_matches_the_types() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/schema/child-v2.schema.json"
    );
    let generated = schema_json();
    if std::env::var_os("GRABPACK_UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/schema/child-v2.schema.json is out of date: run `GRABPACK_UPDATE_SCHEMA=1 cargo test --workspace --locked --test interchange` and commit it"
    );
}

#[test]
fn a_newer_version_is_refused_with_update_advice() {
    let mut v: serde_json::Value =
        serde_json::from_str(&document(ChildForm::default()).to_json()).unwrap();
    v["version"] = 3.into();
    let err = interchange::import(&v.to_string(), TODAY).unwrap_err();
    assert_eq!(err.code(), "interchange.unknown_version");
    assert!(err.to_string().contains("Update Grab Pack"));
}

#[test]
fn another_format_is_refused() {
    let err = interchange::import(r#"{"format":"something.else","version":1}"#, TODAY).unwrap_err();
    assert_eq!(err.code(), "interchange.unknown_format");
}

#[test]
fn a_misspelt_field_is_refused_naming_the_field() {
    let mut v: serde_json::Value =
        serde_json::from_str(&document(ChildForm::default()).to_json()).unwrap();
    v["child"]["form"]["identity"]["legal_nmae"] = "X".into();
    let err = interchange::import(&v.to_string(), TODAY).unwrap_err();
    assert_eq!(err.code(), "interchange.malformed");
    assert!(err.to_string().contains("child.form.identity"), "{err}");
    assert!(err.to_string().contains("legal_nmae"), "{err}");
}

#[test]
fn a_wrong_type_is_refused_naming_the_field() {
    let mut v: serde_json::Value =
        serde_json::from_str(&document(ChildForm::default()).to_json()).unwrap();
    v["child"]["form"]["description"]["height_cm"] = "tall".into();
    let err = interchange::import(&v.to_string(), TODAY).unwrap_err();
    assert!(
        err.to_string().contains("child.form.description.height_cm"),
        "{err}"
    );
}

#[test]
fn a_rule_broken_in_the_file_is_refused_naming_the_field() {
    let mut f = ChildForm::default();
    f.money_travel.bank_cards.push(BankCard {
        bank: "X".into(),
        last4: "4929123456784821".into(),
    });
    let err = interchange::import(&document(f).to_json(), TODAY).unwrap_err();
    assert_eq!(err.code(), "form.invalid");
    assert!(
        err.to_string()
            .contains("child.form.money_travel.bank_cards[0].last4"),
        "{err}"
    );
}

#[test]
fn broken_base64_in_a_photo_is_refused_naming_the_photo() {
    let mut v: serde_json::Value =
        serde_json::from_str(&document(ChildForm::default()).to_json()).unwrap();
    v["child"]["photos"][0]["jpeg_base64"] = "***".into();
    let err = interchange::import(&v.to_string(), TODAY).unwrap_err();
    assert!(
        err.to_string().contains("child.photos[0].jpeg_base64"),
        "{err}"
    );
}

#[test]
fn the_sample_child_survives_export_and_import() {
    let f = complete_form("Demo Child", "DC", date(2011, 5, 4), date(2026, 11, 20));
    let back = interchange::import(&document(f.clone()).to_json(), TODAY).unwrap();
    assert_eq!(back.form, f);
    assert_eq!(back.photos[0].jpeg, vec![0xFF, 0xD8, 0xFF, 0xD9]);
}

// Names and addresses in the scripts London's children write them in (all fictional).
const NAMES: &[&str] = &[
    "محمد عبدالله",
    "عائشہ خان",
    "রহিম চৌধুরী",
    "王小明",
    "李华",
    "Łukasz Wiśniewski",
    "Zofia Żółkiewska",
    "Nguyễn Thị Minh Khai",
    "Trần Văn Đức",
    "Amira O'Neil-Smith",
];
const ADDRESSES: &[&str] = &[
    "١٢ شارع المثال",
    "১২ উদাহরণ রোড",
    "示例路12号",
    "ul. Przykładowa 12",
    "12 Đường Ví Dụ",
    "Flat 3, 12 Example Road",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(NAMES).prop_map(String::from),
        prop::sample::select(ADDRESSES).prop_map(String::from),
        "[a-zA-Z0-9 ,.'-]{0,40}",
        "\\PC{0,30}".prop_filter("no password markers", |s| {
            !grabpack_core::validate::looks_like_password(s)
        }),
    ]
}

fn person() -> impl Strategy<Value = Person> {
    (
        prop::sample::select(NAMES),
        text(),
        prop::sample::select(ADDRESSES),
        any::<bool>(),
    )
        .prop_map(|(name, rel, addr, of_concern)| Person {
            name: name.into(),
            relationship: rel,
            address: Address {
                lines: vec![addr.into()],
                ..Address::default()
            },
            phones: vec!["07700 900123".into()],
            of_concern,
            ..Person::default()
        })
}

fn child_form() -> impl Strategy<Value = ChildForm> {
    (
        (
            prop::sample::select(NAMES),
            prop::collection::vec(text(), 0..3),
            0i16..18,
            1i8..=12,
            1i8..=28,
        ),
        (prop::option::of(100u16..200), text(), text()),
        (
            prop::collection::vec(person(), 0..4),
            prop::collection::vec(person(), 0..3),
        ),
        (
            prop::sample::select(ADDRESSES),
            prop::option::of(prop::sample::select(vec![
                LegalStatus::Section20,
                LegalStatus::CareOrder,
                LegalStatus::InterimCareOrder,
                LegalStatus::Remand,
            ])),
        ),
        (
            prop::option::of(prop::sample::select(vec![
                Concern::NoConcern,
                Concern::Suspected,
                Concern::Known,
            ])),
            text(),
        ),
        prop::collection::vec(("[0-9]{4}", text()), 0..3),
    )
        .prop_map(
            |(
                (name, known_as, age, m, d),
                (height, hair, notes),
                (family, associates),
                (addr, legal),
                (cse, cse_note),
                cards,
            )| {
                let mut f = ChildForm::default();
                f.identity.legal_name = name.into();
                f.identity.known_as = known_as;
                f.identity.date_of_birth = Some(date(2026 - age, m, d));
                f.description.height_cm = height;
                f.description.hair = hair;
                f.health.conditions = notes;
                f.people.family = family;
                f.people.associates = associates;
                f.placement.address.lines = vec![addr.into()];
                f.placement.legal_status = legal;
                f.risks.sexual_exploitation = RiskEntry {
                    concern: cse,
                    note: cse_note,
                };
                f.money_travel.bank_cards = cards
                    .into_iter()
                    .map(|(last4, bank)| BankCard { bank, last4 })
                    .filter(|c| !c.bank.chars().filter(char::is_ascii_digit).count().ge(&12))
                    .collect();
                f
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn any_valid_child_survives_export_then_import_unchanged(form in child_form()) {
        prop_assume!(grabpack_core::validate::validate(&form, TODAY).is_ok());
        let json = document(form.clone()).to_json();
        let back = interchange::import(&json, TODAY).unwrap();
        prop_assert_eq!(back.form, form);
    }
}

// ---- Version 1 files and revisions, read through the migration -------------------------------

/// A child file exactly as version 1 wrote it (checked against the committed
/// docs/schema/child-v1.schema.json when it was made; every name fictional).
const V1_FILE: &str = include_str!("fixtures/child-v1.json");

#[test]
fn a_version_1_file_imports_with_its_ethnicity_and_appearance_text_kept_as_appearance() {
    let child = interchange::import(V1_FILE, TODAY).unwrap();
    let id = &child.form.identity;
    assert_eq!(
        id.appearance,
        "White European; pale skin, freckles, long fair hair"
    );
    // A census category is the child's to choose: it is never guessed from the old text.
    assert_eq!(id.ethnicity, None);
    assert_eq!(id.legal_name, "Zofia Żółkiewska (fictional)");
    assert_eq!(id.known_as, vec!["Zosia".to_string(), "রহিম".to_string()]);
    assert_eq!(child.source_id, "v1-store-child-7");
}

#[test]
fn a_version_1_place_graded_with_police_words_gets_the_places_own_words() {
    let child = interchange::import(V1_FILE, TODAY).unwrap();
    let levels: Vec<Option<LocationRisk>> = child
        .form
        .places
        .risk_assessed
        .iter()
        .map(|l| l.risk_level)
        .collect();
    assert_eq!(
        levels,
        vec![
            Some(LocationRisk::High),
            Some(LocationRisk::Low),
            Some(LocationRisk::Low),
            Some(LocationRisk::Medium),
        ]
    );
}

#[test]
fn a_version_1_files_confirmed_and_withheld_paths_follow_the_fields_they_named() {
    let form = interchange::import(V1_FILE, TODAY).unwrap().form;
    assert!(form.confirmed_none.contains("identity.appearance"));
    assert!(
        !form
            .confirmed_none
            .contains("identity.ethnicity_appearance")
    );
    // Version 1 printed the asylum-seeker flag inside nationality: withheld there, it stays
    // withheld now that it has its own row.
    assert!(form.do_not_share.contains("identity.nationality"));
    assert!(
        form.do_not_share
            .contains("identity.unaccompanied_asylum_seeker")
    );
}

#[test]
fn a_version_1_file_once_imported_exports_as_version_2_and_reads_back_the_same() {
    let first = interchange::import(V1_FILE, TODAY).unwrap();
    let exported = document(first.form.clone()).to_json();
    let v: serde_json::Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(v["version"], 2);
    assert!(
        v["child"]["form"]["identity"]
            .get("ethnicity_appearance")
            .is_none()
    );
    assert_eq!(
        interchange::import(&exported, TODAY).unwrap().form,
        first.form
    );
}

#[test]
fn a_version_2_file_may_not_use_the_version_1_field() {
    let mut v: serde_json::Value =
        serde_json::from_str(&document(ChildForm::default()).to_json()).unwrap();
    v["child"]["form"]["identity"]["ethnicity_appearance"] = "X".into();
    let err = interchange::import(&v.to_string(), TODAY).unwrap_err();
    assert_eq!(err.code(), "interchange.malformed");
    assert!(err.to_string().contains("ethnicity_appearance"), "{err}");
}

#[test]
fn a_stored_version_2_form_is_read_as_it_was_saved() {
    let form = complete_form("Demo Child", "DC", date(2011, 5, 4), date(2026, 11, 20));
    let mut marked = grabpack_core::sample::marked_form().unwrap();
    // Nationality withheld, the asylum-seeker flag deliberately shared: version 1's rule for
    // the flag must not be applied to a version 2 revision.
    marked.do_not_share.insert("identity.nationality".into());
    marked.places.risk_assessed[0].risk_level = Some(LocationRisk::Low);
    for f in [form, marked] {
        let stored = serde_json::to_string(&f).unwrap();
        assert_eq!(interchange::read_stored_form(&stored).unwrap(), f);
    }
}

#[test]
fn a_stored_version_1_revision_reads_and_diffs_cleanly_against_version_2() {
    let v1: serde_json::Value = serde_json::from_str(V1_FILE).unwrap();
    let stored_v1 = v1["child"]["form"].to_string();
    let read = interchange::read_stored_form(&stored_v1).unwrap();
    // Saved again under version 2 with nothing changed: no field differs.
    let stored_v2 = serde_json::to_string(&read).unwrap();
    let again = interchange::read_stored_form(&stored_v2).unwrap();
    assert_eq!(grabpack_core::diff::diff(&read, &again), vec![]);
    // One change after the move is one field's change, under its version 2 path.
    let mut changed = again.clone();
    changed.identity.appearance = "Pale skin, long fair hair, now dyed pink".into();
    changed.identity.ethnicity = Some(Ethnicity::WhiteOther);
    let paths: Vec<String> = grabpack_core::diff::diff(&read, &changed)
        .into_iter()
        .map(|c| c.path)
        .collect();
    assert_eq!(paths, vec!["identity.appearance", "identity.ethnicity"]);
}

/// Every sample name of every script the pack shapes (assets/fonts/scripts.json).
fn script_names() -> Vec<String> {
    let scripts: serde_json::Value =
        serde_json::from_str(include_str!("../../../assets/fonts/scripts.json")).unwrap();
    let names: Vec<String> = scripts["scripts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["sample_names"].as_array().cloned().unwrap_or_default())
        .filter_map(|n| n.as_str().map(String::from))
        .collect();
    assert!(names.len() >= 20, "every script's names: {}", names.len());
    names
}

/// `form` as version 1 wrote it: the version 2 fields left out, appearance under its old name.
fn as_version_1(form: &ChildForm) -> serde_json::Value {
    let mut doc: serde_json::Value =
        serde_json::from_str(&document(form.clone()).to_json()).unwrap();
    doc["version"] = 1.into();
    let f = &mut doc["child"]["form"];
    let id = f["identity"].as_object_mut().unwrap();
    let appearance = id.remove("appearance").unwrap();
    id.insert("ethnicity_appearance".into(), appearance);
    for k in [
        "ethnicity",
        "ethnicity_own_words",
        "trafficking_concern",
        "nrm",
    ] {
        id.remove(k).unwrap();
    }
    let p = f["placement"].as_object_mut().unwrap();
    for k in [
        "parental_responsibility",
        "other_professionals",
        "fostering_agency",
        "supervising_social_worker",
        "agency_out_of_hours",
    ] {
        p.remove(k).unwrap();
    }
    f["missing_history"]
        .as_object_mut()
        .unwrap()
        .remove("trigger_plan")
        .unwrap();
    f["risks"]
        .as_object_mut()
        .unwrap()
        .remove("wanted")
        .unwrap();
    for list in [
        "family",
        "friends",
        "partners",
        "associates",
        "trusted_adults",
    ] {
        for person in f["people"][list].as_array_mut().unwrap() {
            person.as_object_mut().unwrap().remove("protected_address");
        }
    }
    doc
}

/// What a version 1 file of `form` can carry: `form` without the version 2 fields.
fn without_version_2_fields(form: &ChildForm) -> ChildForm {
    let mut f = form.clone();
    let id = &mut f.identity;
    id.ethnicity = None;
    id.ethnicity_own_words.clear();
    id.trafficking_concern = None;
    id.nrm = NrmStatus::default();
    let p = &mut f.placement;
    p.parental_responsibility.clear();
    p.other_professionals.clear();
    p.fostering_agency = Contact::default();
    p.supervising_social_worker = Professional::default();
    p.agency_out_of_hours = Contact::default();
    f.missing_history.trigger_plan = TriggerPlan::default();
    f.risks.wanted = Wanted::default();
    let people = &mut f.people;
    for list in [
        &mut people.family,
        &mut people.friends,
        &mut people.partners,
        &mut people.associates,
        &mut people.trusted_adults,
    ] {
        list.iter_mut().for_each(|p| p.protected_address = false);
    }
    f
}

/// Every property name the committed version 1 schema knows, anywhere.
fn version_1_property_names() -> BTreeSet<String> {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../../docs/schema/child-v1.schema.json")).unwrap();
    let mut names = BTreeSet::new();
    fn walk(v: &serde_json::Value, names: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Object(props)) = map.get("properties") {
                    names.extend(props.keys().cloned());
                }
                map.values().for_each(|v| walk(v, names));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, names)),
            _ => {}
        }
    }
    walk(&schema, &mut names);
    names
}

fn keys_of(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                out.insert(k.clone());
                keys_of(v, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| keys_of(v, out)),
        _ => {}
    }
}

#[test]
fn every_scripts_names_survive_the_move_from_version_1_in_every_new_and_renamed_field() {
    let known = version_1_property_names();
    for name in script_names() {
        let mut form = complete_form(&name, &name, date(2011, 5, 4), date(2026, 11, 20));
        form.identity.appearance = format!("{name}: appearance");
        form.places.risk_assessed[0].name = name.clone();
        let v1 = as_version_1(&form);
        let mut keys = BTreeSet::new();
        keys_of(&v1, &mut keys);
        let unknown: Vec<&String> = keys.difference(&known).collect();
        assert!(unknown.is_empty(), "not version 1 fields: {unknown:?}");
        let back = interchange::import(&v1.to_string(), TODAY).unwrap();
        assert_eq!(back.form, without_version_2_fields(&form), "{name}");
    }
}

fn script_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(script_names()),
        prop::sample::select(script_names()).prop_map(|n| format!("{n} ({n})")),
        text(),
    ]
}

/// The version 2 fields, with every script's names in them.
fn version_2_fields() -> impl Strategy<Value = (Identity, Placement, TriggerPlan, Wanted)> {
    let ethnicity = prop::option::of(prop::sample::select(Ethnicity::ALL.to_vec()));
    let decision = || {
        prop::option::of(prop::sample::select(vec![
            NrmDecision::Awaited,
            NrmDecision::Negative,
            NrmDecision::Positive,
        ]))
    };
    let day = || {
        prop::option::of((0i16..20, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| date(2006 + y, m, d)))
    };
    let identity = (
        ethnicity,
        script_text(),
        script_text(),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        (
            prop::option::of(any::<bool>()),
            day(),
            decision(),
            day(),
            decision(),
            day(),
        ),
    )
        .prop_map(
            |(ethnicity, own, appearance, uasc, trafficking, nrm)| Identity {
                ethnicity,
                ethnicity_own_words: own,
                appearance,
                unaccompanied_asylum_seeker: uasc,
                trafficking_concern: trafficking,
                nrm: NrmStatus {
                    referred: nrm.0,
                    referred_on: nrm.1,
                    reasonable_grounds: nrm.2,
                    reasonable_grounds_on: nrm.3,
                    conclusive_grounds: nrm.4,
                    conclusive_grounds_on: nrm.5,
                },
                ..Identity::default()
            },
        );
    let role = prop::sample::select(vec![
        ProfessionalRole::YouthOffending,
        ProfessionalRole::ExploitationWorker,
        ProfessionalRole::Camhs,
        ProfessionalRole::Advocate,
        ProfessionalRole::PersonalAdviser,
        ProfessionalRole::TraffickingGuardian,
        ProfessionalRole::Other,
    ]);
    let placement = (
        prop::collection::vec(
            (
                script_text(),
                script_text(),
                prop::option::of(any::<bool>()),
                script_text(),
            ),
            0..3,
        ),
        prop::collection::vec((role, script_text(), script_text()), 0..3),
        (script_text(), script_text(), script_text()),
    )
        .prop_map(|(pr, pros, (agency, sw, ooh))| Placement {
            parental_responsibility: pr
                .into_iter()
                .map(|(name, relationship, told, how)| ParentalResponsibility {
                    name,
                    relationship,
                    phone: "07700 900654".into(),
                    told_of_episode: told,
                    how_told: how,
                })
                .collect(),
            other_professionals: pros
                .into_iter()
                .map(|(role, name, organisation)| OtherProfessional {
                    role,
                    name,
                    organisation,
                    phone: "020 7946 0099".into(),
                    email: "someone@example.org".into(),
                })
                .collect(),
            fostering_agency: Contact {
                name: agency,
                ..Contact::default()
            },
            supervising_social_worker: Professional {
                name: sw,
                ..Professional::default()
            },
            agency_out_of_hours: Contact {
                name: ooh,
                ..Contact::default()
            },
            ..Placement::default()
        });
    let party = prop::sample::select(vec![
        AgreedParty::Police,
        AgreedParty::SocialWorker,
        AgreedParty::Manager,
        AgreedParty::Other,
    ]);
    let plan = (
        script_text(),
        prop::collection::vec((party, script_text()), 0..3),
        day(),
    )
        .prop_map(|(when, with, on)| TriggerPlan {
            when_to_report: when,
            agreed_with: with
                .into_iter()
                .map(|(party, name)| TriggerAgreement { party, name })
                .collect(),
            agreed_on: on,
        });
    let wanted = (
        prop::option::of(prop::sample::select(vec![
            WantedStatus::NotWanted,
            WantedStatus::Circulated,
            WantedStatus::Wanted,
        ])),
        script_text(),
        script_text(),
    )
        .prop_map(|(status, force, reason)| Wanted {
            status,
            force,
            reason,
        });
    (identity, placement, plan, wanted)
}

fn version_2_form() -> impl Strategy<Value = ChildForm> {
    (
        child_form(),
        version_2_fields(),
        prop::option::of(prop::sample::select(vec![
            LocationRisk::Low,
            LocationRisk::Medium,
            LocationRisk::High,
        ])),
    )
        .prop_map(|(mut f, (identity, placement, plan, wanted), level)| {
            let id = &mut f.identity;
            id.ethnicity = identity.ethnicity;
            id.ethnicity_own_words = identity.ethnicity_own_words;
            id.appearance = identity.appearance;
            id.unaccompanied_asylum_seeker = identity.unaccompanied_asylum_seeker;
            id.trafficking_concern = identity.trafficking_concern;
            id.nrm = identity.nrm;
            let p = &mut f.placement;
            p.parental_responsibility = placement.parental_responsibility;
            p.other_professionals = placement.other_professionals;
            p.fostering_agency = placement.fostering_agency;
            p.supervising_social_worker = placement.supervising_social_worker;
            p.agency_out_of_hours = placement.agency_out_of_hours;
            f.missing_history.trigger_plan = plan;
            f.risks.wanted = wanted;
            f.places.risk_assessed = vec![RiskAssessedLocation {
                name: f.identity.legal_name.clone(),
                risk_level: level,
                ..RiskAssessedLocation::default()
            }];
            f
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn any_valid_version_2_child_survives_export_then_import_unchanged(form in version_2_form()) {
        prop_assume!(grabpack_core::validate::validate(&form, TODAY).is_ok());
        let back = interchange::import(&document(form.clone()).to_json(), TODAY).unwrap();
        prop_assert_eq!(back.form, form);
    }

    #[test]
    fn any_valid_child_written_as_version_1_imports_as_the_same_child(form in version_2_form()) {
        prop_assume!(grabpack_core::validate::validate(&form, TODAY).is_ok());
        let v1 = as_version_1(&form);
        let back = interchange::import(&v1.to_string(), TODAY).unwrap();
        prop_assert_eq!(&back.form, &without_version_2_fields(&form));
        // And read as a stored revision, the same form.
        let stored = interchange::read_stored_form(&v1["child"]["form"].to_string()).unwrap();
        prop_assert_eq!(stored, back.form);
    }
}
