//! The crate graph, held by a test: which of our crates may depend on which (normal dependencies,
//! read from `cargo metadata`), so "one room for each thing" stays true as the code grows.
//!
//! Why: the rules in ARCHITECTURE.md only hold if something fails when they are broken. The
//! domain crates must build with no GUI stack; the police intake must never pull in the home's
//! store (it shares only the wire types and the audit chain); the store and the form must not
//! know the wire protocol. Dev-dependencies are free (a test may run the real intake), and so
//! are crates from outside the workspace. A crate of ours with no rule here fails the test too:
//! a new room gets its rule when it is built.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// The crates the app and the CLI are made of; neither shell may depend on a service or a shell.
const DOMAIN: &[&str] = &[
    "grabpack-core",
    "grabpack-protocol",
    "grabpack-audit",
    "grabpack-photo",
    "grabpack-pack",
    "grabpack-store",
    "grabpack-send",
    "grabpack-sync",
    "grabpack-sync-protocol",
];

/// Each crate of ours, and the crates of ours it may depend on.
fn allowed() -> BTreeMap<&'static str, Vec<&'static str>> {
    BTreeMap::from([
        // The form and its rules: pure, the root of everything.
        ("grabpack-core", vec![]),
        // The wire types: shared by sender and receivers, so it can depend on neither.
        ("grabpack-protocol", vec![]),
        // The hash chain: shared by the store and the intake.
        ("grabpack-audit", vec![]),
        ("grabpack-photo", vec![]),
        ("grabpack-pack", vec!["grabpack-core"]),
        (
            "grabpack-store",
            vec!["grabpack-core", "grabpack-photo", "grabpack-audit"],
        ),
        (
            "grabpack-send",
            vec![
                "grabpack-core",
                "grabpack-store",
                "grabpack-pack",
                "grabpack-protocol",
            ],
        ),
        // The police side: never the home's store, only the protocol and the audit chain.
        (
            "grabpack-inbox",
            vec!["grabpack-protocol", "grabpack-audit"],
        ),
        // The sync hub's wire types: shared by the hub and the device's client, so neither.
        ("grabpack-sync-protocol", vec![]),
        // The provider's hub: ciphertext only, so never the home's store, form or audit chain.
        ("grabpack-hub", vec!["grabpack-sync-protocol"]),
        // The device's sync client: keys, envelopes, the hub's API, and the store it syncs
        // (whose rules say which records leave and how they are taken in).
        (
            "grabpack-sync",
            vec!["grabpack-sync-protocol", "grabpack-store"],
        ),
        ("grabpack-cli", DOMAIN.to_vec()),
        ("grabpack-app", DOMAIN.to_vec()),
    ])
}

/// Each workspace package and the workspace packages among its normal dependencies.
fn workspace_graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(&root)
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    let ours: BTreeSet<String> = packages
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    packages
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                // `kind` is null for a normal dependency, "dev" or "build" otherwise.
                .filter(|d| d["kind"].is_null())
                .map(|d| d["name"].as_str().unwrap().to_string())
                .filter(|name| ours.contains(name))
                .collect();
            (p["name"].as_str().unwrap().to_string(), deps)
        })
        .collect()
}

/// Every way `graph` breaks `rules`, one line each, naming the edge.
fn violations(
    graph: &BTreeMap<String, BTreeSet<String>>,
    rules: &BTreeMap<&str, Vec<&str>>,
) -> Vec<String> {
    let mut found = Vec::new();
    for (krate, deps) in graph {
        let Some(may) = rules.get(krate.as_str()) else {
            found.push(format!(
                "{krate} has no rule: add it to allowed() in grabpack-cli/tests/architecture.rs and to ARCHITECTURE.md"
            ));
            continue;
        };
        for dep in deps {
            if !may.contains(&dep.as_str()) {
                found.push(format!(
                    "{krate} -> {dep} is not allowed ({krate} may depend on: {})",
                    if may.is_empty() {
                        "no crate of ours".to_string()
                    } else {
                        may.join(", ")
                    }
                ));
            }
        }
    }
    for krate in rules.keys() {
        if !graph.contains_key(*krate) {
            found.push(format!(
                "the rule for {krate} names no crate in the workspace (renamed or removed?)"
            ));
        }
    }
    found
}

#[test]
fn every_crate_of_ours_depends_only_on_the_crates_its_rule_allows() {
    let found = violations(&workspace_graph(), &allowed());
    assert!(
        found.is_empty(),
        "the crate graph breaks its rules:\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn a_forbidden_edge_is_reported_by_name() {
    let graph = BTreeMap::from([
        (
            "grabpack-inbox".to_string(),
            BTreeSet::from(["grabpack-store".to_string(), "grabpack-audit".to_string()]),
        ),
        ("grabpack-audit".to_string(), BTreeSet::new()),
    ]);
    let rules = BTreeMap::from([
        (
            "grabpack-inbox",
            vec!["grabpack-protocol", "grabpack-audit"],
        ),
        ("grabpack-audit", vec![]),
    ]);
    assert_eq!(
        violations(&graph, &rules),
        [
            "grabpack-inbox -> grabpack-store is not allowed (grabpack-inbox may depend on: grabpack-protocol, grabpack-audit)"
        ]
    );
}

#[test]
fn a_crate_without_a_rule_is_reported_rather_than_let_through() {
    let graph = BTreeMap::from([("grabpack-new".to_string(), BTreeSet::new())]);
    let found = violations(&graph, &BTreeMap::new());
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("grabpack-new has no rule"),
        "{found:?}"
    );
}

/// Every crate `start` needs to build, through normal dependencies only (the resolved graph of
/// `cargo metadata`), by package name.
fn builds_with(start: &str) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1"])
        .current_dir(&root)
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let name_of: BTreeMap<&str, &str> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let normal_deps: BTreeMap<&str, Vec<&str>> = meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let deps = n["deps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| {
                    d["dep_kinds"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|k| k["kind"].is_null())
                })
                .map(|d| d["pkg"].as_str().unwrap())
                .collect();
            (n["id"].as_str().unwrap(), deps)
        })
        .collect();
    let start_id = name_of
        .iter()
        .find(|(_, name)| **name == start)
        .map(|(id, _)| *id)
        .unwrap();
    let mut seen = BTreeSet::new();
    let mut todo = vec![start_id];
    while let Some(id) = todo.pop() {
        if seen.insert(id) {
            todo.extend(normal_deps.get(id).into_iter().flatten().copied());
        }
    }
    seen.iter().map(|id| name_of[id].to_string()).collect()
}

#[test]
fn no_domain_crate_and_not_the_intake_builds_with_tauri_or_a_gui_toolkit() {
    let gui = |name: &str| {
        name == "tauri"
            || name.starts_with("tauri-")
            || name == "wry"
            || name.starts_with("webkit2gtk")
            || name == "gtk"
    };
    for krate in DOMAIN.iter().copied().chain([
        "grabpack-inbox",
        "grabpack-cli",
        "grabpack-hub",
        "grabpack-sync",
        "grabpack-sync-protocol",
    ]) {
        let gui_deps: Vec<String> = builds_with(krate).into_iter().filter(|n| gui(n)).collect();
        assert!(gui_deps.is_empty(), "{krate} builds with {gui_deps:?}");
    }
    assert!(
        builds_with("grabpack-app").iter().any(|n| n == "tauri"),
        "the check can see tauri where it is"
    );
}
