//! Everything the command prints, in one place: a value as text or as `--json`, an error as
//! `error[code]: words` (or `{"error": {code, message}}`), and the text formats more than one
//! subcommand shares (the dashboard table, one recipient's delivery line, the recovery key).

use std::path::Path;

use grabpack_store::Sensitive;
use serde::Serialize;

use crate::error::CliError;

/// A result as pretty JSON with `--json`, else as the text `text` makes of it.
pub fn print<T: Serialize>(json: bool, value: &T, text: impl FnOnce(&T) -> String) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(value).unwrap_or_default()
        );
    } else {
        println!("{}", text(value));
    }
}

/// A failed command: its stable code and words, on stdout as JSON or on stderr as text.
pub fn print_error(json: bool, e: &CliError) {
    if json {
        println!(
            "{}",
            serde_json::json!({ "error": { "code": e.code(), "message": e.to_string() } })
        );
    } else {
        eprintln!("error[{}]: {e}", e.code());
    }
}

pub fn print_recovery_key(json: bool, dir: &Path, recovery: &Sensitive<String>) {
    if json {
        println!(
            "{}",
            serde_json::json!({ "data_dir": dir, "recovery_key": recovery.expose() })
        );
    } else {
        println!("Store created in {}.\n", dir.display());
        println!(
            "RECOVERY KEY (shown once; print it and keep it in the home's safe):\n\n    {}\n",
            recovery.expose()
        );
        println!(
            "It opens every record if PINs, the passphrase or this device's keychain are lost."
        );
    }
}

pub fn dashboard_text(rows: &[grabpack_store::DashboardRow]) -> String {
    let mut out = format!(
        "{:<10} {:<32} {:>4}  {}\n",
        "STATE", "CHILD", "AGE", "WHAT NEEDS DOING"
    );
    for r in rows {
        let reasons: Vec<String> = r
            .readiness
            .reasons
            .iter()
            .take(3)
            .map(|x| x.message())
            .collect();
        let more = r.readiness.reasons.len().saturating_sub(3);
        out.push_str(&format!(
            "{:<10} {:<32} {:>4}  {}{}\n",
            r.readiness.state.as_str(),
            r.legal_name,
            r.age.map(|a| a.to_string()).unwrap_or_else(|| "?".into()),
            if reasons.is_empty() {
                "-".into()
            } else {
                reasons.join("; ")
            },
            if more > 0 {
                format!(" (+{more} more)")
            } else {
                String::new()
            }
        ));
    }
    out
}

/// One recipient's line: short id, state, name, address, which version of the pack they got,
/// and the last error after `error_sep`.
pub fn delivery_line(d: &grabpack_store::outbox::Delivery, error_sep: &str) -> String {
    format!(
        "{}  {:<10} {} <{}>{}{}",
        d.id.short(),
        d.state.as_str(),
        d.recipient_name,
        d.address,
        d.audience
            .map(|a| format!(" ({})", a.version_words()))
            .unwrap_or_default(),
        d.last_error
            .as_ref()
            .map(|e| format!("{error_sep}{e}"))
            .unwrap_or_default()
    )
}

/// A child's data written to a plain file the person named (a pack, a child export): readable by
/// their account only, and a word on stderr when the folder is one a sync service copies to the
/// cloud (the rules are `grabpack_send::handover`'s, the same the app's "Save" follows).
pub fn write_handover(output: &std::path::Path, bytes: &[u8]) -> crate::error::Result<()> {
    grabpack_send::handover::write_owner_only(output, bytes).map_err(|e| {
        crate::error::CliError::input(
            "cli.file_unwritable",
            format!("{} could not be written: {e}", output.display()),
        )
    })?;
    let dir = std::path::absolute(output)
        .ok()
        .and_then(|p| p.parent().map(std::path::Path::to_path_buf));
    if let Some(warning) =
        dir.and_then(|d| grabpack_send::handover::cloud_synced_folder_warning(&d))
    {
        eprintln!("warning: {warning}");
    }
    Ok(())
}
