//! A complete fictional child, shared by tests, benchmarks and the demo store so that each does
//! not grow its own half-filled copy. Everything here is invented; any likeness is accidental.

use jiff::civil::{Date, date};

use crate::form::*;

/// A fully completed Part 1 for a fictional child born on `date_of_birth`, reviewed `completed_on`.
pub fn complete_form(
    legal_name: &str,
    known_as: &str,
    date_of_birth: Date,
    completed_on: Date,
) -> ChildForm {
    let addr = |line: &str, town: &str, postcode: &str, borough: &str| Address {
        lines: vec![line.into()],
        town: town.into(),
        postcode: postcode.into(),
        borough: borough.into(),
    };
    let person = |name: &str, rel: &str, phone: &str| Person {
        name: name.into(),
        relationship: rel.into(),
        address: addr("12 Example Row", "London", "E8 1AA", "Hackney"),
        phones: vec![phone.into()],
        ..Person::default()
    };
    let place = |name: &str, why: &str| Place {
        name: name.into(),
        address: addr("1 High Street (fictional)", "London", "N1 1AA", "Islington"),
        why: why.into(),
        when: "Evenings and weekends".into(),
    };
    let assessed = |concern| RiskEntry {
        concern: Some(concern),
        note: String::new(),
    };
    ChildForm {
        administration: Administration {
            completed_by: CompletedBy {
                name: "Sam Carter (fictional)".into(),
                role: "Keyworker".into(),
                organisation: "Maple House Children's Home (demo)".into(),
            },
            completed_on: Some(completed_on),
            protective_marking: "OFFICIAL-SENSITIVE".into(),
            child_contribution: "Please tell my keyworker first when I'm found.".into(),
            child_told_when_shared: Some(true),
            ..Administration::default()
        },
        identity: Identity {
            legal_name: legal_name.into(),
            known_as: vec![known_as.into()],
            date_of_birth: Some(date_of_birth),
            gender: "Female".into(),
            ethnicity: Some(Ethnicity::MixedWhiteBlackCaribbean),
            appearance: "Light brown skin, freckles across the nose".into(),
            nationality: "British".into(),
            unaccompanied_asylum_seeker: Some(false),
            trafficking_concern: Some(false),
            first_language: "English".into(),
            accent: "London".into(),
            interpreter_needed: Some(false),
            ..Identity::default()
        },
        description: Description {
            height_cm: Some(158),
            build: "Slim".into(),
            hair: "Dark brown, shoulder length, often in a high bun".into(),
            eyes: "Brown".into(),
            marks: vec![Mark {
                kind: MarkKind::Scar,
                location: "Left forearm".into(),
                description: "3 cm pale scar".into(),
            }],
            glasses_aids: "None".into(),
            usual_dress: "Black puffer jacket, white trainers".into(),
            ..Description::default()
        },
        placement: Placement {
            address: addr(
                "Maple House, 4 Example Lane (fictional)",
                "London",
                "E9 9ZZ",
                "Hackney",
            ),
            placement_type: Some(PlacementType::ChildrensHome),
            home_phone_24h: "020 7946 0000".into(),
            registered_manager: Contact {
                name: "Alex Morgan (fictional)".into(),
                phone: "020 7946 0001".into(),
                email: "manager@maple-house.example".into(),
            },
            placing_council: "London Borough of Exampleton (fictional)".into(),
            host_council: "Hackney".into(),
            legal_status: Some(LegalStatus::CareOrder),
            social_worker: Professional {
                name: "Jordan Lee (fictional)".into(),
                team: "Children in Care Team 2".into(),
                phone: "020 7946 0002".into(),
                email: "jordan.lee@exampleton.example".into(),
            },
            out_of_hours: Contact {
                name: "Exampleton Emergency Duty Team".into(),
                phone: "020 7946 0003".into(),
                email: "edt@exampleton.example".into(),
            },
            placement_start: Some(date(2025, 3, 1)),
            previous_placements: vec![PreviousPlacement {
                description: "Foster placement, Exampleton".into(),
                ..PreviousPlacement::default()
            }],
            family_addresses: vec![addr("22 Sample Road", "London", "SE15 1AA", "Southwark")],
            contact_restrictions: "No contact with 'Dee' (adult male, 20s): court order.".into(),
            school: School {
                name: "Exampleton Academy (fictional)".into(),
                ..School::default()
            },
            parental_responsibility: vec![ParentalResponsibility {
                name: "Daniel Example (fictional)".into(),
                relationship: "Father, shares it with the council under the care order".into(),
                phone: "07700 900654".into(),
                told_of_episode: Some(true),
                how_told: "Keyworker phones her once police are told".into(),
            }],
            other_professionals: vec![OtherProfessional {
                role: ProfessionalRole::ExploitationWorker,
                name: "Priya Shah (fictional)".into(),
                organisation: "Exampleton Exploitation Team (fictional)".into(),
                phone: "020 7946 0005".into(),
                email: "exploitation.team@exampleton.example".into(),
            }],
            ..Placement::default()
        },
        health: Health {
            conditions: "Asthma".into(),
            medication: vec![Medication {
                name: "Salbutamol inhaler".into(),
                dose: "2 puffs as needed".into(),
                effect_if_missed: "Breathless; can become an emergency within hours".into(),
            }],
            mental_health: "Low mood; history of self-harm (cutting) when distressed".into(),
            self_harm_risk: Some(true),
            gp: Contact {
                name: "Example Surgery".into(),
                phone: "020 7946 0004".into(),
                email: String::new(),
            },
            allergies: "Penicillin".into(),
            disability_communication: "None known".into(),
            substance_use: "Cannabis, occasional".into(),
            ..Health::default()
        },
        phones_online: PhonesOnline {
            mobiles: vec![Phone {
                number: "07700 900123".into(),
                handset: "Black Android, cracked screen".into(),
                network: "Pay as you go".into(),
                note: String::new(),
            }],
            social_handles: vec![SocialHandle {
                platform: "Snapchat".into(),
                handle: "@demo_child_handle".into(),
            }],
            ..PhonesOnline::default()
        },
        money_travel: MoneyTravel {
            bank_cards: vec![BankCard {
                bank: "Example Bank".into(),
                last4: "4821".into(),
            }],
            cash_benefits: "£10 weekly pocket money".into(),
            travel_cards: vec![TravelCard {
                kind: TravelCardKind::ZipOyster,
                reference: "Zip Oyster in her name".into(),
            }],
            ..MoneyTravel::default()
        },
        people: People {
            family: vec![person(
                "Maria Example (fictional)",
                "Mother",
                "07700 900456",
            )],
            friends: vec![person(
                "Kai Example (fictional)",
                "School friend",
                "07700 900789",
            )],
            associates: vec![Person {
                of_concern: true,
                protected_address: true,
                vehicle: "Silver hatchback, partial reg 'LX'".into(),
                risk_note: "Adult male; suspected of exploitation".into(),
                ..person("'Dee' (fictional)", "Associate", "07700 900999")
            }],
            trusted_adults: vec![person("Aunt Bea (fictional)", "Aunt", "07700 900321")],
            ..People::default()
        },
        places: Places {
            frequented: vec![place("Example Shopping Centre", "Meets friends")],
            significant: vec![place("Exampleton skate park", "Skateboarding")],
            risk_assessed: vec![RiskAssessedLocation {
                name: "Flat above the chicken shop (fictional)".into(),
                address: addr("99 Sample Parade", "London", "N17 0ZZ", "Haringey"),
                reason: "Associated with older males; drugs".into(),
                risk_level: Some(LocationRisk::High),
                local_contact: "Safer Neighbourhood Team".into(),
            }],
            found_before: vec![place("Mother's address", "Found there twice")],
            ..Places::default()
        },
        missing_history: MissingHistory {
            previous_episodes: vec![PastEpisode {
                started: Some(date(2026, 6, 2)),
                duration_hours: Some(19),
                where_found: "Mother's address".into(),
                who_with: "Alone".into(),
                ..PastEpisode::default()
            }],
            usual_pattern: "Leaves after contact visits, usually Friday evenings".into(),
            trigger_plan: TriggerPlan {
                when_to_report: "Not back by 22:00 and not answering calls or texts: report \
                                 missing at 22:00. Seen with 'Dee': report at once."
                    .into(),
                agreed_with: vec![
                    TriggerAgreement {
                        party: AgreedParty::Police,
                        name: "PC 1234 Example, missing persons unit (fictional)".into(),
                    },
                    TriggerAgreement {
                        party: AgreedParty::SocialWorker,
                        name: "Jordan Lee (fictional)".into(),
                    },
                ],
                agreed_on: Some(date(2026, 9, 14)),
            },
            ..MissingHistory::default()
        },
        risks: Risks {
            sexual_exploitation: RiskEntry {
                concern: Some(Concern::Suspected),
                note: "Seen getting into cars with older males".into(),
            },
            criminal_exploitation: assessed(Concern::NoConcern),
            trafficking: assessed(Concern::NoConcern),
            radicalisation: assessed(Concern::NoConcern),
            harmful_practices: assessed(Concern::NoConcern),
            domestic_abuse: assessed(Concern::Known),
            youth_justice: assessed(Concern::NoConcern),
            child_protection_plan: assessed(Concern::NoConcern),
            risk_to_others: assessed(Concern::NoConcern),
            wanted: Wanted {
                status: Some(WantedStatus::NotWanted),
                ..Wanted::default()
            },
            ..Risks::default()
        },
        confirmed_none: ["people.partners", "places.out_of_area"]
            .into_iter()
            .map(String::from)
            .collect(),
        ..ChildForm::default()
    }
}

/// A form with every field of Part 1 filled (every list with two items, every choice made, every
/// yes/no answered yes), each text a unique marker `M7X`, `M12X`, ... and each date and number
/// distinct; `confirmed_none` and `do_not_share` are left empty.
///
/// Built from the form's JSON Schema, so a field added to the form is filled here without anyone
/// remembering to: tests use it to prove that every field reaches the pack under its label, and
/// that a field marked "do not share" reaches no output at all. The markers cannot be mistaken for
/// one another: none is part of another (`M1X` is not inside `M11X`).
///
/// # Errors
/// [`CoreError::Malformed`] if the schema and the types disagree (a bug, caught by the tests).
pub fn marked_form() -> Result<ChildForm, crate::CoreError> {
    let schema = serde_json::to_value(schemars::schema_for!(ChildForm)).map_err(malformed)?;
    let empty = serde_json::Map::new();
    let defs = schema
        .get("$defs")
        .and_then(serde_json::Value::as_object)
        .unwrap_or(&empty);
    let mut counter = 0;
    let value = fill_from_schema(&schema, defs, &mut counter);
    let mut form: ChildForm = serde_json::from_value(value).map_err(malformed)?;
    form.confirmed_none.clear();
    form.do_not_share.clear();
    Ok(form)
}

fn malformed(e: serde_json::Error) -> crate::CoreError {
    crate::CoreError::Malformed {
        path: "sample::marked_form".into(),
        reason: e.to_string(),
    }
}

/// A value for `schema` with everything filled; `counter` makes each leaf distinct.
fn fill_from_schema(
    schema: &serde_json::Value,
    defs: &serde_json::Map<String, serde_json::Value>,
    counter: &mut u32,
) -> serde_json::Value {
    use serde_json::Value;
    if let Some(name) = schema.get("$ref").and_then(Value::as_str) {
        let name = name.rsplit('/').next().unwrap_or_default();
        return defs
            .get(name)
            .map_or(Value::Null, |def| fill_from_schema(def, defs, counter));
    }
    if let Some(word) = schema.get("const") {
        return word.clone();
    }
    let is_null = |s: &&Value| s.get("type").and_then(Value::as_str) == Some("null");
    if let Some(options) = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
        // The last choice (of an enum written as documented words, the most serious one), or
        // the one that is not null.
        && let Some(option) = options.iter().rev().find(|s| !is_null(s))
    {
        return fill_from_schema(option, defs, counter);
    }
    if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
        // The last choice: the most serious one for risks ("known", "high").
        return choices.last().cloned().unwrap_or(Value::Null);
    }
    let kind = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or_default(),
        _ => "",
    };
    *counter += 1;
    let n = *counter;
    match kind {
        "object" => Value::Object(
            schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, s)| (k.clone(), fill_from_schema(s, defs, counter)))
                .collect(),
        ),
        "array" => {
            let item = schema.get("items").cloned().unwrap_or(Value::Null);
            Value::Array(vec![
                fill_from_schema(&item, defs, counter),
                fill_from_schema(&item, defs, counter),
            ])
        }
        "string" => match schema.get("format").and_then(Value::as_str) {
            Some("date") => {
                let day = date(1990, 1, 1)
                    .checked_add(jiff::Span::new().days(i64::from(n)))
                    .unwrap_or(date(1990, 1, 1));
                Value::String(day.to_string())
            }
            _ => Value::String(format!("M{n}X")),
        },
        "integer" => Value::from(100 + n),
        "number" => Value::from(f64::from(100 + n)),
        "boolean" => Value::Bool(true),
        _ => Value::Null,
    }
}
