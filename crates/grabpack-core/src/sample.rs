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
            ethnicity_appearance: "Mixed White and Black Caribbean".into(),
            nationality: "British".into(),
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
                risk_level: Some(RiskGrading::High),
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
            ..Risks::default()
        },
        confirmed_none: ["people.partners", "places.out_of_area"]
            .into_iter()
            .map(String::from)
            .collect(),
        ..ChildForm::default()
    }
}
