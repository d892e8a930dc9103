//! `grabpack missing ...`, `grabpack outbox ...`, `grabpack directory ...`: the missing episode,
//! the outbox and the police directory from the command line.
//!
//! Thin glue over grabpack-store (episodes, outbox rows) and grabpack-send (directory, recipient
//! rules, transports, worker). Sending is always two steps, as in the app: the pack is committed to
//! the outbox first, then one pass of the worker tries every due delivery; whatever fails stays in
//! the outbox for `outbox send` (or the app) to retry.

use std::path::Path;

use clap::Subcommand;
use grabpack_send::{
    Choice, Directory, Purpose, SendSettings, SmtpSecurity, SmtpSettings, Transports, display_name,
};
use grabpack_store::episodes::{
    Closure, EpisodeUpdate, Found, NewEpisode, NotAccepted, PoliceReport, PreventionInterview,
    ReportChannel, ReturnHomeInterview, StepEntry, UpdateKind,
};
use grabpack_store::{Store, StoreError};
use jiff::Timestamp;

use crate::{Cli, CliError, Result, print, unlock};

#[derive(Subcommand, Debug)]
pub enum MissingCommand {
    /// Open a missing episode: shows the checklist (999 first when needed) and who the pack would go to.
    Start {
        child: String,
        /// When the absence was noticed (RFC 3339); default now.
        #[arg(long)]
        noticed: Option<Timestamp>,
        /// The child may be in immediate danger: call 999 now.
        #[arg(long)]
        danger: bool,
        /// Police unit (directory id) for where the child went missing, if not the home's area.
        #[arg(long)]
        unit: Option<String>,
    },
    /// Tick a checklist step with its time and outcome (ticking it again corrects it; the original is kept).
    Step {
        episode: String,
        step: String,
        #[arg(long, default_value = "")]
        outcome: String,
        #[arg(long)]
        label: Option<String>,
        #[arg(long)]
        at: Option<Timestamp>,
    },
    /// Save the Part 2 answers from a JSON file (fields as in the form's Part 2).
    Part2 {
        episode: String,
        file: std::path::PathBuf,
    },
    /// Record the report to police; `--not-accepted REASON` records a refusal and tells the social worker at once.
    Report {
        episode: String,
        /// 999, 101, email, portal, intake, in_person
        #[arg(long, default_value = "101")]
        how: String,
        #[arg(long, default_value = "")]
        reference: String,
        #[arg(long, default_value = "")]
        officer: String,
        #[arg(long, default_value = "")]
        collar: String,
        /// no_apparent_risk, low, medium, high
        #[arg(long)]
        grading: Option<String>,
        #[arg(long)]
        not_accepted: Option<String>,
        #[arg(long)]
        at: Option<Timestamp>,
    },
    /// Send the grab pack now: proposed recipients, minus --remove, plus --add; queued, then tried.
    Send {
        episode: String,
        #[arg(long)]
        remove: Vec<String>,
        /// An extra email address or https intake URL.
        #[arg(long)]
        add: Vec<String>,
        #[arg(long, default_value = "")]
        note: String,
        /// Only queue it (for example with no network); `outbox send` tries later.
        #[arg(long)]
        queue_only: bool,
    },
    /// New information or a sighting.
    Update {
        episode: String,
        text: String,
        /// sighting, information, call, passed_to_police
        #[arg(long, default_value = "information")]
        kind: String,
        #[arg(long, default_value = "")]
        from: String,
        #[arg(long)]
        at: Option<Timestamp>,
    },
    /// Found or returned; also the prevention interview and the return-home interview offer.
    Found {
        episode: String,
        #[arg(long)]
        at: Option<Timestamp>,
        #[arg(long = "where", default_value = "")]
        found_where: String,
        #[arg(long, default_value = "")]
        by: String,
        #[arg(long, default_value = "")]
        with: String,
        #[arg(long)]
        prevention_officer: Option<String>,
        #[arg(long)]
        prevention_at: Option<Timestamp>,
        #[arg(long)]
        rhi_by: Option<String>,
        #[arg(long)]
        rhi_at: Option<Timestamp>,
        #[arg(long)]
        rhi_accepted: Option<bool>,
    },
    /// Close the episode: the child's form is flagged for review.
    Close {
        episode: String,
        #[arg(long, default_value = "")]
        summary: String,
        #[arg(long)]
        place: Vec<String>,
        #[arg(long)]
        person: Vec<String>,
        #[arg(long, default_value = "")]
        harm: String,
    },
    /// The episode as it stands, every entry, and each recipient's delivery state.
    Show { episode: String },
    /// Open (or all) episodes.
    List {
        #[arg(long)]
        all: bool,
    },
}

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
    /// Save a message's pack PDF to FILE (NOT encrypted) to print or hand over.
    SavePdf {
        message: String,
        output: std::path::PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum DirectoryCommand {
    /// Police units (forces, BCUs), optionally those covering an area.
    List {
        #[arg(long)]
        area: Option<String>,
    },
    /// Edit a unit's contacts for this home (kept in the store; every version kept).
    Edit {
        unit: String,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        intake: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// The date a person checked these contacts (YYYY-MM-DD); default today.
        #[arg(long)]
        verified: Option<String>,
        /// Make this the home's own police area.
        #[arg(long)]
        home: bool,
    },
}

/// A sending error as the command line reports it (store errors keep their own codes).
pub fn send_error(e: grabpack_send::SendError) -> CliError {
    match e {
        grabpack_send::SendError::Store(s) => CliError::Store(s),
        other => CliError::input(other.code(), other.to_string()),
    }
}

fn grading(s: &str) -> Result<grabpack_core::RiskGrading> {
    serde_json::from_value(serde_json::Value::String(s.replace([' ', '-'], "_"))).map_err(|_| {
        CliError::input(
            "cli.bad_grading",
            "Grading is no_apparent_risk, low, medium or high.",
        )
    })
}

/// One recipient's line: short id, state, name, address, and the last error after `error_sep`.
fn delivery_line(d: &grabpack_store::outbox::Delivery, error_sep: &str) -> String {
    format!(
        "{}  {:<10} {} <{}>{}",
        &d.id[..8],
        d.state.as_str(),
        d.recipient_name,
        d.address,
        d.last_error
            .as_ref()
            .map(|e| format!("{error_sep}{e}"))
            .unwrap_or_default()
    )
}

/// One pass of the worker, then the acknowledgement feeds; prints each recipient's state.
fn attempt(store: &mut Store, json: bool) -> Result<()> {
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

fn queue_pack(
    store: &mut Store,
    episode_id: &str,
    choice: &Choice,
    note: &str,
    purpose: Purpose,
) -> Result<grabpack_store::outbox::OutboxMessage> {
    grabpack_send::queue_episode_pack(store, episode_id, choice, note, purpose, Timestamp::now())
        .map_err(send_error)
}

pub fn missing_command(cli: &Cli, dir: &Path, c: &MissingCommand) -> Result<()> {
    let json = cli.json;
    let mut store = unlock(cli, dir)?;
    match c {
        MissingCommand::Start {
            child,
            noticed,
            danger,
            unit,
        } => {
            let child_id = store.find_child(child)?;
            let directory = Directory::load(&store).map_err(send_error)?;
            if let Some(u) = unit {
                directory.unit(u).map_err(send_error)?;
            }
            let ep = match store.open_episode(&NewEpisode {
                child_id: child_id.clone(),
                noticed_at: noticed.unwrap_or_else(Timestamp::now),
                immediate_danger: *danger,
                missing_from_unit: unit.clone(),
            }) {
                Ok(ep) => ep,
                // The store refuses a second open episode: show the one to carry on with.
                Err(StoreError::EpisodeAlreadyOpen { episode_id }) => {
                    if !json {
                        let open = store.episode(&episode_id)?;
                        println!(
                            "{}",
                            show_text(&open, &store.outbox(None, Some(&episode_id))?)
                        );
                    }
                    return Err(StoreError::EpisodeAlreadyOpen { episode_id }.into());
                }
                Err(e) => return Err(e.into()),
            };
            let checklist =
                grabpack_send::episode::checklist_for_episode(&store, &ep).map_err(send_error)?;
            let form = store.child_unaudited(&child_id)?.form;
            let proposal = grabpack_send::episode::proposal_for(&store, &ep).map_err(send_error)?;
            print(
                json,
                &serde_json::json!({"episode": ep, "checklist": checklist, "proposed_recipients": proposal}),
                |_| {
                    let mut s = format!("Episode {} opened for {}.\n", ep.id, display_name(&form));
                    if ep.call_999_now {
                        s.push_str("CALL 999 NOW: immediate danger or a child aged 12 or under. Say a Philomena form exists.\n");
                    }
                    s.push_str("Checklist (nothing here has to be finished before you report):\n");
                    for st in &checklist.steps {
                        s.push_str(&format!("  [ ] {:<24} {}\n", st.id, st.label));
                    }
                    s.push_str("The pack would go to:\n");
                    for r in &proposal.recipients {
                        s.push_str(&format!(
                            "  {:<28} {} <{}> ({})\n",
                            r.id, r.name, r.address, r.reason
                        ));
                    }
                    for u in &proposal.unreachable {
                        s.push_str(&format!("  no address: {u}\n"));
                    }
                    s.push_str(&format!(
                        "Send it with: grabpack missing send {}",
                        &ep.id[..8]
                    ));
                    s
                },
            );
        }
        MissingCommand::Step {
            episode,
            step,
            outcome,
            label,
            at,
        } => {
            let id = store.find_episode(episode)?;
            let event = store.record_step(
                &id,
                at.unwrap_or_else(Timestamp::now),
                &StepEntry {
                    step_id: step.clone(),
                    label: label.clone().unwrap_or_else(|| step.clone()),
                    outcome: outcome.clone(),
                },
            )?;
            print(json, &serde_json::json!({"entry": event}), |_| {
                format!("Step '{step}' recorded (entry {event}).")
            });
        }
        MissingCommand::Part2 { episode, file } => {
            let id = store.find_episode(episode)?;
            let text = std::fs::read_to_string(file).map_err(|e| {
                CliError::input("cli.file_unreadable", format!("{}: {e}", file.display()))
            })?;
            let part2: grabpack_core::Part2 = serde_json::from_str(&text).map_err(|e| {
                CliError::input("cli.bad_part2", format!("Part 2 is not valid: {e}"))
            })?;
            let event = store.record_part2(&id, Timestamp::now(), &part2)?;
            print(json, &serde_json::json!({"entry": event}), |_| {
                format!("Part 2 saved (entry {event}).")
            });
        }
        MissingCommand::Report {
            episode,
            how,
            reference,
            officer,
            collar,
            grading: g,
            not_accepted,
            at,
        } => {
            let id = store.find_episode(episode)?;
            let at = at.unwrap_or_else(Timestamp::now);
            let how = match how.as_str() {
                "999" => ReportChannel::Phone999,
                "101" => ReportChannel::Phone101,
                "email" => ReportChannel::Email,
                "portal" => ReportChannel::OnlinePortal,
                "intake" => ReportChannel::Intake,
                "in_person" => ReportChannel::InPerson,
                other => {
                    return Err(CliError::input(
                        "cli.bad_channel",
                        format!("'{other}' is not 999, 101, email, portal, intake or in_person."),
                    ));
                }
            };
            if let Some(reason) = not_accepted {
                let refusal = NotAccepted {
                    reason: reason.clone(),
                    officer_name: officer.clone(),
                    collar_number: collar.clone(),
                    reference: reference.clone(),
                };
                let event = store.record_not_accepted(&id, at, &refusal)?;
                // The social worker (and out-of-hours team) are told at once.
                let note = grabpack_send::episode::not_accepted_note(at, &refusal);
                let msg = queue_pack(
                    &mut store,
                    &id,
                    &Choice::default(),
                    &note,
                    Purpose::NotAcceptedNotice,
                )?;
                print(
                    json,
                    &serde_json::json!({"entry": event, "notice": msg.id}),
                    |_| {
                        format!(
                            "Recorded that police would not accept the report (entry {event}); the social worker's notice is queued ({}).",
                            &msg.id[..8]
                        )
                    },
                );
                return attempt(&mut store, json);
            }
            let event = store.record_report(
                &id,
                at,
                &PoliceReport {
                    how: Some(how),
                    unit: String::new(),
                    reference: reference.clone(),
                    officer_name: officer.clone(),
                    collar_number: collar.clone(),
                    risk_grading: g.as_deref().map(grading).transpose()?,
                },
            )?;
            print(json, &serde_json::json!({"entry": event}), |_| {
                format!("Report recorded (entry {event}).")
            });
        }
        MissingCommand::Send {
            episode,
            remove,
            add,
            note,
            queue_only,
        } => {
            let id = store.find_episode(episode)?;
            let choice = Choice {
                remove: remove.clone(),
                add: add
                    .iter()
                    .map(|a| grabpack_send::recipients::extra(a, ""))
                    .collect(),
            };
            let msg = queue_pack(&mut store, &id, &choice, note, Purpose::Pack)?;
            print(json, &msg, |m| {
                format!(
                    "Queued to {} recipient(s) (message {}); committed before sending.",
                    m.deliveries.len(),
                    &m.id[..8]
                )
            });
            if !queue_only {
                attempt(&mut store, json)?;
            }
        }
        MissingCommand::Update {
            episode,
            text,
            kind,
            from,
            at,
        } => {
            let id = store.find_episode(episode)?;
            let kind: UpdateKind = serde_json::from_value(serde_json::Value::String(kind.clone()))
                .map_err(|_| {
                    CliError::input(
                        "cli.bad_kind",
                        "Kind is sighting, information, call or passed_to_police.",
                    )
                })?;
            let event = store.record_update(
                &id,
                at.unwrap_or_else(Timestamp::now),
                &EpisodeUpdate {
                    kind,
                    text: text.clone(),
                    from: from.clone(),
                },
            )?;
            print(json, &serde_json::json!({"entry": event}), |_| {
                format!("Update recorded (entry {event}).")
            });
        }
        MissingCommand::Found {
            episode,
            at,
            found_where,
            by,
            with,
            prevention_officer,
            prevention_at,
            rhi_by,
            rhi_at,
            rhi_accepted,
        } => {
            let id = store.find_episode(episode)?;
            let at = at.unwrap_or_else(Timestamp::now);
            store.record_found(
                &id,
                at,
                &Found {
                    found_where: found_where.clone(),
                    found_by: by.clone(),
                    found_with: with.clone(),
                    ..Default::default()
                },
            )?;
            if let Some(officer) = prevention_officer {
                store.record_prevention_interview(
                    &id,
                    prevention_at.unwrap_or(at),
                    &PreventionInterview {
                        officer: officer.clone(),
                        note: String::new(),
                    },
                )?;
            }
            if let Some(by) = rhi_by {
                store.record_return_home_interview(
                    &id,
                    rhi_at.unwrap_or_else(Timestamp::now),
                    &ReturnHomeInterview {
                        by: by.clone(),
                        accepted: *rhi_accepted,
                        note: String::new(),
                    },
                )?;
            }
            let ep = store.episode(&id)?;
            print(json, &ep.return_home_interview_deadline, |d| match d {
                Some(d) => format!(
                    "Found recorded. Return-home interview due by {} ({}).",
                    d.due_by,
                    if d.offered {
                        "offered"
                    } else {
                        "not yet offered"
                    }
                ),
                None => "Found recorded.".into(),
            });
        }
        MissingCommand::Close {
            episode,
            summary,
            place,
            person,
            harm,
        } => {
            let id = store.find_episode(episode)?;
            store.close_episode(
                &id,
                Timestamp::now(),
                &Closure {
                    summary: summary.clone(),
                    new_places: place.clone(),
                    new_people: person.clone(),
                    harm: harm.clone(),
                },
            )?;
            let child = store.episode(&id)?.child_id;
            let flags = store.child_flags(&child)?;
            print(json, &flags, |fs| {
                let mut s = String::from("Episode closed.\n");
                for f in fs {
                    s.push_str(&format!(
                        "FLAG {}: {}\n",
                        f.kind,
                        f.detail["reason"].as_str().unwrap_or("")
                    ));
                }
                s
            });
        }
        MissingCommand::Show { episode } => {
            let id = store.find_episode(episode)?;
            let ep = store.episode(&id)?;
            let outbox = store.outbox(None, Some(&id))?;
            print(
                json,
                &serde_json::json!({"episode": ep, "outbox": outbox}),
                |_| show_text(&ep, &outbox),
            );
        }
        MissingCommand::List { all } => {
            let eps = store.list_episodes(None, !*all)?;
            print(json, &eps, |es| {
                es.iter()
                    .map(|e| {
                        format!(
                            "{}  {}  {}",
                            &e.id[..8],
                            e.noticed_at,
                            if e.closed { "closed" } else { "OPEN" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

fn show_text(
    ep: &grabpack_store::episodes::Episode,
    outbox: &[grabpack_store::outbox::OutboxMessage],
) -> String {
    let mut s = format!(
        "Episode {} ({}), noticed {}, opened by {}\n",
        ep.id,
        if ep.is_open() { "OPEN" } else { "closed" },
        ep.noticed_at,
        ep.opened_by_name
    );
    if ep.call_999_now {
        s.push_str("999 case: immediate danger or aged 12 or under.\n");
    }
    for st in &ep.steps {
        s.push_str(&format!(
            "  step {} at {}: {} ({})\n",
            st.value.step_id, st.at, st.value.outcome, st.recorded_by_name
        ));
    }
    for r in &ep.reports {
        s.push_str(&format!(
            "  reported at {}: ref {} officer {} {} grading {}\n",
            r.at,
            r.value.reference,
            r.value.officer_name,
            r.value.collar_number,
            r.value.risk_grading.map(|g| g.label()).unwrap_or("-")
        ));
    }
    for n in &ep.not_accepted {
        s.push_str(&format!(
            "  POLICE DID NOT ACCEPT the report at {}: {}\n",
            n.at, n.value.reason
        ));
    }
    for a in &ep.acknowledgements {
        s.push_str(&format!(
            "  {} by {} {} at {}, reference {}, graded {}\n",
            if a.value.status == "accepted" {
                "received"
            } else {
                "NOT ACCEPTED"
            },
            a.value.officer_name,
            a.value.collar_number,
            a.at,
            a.value.police_reference,
            a.value.risk_grading.map(|g| g.label()).unwrap_or("-")
        ));
    }
    for u in &ep.updates {
        s.push_str(&format!("  update at {}: {}\n", u.at, u.value.text));
    }
    if let Some(f) = &ep.found {
        s.push_str(&format!(
            "  found at {} at {} by {} with {}\n",
            f.at, f.value.found_where, f.value.found_by, f.value.found_with
        ));
    }
    if let Some(d) = &ep.return_home_interview_deadline {
        s.push_str(&format!(
            "  return-home interview due by {}{}\n",
            d.due_by,
            if d.offered {
                " (offered)"
            } else if d.overdue {
                " (OVERDUE)"
            } else {
                ""
            }
        ));
    }
    for m in outbox {
        s.push_str(&format!("  message {} ({})\n", &m.id[..8], m.purpose));
        for d in &m.deliveries {
            s.push_str(&format!("    {}\n", delivery_line(d, ": ")));
        }
    }
    s.push_str(&format!(
        "  {} entries in the history (corrections kept)",
        ep.history.len()
    ));
    s
}

pub fn outbox_command(cli: &Cli, dir: &Path, c: &OutboxCommand) -> Result<()> {
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
                        &m.id[..8],
                        m.created_at,
                        m.purpose
                    ));
                    for d in &m.deliveries {
                        s.push_str(&format!(
                            "  {}  {:<10} {} <{}> attempts {}{}\n",
                            &d.id[..8],
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
            let password = crate::secret("GRABPACK_SMTP_PASSWORD", "SMTP password: ")?;
            let mut settings = SendSettings::load(&store).map_err(send_error)?;
            settings.smtp = Some(SmtpSettings {
                host: host.clone(),
                port: *port,
                security: match security.as_str() {
                    "implicit_tls" | "tls" => SmtpSecurity::ImplicitTls,
                    "starttls" => SmtpSecurity::Starttls,
                    _ => {
                        return Err(CliError::input(
                            "cli.bad_security",
                            "Security is starttls or implicit_tls; plaintext is never used.",
                        ));
                    }
                },
                username: username.clone(),
                password: password.expose().clone(),
                from: from.clone(),
                from_name: from_name.clone(),
                timeout_seconds: None,
            });
            settings.save(&mut store).map_err(send_error)?;
            print(json, &serde_json::json!({"smtp": host}), |_| {
                format!("SMTP set to {host} ({security}).")
            });
        }
        OutboxCommand::Intake { url } => {
            grabpack_send::check_intake_url(url).map_err(send_error)?;
            let token = crate::secret("GRABPACK_INTAKE_TOKEN", "Intake bearer token: ")?;
            let mut settings = SendSettings::load(&store).map_err(send_error)?;
            settings
                .intake_tokens
                .insert(url.clone(), token.expose().clone());
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
            settings.extra_root_pem.push(text);
            Transports::from_settings(&settings).map_err(send_error)?;
            settings.save(&mut store).map_err(send_error)?;
            print(json, &serde_json::json!({"trusted": pem}), |_| {
                "Certificate authority trusted for sending.".into()
            });
        }
        OutboxCommand::SavePdf { message, output } => {
            let pdf = store
                .message_pdf(message)?
                .ok_or_else(|| CliError::input("cli.no_pdf", "That message has no pack PDF."))?;
            std::fs::write(output, &pdf).map_err(|e| {
                CliError::input("cli.file_unwritable", format!("{}: {e}", output.display()))
            })?;
            let child = store.outbox_message(message)?.child_id;
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

pub fn directory_command(cli: &Cli, dir: &Path, c: &DirectoryCommand) -> Result<()> {
    let json = cli.json;
    let mut store = unlock(cli, dir)?;
    let directory = Directory::load(&store).map_err(send_error)?;
    match c {
        DirectoryCommand::List { area } => {
            let units: Vec<&grabpack_send::Unit> = match area {
                Some(a) => directory.unit_for_area(a).into_iter().collect(),
                None => directory.units().collect(),
            };
            print(json, &units, |us| {
                us.iter()
                    .map(|u| {
                        format!(
                            "{:<28} {:<48} verified {}{}  {}",
                            u.id,
                            u.name,
                            u.last_verified,
                            if u.edited { " (edited)" } else { "" },
                            u.channels.email.as_deref().unwrap_or("-")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        DirectoryCommand::Edit {
            unit,
            email,
            intake,
            phone,
            verified,
            home,
        } => {
            let mut u = directory.unit(unit).map_err(send_error)?.clone();
            if email.is_some() || intake.is_some() || phone.is_some() {
                let verified = match verified {
                    Some(v) => v.parse().map_err(|_| {
                        CliError::input("cli.bad_date", "--verified is a date, YYYY-MM-DD.")
                    })?,
                    None => crate::today(),
                };
                let edit = grabpack_send::directory::ContactsEdit {
                    email: email.clone(),
                    https_intake: intake.clone(),
                    phone_non_emergency: phone.clone(),
                };
                u = Directory::edit_contacts(&mut store, unit, &edit, verified)
                    .map_err(send_error)?;
            }
            if *home {
                let mut settings = SendSettings::load(&store).map_err(send_error)?;
                settings.home_police_unit = Some(u.id.clone());
                settings.save(&mut store).map_err(send_error)?;
            }
            print(json, &u, |u| {
                format!(
                    "{} saved{}.",
                    u.name,
                    if *home {
                        "; it is now the home's police area"
                    } else {
                        ""
                    }
                )
            });
        }
    }
    Ok(())
}
