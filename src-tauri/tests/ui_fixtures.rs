//! Writes ui/tests/fixtures/demo.json from a real demo store, so the browser checks (axe-core at
//! phone and laptop size, screenshots) draw the same data the app would. Only with
//! UPDATE_FIXTURES=1: the demo's dates move with the calendar, so the file is not compared.

// A test stops at the first thing that is not as it should be: unwrap is the point here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use grabpack_app_lib::commands::{build_missing_preview, dashboard_cards, field_views};
use grabpack_store::{Credential, Sensitive, Store};
use serde_json::{Map, Value, json};

#[test]
fn write_ui_fixtures_from_a_demo_store() {
    if std::env::var_os("UPDATE_FIXTURES").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pass = grabpack_app_lib::DEMO_PASSPHRASE.to_owned();
    grabpack_app_lib::create_demo_store(dir.path(), None).unwrap();
    let mut store = Store::unlock(
        dir.path(),
        Credential::Passphrase(&Sensitive::from(pass)),
        None,
    )
    .unwrap();
    let cards = dashboard_cards(&store).unwrap();
    let mut children = Map::new();
    let mut readiness = Map::new();
    let mut history = Map::new();
    let mut missing = Map::new();
    let today = jiff::Zoned::now().date();
    for c in &cards {
        children.insert(
            c.id.to_string(),
            serde_json::to_value(store.child(&c.id).unwrap()).unwrap(),
        );
        let r = store.readiness(&c.id, today).unwrap();
        let reasons: Vec<Value> = r
            .reasons
            .iter()
            .map(|x| json!({"code": x.code(), "message": x.message(), "blocks_ready": x.blocks_ready()}))
            .collect();
        readiness.insert(c.id.to_string(), Value::Array(reasons));
        history.insert(
            c.id.to_string(),
            serde_json::to_value(store.history(&c.id).unwrap()).unwrap(),
        );
        let mut p =
            serde_json::to_value(build_missing_preview(&mut store, &c.id).unwrap()).unwrap();
        // The PDF itself is not needed to draw the screen; keep the fixture small.
        p["pdf_base64"] = Value::String("JVBERi0xLjcK".into());
        missing.insert(c.id.to_string(), p);
    }
    // An open episode with its pack queued (no network here: every delivery waits), for the
    // episode screen and the dashboard's pinned card.
    let first = cards
        .iter()
        .find(|c| c.legal_name.contains("Amara"))
        .unwrap_or(&cards[0]);
    let ep = store
        .open_episode(&grabpack_store::episodes::NewEpisode {
            child_id: first.id.clone(),
            noticed_at: jiff::Timestamp::now() - jiff::SignedDuration::from_mins(95),
            immediate_danger: false,
            missing_from_unit: None,
        })
        .unwrap();
    store
        .record_step(
            &ep.id,
            jiff::Timestamp::now(),
            &grabpack_store::episodes::StepEntry {
                step_id: "search_home".into(),
                label: "Search the home and grounds".into(),
                outcome: "Not in the home or garden (fictional)".into(),
            },
        )
        .unwrap();
    grabpack_send::queue_episode_pack(
        &mut store,
        &ep.id,
        &grabpack_send::Choice::default(),
        "",
        grabpack_send::Purpose::Pack,
        jiff::Timestamp::now(),
    )
    .unwrap();
    let episode = grabpack_app_lib::commands::episode_view(&store, &ep.id).unwrap();
    let open_episodes = grabpack_app_lib::commands::open_episode_cards(&store).unwrap();
    let send_settings = grabpack_app_lib::commands::settings_view(
        &store,
        &grabpack_send::SendSettings::load(&store).unwrap(),
    )
    .unwrap();
    let directory: Vec<grabpack_send::Unit> = grabpack_send::Directory::load(&store)
        .unwrap()
        .units()
        .filter(|u| u.id.starts_with("met") || u.id == "kent" || u.id == "btp")
        .cloned()
        .collect();
    let fixtures = json!({
        "episode": episode,
        "open_episodes": open_episodes,
        "send_settings": send_settings,
        "directory": directory,
        "fields": field_views(),
        "dashboard": cards,
        "children": children,
        "readiness": readiness,
        "history": history,
        "missing": missing,
        "settings": store.settings().unwrap(),
        "staff": store.staff().unwrap(),
        "audit": store.audit_list_home(None, None, 40).unwrap(),
    });
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/tests/fixtures/demo.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut text = serde_json::to_string_pretty(&fixtures).unwrap();
    text.push('\n');
    std::fs::write(path, text).unwrap();
}
