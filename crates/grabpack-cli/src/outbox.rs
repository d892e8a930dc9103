//! `grabpack outbox ...`: each recipient's delivery state; send, retry, abandon; the home's
//! sending settings (SMTP account, intake tokens, extra trusted certificates).
//!
//! Sending is one pass of grabpack-send's worker over what the outbox already holds: whatever
//! fails stays queued for the next `outbox send` (or the app) to retry.

use std::path::Path;

use clap::Subcommand;
use grabpack_send::{SendSettings, SmtpSecurity, SmtpSettings, Transports};
use grabpack_store::{OutboxMessageId, Store};
use jiff::Timestamp;

use crate::Cli;
use crate::error::{CliError, Result, send_error};
use crate::output::{delivery_line, print};
use crate::session::unlock;

#[derive(Subcommand, Debug)]
pub enum OutboxCommand {
    /// Every message and each recipient's state.
    List,
    /// Try every due delivery now, and read intake acknowledgements.
    Send,
    /// Try one delivery again now (after fixing a setting, say).
    Retry { delivery: String },
    /// Stop trying one delivery; your name and reason are recorded.
    Abandon {
        delivery: String,
        #[arg(long)]
        reason: String,
    },
    /// Set the home's SMTP submission account (password from GRABPACK_SMTP_PASSWORD).
    Smtp {
        #[arg(long)]
        host: String,
        #[arg(long)]
        port: Option<u16>,
        /// starttls or implicit_tls
        #[arg(long, default_value = "starttls")]
        security: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        from: String,
        #[arg(long, default_value = "")]
        from_name: String,
    },
    /// Add an HTTPS intake's bearer token (GRABPACK_INTAKE_TOKEN).
    Intake { url: String },
    /// Trust an extra certificate authority (PEM file) for SMTP and intakes.
    TrustCa { pem: std::path::PathBuf },
    /// The extra certificate authorities trusted for sending, by SHA-256 fingerprint.
    Certificates,
    /// Stop trusting an extra certificate authority (its fingerprint as `certificates` lists it).
    UntrustCa { fingerprint: String },
    /// Save a message's pack PDF to FILE (NOT encrypted) to print or hand over.
    SavePdf {
        message: String,
        output: std::path::PathBuf,
    },
}

/// One pass of the worker, then the acknowledgement feeds; prints each recipient's state.
pub fn attempt(store: &mut Store, json: bool) -> Result<()> {
    let settings = SendSettings::load(store).map_err(send_error)?;
    let transports = Transports::from_settings(&settings).map_err(send_error)?;
    grabpack_send::recover(store, Timestamp::now()).map_err(send_error)?;
    let report =
        grabpack_send::send_due(store, &transports, Timestamp::now()).map_err(send_error)?;
    let acks = grabpack_send::poll_acknowledgements(store, &transports).unwrap_or(0);
    print(
        json,
        &serde_json::json!({"attempted": report.attempted, "acknowledgements": acks}),
        |_| {
            let mut out: Vec<String> = report
                .attempted
                .iter()
                .map(|d| delivery_line(d, "\n            "))
                .collect();
            if out.is_empty() {
                out.push("Nothing due.".into());
            }
            if acks > 0 {
                out.push(format!(
                    "{acks} acknowledgement(s) from police intakes recorded."
                ));
            }
            out.join("\n")
        },
    );
    Ok(())
}

pub fn run(cli: &Cli, dir: &Path, c: &OutboxCommand) -> Result<()> {
    let json = cli.json;
    let mut store = unlock(cli, dir)?;
    match c {
        OutboxCommand::List => {
            let msgs = store.outbox(None, None)?;
            print(json, &msgs, |ms| {
                let mut s = String::new();
                for m in ms {
                    s.push_str(&format!(
                        "{}  {}  {}\n",
                        m.id.short(),
                        m.created_at,
                        m.purpose
                    ));
                    for d in &m.deliveries {
                        s.push_str(&format!(
                            "  {}  {:<10} {} <{}> attempts {}{}\n",
                            d.id.short(),
                            d.state.as_str(),
                            d.recipient_name,
                            d.address,
                            d.attempts,
                            d.last_error_code
                                .as_ref()
                                .map(|c| format!(" [{c}]"))
                                .unwrap_or_default()
                        ));
                    }
                }
                if s.is_empty() {
                    "The outbox is empty.".into()
                } else {
                    s.trim_end().to_string()
                }
            });
        }
        OutboxCommand::Send => attempt(&mut store, json)?,
        OutboxCommand::Retry { delivery } => {
            let id = store.find_delivery(delivery)?;
            store.retry_delivery(&id, Timestamp::now())?;
            attempt(&mut store, json)?;
        }
        OutboxCommand::Abandon { delivery, reason } => {
            let id = store.find_delivery(delivery)?;
            let d = store.give_up_delivery(&id, reason)?;
            print(json, &d, |d| {
                format!(
                    "Given up on {} by {}: {}",
                    d.recipient_name,
                    d.given_up_by.clone().unwrap_or_default(),
                    reason
                )
            });
        }
        OutboxCommand::Smtp {
            host,
            port,
            security,
            username,
            from,
            from_name,
        } => {
            let password = crate::session::secret("GRABPACK_SMTP_PASSWORD", "SMTP password: ")?;
            let parsed = SmtpSecurity::parse(security).ok_or_else(|| {
                CliError::input(
                    "cli.bad_security",
                    "Security is starttls or implicit_tls; plaintext is never used.",
                )
            })?;
            let mut settings = SendSettings::load(&store).map_err(send_error)?;
            settings
                .set_smtp(SmtpSettings {
                    host: host.clone(),
                    port: *port,
                    security: parsed,
                    username: username.clone(),
                    password: password.into(),
                    from: from.clone(),
                    from_name: from_name.clone(),
                    timeout_seconds: None,
                })
                .map_err(send_error)?;
            settings.save(&mut store).map_err(send_error)?;
            print(json, &serde_json::json!({"smtp": host}), |_| {
                format!("SMTP set to {host} ({security}).")
            });
        }
        OutboxCommand::Intake { url } => {
            grabpack_send::check_intake_url(url.trim()).map_err(send_error)?;
            let token = crate::session::secret("GRABPACK_INTAKE_TOKEN", "Intake bearer token: ")?;
            let mut settings = SendSettings::load(&store).map_err(send_error)?;
            settings
                .set_intake_token(url, token.expose())
                .map_err(send_error)?;
            settings.save(&mut store).map_err(send_error)?;
            print(json, &serde_json::json!({"intake": url}), |_| {
                format!("Token saved for {url}.")
            });
        }
        OutboxCommand::TrustCa { pem } => {
            let text = std::fs::read_to_string(pem).map_err(|e| {
                CliError::input("cli.file_unreadable", format!("{}: {e}", pem.display()))
            })?;
            let mut settings = SendSettings::load(&store).map_err(send_error)?;
            let fingerprint = settings.trust_certificate(&text).map_err(send_error)?;
            Transports::from_settings(&settings).map_err(send_error)?;
            settings.save(&mut store).map_err(send_error)?;
            print(
                json,
                &serde_json::json!({"trusted": pem, "sha256_fingerprint": fingerprint}),
                |_| format!("Certificate authority trusted for sending (SHA-256 {fingerprint})."),
            );
        }
        OutboxCommand::Certificates => {
            let settings = SendSettings::load(&store).map_err(send_error)?;
            let list = settings.trusted_certificates();
            print(json, &list, |l| {
                if l.is_empty() {
                    "No extra certificate authority is trusted.".into()
                } else {
                    l.iter()
                        .map(|c| format!("SHA-256 {}", c.sha256_fingerprint))
                        .collect::<Vec<_>>()
                        .join("\n")
                }
            });
        }
        OutboxCommand::UntrustCa { fingerprint } => {
            let mut settings = SendSettings::load(&store).map_err(send_error)?;
            settings
                .remove_certificate(fingerprint)
                .map_err(send_error)?;
            settings.save(&mut store).map_err(send_error)?;
            print(json, &settings.trusted_certificates(), |_| {
                format!("No longer trusted: SHA-256 {fingerprint}.")
            });
        }
        OutboxCommand::SavePdf { message, output } => {
            let message = OutboxMessageId::from(message.as_str());
            let pdf = store
                .message_pdf(&message)?
                .ok_or_else(|| CliError::input("cli.no_pdf", "That message has no pack PDF."))?;
            crate::output::write_handover(output, &pdf)?;
            let child = store.outbox_message(&message)?.child_id;
            store.record(
                grabpack_store::AuditAction::PackSaved,
                Some(&child),
                &format!(
                    "sha256 {} from outbox message {message} to a file chosen by the user",
                    grabpack_store::outbox::sha256_hex(&pdf)
                ),
            )?;
            print(json, &serde_json::json!({"written": output}), |_| {
                format!(
                    "Pack written to {}. This file is NOT encrypted: print or hand it over, then delete it.",
                    output.display()
                )
            });
        }
    }
    Ok(())
}
