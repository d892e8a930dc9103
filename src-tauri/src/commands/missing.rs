//! The missing episode's commands: the Missing screen's preview, start, checklist, Part 2, report,
//! send, updates, found, interviews, close, and the dashboard's open episodes. Each one records
//! through grabpack-store (immutable events, audited) or queues through grabpack-send, then
//! answers with the whole episode as it now stands, so the screen never shows a state the store
//! does not hold.
//!
//! Sending only commits the pack to the outbox and wakes the sender ([`crate::sender`]): the
//! window never waits on a mail server or an intake.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use grabpack_core::fields::TriggerPlanSummary;
use grabpack_core::readiness::age_on;
use grabpack_pack::{readout, render_pack};
use grabpack_send::{Choice, Purpose};
use grabpack_store::episodes::NewEpisode;
use grabpack_store::outbox::Delivery;
use grabpack_store::{ChildId, EpisodeId, Store, StoreError};
use jiff::Timestamp;
use tauri::State;

use super::{Res, today};
use crate::error::{AppCode, UiError};
use crate::models::*;
use crate::state::AppState;

/// The first screen after a tap on Missing: the pack and the read-out, built in memory from the
/// current revision.
#[tauri::command]
pub async fn missing_preview(state: State<'_, AppState>, input: ChildRef) -> Res<MissingPreview> {
    state.with_store(|store| build_missing_preview(store, &input.child_id))
}

/// The pack and read-out of a child's current revision (with the open episode's Part 2, if one is
/// running), built in memory (audited) by the same builder the sender uses.
pub fn build_missing_preview(store: &mut Store, child_id: &ChildId) -> Res<MissingPreview> {
    let open = store
        .list_episodes(Some(child_id), true)?
        .into_iter()
        .next();
    let episode = match &open {
        Some(e) => Some(store.episode(&e.id)?),
        None => None,
    };
    let (input, revision) =
        grabpack_send::episode::pack_input_and_revision(store, child_id, episode.as_ref())?;
    let age = input
        .form
        .identity
        .date_of_birth
        .and_then(|dob| age_on(dob, today()));
    let (call_999_now, call_999) = grabpack_send::episode::call_999_before_episode(store, age)?;
    let pack = render_pack(&input)?;
    store.record(
        grabpack_store::AuditAction::PackPreviewed,
        Some(child_id),
        &pack.sha256_hex,
    )?;
    Ok(MissingPreview {
        child_id: child_id.to_owned(),
        legal_name: input.form.identity.legal_name.clone(),
        age,
        call_999_now,
        call_999,
        readout: readout(&input),
        page_count: pack.page_count,
        pdf_base64: B64.encode(&pack.pdf),
        sha256_hex: pack.sha256_hex,
        warnings: pack.warnings.iter().map(ToString::to_string).collect(),
        revision,
        open_episode_id: open.map(|e| e.id),
        trigger_plan: TriggerPlanSummary::of(&input.form.missing_history.trigger_plan),
    })
}

/// The episode screen's whole view (grabpack-send reads it once for the app and the CLI).
pub fn episode_view(store: &Store, episode_id: &EpisodeId) -> Res<EpisodeView> {
    Ok(grabpack_send::episode::view(store, episode_id, today())?)
}

/// Run `f` on the store, then answer with the episode as it now stands (and wake the background
/// sync: every use changes the episode).
fn and_view(
    state: &AppState,
    episode_id: &EpisodeId,
    f: impl FnOnce(&mut Store) -> Res<()>,
) -> Res<EpisodeView> {
    state.with_store_saving(|store| {
        f(store)?;
        episode_view(store, episode_id)
    })
}

fn at(t: Option<Timestamp>) -> Timestamp {
    t.unwrap_or_else(Timestamp::now)
}

/// Open the episode (or answer with the child's episode already open: a second tap on Missing
/// must never start a second episode).
#[tauri::command]
pub async fn missing_start(
    state: State<'_, AppState>,
    input: StartEpisodeInput,
) -> Res<EpisodeView> {
    state.with_store_saving(|store| {
        if let Some(unit) = &input.missing_from_unit {
            grabpack_send::Directory::load(store)?.unit(unit)?;
        }
        // The store allows one open episode per child: a second tap carries on with that one.
        let episode_id = match store.open_episode(&NewEpisode {
            child_id: input.child_id.clone(),
            noticed_at: at(input.noticed_at),
            immediate_danger: input.immediate_danger,
            missing_from_unit: input.missing_from_unit.clone(),
        }) {
            Ok(ep) => ep.id,
            Err(StoreError::EpisodeAlreadyOpen { episode_id }) => episode_id,
            Err(e) => return Err(e.into()),
        };
        episode_view(store, &episode_id)
    })
}

#[tauri::command]
pub async fn episode(state: State<'_, AppState>, input: EpisodeRef) -> Res<EpisodeView> {
    state.with_store(|store| episode_view(store, &input.episode_id))
}

#[tauri::command]
pub async fn episode_step(state: State<'_, AppState>, input: StepInput) -> Res<EpisodeView> {
    and_view(&state, &input.episode_id, |store| {
        store.record_step(
            &input.episode_id,
            at(input.at),
            &grabpack_store::episodes::StepEntry {
                step_id: input.step_id.clone(),
                label: input.label.clone(),
                outcome: input.outcome.clone(),
            },
        )?;
        Ok(())
    })
}

#[tauri::command]
pub async fn episode_part2(state: State<'_, AppState>, input: Part2Input) -> Res<EpisodeView> {
    and_view(&state, &input.episode_id, |store| {
        store.record_part2(&input.episode_id, Timestamp::now(), &input.part2)?;
        Ok(())
    })
}

#[tauri::command]
pub async fn episode_report(state: State<'_, AppState>, input: ReportInput) -> Res<EpisodeView> {
    and_view(&state, &input.episode_id, |store| {
        grabpack_send::episode::record_report(
            store,
            &input.episode_id,
            at(input.at),
            &input.report,
        )?;
        Ok(())
    })
}

/// Police would not accept the report: recorded, and the social worker and out-of-hours team are
/// sent a notice at once (queued like any message).
#[tauri::command]
pub async fn episode_not_accepted(
    state: State<'_, AppState>,
    input: NotAcceptedInput,
) -> Res<EpisodeView> {
    let view = and_view(&state, &input.episode_id, |store| {
        grabpack_send::episode::record_not_accepted(
            store,
            &input.episode_id,
            at(input.at),
            &input.refusal,
            Timestamp::now(),
        )?;
        Ok(())
    })?;
    state.wake_sender();
    Ok(view)
}

/// Commit the pack to the outbox for the chosen recipients, then wake the sender. Answers as soon
/// as the outbox holds it; each recipient's state follows on the `grabpack://outbox` event.
#[tauri::command]
pub async fn episode_send(state: State<'_, AppState>, input: SendPackInput) -> Res<EpisodeView> {
    let choice = Choice::typed(input.remove.clone(), &input.add)
        .with_manager_reason(input.manager_reason.clone())
        .with_widened(&input.widen, input.widen_reason.clone());
    let view = and_view(&state, &input.episode_id, |store| {
        grabpack_send::queue_episode_pack(
            store,
            &input.episode_id,
            &choice,
            &input.note,
            Purpose::Pack,
            Timestamp::now(),
        )?;
        Ok(())
    })?;
    state.wake_sender();
    Ok(view)
}

/// Try one delivery again now (after the network is back, or a setting is mended).
#[tauri::command]
pub async fn delivery_retry(state: State<'_, AppState>, input: DeliveryRef) -> Res<Delivery> {
    let d = state.with_store_saving(|store| {
        Ok(store.retry_delivery(&input.delivery_id, Timestamp::now())?)
    })?;
    state.wake_sender();
    Ok(d)
}

/// Stop trying one delivery; the person's name and reason are kept.
#[tauri::command]
pub async fn delivery_give_up(state: State<'_, AppState>, input: GiveUpInput) -> Res<Delivery> {
    if input.reason.trim().is_empty() {
        return Err(UiError::app(
            AppCode::ReasonRequired,
            "Say why this recipient will not be tried again (for example: \"phoned them, they have it\").",
        ));
    }
    state.with_store_saving(|store| {
        Ok(store.give_up_delivery(&input.delivery_id, input.reason.trim())?)
    })
}

#[tauri::command]
pub async fn episode_update(state: State<'_, AppState>, input: UpdateInput) -> Res<EpisodeView> {
    if input.update.text.trim().is_empty() {
        return Err(UiError::app(
            AppCode::UpdateEmpty,
            "Write what is new: a sighting, a call, or information passed on.",
        ));
    }
    and_view(&state, &input.episode_id, |store| {
        store.record_update(&input.episode_id, at(input.at), &input.update)?;
        Ok(())
    })
}

/// Send everyone who had the pack a new pack (update N), threaded to the first; then wake the
/// sender.
#[tauri::command]
pub async fn episode_send_update(
    state: State<'_, AppState>,
    input: SendUpdateInput,
) -> Res<EpisodeView> {
    let view = and_view(&state, &input.episode_id, |store| {
        grabpack_send::queue_update(store, &input.episode_id, &input.note, Timestamp::now())?;
        Ok(())
    })?;
    state.wake_sender();
    Ok(view)
}

/// Found or returned: recorded, and everyone who had the pack is sent the "returned" notice
/// (the same function as `grabpack missing found`).
#[tauri::command]
pub async fn episode_found(state: State<'_, AppState>, input: FoundInput) -> Res<EpisodeView> {
    let view = and_view(&state, &input.episode_id, |store| {
        grabpack_send::record_found(
            store,
            &input.episode_id,
            at(input.at),
            &input.found,
            Timestamp::now(),
        )?;
        Ok(())
    })?;
    state.wake_sender();
    Ok(view)
}

#[tauri::command]
pub async fn episode_interview(
    state: State<'_, AppState>,
    input: InterviewInput,
) -> Res<EpisodeView> {
    and_view(&state, &input.episode_id, |store| {
        let when = at(input.at);
        if let Some(p) = &input.prevention {
            store.record_prevention_interview(&input.episode_id, when, p)?;
        }
        if let Some(r) = &input.return_home {
            store.record_return_home_interview(&input.episode_id, when, r)?;
        }
        Ok(())
    })
}

/// The episode changes type (recorded with why; every change kept).
#[tauri::command]
pub async fn episode_type(state: State<'_, AppState>, input: EpisodeTypeInput) -> Res<EpisodeView> {
    and_view(&state, &input.episode_id, |store| {
        store.record_episode_type(&input.episode_id, at(input.at), &input.change)?;
        Ok(())
    })
}

/// A strategy meeting held about the child's repeat episodes.
#[tauri::command]
pub async fn episode_strategy_meeting(
    state: State<'_, AppState>,
    input: StrategyMeetingInput,
) -> Res<EpisodeView> {
    and_view(&state, &input.episode_id, |store| {
        store.record_strategy_meeting(&input.episode_id, at(input.at), &input.meeting)?;
        Ok(())
    })
}

#[tauri::command]
pub async fn episode_close(state: State<'_, AppState>, input: CloseInput) -> Res<EpisodeView> {
    and_view(&state, &input.episode_id, |store| {
        store.close_episode(&input.episode_id, Timestamp::now(), &input.closure)?;
        Ok(())
    })
}

/// Open episodes for the dashboard, longest missing first, each with its latest pack's
/// recipients.
#[tauri::command]
pub async fn open_episodes(state: State<'_, AppState>) -> Res<Vec<OpenEpisodeCard>> {
    state.with_store(|store| open_episode_cards(store))
}

pub fn open_episode_cards(store: &Store) -> Res<Vec<OpenEpisodeCard>> {
    let mut cards = Vec::new();
    let mut open = store.list_episodes(None, true)?;
    open.sort_by_key(|e| e.noticed_at);
    for e in open {
        let ep = store.episode(&e.id)?;
        let form = store.child_unaudited(&ep.child_id)?.form;
        let deliveries = store
            .outbox(None, Some(&ep.id))?
            .into_iter()
            .find(|m| m.purpose == Purpose::Pack)
            .map(|m| m.deliveries)
            .unwrap_or_default();
        cards.push(OpenEpisodeCard {
            episode_id: ep.id.clone(),
            child_id: ep.child_id.clone(),
            child_name: grabpack_send::display_name(&form),
            noticed_at: ep.noticed_at,
            call_999_now: grabpack_send::episode::call_999_now(store, &ep)?,
            found_at: ep.found.as_ref().map(|f| f.at),
            deliveries,
        });
    }
    Ok(cards)
}
