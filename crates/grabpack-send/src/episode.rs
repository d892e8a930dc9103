//! The pack for a missing episode, built and queued one way for the app and the command line.
//!
//! Why here: the pack a police officer receives must not depend on which front end sent it. What
//! goes in (the current revision, photos, the child's or the home's marking, the app's past
//! episodes, this episode's Part 2), who the rules propose, and the cover note are decided once.
//! So is what an episode screen shows ([`view`]: the app's episode screen and `grabpack missing
//! show`), and what happens when police will not accept a report ([`record_not_accepted`]).
//!
//! Each operation reads the sending settings, the police directory and the child's form once
//! ([`EpisodeContext`]): the episode screen is redrawn after every delivery change, on the
//! emergency path.

use std::sync::Arc;

use grabpack_core::ChildForm;
use grabpack_core::readiness::age_on;
use grabpack_pack::{PackInput, PackPhoto};
use grabpack_store::episodes::{ChildFlag, Episode, NotAccepted, PoliceReport};
use grabpack_store::outbox::{DeliveryState, OutboxMessage};
use grabpack_store::{ChildId, EpisodeId, Store};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use crate::checklist::{Checklist, ChildPlacement, checklist_for};
use crate::directory::Directory;
use crate::error::Result;
use crate::recipients::{
    Choice, Proposal, Recipient, Role, choose, confirm_outside_addresses, not_accepted_notice,
    propose, widen_extra_addresses,
};
use crate::settings::SendSettings;
use crate::{Outgoing, queue, render_versions};
use grabpack_core::practice::ForcePractice;
use grabpack_store::HomeType;

/// What a pack is built from: the store's `pack_material` (the child's own marking wins over the
/// home's), the app's closed episodes for the missing history and, when a child is missing now,
/// that episode's Part 2.
pub fn pack_input(
    store: &Store,
    child_id: &ChildId,
    episode: Option<&Episode>,
) -> Result<PackInput> {
    Ok(pack_input_and_revision(store, child_id, episode)?.0)
}

/// [`pack_input`], with the revision number it was built from (for the screen that shows it).
pub fn pack_input_and_revision(
    store: &Store,
    child_id: &ChildId,
    episode: Option<&Episode>,
) -> Result<(PackInput, i64)> {
    let material = store.pack_material(child_id)?;
    let revision = material.revision;
    let mut input = PackInput::new(
        material.form,
        format!("revision {}", material.revision),
        Timestamp::now(),
    );
    input.marking = material.marking;
    input.photos = material
        .photos
        .into_iter()
        .map(|p| PackPhoto {
            jpeg: Arc::new(p.jpeg),
            kind: p.kind,
            taken_on: p.taken_on,
        })
        .collect();
    input.app_episodes = store.past_episodes(child_id)?;
    let input = match episode {
        Some(e) => crate::followup::with_episode_record(input, e),
        None => input,
    };
    Ok((input, revision))
}

/// The read-out for the call during an episode. It needs only the form and the episode's Part 2,
/// so it never reads the photos (the episode screen redraws it after every delivery change).
pub fn readout_for(form: ChildForm, episode: &Episode) -> String {
    let mut input = PackInput::new(form, String::new(), Timestamp::now());
    input.episode = episode.part2.as_ref().map(|p| p.value.clone());
    grabpack_pack::readout(&input)
}

/// "Known as (Legal Name)", or the legal name: how messages and lists name the child.
pub fn display_name(form: &ChildForm) -> String {
    match form.identity.known_as.first() {
        Some(k) if !k.trim().is_empty() => format!("{k} ({})", form.identity.legal_name),
        _ => form.identity.legal_name.clone(),
    }
}

/// What every episode operation reads from the store, read once: the sending settings, the
/// police directory and the child's current form.
#[derive(Debug)]
pub struct EpisodeContext {
    pub settings: SendSettings,
    pub directory: Directory,
    pub form: ChildForm,
    /// The placement type (whether a cohort's checklist variant applies).
    pub home_type: HomeType,
}

impl EpisodeContext {
    /// Settings and directory from the store, with the form the caller already holds.
    pub fn with_form(store: &Store, form: ChildForm) -> Result<Self> {
        Ok(Self {
            settings: SendSettings::load(store)?,
            directory: Directory::load(store)?,
            form,
            home_type: store.settings()?.home_type,
        })
    }

    /// Settings, directory and the episode's child's current form.
    pub fn load(store: &Store, episode: &Episode) -> Result<Self> {
        let form = store.child_unaudited(&episode.child_id)?.form;
        Self::with_form(store, form)
    }

    /// Who the rules propose for this episode (the unit it went missing from, else the home's).
    pub fn proposal(&self, episode: &Episode) -> Proposal {
        propose(
            &self.form,
            episode.missing_from_unit.as_deref(),
            &self.directory,
            &self.settings,
        )
    }

    /// The unit whose practice and checklist apply: where the child went missing, else the home's.
    fn unit_id<'a>(&'a self, episode: &'a Episode) -> Option<&'a str> {
        episode
            .missing_from_unit
            .as_deref()
            .or(self.settings.home_police_unit.as_deref())
    }

    /// The practice of the force covering this episode (its risk words, 999 rule, interview clock).
    pub fn practice(&self, episode: &Episode) -> Result<ForcePractice> {
        crate::practice::for_unit(&self.directory, self.unit_id(episode))
    }

    /// Call 999 now, by the force's own rule: immediate danger always, its age line where it
    /// draws one.
    pub fn call_999_now(&self, episode: &Episode) -> Result<bool> {
        Ok(self
            .practice(episode)?
            .call_999
            .must_call_999(episode.age_when_noticed, episode.immediate_danger))
    }

    /// The pre-report checklist for this episode: the unit it went missing from, else the home's,
    /// for this child's age and placement.
    pub fn checklist(&self, episode: &Episode) -> Result<Checklist> {
        let unit = self
            .unit_id(episode)
            .and_then(|id| self.directory.unit(id).ok());
        let practice = self.practice(episode)?;
        let call_999_now = practice
            .call_999
            .must_call_999(episode.age_when_noticed, episode.immediate_danger);
        let child = ChildPlacement {
            age: episode.age_when_noticed,
            home_type: self.home_type,
        };
        checklist_for(
            &self.directory,
            unit,
            child,
            call_999_now,
            &practice.call_999,
        )
    }
}

/// Who the rules propose for this episode (the unit it went missing from, else the home's).
pub fn proposal_for(store: &Store, episode: &Episode) -> Result<Proposal> {
    Ok(EpisodeContext::load(store, episode)?.proposal(episode))
}

/// The pre-report checklist for this episode: the unit it went missing from, else the home's.
pub fn checklist_for_episode(store: &Store, episode: &Episode) -> Result<Checklist> {
    EpisodeContext::load(store, episode)?.checklist(episode)
}

/// Everything the episode screen draws, in one answer.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct EpisodeView {
    pub episode: Episode,
    pub child_name: String,
    pub age: Option<i16>,
    pub checklist: Checklist,
    /// Who the rules propose; the sender may remove any and add others.
    pub proposal: Proposal,
    /// Every message sent about this episode, newest first, with each recipient's state.
    pub messages: Vec<OutboxMessage>,
    /// Everyone who had the pack (queued, sending or delivered): who an update and the returned
    /// notice go to.
    pub had_the_pack: Vec<Recipient>,
    /// The read-out for the 101 or 999 call, from the current revision and this episode's Part 2.
    pub readout: String,
    /// Flags the episode raised on the child (shown after closing).
    pub flags: Vec<ChildFlag>,
    /// For each time police would not accept the report (in the episode's order), who the
    /// notice actually reached: the screen says who was told only from this.
    pub refusal_notices: Vec<RefusalNotice>,
    /// The force's practice: the risk categories to offer (with its words), the 999 rule and the
    /// prevention-interview clock, each with its source.
    pub practice: ForcePractice,
    /// When the police prevention interview is due (the force's clock from the return to the
    /// placement); `None` before the child is back or where the force sets no fixed time.
    pub prevention_interview_due_by: Option<Timestamp>,
    /// Past that time with no prevention interview recorded.
    pub prevention_interview_overdue: bool,
    /// The child's agreed trigger plan (when to report them missing), from the current revision.
    pub trigger_plan: Option<grabpack_core::fields::TriggerPlanSummary>,
}

/// Who was told that police would not accept the report, from the notice's own deliveries.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusalNotice {
    /// The refusal's entry on the episode.
    pub entry: i64,
    /// The notice's outbox message, when one was queued.
    pub message_id: Option<grabpack_store::OutboxMessageId>,
    /// What the screen says, true to the deliveries: who has it, who it is still going to, who
    /// it failed for, and who has no address (phone them).
    pub summary: String,
}

/// Who a refusal's notice reached, in words, from its message (none when it could not be
/// queued) and the child's form (to say plainly when there is no address to send it to).
pub fn refusal_notice_summary(notice: Option<&OutboxMessage>, form: &ChildForm) -> String {
    let deliveries = notice.map(|m| m.deliveries.as_slice()).unwrap_or_default();
    let names = |pick: &dyn Fn(DeliveryState) -> bool| -> Vec<String> {
        deliveries
            .iter()
            .filter(|d| pick(d.state))
            .map(|d| d.recipient_name.clone())
            .collect()
    };
    let mut parts = Vec::new();
    let told = names(&|s| s == DeliveryState::Delivered);
    if !told.is_empty() {
        parts.push(format!("Told: {}.", told.join(", ")));
    }
    let going = names(&|s| matches!(s, DeliveryState::Queued | DeliveryState::Sending));
    if !going.is_empty() {
        parts.push(format!(
            "The notice is still on its way to {} (not delivered yet).",
            going.join(", ")
        ));
    }
    let failed = names(&|s| matches!(s, DeliveryState::Failed | DeliveryState::GivenUp));
    if !failed.is_empty() {
        parts.push(format!(
            "The notice could not be sent to {}: phone them.",
            failed.join(", ")
        ));
    }
    let p = &form.placement;
    for (role, who, email) in [
        (Role::SocialWorker, "social worker", &p.social_worker.email),
        (Role::OutOfHours, "out-of-hours team", &p.out_of_hours.email),
    ] {
        if deliveries.iter().any(|d| d.recipient_role == role.as_str()) {
            continue;
        }
        parts.push(if email.trim().is_empty() {
            format!(
                "There is no {who} email address on the child's form: the {who} was not sent the notice. Phone them."
            )
        } else {
            format!(
                "The {who} was not sent the notice (it could not be queued, for example email is not set up): phone them."
            )
        });
    }
    parts.join(" ")
}

/// Each refusal on the episode with its notice (matched by the notice's own words, which are
/// made from the refusal) and who it reached.
fn refusal_notices(
    episode: &Episode,
    messages: &[OutboxMessage],
    form: &ChildForm,
) -> Vec<RefusalNotice> {
    episode
        .not_accepted
        .iter()
        .map(|r| {
            let note = not_accepted_note(r.at, &r.value);
            let notice = messages
                .iter()
                .find(|m| m.purpose == Purpose::NotAcceptedNotice && m.cover_note == note);
            RefusalNotice {
                entry: r.event_id,
                message_id: notice.map(|m| m.id.clone()),
                summary: refusal_notice_summary(notice, form),
            }
        })
        .collect()
}

/// When the child was back: the return to the placement, else when found.
fn returned_at(episode: &Episode) -> Option<Timestamp> {
    let found = episode.found.as_ref()?;
    Some(found.value.returned_to_placement_at.unwrap_or(found.at))
}

/// Whether this episode must go to 999 now, by its force's rule (the dashboard's cards).
pub fn call_999_now(store: &Store, episode: &Episode) -> Result<bool> {
    EpisodeContext::load(store, episode)?.call_999_now(episode)
}

/// The Missing screen before an episode exists: the home's force's 999 rule, and whether it says
/// 999 now for a child of this age (immediate danger is asked on that screen).
pub fn call_999_before_episode(
    store: &Store,
    age: Option<i16>,
) -> Result<(bool, grabpack_core::practice::Call999Rule)> {
    let settings = SendSettings::load(store)?;
    let directory = Directory::load(store)?;
    let rule =
        crate::practice::for_unit(&directory, settings.home_police_unit.as_deref())?.call_999;
    Ok((rule.must_call_999(age, false), rule))
}

/// The episode as it stands, for the app's episode screen and `grabpack missing show`: settings,
/// directory and form are read once, the form parsed once. `today` gives the child's age.
pub fn view(store: &Store, episode_id: &EpisodeId, today: Date) -> Result<EpisodeView> {
    let mut episode = store.episode(episode_id)?;
    let ctx = EpisodeContext::load(store, &episode)?;
    let practice = ctx.practice(&episode)?;
    episode.call_999_now = practice
        .call_999
        .must_call_999(episode.age_when_noticed, episode.immediate_danger);
    let checklist = ctx.checklist(&episode)?;
    let prevention_interview_due_by =
        returned_at(&episode).and_then(|back| practice.prevention_interview.due_by(back));
    let prevention_interview_overdue = episode.prevention_interview.is_none()
        && prevention_interview_due_by.is_some_and(|due| Timestamp::now() > due);
    let proposal = ctx.proposal(&episode);
    let flags = store
        .child_flags(&episode.child_id)?
        .into_iter()
        .filter(|f| f.episode_id.as_ref() == Some(episode_id))
        .collect();
    let form = ctx.form;
    let messages = store.outbox(None, Some(episode_id))?;
    let had_the_pack = crate::followup::had_the_pack(&messages)
        .into_iter()
        .map(|h| h.recipient)
        .collect();
    Ok(EpisodeView {
        refusal_notices: refusal_notices(&episode, &messages, &form),
        child_name: display_name(&form),
        age: form
            .identity
            .date_of_birth
            .and_then(|dob| age_on(dob, today)),
        checklist,
        proposal,
        messages,
        had_the_pack,
        trigger_plan: grabpack_core::fields::TriggerPlanSummary::of(
            &form.missing_history.trigger_plan,
        ),
        readout: readout_for(form, &episode),
        flags,
        practice,
        prevention_interview_due_by,
        prevention_interview_overdue,
        episode,
    })
}

/// The social worker's notice when police would not accept the report: when, why, who.
pub fn not_accepted_note(at: Timestamp, refusal: &grabpack_store::episodes::NotAccepted) -> String {
    format!(
        "Police did not accept the missing-child report ({}). Reason given: {}. Officer: {} {}. The home has recorded this and will keep trying.",
        grabpack_pack::layout::uk_and_utc(at),
        refusal.reason,
        refusal.officer_name,
        refusal.collar_number
    )
}

/// What a message about an episode is for (kept in the outbox row, so defined by the store).
pub use grabpack_store::outbox::Purpose;

/// Build the pack for an episode and commit it to the outbox for the proposed recipients as the
/// sender changed them. Nothing is sent here: the worker sends what the outbox holds.
pub fn queue_episode_pack(
    store: &mut Store,
    episode_id: &EpisodeId,
    choice: &Choice,
    note: &str,
    purpose: Purpose,
    now: Timestamp,
) -> Result<OutboxMessage> {
    let ep = store.episode(episode_id)?;
    let input = pack_input(store, &ep.child_id, Some(&ep))?;
    // The pack's own copy of the form decides the recipients too: one read, one parse.
    let ctx = EpisodeContext::with_form(store, input.form.clone())?;
    let proposal = ctx.proposal(&ep);
    let mut chosen = choose(&proposal, choice);
    if purpose == Purpose::NotAcceptedNotice {
        chosen = not_accepted_notice(chosen);
    }
    let actor = store.actor();
    let manager = actor.can_administer().then(|| actor.display_name());
    let confirmed = confirm_outside_addresses(
        &mut chosen,
        choice,
        &ctx.settings.public_domains,
        manager.as_deref(),
    )?;
    let widened = widen_extra_addresses(&mut chosen, choice, manager.as_deref())?;
    let (pack, readout, versions) = render_versions(&input, &chosen)?;
    let home_settings = store.settings()?;
    let home = home_settings.home_name;
    // Police want the address the child went missing from, not only the home's name.
    let from = match home_settings.home_address.trim() {
        "" => home.clone(),
        address => format!("{home} ({})", address.replace('\n', ", ")),
    };
    let name = display_name(&input.form);
    // A second pack or a notice is a later email of the episode: threaded to each recipient's
    // first pack. Nothing to read for the first pack but an empty outbox.
    let thread = crate::followup::had_the_pack(&store.outbox(None, Some(&ep.id))?)
        .into_iter()
        .map(|h| h.first)
        .collect();
    let out = Outgoing {
        child_id: ep.child_id.clone(),
        child_display_name: name.clone(),
        episode_id: Some(ep.id.clone()),
        purpose,
        pdf: Some(pack.pdf),
        readout,
        versions,
        cover_note: if note.trim().is_empty() {
            format!(
                "{name} is missing from {from}. Absence noticed {}. The grab pack is attached; the read-out is below.",
                grabpack_pack::layout::uk_and_utc(ep.noticed_at)
            )
        } else {
            note.to_string()
        },
        recipients: chosen,
        home_id: store.store_id().to_string(),
        home_name: home,
        thread,
    };
    let msg = queue(store, &ctx.settings, &out, Some(&proposal), now)?;
    let widen_reason = choice.widen_reason.as_deref().unwrap_or_default().trim();
    for address in widened {
        store.record(
            grabpack_store::AuditAction::RecipientWidened,
            Some(&ep.child_id),
            &format!(
                "episode {}, message {}: {address} sent the full pack by a manager; reason: {widen_reason}",
                ep.id, msg.id
            ),
        )?;
    }
    let reason = choice.manager_reason.as_deref().unwrap_or_default().trim();
    for address in confirmed {
        store.record(
            grabpack_store::AuditAction::RecipientConfirmed,
            Some(&ep.child_id),
            &format!(
                "episode {}, message {}: {address} confirmed by a manager; reason: {reason}",
                ep.id, msg.id
            ),
        )?;
    }
    Ok(msg)
}

/// Record the report to police. The category must be one the force grades a missing child in
/// (`assets/police/practice.json`): "no apparent risk" is never offered for a child, nor is a
/// category the force does not use (`send.grading_not_offered`); the police's own words are kept
/// verbatim beside it. A grading that arrives from an intake is recorded as the officer gave it.
pub fn record_report(
    store: &mut Store,
    episode_id: &EpisodeId,
    at: Timestamp,
    report: &PoliceReport,
) -> Result<i64> {
    if let Some(grading) = report.risk_grading {
        let episode = store.episode(episode_id)?;
        let practice = EpisodeContext::load(store, &episode)?.practice(&episode)?;
        if practice.risk_grading.words_for(grading).is_none() {
            return Err(crate::SendError::GradingNotOffered(
                grading.label().to_string(),
            ));
        }
    }
    Ok(store.record_report(episode_id, at, report)?)
}

/// A refusal recorded, and the notice that went with it.
#[derive(Debug, Clone, Serialize)]
pub struct NotAcceptedRecorded {
    /// The refusal's entry on the episode.
    pub entry: i64,
    /// The notice to the social worker and out-of-hours team, committed to the outbox.
    pub notice: OutboxMessage,
}

/// Police would not accept the report: record the refusal on the episode, then queue a notice
/// (when, why, who) to the social worker and the out-of-hours team at once, the people councils
/// told the London Assembly were never told. The refusal is recorded first, so it is kept even
/// when nobody can be sent the notice (`store.no_recipients`: then phone them).
pub fn record_not_accepted(
    store: &mut Store,
    episode_id: &EpisodeId,
    at: Timestamp,
    refusal: &NotAccepted,
    now: Timestamp,
) -> Result<NotAcceptedRecorded> {
    let entry = store.record_not_accepted(episode_id, at, refusal)?;
    let note = not_accepted_note(at, refusal);
    let notice = queue_episode_pack(
        store,
        episode_id,
        &Choice::default(),
        &note,
        Purpose::NotAcceptedNotice,
        now,
    )?;
    Ok(NotAcceptedRecorded { entry, notice })
}
