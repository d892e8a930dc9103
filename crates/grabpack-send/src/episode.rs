//! The pack for a missing episode, built and queued one way for the app and the command line.
//!
//! Why here: the pack a police officer receives must not depend on which front end sent it. What
//! goes in (the current revision, photos, the child's or the home's marking, the app's past
//! episodes, this episode's Part 2), who the rules propose, and the cover note are decided once.

use std::sync::Arc;

use grabpack_core::ChildForm;
use grabpack_pack::{PackInput, PackPhoto};
use grabpack_store::Store;
use grabpack_store::episodes::Episode;
use grabpack_store::outbox::OutboxMessage;
use jiff::Timestamp;

use crate::checklist::{Checklist, checklist_for};
use crate::directory::Directory;
use crate::error::Result;
use crate::recipients::{Choice, Proposal, choose, not_accepted_notice, propose};
use crate::settings::SendSettings;
use crate::{Outgoing, queue};

/// What a pack is built from: the store's `pack_material` (the child's own marking wins over the
/// home's), the app's closed episodes for the missing history and, when a child is missing now,
/// that episode's Part 2.
pub fn pack_input(store: &Store, child_id: &str, episode: Option<&Episode>) -> Result<PackInput> {
    Ok(pack_input_and_revision(store, child_id, episode)?.0)
}

/// [`pack_input`], with the revision number it was built from (for the screen that shows it).
pub fn pack_input_and_revision(
    store: &Store,
    child_id: &str,
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
    input.episode = episode.and_then(|e| e.part2.as_ref().map(|p| p.value.clone()));
    input.app_episodes = store.past_episodes(child_id)?;
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

/// Who the rules propose for this episode (the unit it went missing from, else the home's).
pub fn proposal_for(store: &Store, episode: &Episode) -> Result<Proposal> {
    let settings = SendSettings::load(store)?;
    let directory = Directory::load(store)?;
    let form = store.child_unaudited(&episode.child_id)?.form;
    Ok(propose(
        &form,
        episode.missing_from_unit.as_deref(),
        &directory,
        &settings,
    ))
}

/// The pre-report checklist for this episode: the unit it went missing from, else the home's.
pub fn checklist_for_episode(store: &Store, episode: &Episode) -> Result<Checklist> {
    let settings = SendSettings::load(store)?;
    let directory = Directory::load(store)?;
    let unit_id = episode
        .missing_from_unit
        .clone()
        .or(settings.home_police_unit.clone());
    let unit = unit_id.as_deref().and_then(|id| directory.unit(id).ok());
    checklist_for(&directory, unit, episode.call_999_now)
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
    episode_id: &str,
    choice: &Choice,
    note: &str,
    purpose: Purpose,
    now: Timestamp,
) -> Result<OutboxMessage> {
    let ep = store.episode(episode_id)?;
    let settings = SendSettings::load(store)?;
    let proposal = proposal_for(store, &ep)?;
    let mut chosen = choose(&proposal, choice);
    if purpose == Purpose::NotAcceptedNotice {
        chosen = not_accepted_notice(chosen);
    }
    let input = pack_input(store, &ep.child_id, Some(&ep))?;
    let pdf = grabpack_pack::render_pack(&input)?;
    let readout = grabpack_pack::readout(&input);
    let home_settings = store.settings()?;
    let home = home_settings.home_name;
    // Police want the address the child went missing from, not only the home's name.
    let from = match home_settings.home_address.trim() {
        "" => home.clone(),
        address => format!("{home} ({})", address.replace('\n', ", ")),
    };
    let name = display_name(&input.form);
    let out = Outgoing {
        child_id: ep.child_id.clone(),
        child_display_name: name.clone(),
        episode_id: Some(ep.id.clone()),
        purpose,
        pdf: Some(pdf.pdf),
        readout,
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
    };
    queue(store, &settings, &out, Some(&proposal), now)
}
