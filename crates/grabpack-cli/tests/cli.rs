//! The `grabpack` command end to end: a real binary, a real store in a temporary folder.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use std::path::Path;
use std::process::{Command, Output};

const PASSPHRASE: &str = "demo passphrase (fictional)";

fn grabpack(data: &Path, tmp: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grabpack"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("GRABPACK_PASSPHRASE", PASSPHRASE)
        .env_remove("GRABPACK_STAFF")
        // Anything the process might write to a temp folder lands where the test can see it.
        .env("TMPDIR", tmp)
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

struct Folders {
    _root: tempfile::TempDir,
    data: std::path::PathBuf,
    tmp: std::path::PathBuf,
}

fn folders() -> Folders {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("store");
    let tmp = root.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    Folders {
        data,
        tmp,
        _root: root,
    }
}

#[test]
fn demo_makes_a_store_with_every_readiness_state() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let json: serde_json::Value =
        serde_json::from_str(&ok(&grabpack(&f.data, &f.tmp, &["--json", "dashboard"]))).unwrap();
    let rows = json.as_array().unwrap();
    assert!(rows.len() >= 4);
    let states: Vec<&str> = rows
        .iter()
        .map(|r| r["readiness"]["state"].as_str().unwrap())
        .collect();
    for s in ["ready", "attention", "not_ready"] {
        assert!(states.contains(&s), "{states:?}");
    }
    let codes: Vec<&str> = rows
        .iter()
        .flat_map(|r| r["readiness"]["reasons"].as_array().unwrap().iter())
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"photo_stale"), "{codes:?}");
    assert!(codes.contains(&"review_overdue"), "{codes:?}");
    assert!(codes.contains(&"missing_critical"), "{codes:?}");
}

#[test]
fn after_demo_import_and_photo_add_no_file_holds_a_name_a_note_or_a_handle_in_the_clear() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let export = f.tmp.join("..").join("maya.json");
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &["child", "export", "maya", "-o", export.to_str().unwrap()],
    ));
    // The export is plaintext by design (a person chose to write it); take it out of the folders we scan.
    let doc = std::fs::read_to_string(&export).unwrap();
    std::fs::remove_file(&export).unwrap();
    let doc = doc
        .replace(
            "Maya Thompson (fictional)",
            "Quentin Marker-Name (fictional)",
        )
        .replace("Asthma", "UNIQUE-FREE-TEXT-MARKER-93ab");
    let import = f.data.parent().unwrap().join("import.json");
    std::fs::write(&import, doc).unwrap();
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &["child", "import", import.to_str().unwrap()],
    ));
    std::fs::remove_file(&import).unwrap();
    let photo = f.data.parent().unwrap().join("photo.jpg");
    std::fs::write(&photo, grabpack_photo_fixture()).unwrap();
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &[
            "photo",
            "add",
            "Quentin",
            photo.to_str().unwrap(),
            "--taken",
            "2026-11-01",
        ],
    ));
    std::fs::remove_file(&photo).unwrap();

    let needles = [
        "Maya Thompson",
        "Quentin Marker-Name",
        "UNIQUE-FREE-TEXT-MARKER-93ab",
        "@demo_child_handle",
        "Kwame Mensah",
        "রহিম",
    ];
    let mut files = Vec::new();
    walk(f.data.parent().unwrap(), &mut files);
    assert!(files.iter().any(|p| p.ends_with("grabpack.db")));
    for p in files {
        let bytes = std::fs::read(&p).unwrap();
        for n in needles {
            assert!(
                !bytes.windows(n.len()).any(|w| w == n.as_bytes()),
                "{} holds '{n}'",
                p.display()
            );
        }
    }
}

/// A drawn head-and-shoulders shape (8 KB, made with Pillow): fictional, no real person.
fn grabpack_photo_fixture() -> Vec<u8> {
    include_bytes!("fixtures/portrait.jpg").to_vec()
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn a_wrong_passphrase_exits_with_its_code_and_changes_nothing() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let before = std::fs::read(f.data.join("grabpack.db")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_grabpack"))
        .arg("--data-dir")
        .arg(&f.data)
        .args(["--json", "dashboard"])
        .env("GRABPACK_PASSPHRASE", "a wrong passphrase")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["error"]["code"], "store.wrong_secret");
    assert_eq!(std::fs::read(f.data.join("grabpack.db")).unwrap(), before);
}

#[test]
fn export_then_import_round_trips_a_child() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let file = f.tmp.join("zofia.json");
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &["child", "export", "zofia", "-o", file.to_str().unwrap()],
    ));
    let out = ok(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "child", "import", file.to_str().unwrap()],
    ));
    let new_id = serde_json::from_str::<serde_json::Value>(&out).unwrap()["child"]
        .as_str()
        .unwrap()
        .to_string();
    let a: serde_json::Value = serde_json::from_str(&ok(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "child", "show", &new_id],
    )))
    .unwrap();
    let list: serde_json::Value = serde_json::from_str(&ok(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "child", "list"],
    )))
    .unwrap();
    let original = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["legal_name"] == "Zofia Nowak (fictional)" && r["id"] != new_id.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let b: serde_json::Value = serde_json::from_str(&ok(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "child", "show", &original],
    )))
    .unwrap();
    assert_eq!(a["child"]["form"], b["child"]["form"]);
}

#[test]
fn an_unknown_version_file_is_refused_naming_the_reason() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let file = f.tmp.join("future.json");
    std::fs::write(&file, r#"{"format":"grabpack.child","version":7}"#).unwrap();
    let out = grabpack(
        &f.data,
        &f.tmp,
        &["child", "import", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error[interchange.unknown_version]"), "{err}");
}

#[test]
fn history_diff_review_and_audit_verify_work_from_the_command_line() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let show: serde_json::Value = serde_json::from_str(&ok(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "child", "show", "kwame"],
    )))
    .unwrap();
    let mut form = show["child"]["form"].clone();
    form["description"]["hair"] = "Short twists (fictional)".into();
    let form_file = f.tmp.join("form.json");
    std::fs::write(&form_file, form.to_string()).unwrap();
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &[
            "child",
            "save",
            "kwame",
            form_file.to_str().unwrap(),
            "--note",
            "new hair",
        ],
    ));
    ok(&grabpack(&f.data, &f.tmp, &["review", "kwame"]));
    let history = ok(&grabpack(&f.data, &f.tmp, &["child", "history", "kwame"]));
    assert!(
        history.contains("review") && history.contains("description.hair"),
        "{history}"
    );
    let diff = ok(&grabpack(
        &f.data,
        &f.tmp,
        &["child", "diff", "kwame", "1", "2"],
    ));
    assert!(diff.contains("Short twists"), "{diff}");
    assert!(ok(&grabpack(&f.data, &f.tmp, &["audit", "verify"])).contains("intact"));
}

#[test]
fn init_without_any_secret_is_refused() {
    let f = folders();
    let out = Command::new(env!("CARGO_BIN_EXE_grabpack"))
        .arg("--data-dir")
        .arg(&f.data)
        .args(["init", "--home", "X", "--manager", "Y"])
        .env_remove("GRABPACK_PASSPHRASE")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cli.secret_needed"));
    assert!(!f.data.join("grabpack.db").exists());
}

#[test]
fn a_rendered_pack_is_a_valid_pdf_naming_the_child_and_its_saving_is_audited() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let pdf = f.tmp.join("amira.pdf");
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &["pack", "render", "amira", "-o", pdf.to_str().unwrap()],
    ));
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(&pdf)
        .output()
        .expect("qpdf (Debian package qpdf) is installed");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (Debian package poppler-utils) is installed");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Amira Haddad"), "{text}");
    assert!(text.contains("OFFICIAL-SENSITIVE"));
    std::fs::remove_file(&pdf).unwrap();
    let audit = ok(&grabpack(
        &f.data,
        &f.tmp,
        &["audit", "list", "--action", "pack_saved"],
    ));
    assert!(audit.contains("sha256"), "{audit}");
}

#[test]
fn the_readout_gives_the_page_one_facts_and_ends_with_missing_people() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let text = ok(&grabpack(&f.data, &f.tmp, &["pack", "readout", "maya"]));
    assert!(text.contains("Maya Thompson"), "{text}");
    assert!(text.contains("116 000"), "{text}");
}

#[test]
fn a_pack_for_an_open_episode_carries_its_part_two() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let started: serde_json::Value = serde_json::from_str(&ok(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "start", "maya"],
    )))
    .unwrap();
    let episode = started["episode"]["id"]
        .as_str()
        .expect("the new episode's id is printed")
        .to_string();
    let part2 = f.tmp.join("part2.json");
    std::fs::write(
        &part2,
        r#"{"clothing":"Red hoodie with a white star (fictional)","last_seen_where":"Example Shopping Centre"}"#,
    )
    .unwrap();
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &["missing", "part2", &episode, part2.to_str().unwrap()],
    ));
    let text = ok(&grabpack(
        &f.data,
        &f.tmp,
        &["pack", "readout", "maya", "--episode", &episode],
    ));
    assert!(text.contains("Red hoodie with a white star"), "{text}");
    let pdf = f.tmp.join("missing.pdf");
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &[
            "pack",
            "render",
            "maya",
            "--episode",
            &episode,
            "-o",
            pdf.to_str().unwrap(),
        ],
    ));
    let out = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Red hoodie"));
    let without = ok(&grabpack(&f.data, &f.tmp, &["pack", "readout", "maya"]));
    assert!(
        !without.contains("Red hoodie"),
        "Part 2 only with --episode"
    );
}

/// The agreed trigger plan is said where the command line opens and shows an episode, as the
/// app's Missing and episode screens show it.
#[test]
fn missing_start_and_show_say_the_childs_agreed_trigger_plan() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let started = ok(&grabpack(&f.data, &f.tmp, &["missing", "start", "maya"]));
    assert!(
        started.contains("Trigger plan: Not back by 22:00 and not answering calls or texts"),
        "{started}"
    );
    assert!(
        started.contains("Agreed with Police (PC 1234 Example, missing persons unit (fictional))"),
        "{started}"
    );
    let list: serde_json::Value = serde_json::from_str(&ok(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "list"],
    )))
    .unwrap();
    let id = list[0]["id"].as_str().unwrap().to_string();
    let shown = ok(&grabpack(&f.data, &f.tmp, &["missing", "show", &id]));
    assert!(shown.contains("Trigger plan: Not back by 22:00"), "{shown}");
}

#[test]
fn missing_start_for_a_child_already_missing_shows_the_open_episode_and_opens_no_second() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let started: serde_json::Value = serde_json::from_str(&ok(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "start", "maya"],
    )))
    .unwrap();
    let episode = started["episode"]["id"].as_str().unwrap().to_string();

    let again = grabpack(&f.data, &f.tmp, &["missing", "start", "maya"]);

    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("error[store.episode_already_open]"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&episode),
        "the open episode is named: {stderr}"
    );
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(
        stdout.contains(&episode[..8]),
        "the open episode is shown: {stdout}"
    );
    let open: serde_json::Value = serde_json::from_str(&ok(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "list"],
    )))
    .unwrap();
    assert_eq!(open.as_array().unwrap().len(), 1);
}

#[test]
fn a_pack_asked_for_with_another_childs_episode_is_refused_with_the_stores_code() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let started: serde_json::Value = serde_json::from_str(&ok(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "start", "maya"],
    )))
    .unwrap();
    let episode = started["episode"]["id"].as_str().unwrap().to_string();
    let dashboard: serde_json::Value =
        serde_json::from_str(&ok(&grabpack(&f.data, &f.tmp, &["--json", "dashboard"]))).unwrap();
    let other = dashboard
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["id"].as_str().unwrap().to_string())
        .find(|id| *id != started["episode"]["child_id"].as_str().unwrap())
        .unwrap();

    let out = grabpack(
        &f.data,
        &f.tmp,
        &["--json", "pack", "readout", &other, "--episode", &episode],
    );

    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["error"]["code"], "store.episode_other_child");
}

/// `grabpack` run with extra environment (a second secret such as the SMTP password).
fn grabpack_env(data: &Path, tmp: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grabpack"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("GRABPACK_PASSPHRASE", PASSPHRASE)
        .env_remove("GRABPACK_STAFF")
        .envs(env.iter().copied())
        .env("TMPDIR", tmp)
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(out)).unwrap()
}

#[test]
fn a_store_made_by_the_command_line_can_be_given_its_police_area_and_packs_go_there_once_its_contacts_are_confirmed()
 {
    // A child to report, from a demo store's export.
    let demo = folders();
    ok(&grabpack(&demo.data, &demo.tmp, &["demo"]));
    let file = demo.tmp.join("maya.json");
    ok(&grabpack(
        &demo.data,
        &demo.tmp,
        &["child", "export", "maya", "-o", file.to_str().unwrap()],
    ));

    let f = folders();
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &[
            "init",
            "--home",
            "Oak Lodge (fictional)",
            "--manager",
            "Ola Manager (fictional)",
        ],
    ));
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &["child", "import", file.to_str().unwrap()],
    ));

    // No police area yet: the settings say so.
    let before = json(&grabpack(&f.data, &f.tmp, &["--json", "settings", "show"]));
    assert!(before["police_unit"].is_null(), "{before}");

    // The strategy-meeting rule is the home's own, set here as in the app's Settings; a rule
    // that would flag every episode is refused and changes nothing.
    assert_eq!(before["home"]["strategy_meeting"]["episodes"], 3);
    let rule = json(&grabpack(
        &f.data,
        &f.tmp,
        &[
            "--json",
            "settings",
            "set",
            "--strategy-meeting-episodes",
            "2",
            "--strategy-meeting-days",
            "14",
        ],
    ));
    assert_eq!(rule["home"]["strategy_meeting"]["episodes"], 2);
    assert_eq!(rule["home"]["strategy_meeting"]["within_days"], 14);
    let too_low = grabpack(
        &f.data,
        &f.tmp,
        &[
            "--json",
            "settings",
            "set",
            "--strategy-meeting-episodes",
            "1",
        ],
    );
    assert!(!too_low.status.success());
    let err: serde_json::Value = serde_json::from_slice(&too_low.stdout).unwrap();
    assert_eq!(err["error"]["code"], "store.bad_strategy_rule");
    let kept = json(&grabpack(&f.data, &f.tmp, &["--json", "settings", "show"]));
    assert_eq!(kept["home"]["strategy_meeting"]["episodes"], 2);

    // A unit that is not in the directory is refused, and nothing changes.
    let refused = grabpack(
        &f.data,
        &f.tmp,
        &[
            "--json",
            "settings",
            "set",
            "--police-unit",
            "atlantis-constabulary",
        ],
    );
    assert!(!refused.status.success());
    let err: serde_json::Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(err["error"]["code"], "send.unknown_unit");
    let still = json(&grabpack(&f.data, &f.tmp, &["--json", "settings", "show"]));
    assert!(still["police_unit"].is_null(), "{still}");

    let set = json(&grabpack(
        &f.data,
        &f.tmp,
        &[
            "--json",
            "settings",
            "set",
            "--police-unit",
            "kent",
            "--address",
            "1 Example Road, Exampletown (fictional)",
            "--type",
            "childrens_home",
        ],
    ));
    assert_eq!(set["police_unit"]["id"], "kent");
    assert_eq!(
        set["home"]["home_address"],
        "1 Example Road, Exampletown (fictional)"
    );

    // `missing start` proposes the home's police area.
    let started = json(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "start", "maya"],
    ));
    let proposed: Vec<&str> = started["proposed_recipients"]["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    // Kent's contacts are still the shipped placeholders: nothing is proposed to them, and
    // the episode says to phone them instead.
    assert!(
        !proposed.iter().any(|id| id.starts_with("police:")),
        "{proposed:?}"
    );
    assert_eq!(
        started["proposed_recipients"]["call_advice"][0]["unit_id"],
        "kent"
    );
    let opened = started["episode"]["id"].as_str().unwrap();
    let shown = grabpack(&f.data, &f.tmp, &["missing", "show", opened]);
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.contains("PHONE Kent Police (police for where the child went missing): Call 101 (999 if in danger) and say you have a Philomena Protocol form. no confirmed address for Kent Police: a manager can add it in Settings."),
        "{shown}"
    );
    let settings = grabpack(&f.data, &f.tmp, &["settings", "show"]);
    assert!(
        String::from_utf8_lossy(&settings.stdout)
            .contains("Kent Police (the home's own police area): no confirmed address"),
        "{}",
        String::from_utf8_lossy(&settings.stdout)
    );
    let episode = started["episode"]["id"].as_str().unwrap().to_string();

    // `missing send` queues the pack to that unit (once a mail account is set).
    ok(&grabpack_env(
        &f.data,
        &f.tmp,
        &[("GRABPACK_SMTP_PASSWORD", "pw (fictional)")],
        &[
            "outbox",
            "smtp",
            "--host",
            "smtp.oak-lodge.invalid",
            "--username",
            "grabpack@oak-lodge.invalid",
            "--from",
            "grabpack@oak-lodge.invalid",
        ],
    ));
    // A manager enters the address Kent Police gave the home (fictional): now it is sent to.
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &[
            "directory",
            "edit",
            "kent",
            "--email",
            "missing.persons@kent.police.uk.example",
        ],
    ));
    let queued = json(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "send", &episode, "--queue-only"],
    ));
    let to: Vec<(&str, &str)> = queued["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["recipient_id"].as_str().unwrap(),
                d["address"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        to.iter()
            .all(|(_, address)| !address.ends_with(".police.example")),
        "a placeholder address was sent to: {to:?}"
    );
    assert!(
        to.contains(&("police:kent", "missing.persons@kent.police.uk.example")),
        "{to:?}"
    );
}

#[test]
fn a_typed_extra_address_is_trimmed_on_the_command_line_as_in_the_app() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let started = json(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "start", "maya"],
    ));
    let episode = started["episode"]["id"].as_str().unwrap().to_string();
    let queued = json(&grabpack(
        &f.data,
        &f.tmp,
        &[
            "--json",
            "missing",
            "send",
            &episode,
            "--queue-only",
            "--add",
            "  duty@lambeth.gov.uk  ",
            "--add",
            "   ",
        ],
    ));
    let extra: Vec<&str> = queued["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["recipient_id"].as_str().unwrap().starts_with("other:"))
        .map(|d| d["address"].as_str().unwrap())
        .collect();
    assert_eq!(extra, ["duty@lambeth.gov.uk"]);
}

#[test]
fn an_added_address_outside_public_services_needs_the_managers_reason_on_the_command_line_too() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let started = json(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "start", "maya"],
    ));
    let episode = started["episode"]["id"].as_str().unwrap().to_string();
    // The passphrase administers the store, as a manager does: a reason is still required.
    let out = grabpack(
        &f.data,
        &f.tmp,
        &[
            "missing",
            "send",
            &episode,
            "--queue-only",
            "--add",
            "aunt@mail.example",
        ],
    );
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error[send.reason_required]"), "{err}");
    let queued = json(&grabpack(
        &f.data,
        &f.tmp,
        &[
            "--json",
            "missing",
            "send",
            &episode,
            "--queue-only",
            "--add",
            "aunt@mail.example",
            "--reason",
            "her aunt is searching (fictional)",
        ],
    ));
    assert!(
        queued["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["address"] == "aunt@mail.example"),
        "{queued}"
    );
    // A domain the manager adds needs no reason.
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &["settings", "set", "--public-domain", "mail.example"],
    ));
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &[
            "missing",
            "send",
            &episode,
            "--queue-only",
            "--add",
            "uncle@mail.example",
        ],
    ));
}

fn addresses(message: &serde_json::Value) -> Vec<String> {
    let mut a: Vec<String> = message["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["address"].as_str().unwrap().to_owned())
        .collect();
    a.sort();
    a
}

#[test]
fn send_update_and_found_on_the_command_line_reach_everyone_who_had_the_pack() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let started = json(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "start", "maya"],
    ));
    let episode = started["episode"]["id"].as_str().unwrap().to_string();

    // No one has had the pack yet: nothing to update.
    let early = grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "send-update", &episode, "--queue-only"],
    );
    assert!(!early.status.success());
    let err: serde_json::Value = serde_json::from_slice(&early.stdout).unwrap();
    assert_eq!(err["error"]["code"], "send.no_pack_yet");

    let pack = json(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "send", &episode, "--queue-only"],
    ));
    let update = json(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "send-update", &episode, "--queue-only"],
    ));
    assert_eq!(update["purpose"], "update");
    assert_eq!(addresses(&update), addresses(&pack));

    ok(&grabpack(
        &f.data,
        &f.tmp,
        &[
            "missing",
            "found",
            &episode,
            "--where",
            "Bus station (fictional)",
        ],
    ));
    let shown = json(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "show", &episode],
    ));
    let notices: Vec<&serde_json::Value> = shown["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["purpose"] == "returned_notice")
        .collect();
    assert_eq!(notices.len(), 1, "found queued the returned notice once");
    assert_eq!(addresses(notices[0]), addresses(&pack));
}

#[test]
fn missing_report_refuses_no_apparent_risk_for_a_child_and_type_and_strategy_meeting_are_recorded()
{
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let started: serde_json::Value = serde_json::from_str(&ok(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "start", "maya"],
    )))
    .unwrap();
    let episode = started["episode"]["id"].as_str().unwrap().to_string();

    let absent = grabpack(
        &f.data,
        &f.tmp,
        &[
            "missing",
            "report",
            &episode,
            "--grading",
            "no_apparent_risk",
        ],
    );
    assert_eq!(absent.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&absent.stderr);
    assert!(
        stderr.contains("error[send.grading_not_offered]"),
        "{stderr}"
    );

    ok(&grabpack(
        &f.data,
        &f.tmp,
        &[
            "missing",
            "report",
            &episode,
            "--grading",
            "medium",
            "--police-words",
            "medium, review at 2am (fictional)",
        ],
    ));
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &[
            "missing",
            "type",
            &episode,
            "away_without_authorisation",
            "--reason",
            "at a friend's address (fictional)",
        ],
    ));
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &[
            "missing",
            "strategy-meeting",
            &episode,
            "--at",
            "2026-12-01T14:00:00Z",
            "--attended",
            "Social worker (fictional)",
            "--police-attended",
            "true",
        ],
    ));
    let shown: serde_json::Value = serde_json::from_str(&ok(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "missing", "show", &episode],
    )))
    .unwrap();
    let ep = &shown["episode"];
    assert_eq!(
        ep["reports"][0]["police_words"],
        "medium, review at 2am (fictional)"
    );
    assert_eq!(ep["episode_type"], "away_without_authorisation");
    assert_eq!(ep["strategy_meetings"][0]["police_attended"], true);
    assert!(shown["practice"]["risk_grading"]["categories"].is_array());
}

/// An extra certificate authority is trusted, listed by the SHA-256 fingerprint openssl gives
/// for it, removed by that fingerprint, and each change is in the audit log with the
/// fingerprints then trusted. (A fictional authority made with openssl for this test.)
#[test]
fn a_trusted_certificate_is_listed_by_fingerprint_removed_and_audited() {
    const PEM: &str = include_str!("../../grabpack-send/tests/fixtures/fictional-council-ca.pem");
    const FINGERPRINT: &str = "DF:7A:54:93:D6:78:81:7E:37:8C:3A:FB:4C:3B:9E:C3:77:D5:83:54:E9:4A:A9:E3:CB:A1:67:EF:6F:03:CC:FD";
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let file = f.tmp.join("council-ca.pem");
    std::fs::write(&file, PEM).unwrap();
    let trusted = ok(&grabpack(
        &f.data,
        &f.tmp,
        &["outbox", "trust-ca", file.to_str().unwrap()],
    ));
    assert!(trusted.contains(FINGERPRINT), "{trusted}");
    assert!(ok(&grabpack(&f.data, &f.tmp, &["outbox", "certificates"])).contains(FINGERPRINT));
    let audit = ok(&grabpack(
        &f.data,
        &f.tmp,
        &["audit", "list", "--action", "send_settings_changed"],
    ));
    assert!(audit.contains(FINGERPRINT), "{audit}");
    ok(&grabpack(
        &f.data,
        &f.tmp,
        &["outbox", "untrust-ca", &FINGERPRINT.to_lowercase()],
    ));
    assert!(
        ok(&grabpack(&f.data, &f.tmp, &["outbox", "certificates"]))
            .contains("No extra certificate")
    );
    let refused = grabpack(&f.data, &f.tmp, &["outbox", "untrust-ca", FINGERPRINT]);
    assert!(!refused.status.success(), "nothing left to remove");
}

#[test]
fn the_childs_own_copy_is_written_and_showing_it_is_recorded_only_with_shown() {
    let f = folders();
    ok(&grabpack(&f.data, &f.tmp, &["demo"]));
    let pdf = f.tmp.join("copy.pdf");
    let path = pdf.to_str().unwrap();
    let first = ok(&grabpack(
        &f.data,
        &f.tmp,
        &["child", "copy", "amira", "-o", path],
    ));
    assert!(first.contains("Not yet recorded as shown"), "{first}");
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (Debian package poppler-utils) is installed");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("What we keep about you, and who we share it with"),
        "{text}"
    );
    std::fs::remove_file(&pdf).unwrap();
    let shown = json(&grabpack(
        &f.data,
        &f.tmp,
        &["--json", "child", "copy", "amira", "-o", path, "--shown"],
    ));
    assert!(shown["shown_to_child"].is_string(), "{shown}");
    std::fs::remove_file(&pdf).unwrap();
    let audit = ok(&grabpack(
        &f.data,
        &f.tmp,
        &["audit", "list", "--action", "child_copy_shown"],
    ));
    assert_eq!(audit.matches("child_copy_shown").count(), 1, "{audit}");
}
