//! The commands the window may call. Each one parses its input, calls one function of a domain
//! crate, and maps the error to `{code, message}`: rules about children, forms or readiness live
//! in the crates, not here.
//!
//! The list at the bottom (`app_commands!`) is the single source of both the IPC handler and the
//! command table in the generated TypeScript bindings, so a command cannot exist on one side only.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use grabpack_core::diff::FieldChange;
use grabpack_core::readiness::{age_on, must_call_999};
use grabpack_core::{FIELDS, ReadinessReason};
use grabpack_pack::{readout, render_pack};
use grabpack_store::audit::{AuditEntry, ChainReport};
use grabpack_store::{
    ChildRecord, Credential, HomeSettings, PhotoInfo, RevisionInfo, Sensitive, Setup, StaffMember,
    Store,
};
use jiff::civil::Date;
use tauri::State;

use crate::episode_commands::*;
use crate::error::UiError;
use crate::models::*;
use crate::send_commands::*;
use crate::state::{AppState, Session};
use grabpack_store::outbox::Delivery;

type Res<T> = Result<T, UiError>;

fn today() -> Date {
    jiff::Zoned::now().date()
}

fn secret(s: String) -> Sensitive<String> {
    Sensitive::from(s)
}

fn staff_on_device(state: &AppState) -> Vec<String> {
    grabpack_store::staff_on_this_device(&state.data_dir).unwrap_or_default()
}

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Res<AppStatus> {
    state.lock_if_idle();
    let session = state.slot().as_ref().map(Session::view);
    Ok(AppStatus {
        store_exists: grabpack_store::exists(&state.data_dir),
        session,
        staff_on_device: staff_on_device(&state),
        keychain_available: state.keychain.is_some(),
        demo: state.demo,
        sending_while_locked: state.keeper_undelivered(),
    })
}

#[tauri::command]
pub async fn setup_store(state: State<'_, AppState>, input: SetupInput) -> Res<SetupResult> {
    let setup = Setup {
        home_name: input.home_name.trim().to_owned(),
        manager_name: input.manager_name.trim().to_owned(),
        manager_pin: input.manager_pin.filter(|p| !p.is_empty()).map(secret),
        passphrase: input.passphrase.filter(|p| !p.is_empty()).map(secret),
    };
    if setup.home_name.is_empty() || setup.manager_name.is_empty() {
        return Err(UiError::new(
            "app.setup_incomplete",
            "Enter the home's name and the first manager's name.",
        ));
    }
    let home_name = setup.home_name.clone();
    let (mut store, recovery) = Store::create(&state.data_dir, setup, state.keychain.clone())?;
    let settings = HomeSettings {
        home_name,
        home_address: input.home_address.trim().to_owned(),
        home_type: input.home_type,
        ..HomeSettings::default()
    };
    store.set_settings(&settings)?;
    let session = Session::new(store, state.idle_override);
    let view = session.view();
    state.begin_session(session);
    Ok(SetupResult {
        recovery_key: recovery.expose().clone(),
        session: view,
    })
}

#[tauri::command]
pub async fn unlock(state: State<'_, AppState>, input: UnlockInput) -> Res<SessionView> {
    let store = match input {
        UnlockInput::Pin { staff_name, pin } => {
            let pin = secret(pin);
            Store::unlock(
                &state.data_dir,
                Credential::Pin {
                    staff_name: &staff_name,
                    pin: &pin,
                },
                state.keychain.clone(),
            )?
        }
        UnlockInput::Passphrase { passphrase } => Store::unlock(
            &state.data_dir,
            Credential::Passphrase(&secret(passphrase)),
            state.keychain.clone(),
        )?,
        UnlockInput::RecoveryKey { recovery_key } => Store::unlock(
            &state.data_dir,
            Credential::RecoveryKey(&secret(recovery_key)),
            state.keychain.clone(),
        )?,
    };
    let session = Session::new(store, state.idle_override);
    let view = session.view();
    state.begin_session(session);
    Ok(view)
}

#[tauri::command]
pub async fn lock(state: State<'_, AppState>) -> Res<()> {
    state.lock();
    Ok(())
}

/// The person is still at the screen (typing, tapping): postpone the idle lock.
#[tauri::command]
pub async fn still_here(state: State<'_, AppState>) -> Res<()> {
    state.with_store(|_| Ok(()))
}

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
pub async fn dashboard(state: State<'_, AppState>) -> Res<Vec<DashboardCard>> {
    state.with_store(|store| dashboard_cards(store))
}

/// Every child's card, in the store's order (what needs attention first).
pub fn dashboard_cards(store: &Store) -> Res<Vec<DashboardCard>> {
    Ok(store
        .dashboard(today())?
        .into_iter()
        .map(|row| DashboardCard {
            critical_missing: row.readiness.critical_missing(),
            reasons: row.readiness.reasons.iter().map(reason_view).collect(),
            state: row.readiness.state,
            id: row.id,
            legal_name: row.legal_name,
            known_as: row.known_as,
            age: row.age,
            face_photo_id: row.face_photo_id,
        })
        .collect())
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
pub async fn create_child(state: State<'_, AppState>, input: CreateChildInput) -> Res<String> {
    state.with_store(|store| Ok(store.create_child(&input.form, &input.note)?))
}

#[tauri::command]
pub async fn save_form(state: State<'_, AppState>, input: SaveFormInput) -> Res<RevisionInfo> {
    state.with_store(|store| Ok(store.save_form(&input.child_id, &input.form, &input.note)?))
}

#[tauri::command]
pub async fn review(state: State<'_, AppState>, input: ReviewInput) -> Res<RevisionInfo> {
    state.with_store(|store| Ok(store.review(&input.child_id, &input.note)?))
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
    state.with_store(|store| {
        Ok(store.add_photo(&input.child_id, &bytes, input.kind, input.taken_on)?)
    })
}

/// A photo as a `data:` URL (the CSP allows data: images and nothing remote).
#[tauri::command]
pub async fn photo(state: State<'_, AppState>, input: PhotoRef) -> Res<String> {
    state.with_store(|store| {
        let jpeg = store.photo_jpeg(&input.photo_id)?;
        Ok(format!("data:image/jpeg;base64,{}", B64.encode(jpeg)))
    })
}

#[tauri::command]
pub async fn staff(state: State<'_, AppState>) -> Res<Vec<StaffMember>> {
    state.with_store(|store| Ok(store.staff()?))
}

#[tauri::command]
pub async fn add_staff(state: State<'_, AppState>, input: AddStaffInput) -> Res<StaffMember> {
    let pin = input.pin.filter(|p| !p.is_empty()).map(secret);
    state.with_store(|store| Ok(store.add_staff(&input.name, input.role, pin.as_ref())?))
}

#[tauri::command]
pub async fn disable_staff(state: State<'_, AppState>, input: StaffRef) -> Res<()> {
    state.with_store(|store| Ok(store.disable_staff(&input.name)?))
}

#[tauri::command]
pub async fn settings(state: State<'_, AppState>) -> Res<HomeSettings> {
    state.with_store(|store| Ok(store.settings()?))
}

#[tauri::command]
pub async fn set_settings(state: State<'_, AppState>, input: HomeSettings) -> Res<SessionView> {
    state.with_store(|store| Ok(store.set_settings(&input)?))?;
    // The new auto-lock time and home name apply to this session at once.
    let mut slot = state.slot();
    let session = slot.as_mut().ok_or_else(UiError::locked)?;
    session.apply_settings(&input, state.idle_override);
    Ok(session.view())
}

#[tauri::command]
pub async fn audit_list(state: State<'_, AppState>, input: AuditQuery) -> Res<Vec<AuditEntry>> {
    let limit = input.limit.unwrap_or(200).clamp(1, 5000);
    let action = input.action.filter(|a| !a.is_empty());
    let child = input.child_id.filter(|c| !c.is_empty());
    state.with_store(|store| Ok(store.audit_list(child.as_deref(), action.as_deref(), limit)?))
}

#[tauri::command]
pub async fn audit_verify(state: State<'_, AppState>) -> Res<ChainReport> {
    state.with_store(|store| Ok(store.audit_verify()?))
}

/// The first screen after a tap on Missing: the pack and the read-out, built in memory from the
/// current revision.
#[tauri::command]
pub async fn missing_preview(state: State<'_, AppState>, input: ChildRef) -> Res<MissingPreview> {
    state.with_store(|store| build_missing_preview(store, &input.child_id))
}

/// The pack and read-out of a child's current revision (with the open episode's Part 2, if one is
/// running), built in memory (audited) by the same builder the sender uses.
pub fn build_missing_preview(store: &mut Store, child_id: &str) -> Res<MissingPreview> {
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
        call_999_now: must_call_999(age, false),
        readout: readout(&input),
        page_count: pack.page_count,
        pdf_base64: B64.encode(&pack.pdf),
        sha256_hex: pack.sha256_hex,
        warnings: pack.warnings.iter().map(ToString::to_string).collect(),
        revision,
        open_episode_id: open.map(|e| e.id),
    })
}

/// Declares every command once: the IPC handler and the bindings' command table come from here.
macro_rules! app_commands {
    ($($name:ident : $input:ty => $output:ty),* $(,)?) => {
        pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// (command, input type or `()`, output type) for the generated bindings.
        pub fn signatures(
            generator: &mut schemars::SchemaGenerator,
        ) -> Vec<(&'static str, schemars::Schema, schemars::Schema)> {
            vec![$((
                stringify!($name),
                generator.subschema_for::<$input>(),
                generator.subschema_for::<$output>(),
            )),*]
        }
    };
}

app_commands! {
    app_status: () => AppStatus,
    setup_store: SetupInput => SetupResult,
    unlock: UnlockInput => SessionView,
    lock: () => (),
    still_here: () => (),
    fields: () => Vec<FieldView>,
    dashboard: () => Vec<DashboardCard>,
    readiness: ChildRef => Vec<ReasonView>,
    child: ChildRef => ChildRecord,
    create_child: CreateChildInput => String,
    save_form: SaveFormInput => RevisionInfo,
    review: ReviewInput => RevisionInfo,
    history: ChildRef => Vec<RevisionInfo>,
    diff: DiffInput => Vec<FieldChange>,
    add_photo: AddPhotoInput => PhotoInfo,
    photo: PhotoRef => String,
    staff: () => Vec<StaffMember>,
    add_staff: AddStaffInput => StaffMember,
    disable_staff: StaffRef => (),
    settings: () => HomeSettings,
    set_settings: HomeSettings => SessionView,
    audit_list: AuditQuery => Vec<AuditEntry>,
    audit_verify: () => ChainReport,
    missing_preview: ChildRef => MissingPreview,
    open_episodes: () => Vec<OpenEpisodeCard>,
    missing_start: StartEpisodeInput => EpisodeView,
    episode: EpisodeRef => EpisodeView,
    episode_step: StepInput => EpisodeView,
    episode_part2: Part2Input => EpisodeView,
    episode_report: ReportInput => EpisodeView,
    episode_not_accepted: NotAcceptedInput => EpisodeView,
    episode_send: SendPackInput => EpisodeView,
    delivery_retry: DeliveryRef => Delivery,
    delivery_give_up: GiveUpInput => Delivery,
    episode_update: UpdateInput => EpisodeView,
    episode_found: FoundInput => EpisodeView,
    episode_interview: InterviewInput => EpisodeView,
    episode_close: CloseInput => EpisodeView,
    episode_pack: EpisodeRef => PackFile,
    save_pack: SavePackInput => SavedPack,
    send_settings: () => SendSettingsView,
    set_smtp: SmtpInput => SendSettingsView,
    set_intake_token: IntakeTokenInput => SendSettingsView,
    trust_certificate: TrustCaInput => SendSettingsView,
    set_home_unit: HomeUnitInput => SendSettingsView,
    send_test: SendTestInput => String,
    directory: DirectoryQuery => Vec<DirectoryUnit>,
    directory_edit: DirectoryEditInput => DirectoryUnit,
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_handled_command_is_declared_for_the_capability() {
        let mut generator = schemars::SchemaGenerator::default();
        let handled: Vec<&str> = super::signatures(&mut generator)
            .into_iter()
            .map(|(name, _, _)| name)
            .collect();
        assert_eq!(handled, crate::command_names::COMMANDS);
    }

    /// A command the capability does not grant fails in the window with a bare "not allowed":
    /// the main window's capability must grant exactly the app's commands, no more.
    #[test]
    fn the_main_window_capability_grants_every_command_and_nothing_else() {
        let text = include_str!("../capabilities/default.json");
        let cap: serde_json::Value = serde_json::from_str(text).unwrap();
        let granted: Vec<String> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .filter(|p| p.starts_with("allow-"))
            .map(str::to_owned)
            .collect();
        let wanted: Vec<String> = crate::command_names::COMMANDS
            .iter()
            .map(|c| format!("allow-{}", c.replace('_', "-")))
            .collect();
        assert_eq!(granted, wanted);
        let others: Vec<&str> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .filter(|p| !p.starts_with("allow-"))
            .collect();
        assert_eq!(
            others,
            ["core:event:allow-listen", "core:event:allow-unlisten"]
        );
    }
}
