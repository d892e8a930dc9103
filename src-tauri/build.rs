//! Tauri's build step: embeds tauri.conf.json, the capabilities and the icons into the binary, and
//! declares the app's own commands so that only those the capability grants can be called.

include!("src/command_names.rs");

/// `cargo build --workspace` on a fresh clone must not fail because the web UI has not been built
/// yet (`npm --prefix ui run build`): the window then shows a page saying so.
fn ensure_ui_dist() {
    let dist = std::path::Path::new("../ui/dist");
    if dist.join("index.html").exists() {
        return;
    }
    let page = "<!doctype html><html lang=\"en-GB\"><meta charset=\"utf-8\"><title>Grab Pack</title>\
        <p>The Grab Pack screens were not built into this copy of the app. \
        Run <code>npm --prefix ui ci &amp;&amp; npm --prefix ui run build</code>, then build the app again.</p></html>\n";
    if let Err(e) =
        std::fs::create_dir_all(dist).and_then(|()| std::fs::write(dist.join("index.html"), page))
    {
        println!("cargo::warning=could not write a placeholder ui/dist: {e}");
    }
}

fn main() {
    ensure_ui_dist();
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {e:#}");
    }
}
