//! The grab-pack PDF as a file: rendered for Share, or saved for print and hand-over (NOT
//! encrypted; the screen says so). Both are audited with the pack's SHA-256.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use grabpack_store::{ChildId, EpisodeId, Store};
use tauri::State;

use super::Res;
use crate::error::{AppCode, UiError};
use crate::models::*;
use crate::state::AppState;

/// The pack for a child as it stands (with the episode's Part 2 when there is one), and the file
/// name it is saved under.
fn render_for(
    store: &Store,
    child_id: &ChildId,
    episode_id: Option<&EpisodeId>,
) -> Res<(grabpack_pack::RenderedPack, String)> {
    let episode = match episode_id {
        Some(id) => Some(store.episode_of_child(child_id, id)?),
        None => None,
    };
    let input = grabpack_send::pack_input(store, child_id, episode.as_ref())?;
    let name = grabpack_send::handover::neutral_pack_file_name(&jiff::Zoned::now());
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
            UiError::app(
                AppCode::NoSaveFolder,
                "This device has no folder to save into. Use Share or Print instead.",
            )
        })
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
        let (pack, file_name) = render_for(store, &input.child_id, input.episode_id.as_ref())?;
        let written = std::fs::create_dir_all(&dir).and_then(|()| {
            let path = grabpack_send::handover::unused_path(&dir, &file_name);
            grabpack_send::handover::write_owner_only(&path, &pack.pdf).map(|()| path)
        });
        let path = written.map_err(|_| {
            UiError::app(AppCode::SaveFailed,
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
            warning: grabpack_send::handover::cloud_synced_folder_warning(&dir),
            path: path.display().to_string(),
            sha256_hex: pack.sha256_hex,
            page_count: pack.page_count,
        })
    })
}

/// Save the child's own copy as a PDF to print for the child (NOT encrypted), audited with its
/// SHA-256 and where it went; with `shown`, record that it is being shown to the child.
#[tauri::command]
pub async fn save_child_copy<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    input: ChildCopyRequest,
) -> Res<SavedChildCopy> {
    let dir = save_dir(&app)?;
    state.with_store(|store| {
        let pdf = grabpack_send::child_copy::build(store, &input.child_id, jiff::Timestamp::now())?;
        let file_name = grabpack_send::handover::neutral_child_copy_file_name(&jiff::Zoned::now());
        let written = std::fs::create_dir_all(&dir).and_then(|()| {
            let path = grabpack_send::handover::unused_path(&dir, &file_name);
            grabpack_send::handover::write_owner_only(&path, &pdf).map(|()| path)
        });
        let path = written.map_err(|_| {
            UiError::app(
                AppCode::SaveFailed,
                format!(
                    "The PDF could not be saved in {}. Check the disk is not full.",
                    dir.display()
                ),
            )
        })?;
        let sha256_hex = grabpack_store::outbox::sha256_hex(&pdf);
        store.record(
            grabpack_store::AuditAction::PackSaved,
            Some(&input.child_id),
            &format!(
                "the child's own copy, sha256 {sha256_hex}, saved as {}",
                path.display()
            ),
        )?;
        if input.shown {
            grabpack_send::child_copy::record_shown(store, &input.child_id, &pdf)?;
        }
        let shown_at = grabpack_send::child_copy::shown(store, &input.child_id)?
            .into_iter()
            .map(|e| e.at)
            .collect();
        Ok(SavedChildCopy {
            warning: grabpack_send::handover::cloud_synced_folder_warning(&dir),
            path: path.display().to_string(),
            sha256_hex,
            shown_at,
        })
    })
}
