//! The children: the field table, the dashboard, readiness, each child's record and revisions,
//! photos. Every change is a revision the store writes and audits; nothing is decided here.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use grabpack_core::diff::FieldChange;
use grabpack_core::{FIELDS, ReadinessReason};
use grabpack_store::{ChildRecord, PhotoInfo, RevisionInfo, Store};
use tauri::State;

use super::{Res, today};
use crate::error::UiError;
use crate::models::*;
use crate::state::AppState;

#[tauri::command]
pub async fn fields() -> Res<Vec<FieldView>> {
    Ok(field_views())
}

/// The field table as the form screens draw it.
pub fn field_views() -> Vec<FieldView> {
    FIELDS
        .iter()
        .map(|f| FieldView {
            path: f.path.into(),
            group: f.group,
            letter: f.group.letter().to_string(),
            group_title: f.group.title().into(),
            label: f.label.into(),
            priority: f.priority,
            by_placement: f
                .by_placement
                .iter()
                .map(|(placement_type, priority)| PlacementPriority {
                    placement_type: *placement_type,
                    priority: *priority,
                })
                .collect(),
        })
        .collect()
}

fn reason_view(r: &ReadinessReason) -> ReasonView {
    ReasonView {
        code: r.code().into(),
        message: r.message(),
        blocks_ready: r.blocks_ready(),
    }
}

#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>, input: DashboardQuery) -> Res<DashboardPage> {
    state.with_store(|store| dashboard_page(store, input.first))
}

/// The first `first` cards in the store's order (what needs attention first), or every card, with
/// how many there are. Why a first page: the window draws its first screenful from a few cards
/// and asks for the rest after; 1,000 children's cards are ~300 KB of JSON, most of the time
/// from unlock to the dashboard (docs/benchmarks.md).
pub fn dashboard_page(store: &Store, first: Option<u32>) -> Res<DashboardPage> {
    let rows = store.dashboard(today())?;
    let total = rows.len();
    let take = first.map_or(total, |n| usize::try_from(n).unwrap_or(usize::MAX));
    Ok(DashboardPage {
        cards: rows.into_iter().take(take).map(dashboard_card).collect(),
        total,
    })
}

/// Every child's card, in the store's order (what needs attention first).
pub fn dashboard_cards(store: &Store) -> Res<Vec<DashboardCard>> {
    Ok(dashboard_page(store, None)?.cards)
}

fn dashboard_card(row: grabpack_store::DashboardRow) -> DashboardCard {
    DashboardCard {
        critical_missing: row.readiness.critical_missing(),
        reasons: row.readiness.reasons.iter().map(reason_view).collect(),
        state: row.readiness.state,
        id: row.id,
        legal_name: row.legal_name,
        known_as: row.known_as,
        age: row.age,
        face_photo_id: row.face_photo_id,
        damaged: row.damaged,
    }
}

#[tauri::command]
pub async fn readiness(state: State<'_, AppState>, input: ChildRef) -> Res<Vec<ReasonView>> {
    state.with_store(|store| {
        let r = store.readiness(&input.child_id, today())?;
        Ok(r.reasons.iter().map(reason_view).collect())
    })
}

#[tauri::command]
pub async fn child(state: State<'_, AppState>, input: ChildRef) -> Res<ChildRecord> {
    state.with_store(|store| Ok(store.child(&input.child_id)?))
}

#[tauri::command]
pub async fn create_child(
    state: State<'_, AppState>,
    input: CreateChildInput,
) -> Res<grabpack_store::ChildId> {
    let id = state.with_store(|store| Ok(store.create_child(&input.form, &input.note)?))?;
    state.wake_sync();
    Ok(id)
}

#[tauri::command]
pub async fn save_form(state: State<'_, AppState>, input: SaveFormInput) -> Res<RevisionInfo> {
    let saved = state
        .with_store(|store| Ok(store.save_form(&input.child_id, &input.form, &input.note)?))?;
    state.wake_sync();
    Ok(saved)
}

#[tauri::command]
pub async fn review(state: State<'_, AppState>, input: ReviewInput) -> Res<RevisionInfo> {
    let saved = state.with_store(|store| Ok(store.review(&input.child_id, &input.note)?))?;
    state.wake_sync();
    Ok(saved)
}

#[tauri::command]
pub async fn history(state: State<'_, AppState>, input: ChildRef) -> Res<Vec<RevisionInfo>> {
    state.with_store(|store| Ok(store.history(&input.child_id)?))
}

#[tauri::command]
pub async fn diff(state: State<'_, AppState>, input: DiffInput) -> Res<Vec<FieldChange>> {
    state.with_store(|store| Ok(store.diff(&input.child_id, input.from_seq, input.to_seq)?))
}

#[tauri::command]
pub async fn add_photo(state: State<'_, AppState>, input: AddPhotoInput) -> Res<PhotoInfo> {
    let bytes = B64
        .decode(input.bytes_base64.as_bytes())
        .map_err(|_| UiError::bad_input("The photo file"))?;
    let added = state.with_store(|store| {
        Ok(store.add_photo(&input.child_id, &bytes, input.kind, input.taken_on)?)
    })?;
    state.wake_sync();
    Ok(added)
}

/// A photo as a `data:` URL (the CSP allows data: images and nothing remote).
#[tauri::command]
pub async fn photo(state: State<'_, AppState>, input: PhotoRef) -> Res<String> {
    state.with_store(|store| {
        let jpeg = store.photo_jpeg(&input.photo_id)?;
        Ok(format!("data:image/jpeg;base64,{}", B64.encode(jpeg)))
    })
}
