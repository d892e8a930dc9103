//! The child file format: round trips, refusal of what it does not understand, and the schema.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use grabpack_core::interchange::{self, ChildDocument, PhotoRecord, schema_json};
use grabpack_core::sample::complete_form;
use grabpack_core::*;
use jiff::Timestamp;
use jiff::civil::{Date, date};
use proptest::prelude::*;

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
        "/../../docs/schema/child-v1.schema.json"
    );
    let generated = schema_json();
    if std::env::var_os("GRABPACK_UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/schema/child-v1.schema.json is out of date: run `GRABPACK_UPDATE_SCHEMA=1 cargo test -p grabpack-core --test interchange` and commit it"
    );
}

#[test]
fn a_newer_version_is_refused_with_update_advice() {
    let mut v: serde_json::Value =
        serde_json::from_str(&document(ChildForm::default()).to_json()).unwrap();
    v["version"] = 2.into();
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
