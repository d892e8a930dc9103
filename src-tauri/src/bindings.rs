//! The JSON Schema of every command's input and output, from the Rust types themselves. The UI
//! turns it into TypeScript (`npm run bindings`); a test here fails when the committed schema is
//! not what the code says, and a UI test fails when the TypeScript is not what the schema says.

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use crate::commands;
use crate::error::{UiError, error_codes};

/// Where the committed schema lives, relative to src-tauri.
pub const SCHEMA_PATH: &str = "../ui/src/bindings/schema.json";

pub fn schema() -> Value {
    let mut generator = SchemaSettings::draft07().into_generator();
    let mut command_props = Map::new();
    for (name, input, output) in commands::signatures(&mut generator) {
        let args = if input.as_value() == &json!({"type": "null"}) {
            json!({"type": "null"})
        } else {
            json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["input"],
                "properties": {"input": input.to_value()}
            })
        };
        command_props.insert(
            name.to_owned(),
            json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["args", "result"],
                "properties": {"args": args, "result": output.to_value()}
            }),
        );
    }
    let error = generator.subschema_for::<UiError>();
    let mut definitions = Map::new();
    for (name, def) in generator.take_definitions(true) {
        let mut def = def;
        // Named types keep their Rust name in TypeScript.
        if let Value::Object(o) = &mut def {
            o.insert("title".into(), Value::String(name.clone()));
        }
        definitions.insert(name, def);
    }
    // Every code an error can carry: the UI's words table is a Record<ErrorCode, string>.
    definitions.insert(
        "ErrorCode".into(),
        json!({
            "title": "ErrorCode",
            "description": "Every error code a command can answer with (each crate's CODES and the app's own).",
            "type": "string",
            "enum": error_codes(),
        }),
    );
    let required: Vec<&String> = command_props.keys().collect();
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Bindings",
        "description": "Generated from src-tauri (cargo test -p grabpack-app bindings). Do not edit.",
        "type": "object",
        "additionalProperties": false,
        "required": ["commands", "error"],
        "properties": {
            "commands": {
                "title": "Commands",
                "type": "object",
                "additionalProperties": false,
                "required": required,
                "properties": command_props
            },
            "error": error.to_value()
        },
        "definitions": definitions
    })
}

/// The schema as committed: pretty JSON with a trailing newline.
pub fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regenerate with `UPDATE_BINDINGS=1 cargo test -p grabpack-app bindings`, then
    /// `npm --prefix ui run bindings` for the TypeScript.
    #[test]
    fn the_committed_bindings_schema_matches_the_rust_types() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SCHEMA_PATH);
        let current = schema_text();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &current).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == current,
            "ui/src/bindings/schema.json is out of date: run UPDATE_BINDINGS=1 cargo test -p grabpack-app bindings, then npm --prefix ui run bindings"
        );
    }

    #[test]
    fn the_bindings_name_every_error_code() {
        let s = schema();
        let codes = s["definitions"]["ErrorCode"]["enum"].as_array().unwrap();
        assert_eq!(codes.len(), error_codes().len());
        assert!(codes.iter().any(|c| c == "send.smtp_incomplete"));
    }

    #[test]
    fn every_command_is_in_the_bindings() {
        let s = schema();
        let commands = &s["properties"]["commands"]["properties"];
        for name in [
            "app_status",
            "unlock",
            "dashboard",
            "save_form",
            "missing_preview",
        ] {
            assert!(commands.get(name).is_some(), "{name} missing");
        }
    }
}
