//! The home: its staff, its settings (name, address, type, auto-lock) and the audit log.

use grabpack_store::sync::{DeviceChainReport, HomeAuditEntry};
use grabpack_store::{HomeSettings, StaffMember};
use tauri::State;

use super::Res;
use super::session::secret;
use crate::error::UiError;
use crate::models::*;
use crate::state::AppState;

#[tauri::command]
pub async fn staff(state: State<'_, AppState>) -> Res<Vec<StaffMember>> {
    state.with_store(|store| Ok(store.staff()?))
}

#[tauri::command]
pub async fn add_staff(state: State<'_, AppState>, input: AddStaffInput) -> Res<StaffMember> {
    let pin = input.pin.filter(|p| !p.is_empty()).map(secret);
    state.with_store_saving(|store| Ok(store.add_staff(&input.name, input.role, pin.as_ref())?))
}

/// The person unlocked chooses a new PIN: this device's at once, and every device's of the home
/// as it syncs.
#[tauri::command]
pub async fn set_own_pin(state: State<'_, AppState>, input: NewPinInput) -> Res<SessionView> {
    let pin = secret(input.pin);
    let mut slot = state.slot();
    let session = slot.as_mut().ok_or_else(UiError::locked)?;
    let name = match session.store.actor() {
        grabpack_store::Actor::Staff { name, .. } => name.clone(),
        _ => return Err(grabpack_store::StoreError::NotPermitted.into()),
    };
    session.store.set_pin(&name, &pin)?;
    let view = session.view();
    drop(slot);
    // The new PIN is the member's on every device of the home once it has synced.
    state.wake_sync();
    Ok(view)
}

#[tauri::command]
pub async fn disable_staff(state: State<'_, AppState>, input: StaffRef) -> Res<()> {
    state.with_store_saving(|store| Ok(store.disable_staff(&input.name)?))
}

#[tauri::command]
pub async fn settings(state: State<'_, AppState>) -> Res<HomeSettings> {
    state.with_store(|store| Ok(store.settings()?))
}

#[tauri::command]
pub async fn set_settings(state: State<'_, AppState>, input: HomeSettings) -> Res<SessionView> {
    state.with_store_saving(|store| Ok(store.set_settings(&input)?))?;
    // The new auto-lock time and home name apply to this session at once.
    let mut slot = state.slot();
    let session = slot.as_mut().ok_or_else(UiError::locked)?;
    session.apply_settings(&input, state.idle_override);
    Ok(session.view())
}

/// The home's strategy-meeting rule (a local rule: how many episodes in how many days), checked
/// and audited by the store.
#[tauri::command]
pub async fn set_strategy_meeting_rule(
    state: State<'_, AppState>,
    input: grabpack_store::StrategyMeetingRule,
) -> Res<HomeSettings> {
    state.with_store_saving(|store| {
        store.set_strategy_meeting_rule(input)?;
        Ok(store.settings()?)
    })
}

/// The home's audit view: this device's chain and, on a device that syncs, every other device's,
/// merged by time.
#[tauri::command]
pub async fn audit_list(state: State<'_, AppState>, input: AuditQuery) -> Res<Vec<HomeAuditEntry>> {
    let limit = input.limit.unwrap_or(200).clamp(1, 5000);
    let action = input.action.filter(|a| !a.is_empty());
    let child = input.child_id.filter(|c| !c.as_str().is_empty());
    state.with_store(|store| Ok(store.audit_list_home(child.as_ref(), action.as_deref(), limit)?))
}

/// Every chain this device holds, each verified: its own first.
#[tauri::command]
pub async fn audit_verify(state: State<'_, AppState>) -> Res<Vec<DeviceChainReport>> {
    state.with_store(|store| Ok(store.audit_verify_home()?))
}
