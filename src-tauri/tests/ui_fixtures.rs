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
            c.id.clone(),
            serde_json::to_value(store.child(&c.id).unwrap()).unwrap(),
        );
        let r = store.readiness(&c.id, today).unwrap();
        let reasons: Vec<Value> = r
            .reasons
            .iter()
            .map(|x| json!({"code": x.code(), "message": x.message(), "blocks_ready": x.blocks_ready()}))
            .collect();
        readiness.insert(c.id.clone(), Value::Array(reasons));
        history.insert(
            c.id.clone(),
            serde_json::to_value(store.history(&c.id).unwrap()).unwrap(),
        );
        let mut p =
            serde_json::to_value(build_missing_preview(&mut store, &c.id).unwrap()).unwrap();
        // The PDF itself is not needed to draw the screen; keep the fixture small.
        p["pdf_base64"] = Value::String("JVBERi0xLjcK".into());
        missing.insert(c.id.clone(), p);
    }
    let fixtures = json!({
        "fields": field_views(),
        "dashboard": cards,
        "children": children,
        "readiness": readiness,
        "history": history,
        "missing": missing,
        "settings": store.settings().unwrap(),
        "staff": store.staff().unwrap(),
        "audit": store.audit_list(None, None, 40).unwrap(),
    });
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/tests/fixtures/demo.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut text = serde_json::to_string_pretty(&fixtures).unwrap();
    text.push('\n');
    std::fs::write(path, text).unwrap();
}
