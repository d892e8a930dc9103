//! `grabpack missing ...`: the missing episode from the command line (the outbox and the police
//! directory have their own modules).
//!
//! Thin glue over grabpack-store (episodes, outbox rows) and grabpack-send (directory, recipient
//! rules, transports, worker). Sending is always two steps, as in the app: the pack is committed to
//! the outbox first, then one pass of the worker tries every due delivery; whatever fails stays in
//! the outbox for `outbox send` (or the app) to retry.

use std::path::Path;

use clap::{Args, Subcommand};
use grabpack_send::{Choice, Directory, Purpose, episode};
use grabpack_store::episodes::{
    Closure, EpisodeType, EpisodeTypeChange, EpisodeUpdate, Found, InterviewMethod, InterviewWith,
    NewEpisode, NotAccepted, PoliceReport, PreventionInterview, ReportChannel, ReturnHomeInterview,
    RhiOutcome, StepEntry, StrategyMeeting, UpdateKind,
};
use grabpack_store::{Store, StoreError};
use jiff::Timestamp;

use crate::Cli;
use crate::error::{CliError, Result, send_error};
use crate::outbox::attempt;
use crate::output::{delivery_line, print};
use crate::session::{today, unlock};

#[derive(Subcommand, Debug)]
pub enum MissingCommand {
    /// Open a missing episode: shows the checklist (999 first when needed) and who the pack would go to.
    Start(StartArgs),
    /// Tick a checklist step with its time and outcome (ticking it again corrects it; the original is kept).
    Step(StepArgs),
    /// Save the Part 2 answers from a JSON file (fields as in the form's Part 2).
    Part2(Part2Args),
    /// Record the report to police; `--not-accepted REASON` records a refusal and tells the social worker at once.
    Report(ReportArgs),
    /// Send the grab pack now: proposed recipients, minus --remove, plus --add; queued, then tried.
    Send(SendArgs),
    /// New information or a sighting.
    Update(UpdateArgs),
    /// Send everyone who had the pack a new pack ("update N, replaces the pack sent at ..."),
    /// threaded to the first; queued, then tried.
    SendUpdate(SendUpdateArgs),
    /// Found or returned (everyone who had the pack is sent a short "returned" notice, threaded to
    /// the first); also the prevention interview and the return-home interview offer.
    Found(Box<FoundArgs>),
    /// Change the episode's type: missing, or away_without_authorisation (whereabouts known); every change is kept.
    Type(TypeArgs),
    /// Record a strategy meeting held about the child's repeat episodes (also after closing).
    StrategyMeeting(StrategyMeetingArgs),
    /// Close the episode: the child's form is flagged for review.
    Close(CloseArgs),
    /// The episode as it stands, every entry, and each recipient's delivery state.
    Show(ShowArgs),
    /// Open (or all) episodes.
    List(ListArgs),
}

#[derive(Args, Debug)]
pub struct StartArgs {
    pub child: String,
    /// When the absence was noticed (RFC 3339); default now.
    #[arg(long)]
    pub noticed: Option<Timestamp>,
    /// The child may be in immediate danger: call 999 now.
    #[arg(long)]
    pub danger: bool,
    /// Police unit (directory id) for where the child went missing, if not the home's area.
    #[arg(long)]
    pub unit: Option<String>,
}

#[derive(Args, Debug)]
pub struct StepArgs {
    pub episode: String,
    pub step: String,
    #[arg(long, default_value = "")]
    pub outcome: String,
    #[arg(long)]
    pub label: Option<String>,
    #[arg(long)]
    pub at: Option<Timestamp>,
}

#[derive(Args, Debug)]
pub struct Part2Args {
    pub episode: String,
    pub file: std::path::PathBuf,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    pub episode: String,
    /// 999, 101, email, portal, intake, in_person
    #[arg(long, default_value = "101")]
    pub how: String,
    #[arg(long, default_value = "")]
    pub reference: String,
    #[arg(long, default_value = "")]
    pub officer: String,
    #[arg(long, default_value = "")]
    pub collar: String,
    /// The force's category: very_low, low, medium, high (as the force grades; never "no apparent risk" for a child)
    #[arg(long)]
    pub grading: Option<String>,
    /// The police's own words for the grading, verbatim.
    #[arg(long, default_value = "")]
    pub police_words: String,
    #[arg(long)]
    pub not_accepted: Option<String>,
    #[arg(long)]
    pub at: Option<Timestamp>,
}

#[derive(Args, Debug)]
pub struct SendArgs {
    pub episode: String,
    #[arg(long)]
    pub remove: Vec<String>,
    /// An extra email address or https intake URL.
    #[arg(long)]
    pub add: Vec<String>,
    /// A manager's reason for sending to an added address outside police.uk, gov.uk, nhs.net,
    /// cjsm.net and the home's own public-service domains (only a manager's session may).
    #[arg(long)]
    pub reason: Option<String>,
    /// An added address (as given to --add) that gets the full pack instead of page 1 and
    /// Part 2 only (only a manager's session may, with --widen-reason).
    #[arg(long)]
    pub widen: Vec<String>,
    /// The manager's reason for --widen.
    #[arg(long)]
    pub widen_reason: Option<String>,
    #[arg(long, default_value = "")]
    pub note: String,
    /// Only queue it (for example with no network); `outbox send` tries later.
    #[arg(long)]
    pub queue_only: bool,
}

#[derive(Args, Debug)]
pub struct UpdateArgs {
    pub episode: String,
    pub text: String,
    /// sighting, information, call, passed_to_police
    #[arg(long, default_value = "information")]
    pub kind: String,
    #[arg(long, default_value = "")]
    pub from: String,
    #[arg(long)]
    pub at: Option<Timestamp>,
}

#[derive(Args, Debug)]
pub struct SendUpdateArgs {
    pub episode: String,
    #[arg(long, default_value = "")]
    pub note: String,
    /// Only queue it (for example with no network); `outbox send` tries later.
    #[arg(long)]
    pub queue_only: bool,
}

#[derive(Args, Debug)]
pub struct FoundArgs {
    pub episode: String,
    #[arg(long)]
    pub at: Option<Timestamp>,
    #[arg(long = "where", default_value = "")]
    pub found_where: String,
    #[arg(long, default_value = "")]
    pub by: String,
    #[arg(long, default_value = "")]
    pub with: String,
    /// When the child was back at the placement, if later than found (the return-home interview's 72 hours run from here).
    #[arg(long)]
    pub returned_at: Option<Timestamp>,
    #[arg(long)]
    pub prevention_officer: Option<String>,
    #[arg(long)]
    pub prevention_at: Option<Timestamp>,
    /// face_to_face or phone
    #[arg(long)]
    pub prevention_how: Option<String>,
    /// child or carer
    #[arg(long)]
    pub prevention_with: Option<String>,
    #[arg(long)]
    pub prevention_engaged: Option<bool>,
    #[arg(long)]
    pub prevention_disclosed: Option<bool>,
    #[arg(long)]
    pub rhi_by: Option<String>,
    /// When the return-home interview was carried out (or offered, or refused).
    #[arg(long)]
    pub rhi_at: Option<Timestamp>,
    #[arg(long)]
    pub rhi_accepted: Option<bool>,
    /// offered, carried_out or refused: only carried out meets the 72 hours
    #[arg(long)]
    pub rhi_outcome: Option<String>,
    #[arg(long, default_value = "")]
    pub rhi_organisation: String,
    #[arg(long)]
    pub rhi_same_worker: Option<bool>,
    #[arg(long)]
    pub rhi_report_received: Option<bool>,
}

#[derive(Args, Debug)]
pub struct TypeArgs {
    pub episode: String,
    /// missing or away_without_authorisation
    pub episode_type: String,
    #[arg(long, default_value = "")]
    pub reason: String,
    #[arg(long)]
    pub at: Option<Timestamp>,
}

#[derive(Args, Debug)]
pub struct StrategyMeetingArgs {
    pub episode: String,
    /// When the meeting was held (RFC 3339).
    #[arg(long)]
    pub at: Timestamp,
    /// Who attended (repeat for each person).
    #[arg(long)]
    pub attended: Vec<String>,
    #[arg(long)]
    pub police_attended: Option<bool>,
    #[arg(long, default_value = "")]
    pub decisions: String,
}

#[derive(Args, Debug)]
pub struct CloseArgs {
    pub episode: String,
    #[arg(long, default_value = "")]
    pub summary: String,
    #[arg(long)]
    pub place: Vec<String>,
    #[arg(long)]
    pub person: Vec<String>,
    #[arg(long, default_value = "")]
    pub harm: String,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    pub episode: String,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[arg(long)]
    pub all: bool,
}

fn grading(s: &str) -> Result<grabpack_core::RiskGrading> {
    word(
        s,
        "cli.bad_grading",
        "Grading is very_low, low, medium or high.",
    )
}

/// One of a vocabulary's words as the store spells it (spaces and hyphens read as underscores).
fn word<T: serde::de::DeserializeOwned>(s: &str, code: &'static str, help: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.replace([' ', '-'], "_")))
        .map_err(|_| CliError::input(code, help.to_string()))
}

pub fn run(cli: &Cli, dir: &Path, c: &MissingCommand) -> Result<()> {
    let json = cli.json;
    let mut store = unlock(cli, dir)?;
    match c {
        MissingCommand::Start(a) => start(&mut store, json, a),
        MissingCommand::Step(a) => step(&mut store, json, a),
        MissingCommand::Part2(a) => part2(&mut store, json, a),
        MissingCommand::Report(a) => report(&mut store, json, a),
        MissingCommand::Send(a) => send(&mut store, json, a),
        MissingCommand::Update(a) => update(&mut store, json, a),
        MissingCommand::SendUpdate(a) => send_update(&mut store, json, a),
        MissingCommand::Found(a) => found(&mut store, json, a),
        MissingCommand::Type(a) => change_type(&mut store, json, a),
        MissingCommand::StrategyMeeting(a) => strategy_meeting(&mut store, json, a),
        MissingCommand::Close(a) => close(&mut store, json, a),
        MissingCommand::Show(a) => show(&mut store, json, a),
        MissingCommand::List(a) => list(&mut store, json, a),
    }
}

fn start(store: &mut Store, json: bool, a: &StartArgs) -> Result<()> {
    let StartArgs {
        child,
        noticed,
        danger,
        unit,
    } = a;
    let child_id = store.find_child(child)?;
    let directory = Directory::load(store).map_err(send_error)?;
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
                let open = episode::view(store, &episode_id, today()).map_err(send_error)?;
                println!("{}", show_text(&open));
            }
            return Err(StoreError::EpisodeAlreadyOpen { episode_id }.into());
        }
        Err(e) => return Err(e.into()),
    };
    let view = episode::view(store, &ep.id, today()).map_err(send_error)?;
    let (checklist, proposal) = (&view.checklist, &view.proposal);
    print(
        json,
        &serde_json::json!({"episode": ep, "checklist": checklist, "proposed_recipients": proposal}),
        |_| {
            let mut s = format!("Episode {} opened for {}.\n", ep.id, view.child_name);
            if view.episode.call_999_now {
                let rule = &view.practice.call_999;
                s.push_str(&format!(
                    "CALL 999 NOW ({}): {}. Say a Philomena form exists.\n",
                    rule.wording,
                    call_999_reason(rule)
                ));
            }
            s.push_str(&trigger_plan_line(&view.trigger_plan));
            s.push_str(&call_advice_text(proposal));
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
                ep.id.short()
            ));
            s
        },
    );
    Ok(())
}

fn step(store: &mut Store, json: bool, a: &StepArgs) -> Result<()> {
    let StepArgs {
        episode,
        step,
        outcome,
        label,
        at,
    } = a;
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
    Ok(())
}

fn part2(store: &mut Store, json: bool, a: &Part2Args) -> Result<()> {
    let Part2Args { episode, file } = a;
    let id = store.find_episode(episode)?;
    let text = std::fs::read_to_string(file)
        .map_err(|e| CliError::input("cli.file_unreadable", format!("{}: {e}", file.display())))?;
    let part2: grabpack_core::Part2 = serde_json::from_str(&text)
        .map_err(|e| CliError::input("cli.bad_part2", format!("Part 2 is not valid: {e}")))?;
    let event = store.record_part2(&id, Timestamp::now(), &part2)?;
    print(json, &serde_json::json!({"entry": event}), |_| {
        format!("Part 2 saved (entry {event}).")
    });
    Ok(())
}

fn report(store: &mut Store, json: bool, a: &ReportArgs) -> Result<()> {
    let ReportArgs {
        episode,
        how,
        reference,
        officer,
        collar,
        grading: g,
        police_words,
        not_accepted,
        at,
    } = a;
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
        let done = episode::record_not_accepted(store, &id, at, &refusal, Timestamp::now())
            .map_err(send_error)?;
        let (event, msg) = (done.entry, done.notice);
        print(
            json,
            &serde_json::json!({"entry": event, "notice": msg.id}),
            |_| {
                format!(
                    "Recorded that police would not accept the report (entry {event}); the social worker's notice is queued ({}).",
                    msg.id.short()
                )
            },
        );
        return attempt(store, json);
    }
    let event = episode::record_report(
        store,
        &id,
        at,
        &PoliceReport {
            how: Some(how),
            unit: String::new(),
            reference: reference.clone(),
            officer_name: officer.clone(),
            collar_number: collar.clone(),
            risk_grading: g.as_deref().map(grading).transpose()?,
            police_words: police_words.clone(),
        },
    )
    .map_err(send_error)?;
    print(json, &serde_json::json!({"entry": event}), |_| {
        format!("Report recorded (entry {event}).")
    });
    Ok(())
}

fn send(store: &mut Store, json: bool, a: &SendArgs) -> Result<()> {
    let SendArgs {
        episode,
        remove,
        add,
        reason,
        widen,
        widen_reason,
        note,
        queue_only,
    } = a;
    let id = store.find_episode(episode)?;
    let choice = Choice::typed(remove.clone(), add)
        .with_manager_reason(reason.clone())
        .with_widened(widen, widen_reason.clone());
    let msg = grabpack_send::queue_episode_pack(
        store,
        &id,
        &choice,
        note,
        Purpose::Pack,
        Timestamp::now(),
    )
    .map_err(send_error)?;
    let proposal = episode::proposal_for(store, &store.episode(&id)?).map_err(send_error)?;
    print(json, &msg, |m| {
        format!(
            "{}Queued to {} recipient(s) (message {}); committed before sending.",
            call_advice_text(&proposal),
            m.deliveries.len(),
            m.id.short()
        )
    });
    if !queue_only {
        attempt(store, json)?;
    }
    Ok(())
}

fn update(store: &mut Store, json: bool, a: &UpdateArgs) -> Result<()> {
    let UpdateArgs {
        episode,
        text,
        kind,
        from,
        at,
    } = a;
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
    Ok(())
}

fn send_update(store: &mut Store, json: bool, a: &SendUpdateArgs) -> Result<()> {
    let id = store.find_episode(&a.episode)?;
    let msg =
        grabpack_send::queue_update(store, &id, &a.note, Timestamp::now()).map_err(send_error)?;
    print(json, &msg, |m| {
        format!(
            "Update queued to the {} recipient(s) who had the pack (message {}); committed before sending.",
            m.deliveries.len(),
            m.id.short()
        )
    });
    if !a.queue_only {
        attempt(store, json)?;
    }
    Ok(())
}

fn found(store: &mut Store, json: bool, a: &FoundArgs) -> Result<()> {
    let FoundArgs {
        episode,
        at,
        found_where,
        by,
        with,
        returned_at,
        prevention_officer,
        prevention_at,
        prevention_how,
        prevention_with,
        prevention_engaged,
        prevention_disclosed,
        rhi_by,
        rhi_at,
        rhi_accepted,
        rhi_outcome,
        rhi_organisation,
        rhi_same_worker,
        rhi_report_received,
    } = a;
    let id = store.find_episode(episode)?;
    let at = at.unwrap_or_else(Timestamp::now);
    let recorded = grabpack_send::record_found(
        store,
        &id,
        at,
        &Found {
            found_where: found_where.clone(),
            found_by: by.clone(),
            found_with: with.clone(),
            returned_to_placement_at: *returned_at,
            ..Default::default()
        },
        Timestamp::now(),
    )
    .map_err(send_error)?;
    if let Some(officer) = prevention_officer {
        store.record_prevention_interview(
            &id,
            prevention_at.unwrap_or(at),
            &PreventionInterview {
                officer: officer.clone(),
                note: String::new(),
                how: prevention_how
                    .as_deref()
                    .map(|h| {
                        word::<InterviewMethod>(h, "cli.bad_how", "How is face_to_face or phone.")
                    })
                    .transpose()?,
                with_whom: prevention_with
                    .as_deref()
                    .map(|w| word::<InterviewWith>(w, "cli.bad_with", "With is child or carer."))
                    .transpose()?,
                child_engaged: *prevention_engaged,
                disclosed: *prevention_disclosed,
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
                outcome: rhi_outcome
                    .as_deref()
                    .map(|o| {
                        word::<RhiOutcome>(
                            o,
                            "cli.bad_outcome",
                            "Outcome is offered, carried_out or refused.",
                        )
                    })
                    .transpose()?,
                organisation: rhi_organisation.clone(),
                same_worker_as_last_time: *rhi_same_worker,
                report_received: *rhi_report_received,
            },
        )?;
    }
    let ep = store.episode(&id)?;
    print(json, &ep.return_home_interview_deadline, |d| match d {
        Some(d) => format!(
            "Found recorded. Return-home interview due by {} ({}).",
            d.due_by,
            rhi_state(d)
        ),
        None => "Found recorded.".into(),
    });
    if let Some(notice) = &recorded.notice
        && !json
    {
        println!(
            "Returned notice queued to the {} recipient(s) who had the pack (message {}); `grabpack outbox send` sends it.",
            notice.deliveries.len(),
            notice.id.short()
        );
    }
    Ok(())
}

fn rhi_state(d: &grabpack_store::episodes::RhiDeadline) -> &'static str {
    if d.met {
        "carried out in time"
    } else if d.carried_out {
        "carried out LATE"
    } else if d.refused {
        "refused by the child"
    } else if d.overdue {
        "OVERDUE"
    } else if d.offered {
        "offered, not yet carried out"
    } else {
        "not yet offered"
    }
}

fn call_999_reason(rule: &grabpack_core::practice::Call999Rule) -> String {
    match rule.at_or_under_age {
        Some(age) => format!("immediate danger, or a child aged {age} or under"),
        None => "immediate danger".into(),
    }
}

fn change_type(store: &mut Store, json: bool, a: &TypeArgs) -> Result<()> {
    let TypeArgs {
        episode,
        episode_type,
        reason,
        at,
    } = a;
    let id = store.find_episode(episode)?;
    let episode_type: EpisodeType = word(
        episode_type,
        "cli.bad_episode_type",
        "Type is missing or away_without_authorisation.",
    )?;
    let event = store.record_episode_type(
        &id,
        at.unwrap_or_else(Timestamp::now),
        &EpisodeTypeChange {
            episode_type,
            reason: reason.clone(),
        },
    )?;
    print(json, &serde_json::json!({"entry": event}), |_| {
        format!("Episode type recorded (entry {event}).")
    });
    Ok(())
}

fn strategy_meeting(store: &mut Store, json: bool, a: &StrategyMeetingArgs) -> Result<()> {
    let StrategyMeetingArgs {
        episode,
        at,
        attended,
        police_attended,
        decisions,
    } = a;
    let id = store.find_episode(episode)?;
    let event = store.record_strategy_meeting(
        &id,
        *at,
        &StrategyMeeting {
            attended: attended.clone(),
            police_attended: *police_attended,
            decisions: decisions.clone(),
        },
    )?;
    print(json, &serde_json::json!({"entry": event}), |_| {
        format!("Strategy meeting recorded (entry {event}).")
    });
    Ok(())
}

fn close(store: &mut Store, json: bool, a: &CloseArgs) -> Result<()> {
    let CloseArgs {
        episode,
        summary,
        place,
        person,
        harm,
    } = a;
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
    Ok(())
}

fn show(store: &mut Store, json: bool, a: &ShowArgs) -> Result<()> {
    let ShowArgs { episode } = a;
    let id = store.find_episode(episode)?;
    let view = episode::view(store, &id, today()).map_err(send_error)?;
    print(json, &view, show_text);
    Ok(())
}

fn list(store: &mut Store, json: bool, a: &ListArgs) -> Result<()> {
    let ListArgs { all } = a;
    let eps = store.list_episodes(None, !*all)?;
    print(json, &eps, |es| {
        es.iter()
            .map(|e| {
                format!(
                    "{}  {}  {}",
                    e.id.short(),
                    e.noticed_at,
                    if e.closed { "closed" } else { "OPEN" }
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

/// The agreed trigger plan, as the app's Missing and episode screens show it.
fn trigger_plan_line(plan: &Option<grabpack_core::fields::TriggerPlanSummary>) -> String {
    match plan {
        Some(p) if p.agreed.is_empty() => format!("Trigger plan: {}\n", p.when_to_report),
        Some(p) => format!("Trigger plan: {} ({})\n", p.when_to_report, p.agreed),
        None => "No trigger plan is recorded: report as soon as you are worried.\n".into(),
    }
}

/// The police units to phone because the home has no confirmed address for them (first, before
/// anything else about the episode).
fn call_advice_text(proposal: &grabpack_send::Proposal) -> String {
    proposal
        .call_advice
        .iter()
        .map(|a| {
            format!(
                "PHONE {} ({}): {}. {}.\n",
                a.unit_name, a.why, a.call, a.no_address
            )
        })
        .collect()
}

fn show_text(view: &episode::EpisodeView) -> String {
    let (ep, outbox) = (&view.episode, &view.messages);
    let mut s = format!(
        "Episode {} for {} ({}), noticed {}, opened by {}\n",
        ep.id,
        view.child_name,
        if ep.is_open() { "OPEN" } else { "closed" },
        ep.noticed_at,
        ep.opened_by_name
    );
    for other in &ep.also_recorded {
        s.push_str(&format!("{}\n", other.words()));
    }
    if ep.call_999_now {
        s.push_str(&format!(
            "999 case ({}): {}.\n",
            view.practice.call_999.wording,
            call_999_reason(&view.practice.call_999)
        ));
    }
    if ep.found.is_none() {
        s.push_str(&trigger_plan_line(&view.trigger_plan));
    }
    if ep.episode_type == EpisodeType::AwayWithoutAuthorisation {
        s.push_str("Type: away from placement without authorisation (whereabouts known).\n");
    }
    for t in &ep.type_changes {
        s.push_str(&format!(
            "  type changed at {} to {:?}: {} ({})\n",
            t.at, t.value.episode_type, t.value.reason, t.recorded_by_name
        ));
    }
    s.push_str(&call_advice_text(&view.proposal));
    for st in &ep.steps {
        s.push_str(&format!(
            "  step {} at {}: {} ({})\n",
            st.value.step_id, st.at, st.value.outcome, st.recorded_by_name
        ));
    }
    for r in &ep.reports {
        s.push_str(&format!(
            "  reported at {}: ref {} officer {} {} grading {}{}\n",
            r.at,
            r.value.reference,
            r.value.officer_name,
            r.value.collar_number,
            r.value.risk_grading.map(|g| g.label()).unwrap_or("-"),
            if r.value.police_words.is_empty() {
                String::new()
            } else {
                format!(" (police's words: \"{}\")", r.value.police_words)
            }
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
    if let Some(due) = view.prevention_interview_due_by {
        s.push_str(&format!(
            "  prevention interview due by {due} ({}){}\n",
            view.practice.prevention_interview.wording,
            if view.prevention_interview_overdue {
                " OVERDUE"
            } else {
                ""
            }
        ));
    }
    if let Some(p) = &ep.prevention_interview {
        s.push_str(&format!(
            "  prevention interview at {} by {}: {:?} with {:?}, engaged {:?}, disclosed {:?}\n",
            p.at,
            p.value.officer,
            p.value.how,
            p.value.with_whom,
            p.value.child_engaged,
            p.value.disclosed
        ));
    }
    if let Some(d) = &ep.return_home_interview_deadline {
        s.push_str(&format!(
            "  return-home interview due by {} ({})\n",
            d.due_by,
            rhi_state(d)
        ));
    }
    for m in &ep.strategy_meetings {
        s.push_str(&format!(
            "  strategy meeting at {}: attended {}; police attended {:?}; decisions: {}\n",
            m.at,
            m.value.attended.join(", "),
            m.value.police_attended,
            m.value.decisions
        ));
    }
    for m in outbox {
        s.push_str(&format!("  message {} ({})\n", m.id.short(), m.purpose));
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
