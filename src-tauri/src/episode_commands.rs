//! The missing episode's commands: start, checklist, Part 2, report, send, updates, found,
//! interviews, close. Each one records through grabpack-store (immutable events, audited) or
//! queues through grabpack-send, then answers with the whole episode as it now stands, so the
//! screen never shows a state the store does not hold.
//!
//! Sending only commits the pack to the outbox and wakes the sender ([`crate::sender`]): the
//! window never waits on a mail server or an intake.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use grabpack_core::readiness::age_on;
use grabpack_send::{Choice, Purpose};
use grabpack_store::episodes::NewEpisode;
use grabpack_store::outbox::Delivery;
use grabpack_store::{Store, StoreError};
use jiff::Timestamp;
use tauri::State;

use crate::error::UiError;
use crate::models::*;
use crate::state::AppState;

type Res<T> = Result<T, UiError>;

/// The episode screen's whole view.
pub fn episode_view(store: &Store, episode_id: &str) -> Res<EpisodeView> {
    let episode = store.episode(episode_id)?;
    let form = store.child_unaudited(&episode.child_id)?.form;
    let age = form
        .identity
        .date_of_birth
        .and_then(|dob| age_on(dob, jiff::Zoned::now().date()));
    let checklist = grabpack_send::episode::checklist_for_episode(store, &episode)?;
    let proposal = grabpack_send::episode::proposal_for(store, &episode)?;
    Ok(EpisodeView {
        child_name: grabpack_send::display_name(&form),
        age,
        checklist,
        proposal,
        messages: store.outbox(None, Some(episode_id))?,
        readout: grabpack_send::episode::readout_for(form, &episode),
        flags: store
            .child_flags(&episode.child_id)?
            .into_iter()
            .filter(|f| f.episode_id.as_deref() == Some(episode_id))
            .collect(),
        episode,
    })
}

/// Run `f` on the store, then answer with the episode as it now stands.
fn and_view(
    state: &AppState,
    episode_id: &str,
    f: impl FnOnce(&mut Store) -> Res<()>,
) -> Res<EpisodeView> {
    state.with_store(|store| {
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
    state.with_store(|store| {
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
        store.record_report(&input.episode_id, at(input.at), &input.report)?;
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
        let when = at(input.at);
        store.record_not_accepted(&input.episode_id, when, &input.refusal)?;
        let note = grabpack_send::episode::not_accepted_note(when, &input.refusal);
        grabpack_send::queue_episode_pack(
            store,
            &input.episode_id,
            &Choice::default(),
            &note,
            Purpose::NotAcceptedNotice,
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
    let choice = Choice {
        remove: input.remove.clone(),
        add: input
            .add
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
            .map(|a| grabpack_send::recipients::extra(a, ""))
            .collect(),
    };
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
    let d = state
        .with_store(|store| Ok(store.retry_delivery(&input.delivery_id, Timestamp::now())?))?;
    state.wake_sender();
    Ok(d)
}

/// Stop trying one delivery; the person's name and reason are kept.
#[tauri::command]
pub async fn delivery_give_up(state: State<'_, AppState>, input: GiveUpInput) -> Res<Delivery> {
    if input.reason.trim().is_empty() {
        return Err(UiError::new(
            "app.reason_required",
            "Say why this recipient will not be tried again (for example: \"phoned them, they have it\").",
        ));
    }
    state.with_store(|store| Ok(store.give_up_delivery(&input.delivery_id, input.reason.trim())?))
}

#[tauri::command]
pub async fn episode_update(state: State<'_, AppState>, input: UpdateInput) -> Res<EpisodeView> {
    if input.update.text.trim().is_empty() {
        return Err(UiError::new(
            "app.update_empty",
            "Write what is new: a sighting, a call, or information passed on.",
        ));
    }
    and_view(&state, &input.episode_id, |store| {
        store.record_update(&input.episode_id, at(input.at), &input.update)?;
        Ok(())
    })
}

#[tauri::command]
pub async fn episode_found(state: State<'_, AppState>, input: FoundInput) -> Res<EpisodeView> {
    and_view(&state, &input.episode_id, |store| {
        store.record_found(&input.episode_id, at(input.at), &input.found)?;
        Ok(())
    })
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

#[tauri::command]
pub async fn episode_close(state: State<'_, AppState>, input: CloseInput) -> Res<EpisodeView> {
    and_view(&state, &input.episode_id, |store| {
        store.close_episode(&input.episode_id, Timestamp::now(), &input.closure)?;
        Ok(())
    })
}

/// The pack for a child as it stands (with the episode's Part 2 when there is one), and the file
/// name it is saved under.
fn render_for(
    store: &Store,
    child_id: &str,
    episode_id: Option<&str>,
) -> Res<(grabpack_pack::RenderedPack, String)> {
    let episode = match episode_id {
        Some(id) => Some(store.episode_of_child(child_id, id)?),
        None => None,
    };
    let input = grabpack_send::pack_input(store, child_id, episode.as_ref())?;
    let name = pack_file_name(&input.form.identity.legal_name);
    Ok((grabpack_pack::render_pack(&input)?, name))
}

/// The pack as the episode would send it now, for share (audited with its hash).
#[tauri::command]
pub async fn episode_pack(state: State<'_, AppState>, input: EpisodeRef) -> Res<PackFile> {
    state.with_store(|store| {
        let child_id = store.episode(&input.episode_id)?.child_id;
        let (pack, file_name) = render_for(store, &child_id, Some(&input.episode_id))?;
        store.record(
            grabpack_store::AuditAction::PackRendered,
            Some(&child_id),
            &format!(
                "episode {}; {} pages, sha256 {}",
                input.episode_id, pack.page_count, pack.sha256_hex
            ),
        )?;
        Ok(PackFile {
            file_name,
            pdf_base64: B64.encode(&pack.pdf),
            sha256_hex: pack.sha256_hex,
            page_count: pack.page_count,
        })
    })
}

/// Where "Save the grab pack PDF" puts the file: GRABPACK_SAVE_DIR if set, else the person's
/// Downloads folder (created if missing). The webview cannot save a file itself: WebKitGTK drops
/// `<a download>` of a blob without a word, so saving is this command's job.
fn save_dir<R: tauri::Runtime>(app: &tauri::AppHandle<R>) -> Res<std::path::PathBuf> {
    use tauri::Manager;
    if let Some(dir) = std::env::var_os("GRABPACK_SAVE_DIR") {
        return Ok(dir.into());
    }
    app.path()
        .download_dir()
        .or_else(|_| app.path().home_dir().map(|h| h.join("Downloads")))
        .map_err(|_| {
            UiError::new(
                "app.no_save_folder",
                "This device has no folder to save into. Use Share or Print instead.",
            )
        })
}

/// A name in `dir` that does not overwrite an earlier pack: `name.pdf`, `name (2).pdf`, ...
fn unused_path(dir: &std::path::Path, file_name: &str) -> std::path::PathBuf {
    let stem = file_name.trim_end_matches(".pdf");
    let mut path = dir.join(file_name);
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem} ({n}).pdf"));
        n += 1;
    }
    path
}

/// Save the pack as a PDF file for print or hand-over (NOT encrypted; the screen says so), audited
/// with its SHA-256 and where it went.
#[tauri::command]
pub async fn save_pack<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    input: SavePackInput,
) -> Res<SavedPack> {
    let dir = save_dir(&app)?;
    state.with_store(|store| {
        let (pack, file_name) = render_for(store, &input.child_id, input.episode_id.as_deref())?;
        let written = std::fs::create_dir_all(&dir).and_then(|()| {
            let path = unused_path(&dir, &file_name);
            std::fs::write(&path, &pack.pdf).map(|()| path)
        });
        let path = written.map_err(|_| {
            UiError::new(
                "app.save_failed",
                format!(
                    "The PDF could not be saved in {}. Check the disk is not full, or use Share or Print.",
                    dir.display()
                ),
            )
        })?;
        store.record(
            grabpack_store::AuditAction::PackSaved,
            Some(&input.child_id),
            &format!(
                "sha256 {} ({} pages) saved as {}",
                pack.sha256_hex,
                pack.page_count,
                path.display()
            ),
        )?;
        Ok(SavedPack {
            path: path.display().to_string(),
            sha256_hex: pack.sha256_hex,
            page_count: pack.page_count,
        })
    })
}

/// `grab-pack-<name>.pdf`, letters and digits of any script kept.
pub fn pack_file_name(legal_name: &str) -> String {
    let mut out = String::from("grab-pack-");
    let mut dash = false;
    for c in legal_name.chars() {
        if c.is_alphanumeric() {
            out.push(c);
            dash = false;
        } else if !dash {
            out.push('-');
            dash = true;
        }
    }
    format!("{}.pdf", out.trim_end_matches('-'))
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
            call_999_now: ep.call_999_now,
            found_at: ep.found.as_ref().map(|f| f.at),
            deliveries,
        });
    }
    Ok(cards)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{pack_file_name, unused_path};

    #[test]
    fn saving_again_never_overwrites_an_earlier_pack() {
        let dir = tempfile::tempdir().unwrap();
        let first = unused_path(dir.path(), "grab-pack-A.pdf");
        assert_eq!(first, dir.path().join("grab-pack-A.pdf"));
        std::fs::write(&first, b"x").unwrap();
        let second = unused_path(dir.path(), "grab-pack-A.pdf");
        assert_eq!(second, dir.path().join("grab-pack-A (2).pdf"));
        std::fs::write(&second, b"x").unwrap();
        assert_eq!(
            unused_path(dir.path(), "grab-pack-A.pdf"),
            dir.path().join("grab-pack-A (3).pdf")
        );
    }

    #[test]
    fn the_pack_file_is_named_after_the_child_in_any_script() {
        assert_eq!(
            pack_file_name("Amara O'Neil-Hassan"),
            "grab-pack-Amara-O-Neil-Hassan.pdf"
        );
        assert_eq!(
            pack_file_name("Nguyễn Văn An"),
            "grab-pack-Nguyễn-Văn-An.pdf"
        );
        assert_eq!(pack_file_name("???"), "grab-pack.pdf");
    }
}
