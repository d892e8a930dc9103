//! The commands the window may call, one file per area. Each one parses its input, calls one
//! function of a domain crate, and maps the error to `{code, message}`: rules about children,
//! forms, episodes or sending live in the crates, not here.
//!
//! The list below (`app_commands!`) is the single source of both the IPC handler and the command
//! table in the generated TypeScript bindings, so a command cannot exist on one side only; a test
//! holds it equal to `command_names::COMMANDS` (which build.rs turns into the window's
//! permissions) and to the capability file.

mod children;
mod home;
mod missing;
mod pack;
mod sending;
mod session;
mod sync;

use grabpack_core::diff::FieldChange;
use grabpack_store::outbox::Delivery;
use grabpack_store::sync::{DeviceChainReport, HomeAuditEntry};
use grabpack_store::{
    ChildRecord, HomeSettings, PhotoInfo, RevisionInfo, StaffMember, StrategyMeetingRule,
};
use jiff::civil::Date;

pub use children::*;
pub use home::*;
pub use missing::*;
pub use pack::*;
pub use sending::*;
pub use session::*;
pub use sync::*;

use crate::error::UiError;
use crate::models::*;

type Res<T> = Result<T, UiError>;

fn today() -> Date {
    jiff::Zoned::now().date()
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
    prepare_unlock: () => (),
    lock: () => (),
    still_here: () => (),
    fields: () => Vec<FieldView>,
    dashboard: DashboardQuery => DashboardPage,
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
    set_own_pin: NewPinInput => SessionView,
    settings: () => HomeSettings,
    set_settings: HomeSettings => SessionView,
    set_strategy_meeting_rule: StrategyMeetingRule => HomeSettings,
    audit_list: AuditQuery => Vec<HomeAuditEntry>,
    audit_verify: () => Vec<DeviceChainReport>,
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
    episode_send_update: SendUpdateInput => EpisodeView,
    episode_found: FoundInput => EpisodeView,
    episode_interview: InterviewInput => EpisodeView,
    episode_type: EpisodeTypeInput => EpisodeView,
    episode_strategy_meeting: StrategyMeetingInput => EpisodeView,
    episode_close: CloseInput => EpisodeView,
    episode_pack: EpisodeRef => PackFile,
    save_pack: SavePackInput => SavedPack,
    save_child_copy: ChildCopyRequest => SavedChildCopy,
    send_settings: () => SendSettingsView,
    set_smtp: SmtpInput => SendSettingsView,
    set_intake_token: IntakeTokenInput => SendSettingsView,
    trust_certificate: TrustCaInput => SendSettingsView,
    remove_certificate: RemoveCertificateInput => SendSettingsView,
    set_home_unit: HomeUnitInput => SendSettingsView,
    set_public_domains: PublicDomainsInput => SendSettingsView,
    send_test: SendTestInput => String,
    directory: DirectoryQuery => Vec<DirectoryUnit>,
    directory_edit: DirectoryEditInput => DirectoryUnit,
    sync_status: () => SyncStatusView,
    sync_enrol: SyncEnrolInput => SyncStatusView,
    sync_pair: SyncPairInput => SyncStatusView,
    sync_waiting: () => Vec<WaitingDeviceView>,
    sync_approve: SyncApproveInput => WaitingDeviceView,
    sync_devices: () => Vec<HomeDeviceView>,
    sync_revoke: SyncRevokeInput => (),
    sync_now: () => SyncStatusView,
    disagreements: ChildRef => Vec<DisagreementView>,
    choose_disagreement: ChooseInput => RevisionInfo,
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
        let text = include_str!("../../capabilities/default.json");
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
