//! What crosses the IPC boundary that the crates do not already define: inputs shaped for the
//! screens and small views. Every type here derives `JsonSchema`, so the TypeScript bindings in
//! ui/src/bindings are generated from it and cannot drift unnoticed.

use grabpack_core::{Group, PhotoKind, Priority, ReadinessState, StaffRole};
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
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SetupInput {
    pub home_name: String,
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
    pub id: String,
    pub legal_name: String,
    pub known_as: Vec<String>,
    pub age: Option<i16>,
    pub state: ReadinessState,
    pub reasons: Vec<ReasonView>,
    pub critical_missing: usize,
    pub face_photo_id: Option<String>,
}

/// One row of the field table, for the form screens.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FieldView {
    pub path: String,
    pub group: Group,
    pub letter: String,
    pub group_title: String,
    pub label: String,
    pub priority: Priority,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ChildRef {
    pub child_id: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct CreateChildInput {
    pub form: grabpack_core::ChildForm,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SaveFormInput {
    pub child_id: String,
    pub form: grabpack_core::ChildForm,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ReviewInput {
    pub child_id: String,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct DiffInput {
    pub child_id: String,
    pub from_seq: i64,
    pub to_seq: i64,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct AddPhotoInput {
    pub child_id: String,
    /// The file's bytes, base64.
    pub bytes_base64: String,
    pub kind: PhotoKind,
    /// Overrides the camera's date.
    pub taken_on: Option<Date>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct PhotoRef {
    pub photo_id: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct AddStaffInput {
    pub name: String,
    pub role: StaffRole,
    pub pin: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct StaffRef {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct AuditQuery {
    pub child_id: Option<String>,
    pub action: Option<String>,
    pub limit: Option<i64>,
}

/// What the Missing screen shows first: the emergency choice, the read-out for the call and the
/// pack, built in memory.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MissingPreview {
    pub child_id: String,
    pub legal_name: String,
    pub age: Option<i16>,
    /// 12 or under: report at once on 999.
    pub call_999_now: bool,
    /// The 30-second read-out for the 101 or 999 call.
    pub readout: String,
    pub page_count: usize,
    pub pdf_base64: String,
    pub sha256_hex: String,
    pub warnings: Vec<String>,
    pub revision: i64,
}
