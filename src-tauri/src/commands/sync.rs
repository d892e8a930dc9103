//! Sync from the window: this device's sync state, joining a home (as its first device or by
//! pairing), approving and revoking devices, and choosing between two edits that disagree.
//!
//! Why the network commands run on a blocking thread through [`SyncAccess`]: they wait on the
//! hub, and the window must not wait with them: the store is taken only between the hub's
//! answers, exactly as the background sync takes it (`crate::syncer`). The rules (who may
//! approve, how fingerprints compare, what a merged record shows) are `grabpack_sync::device`'s
//! and the store's, the same ones `grabpack sync` uses.

use grabpack_core::merge::disagreement_words;
use grabpack_store::sync::Choice;
use grabpack_store::{RevisionInfo, Store};
use grabpack_sync::device;
use tauri::{AppHandle, Manager, Runtime, State};

use super::Res;
use crate::error::{AppCode, UiError};
use crate::models::*;
use crate::state::{AppState, SyncAccess};

/// The sync state as the window shows it, from the store alone.
pub fn status_view(store: &Store) -> Res<SyncStatusView> {
    let status = device::status(store)?;
    let joined = status.joined.as_ref();
    Ok(SyncStatusView {
        words: status.words.clone(),
        state: match joined.map(|d| d.state) {
            None => "none",
            Some(grabpack_store::sync::SyncState::WaitingForApproval) => "waiting_for_approval",
            Some(grabpack_store::sync::SyncState::Paired) => "paired",
        }
        .to_owned(),
        hub_url: joined.map(|d| d.hub_url.clone()),
        home_id: joined.map(|d| d.home_id.clone()),
        device_id: joined.map(|d| d.device_id.clone()),
        fingerprint: status.fingerprint.clone(),
        pairing_code: joined.and_then(|d| d.pairing_code.clone()),
        approved_by: joined.and_then(|d| d.approved_by.clone()),
        approver_fingerprint: joined.and_then(|d| d.approver_fingerprint.clone()),
        waiting_to_send: status.waiting_to_send,
        refused: status.refused,
        last_error: joined.and_then(|d| d.last_error.clone()),
        children_with_disagreements: status
            .children_with_disagreements
            .iter()
            .map(|(c, n)| ChildDisagreements {
                child_id: c.to_string(),
                fields: *n,
            })
            .collect(),
    })
}

/// Run a device operation off the window's thread, the store taken only between the hub's
/// answers. The person must be unlocked when it starts (counted as activity).
async fn on_hub<R: Runtime, T: Send + 'static>(
    app: &AppHandle<R>,
    state: &AppState,
    op: impl FnOnce(&mut SyncAccess<'_>) -> grabpack_sync::Result<T> + Send + 'static,
) -> Res<T> {
    state.with_store(|_| Ok(()))?;
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        op(&mut SyncAccess(&state))
    })
    .await
    .map_err(|_| {
        UiError::app(
            AppCode::Unexpected,
            "The hub could not be asked. Try again.",
        )
    })?
    .map_err(UiError::from)
}

fn optional(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Read by the dashboard's sync line after every background pass and every half minute: never
/// counted as activity, or the idle lock would never come.
#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Res<SyncStatusView> {
    state.with_store_passive(|store| status_view(store))
}

/// Set this device up as the home's first with the provider's one-time token. A manager's act.
#[tauri::command]
pub async fn sync_enrol<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: SyncEnrolInput,
) -> Res<SyncStatusView> {
    let hub = input.hub_url.trim().to_owned();
    let ca = optional(&input.ca_pem);
    let token = input.token;
    on_hub(&app, &state, move |access| {
        device::enrol(access, &hub, ca.as_deref(), token.expose().trim())
    })
    .await?;
    state.wake_sync();
    state.with_store(|store| status_view(store))
}

/// Ask to join a home: the view then carries the code and fingerprint to show the manager.
#[tauri::command]
pub async fn sync_pair<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: SyncPairInput,
) -> Res<SyncStatusView> {
    let hub = input.hub_url.trim().to_owned();
    let ca = optional(&input.ca_pem);
    let home = input.home_id.trim().to_owned();
    on_hub(&app, &state, move |access| {
        device::request_pairing(access, &hub, ca.as_deref(), &home)
    })
    .await?;
    state.wake_sync();
    state.with_store(|store| status_view(store))
}

#[tauri::command]
pub async fn sync_waiting<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Res<Vec<WaitingDeviceView>> {
    let list = on_hub(&app, &state, |access| device::waiting_devices(access)).await?;
    Ok(list.into_iter().map(waiting_view).collect())
}

fn waiting_view(w: device::WaitingDevice) -> WaitingDeviceView {
    WaitingDeviceView {
        device_id: w.device_id,
        code: w.code,
        fingerprint: w.fingerprint,
        requested_at: w.requested_at,
    }
}

/// Approve a waiting device once the fingerprint it shows has been typed here. A manager's act.
#[tauri::command]
pub async fn sync_approve<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: SyncApproveInput,
) -> Res<WaitingDeviceView> {
    let approved = on_hub(&app, &state, move |access| {
        device::approve(access, &input.code, &input.fingerprint)
    })
    .await?;
    Ok(waiting_view(approved))
}

#[tauri::command]
pub async fn sync_devices<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Res<Vec<HomeDeviceView>> {
    let list = on_hub(&app, &state, |access| device::devices(access)).await?;
    Ok(list
        .into_iter()
        .map(|d| HomeDeviceView {
            status: serde_json::to_value(d.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            device_id: d.device_id,
            fingerprint: d.fingerprint,
            this_device: d.this_device,
            created_at: d.created_at,
            last_seen_at: d.last_seen_at,
        })
        .collect())
}

/// Revoke a device: the home key rotates and the devices that remain receive the new one.
#[tauri::command]
pub async fn sync_revoke<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: SyncRevokeInput,
) -> Res<()> {
    on_hub(&app, &state, move |access| {
        device::revoke(access, input.device_id.trim())
    })
    .await?;
    state.wake_sync();
    Ok(())
}

/// Ask the background sync to run now; the window hears `grabpack://sync` when it has.
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> Res<SyncStatusView> {
    let view = state.with_store(|store| status_view(store))?;
    state.wake_sync();
    Ok(view)
}

/// The fields of a child two edits set differently, in words.
#[tauri::command]
pub async fn disagreements(
    state: State<'_, AppState>,
    input: ChildRef,
) -> Res<Vec<DisagreementView>> {
    state.with_store(|store| {
        Ok(store
            .disagreements(&input.child_id)?
            .into_iter()
            .map(|d| {
                let (label, shown) = disagreement_words(&d.path, &d.shown);
                let (_, other) = disagreement_words(&d.path, &d.other);
                DisagreementView {
                    path: d.path,
                    label,
                    shown,
                    other,
                }
            })
            .collect())
    })
}

/// A person chooses between two edits: saved as a new revision (audited), sent to the others.
#[tauri::command]
pub async fn choose_disagreement(
    state: State<'_, AppState>,
    input: ChooseInput,
) -> Res<RevisionInfo> {
    let info = state.with_store(|store| {
        let choice = if input.keep_shown {
            Choice::Shown
        } else {
            Choice::Other
        };
        Ok(store.settle_disagreement(&input.child_id, &input.path, choice)?)
    })?;
    state.wake_sync();
    Ok(info)
}
