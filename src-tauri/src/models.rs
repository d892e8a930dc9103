//! What crosses the IPC boundary that the crates do not already define: inputs shaped for the
//! screens and small views. Every type here derives `JsonSchema`, so the TypeScript bindings in
//! ui/src/bindings are generated from it and cannot drift unnoticed.

use grabpack_core::{Group, PhotoKind, Priority, ReadinessState, StaffRole};
use grabpack_store::{ChildId, DeliveryId, EpisodeId, PhotoId};
use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What the app shows before anyone unlocks it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AppStatus {
    pub store_exists: bool,
    pub session: Option<SessionView>,
    /// Staff with a PIN on this device, for the unlock screen's picker (names only).
    pub staff_on_device: Vec<String>,
    /// Whether the system keychain works here: PINs need it.
    pub keychain_available: bool,
    /// Started with GRABPACK_DEMO=1 or --demo on a demo store.
    pub demo: bool,
    /// While locked: deliveries the app is still sending in the background (0 when none).
    pub sending_while_locked: i64,
}

/// Who is unlocked, and what they may do.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SessionView {
    pub actor_name: String,
    /// `staff`, `passphrase` or `recovery_key`.
    pub actor_kind: String,
    pub can_administer: bool,
    pub home_name: String,
    /// The app locks itself after this much idle time.
    pub auto_lock_seconds: u64,
    /// Unlocked with a PIN shorter than new PINs may be (a store from before 6-digit PINs): the
    /// window asks for a new one.
    pub pin_change_due: bool,
    /// A rotation's new recovery key has not been typed back (`grabpack keys confirm-recovery`):
    /// the previous one still opens the store, and the dashboard says so until it is.
    pub recovery_key_unconfirmed: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SetupInput {
    pub home_name: String,
    #[serde(default)]
    pub home_address: String,
    #[serde(default)]
    pub home_type: grabpack_store::HomeType,
    pub manager_name: String,
    /// The first manager's PIN on this device (needs the keychain).
    pub manager_pin: Option<String>,
    /// For machines with no keychain, and for administrators.
    pub passphrase: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SetupResult {
    /// Shown once, to print and keep in the home's safe. Never stored in the clear.
    pub recovery_key: String,
    pub session: SessionView,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum UnlockInput {
    Pin { staff_name: String, pin: String },
    Passphrase { passphrase: String },
    RecoveryKey { recovery_key: String },
}

/// One reason on a dashboard card, with the words to show.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReasonView {
    pub code: String,
    pub message: String,
    /// Stops the pack being ready (rather than needing attention).
    pub blocks_ready: bool,
}

/// A child's card on the dashboard.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DashboardCard {
    pub id: ChildId,
    pub legal_name: String,
    pub known_as: Vec<String>,
    pub age: Option<i16>,
    pub state: ReadinessState,
    pub reasons: Vec<ReasonView>,
    pub critical_missing: usize,
    pub face_photo_id: Option<PhotoId>,
    /// The child's latest revision could not be read: the card says so instead of showing an
    /// empty name (the record needs restoring; every other card is still there).
    pub damaged: bool,
}

/// Which of the dashboard's cards to send: the first few (the window's first screenful) or all.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct DashboardQuery {
    /// At most this many cards, the first in the store's order; none: every card.
    #[serde(default)]
    pub first: Option<u32>,
}

/// Cards of the dashboard, in the store's order (what needs attention first; the window keeps
/// it), with how many children there are in all.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DashboardPage {
    pub cards: Vec<DashboardCard>,
    pub total: usize,
}

/// One row of the field table, for the form screens.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FieldView {
    pub path: String,
    pub group: Group,
    pub letter: String,
    pub group_title: String,
    pub label: String,
    /// The priority when the placement type is not chosen, or not one of `by_placement`'s.
    pub priority: Priority,
    /// The placement types for which the field is worth more or less (the screen shows the
    /// priority for the child's own placement type).
    pub by_placement: Vec<PlacementPriority>,
}

/// A field's priority for one type of placement.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PlacementPriority {
    pub placement_type: grabpack_core::PlacementType,
    pub priority: Priority,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ChildRef {
    pub child_id: ChildId,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct CreateChildInput {
    pub form: grabpack_core::ChildForm,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SaveFormInput {
    pub child_id: ChildId,
    pub form: grabpack_core::ChildForm,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ReviewInput {
    pub child_id: ChildId,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct DiffInput {
    pub child_id: ChildId,
    pub from_seq: i64,
    pub to_seq: i64,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct AddPhotoInput {
    pub child_id: ChildId,
    /// The file's bytes, base64.
    pub bytes_base64: String,
    pub kind: PhotoKind,
    /// Overrides the camera's date.
    pub taken_on: Option<Date>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct PhotoRef {
    pub photo_id: PhotoId,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct AddStaffInput {
    pub name: String,
    pub role: StaffRole,
    pub pin: Option<String>,
}

/// A new PIN for the person unlocked (6 to 12 digits).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct NewPinInput {
    pub pin: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct StaffRef {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct AuditQuery {
    pub child_id: Option<ChildId>,
    pub action: Option<String>,
    pub limit: Option<i64>,
}

/// What the Missing screen shows first: the emergency choice, the read-out for the call and the
/// pack, built in memory.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MissingPreview {
    pub child_id: ChildId,
    pub legal_name: String,
    pub age: Option<i16>,
    /// At or under the home's force's age line: report at once on 999.
    pub call_999_now: bool,
    /// The home's force's 999 rule: its age line, its words and their source.
    pub call_999: grabpack_core::practice::Call999Rule,
    /// The 30-second read-out for the 101 or 999 call.
    pub readout: String,
    pub page_count: usize,
    pub pdf_base64: String,
    pub sha256_hex: String,
    pub warnings: Vec<String>,
    pub revision: i64,
    /// This child's open episode, if one is already running: the Missing button goes there.
    pub open_episode_id: Option<EpisodeId>,
    /// The agreed trigger plan (when to report this child missing), shown as staff decide.
    pub trigger_plan: Option<grabpack_core::fields::TriggerPlanSummary>,
}

// ---- The missing episode -------------------------------------------------------------------

use grabpack_send::{SecretText, SmtpSecurity, Unit};
use grabpack_store::episodes::{
    Closure, EpisodeTypeChange, EpisodeUpdate, Found, NotAccepted, PoliceReport,
    PreventionInterview, ReturnHomeInterview, StrategyMeeting,
};
use grabpack_store::outbox::Delivery;
use jiff::Timestamp;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct StartEpisodeInput {
    pub child_id: ChildId,
    /// The person thinks the child may be in immediate danger (or is not sure).
    pub immediate_danger: bool,
    /// When the absence was noticed; now when not given.
    pub noticed_at: Option<Timestamp>,
    /// The police unit for where the child went missing, when not the home's own area.
    pub missing_from_unit: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct EpisodeRef {
    pub episode_id: EpisodeId,
}

/// Everything the episode screen draws, in one answer (built by grabpack-send, shared with the CLI).
pub use grabpack_send::episode::EpisodeView;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct StepInput {
    pub episode_id: EpisodeId,
    pub step_id: String,
    pub label: String,
    #[serde(default)]
    pub outcome: String,
    pub at: Option<Timestamp>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct Part2Input {
    pub episode_id: EpisodeId,
    pub part2: grabpack_core::Part2,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ReportInput {
    pub episode_id: EpisodeId,
    pub report: PoliceReport,
    pub at: Option<Timestamp>,
}

/// Police would not accept the report: recorded, and the social worker told at once.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct NotAcceptedInput {
    pub episode_id: EpisodeId,
    pub refusal: NotAccepted,
    pub at: Option<Timestamp>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SendPackInput {
    pub episode_id: EpisodeId,
    /// Proposed recipients (by id) the sender took off.
    #[serde(default)]
    pub remove: Vec<String>,
    /// Extra email addresses or https intake addresses.
    #[serde(default)]
    pub add: Vec<String>,
    /// A manager's reason for added addresses outside the public-service domains.
    #[serde(default)]
    pub manager_reason: Option<String>,
    /// Added addresses a manager sends the full pack instead of page 1 and Part 2.
    #[serde(default)]
    pub widen: Vec<String>,
    /// The manager's reason for widening them.
    #[serde(default)]
    pub widen_reason: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// Send everyone who had the pack a new pack because Part 2 changed.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SendUpdateInput {
    pub episode_id: EpisodeId,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct DeliveryRef {
    pub delivery_id: DeliveryId,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct GiveUpInput {
    pub delivery_id: DeliveryId,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct UpdateInput {
    pub episode_id: EpisodeId,
    pub update: EpisodeUpdate,
    pub at: Option<Timestamp>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct FoundInput {
    pub episode_id: EpisodeId,
    pub found: Found,
    pub at: Option<Timestamp>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct InterviewInput {
    pub episode_id: EpisodeId,
    /// The police prevention interview (safe-and-well check).
    pub prevention: Option<PreventionInterview>,
    /// The independent return-home interview offer.
    pub return_home: Option<ReturnHomeInterview>,
    pub at: Option<Timestamp>,
}

/// The episode changes type (missing, or away from placement without authorisation).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct EpisodeTypeInput {
    pub episode_id: EpisodeId,
    pub change: EpisodeTypeChange,
    pub at: Option<Timestamp>,
}

/// A strategy meeting held (`at`: when).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct StrategyMeetingInput {
    pub episode_id: EpisodeId,
    pub meeting: StrategyMeeting,
    pub at: Option<Timestamp>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct CloseInput {
    pub episode_id: EpisodeId,
    pub closure: Closure,
}

/// An open episode, pinned above the children on the dashboard.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OpenEpisodeCard {
    pub episode_id: EpisodeId,
    pub child_id: ChildId,
    pub child_name: String,
    pub noticed_at: Timestamp,
    pub call_999_now: bool,
    pub found_at: Option<Timestamp>,
    /// The latest pack message's recipients and their states.
    pub deliveries: Vec<Delivery>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SavePackInput {
    pub child_id: ChildId,
    /// The open episode, so its Part 2 is in the saved pack.
    pub episode_id: Option<EpisodeId>,
}

/// Where the saved pack went (not encrypted: the screen says so).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SavedPack {
    pub path: String,
    /// Said when the folder looks like one a sync service copies to the cloud.
    pub warning: Option<String>,
    pub sha256_hex: String,
    pub page_count: usize,
}

/// Save the child's own copy ("what we keep about you"); `shown` records that it is being shown
/// to the child now.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ChildCopyRequest {
    pub child_id: ChildId,
    #[serde(default)]
    pub shown: bool,
}

/// Where the child's own copy went (not encrypted), and every time it was shown to the child,
/// newest first.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SavedChildCopy {
    pub path: String,
    /// Said when the folder looks like one a sync service copies to the cloud.
    pub warning: Option<String>,
    pub sha256_hex: String,
    pub shown_at: Vec<String>,
}

/// The pack as a file, for print, save and share.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PackFile {
    pub pdf_base64: String,
    pub sha256_hex: String,
    pub page_count: usize,
    pub file_name: String,
}

// ---- Sending settings ----------------------------------------------------------------------

/// The home's sending settings as a manager sees them: no password or token ever comes back.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SendSettingsView {
    /// The id this home's packs carry: a police intake's administrator registers the home by it.
    pub home_id: String,
    pub home_police_unit: Option<String>,
    pub smtp: Option<SmtpView>,
    /// Intake addresses the home holds a token for.
    pub intakes: Vec<String>,
    pub extra_certificates: usize,
    /// Each extra certificate authority by its SHA-256 fingerprint, to check and remove.
    pub trusted_certificates: Vec<grabpack_send::settings::TrustedCertificate>,
    /// The shipped public-service domains (police.uk, gov.uk, nhs.net, cjsm.net).
    pub shipped_public_domains: Vec<String>,
    /// The domains the home's manager added to them.
    pub public_domains: Vec<String>,
    /// The home's police units that still need confirmed contacts (packs are not sent to them).
    pub units_needing_contacts: Vec<grabpack_send::recipients::UnitToConfirm>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SmtpView {
    pub host: String,
    pub port: Option<u16>,
    pub security: SmtpSecurity,
    pub username: String,
    pub from: String,
    pub from_name: String,
    pub password_set: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SmtpInput {
    pub host: String,
    pub port: Option<u16>,
    pub security: SmtpSecurity,
    pub username: String,
    /// Leave out to keep the password already saved. Zeroised when dropped, never printed.
    pub password: Option<SecretText>,
    pub from: String,
    #[serde(default)]
    pub from_name: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct IntakeTokenInput {
    pub url: String,
    /// Zeroised when dropped, never printed.
    pub token: SecretText,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct HomeUnitInput {
    pub unit_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct PublicDomainsInput {
    /// The home's own public-service domains, replacing the list (blank lines dropped).
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct TrustCaInput {
    /// A PEM certificate of an authority a council or force uses for its own servers.
    pub pem: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct RemoveCertificateInput {
    /// As listed in the settings (case and colons do not matter).
    pub sha256_fingerprint: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SendTestInput {
    /// `smtp` for the email account, or an intake's https address.
    pub target: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct DirectoryQuery {
    /// A council or borough: only the units covering it.
    pub area: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct DirectoryEditInput {
    pub unit_id: String,
    pub email: Option<String>,
    pub https_intake: Option<String>,
    pub phone_non_emergency: Option<String>,
    /// The day a person checked these contacts; today when not given.
    pub last_verified: Option<Date>,
}

/// A directory unit for the Settings list.
pub type DirectoryUnit = Unit;

#[cfg(test)]
mod tests {
    use super::*;

    /// What the window sends for the mail account and an intake is kept as a secret from the
    /// moment it is read: printing the input (a log line, a panic message) shows no password or
    /// token, while the JSON the window sends is the plain strings it always was.
    #[test]
    fn the_password_and_token_the_window_sends_never_print() {
        let smtp: SmtpInput = serde_json::from_value(serde_json::json!({
            "host": "smtp.example.invalid", "port": 587, "security": "starttls",
            "username": "fictional.home", "password": "fictional-password-7731",
            "from": "home@example.invalid"
        }))
        .unwrap();
        let intake: IntakeTokenInput = serde_json::from_value(serde_json::json!({
            "url": "https://intake.example.invalid", "token": "fictional-token-5528"
        }))
        .unwrap();
        let printed = format!("{smtp:?} {intake:?}");
        assert!(!printed.contains("fictional-password-7731"), "{printed}");
        assert!(!printed.contains("fictional-token-5528"), "{printed}");
        assert_eq!(smtp.password.unwrap().expose(), "fictional-password-7731");
        assert_eq!(intake.token.expose(), "fictional-token-5528");
    }
}

// ---- Sync: this device's place in the home's sync, its devices, and disagreeing edits ----

/// Where this device stands in the home's sync, for the dashboard's line and Settings, Devices.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SyncStatusView {
    /// "up to date, 2 min ago", "offline: 3 changes waiting", ...
    pub words: String,
    /// `none` (this device does not sync), `waiting_for_approval` or `paired`.
    pub state: String,
    pub hub_url: Option<String>,
    pub home_id: Option<String>,
    pub device_id: Option<String>,
    /// This device's key fingerprint, for a manager to compare when approving it.
    pub fingerprint: Option<String>,
    /// The code to read out to the manager while waiting for approval.
    pub pairing_code: Option<String>,
    /// The device whose approval brought this one in, and its fingerprint as computed here from
    /// the keys that wrapped this device's home key: the approving manager checks it is theirs.
    pub approved_by: Option<String>,
    pub approver_fingerprint: Option<String>,
    pub waiting_to_send: i64,
    /// Records from other devices set aside because they could not be read.
    pub refused: i64,
    /// Why the last sync did not finish, in words.
    pub last_error: Option<String>,
    /// Children with fields two edits set differently, and how many fields each.
    pub children_with_disagreements: Vec<ChildDisagreements>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ChildDisagreements {
    pub child_id: String,
    pub fields: usize,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SyncEnrolInput {
    /// The hub's address, `https://...`, from the provider.
    pub hub_url: String,
    /// The certificate of the provider's own certificate authority, when it uses one (PEM).
    pub ca_pem: Option<String>,
    /// The one-time token the provider gave the home. Zeroised when dropped, never printed.
    pub token: SecretText,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SyncPairInput {
    pub hub_url: String,
    pub ca_pem: Option<String>,
    /// The home's id, as a paired device shows it.
    pub home_id: String,
}

/// A device asking to join, with the fingerprint computed on this device from its keys.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WaitingDeviceView {
    pub device_id: String,
    pub code: String,
    pub fingerprint: String,
    /// When it asked (Unix seconds).
    pub requested_at: i64,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SyncApproveInput {
    pub code: String,
    /// The fingerprint as the new device shows it, typed by the manager.
    pub fingerprint: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HomeDeviceView {
    pub device_id: String,
    /// `pending`, `active` or `revoked`.
    pub status: String,
    pub fingerprint: String,
    pub this_device: bool,
    /// Unix seconds.
    pub created_at: i64,
    pub last_seen_at: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SyncRevokeInput {
    pub device_id: String,
}

/// A field two edits of a child set differently, nobody having chosen yet.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DisagreementView {
    pub path: String,
    /// The field's label on the form.
    pub label: String,
    /// What the record shows now (the later edit), in words.
    pub shown: String,
    /// The other edit's value, in words.
    pub other: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ChooseInput {
    pub child_id: ChildId,
    pub path: String,
    /// True to keep what the record shows, false to take the other edit's value.
    pub keep_shown: bool,
}
