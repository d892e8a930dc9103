//! The one error shape the front end sees: a stable `code` it branches on and a `message` in
//! words a care worker can act on. The UI keeps its own wording per code; the message here is the
//! fallback, and never carries a raw database or operating-system error.

use grabpack_core::validate::FieldError;
use grabpack_store::StoreError;
use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UiError {
    /// Stable across releases, e.g. `store.wrong_secret`, `app.locked`.
    pub code: String,
    pub message: String,
    /// For `form.invalid`: each broken rule at its field.
    pub fields: Vec<FieldError>,
    /// For `store.too_many_attempts`: how long to wait before the next try.
    pub retry_after_seconds: Option<u64>,
}

impl UiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            fields: Vec::new(),
            retry_after_seconds: None,
        }
    }

    pub fn locked() -> Self {
        Self::new(
            "app.locked",
            "Grab Pack is locked. Unlock it with your PIN to carry on.",
        )
    }

    pub fn bad_input(what: &str) -> Self {
        Self::new("app.bad_input", format!("{what} could not be read."))
    }
}

impl From<StoreError> for UiError {
    fn from(e: StoreError) -> Self {
        let code = e.code();
        let message = match &e {
            // These carry a driver's or the operating system's words: keep them out of the UI.
            StoreError::Database(_) | StoreError::Damaged(_) => {
                "The store could not be read or written. Nothing was changed; try again, and if it keeps happening tell your manager.".to_owned()
            }
            StoreError::Io(_) => {
                "A file in the app's data folder could not be read or written. Check the disk is not full; nothing was changed.".to_owned()
            }
            StoreError::KeychainUnavailable(_) => {
                "This device's keychain could not be used, so PINs cannot work here. Use the passphrase or the recovery key.".to_owned()
            }
            other => other.to_string(),
        };
        let mut ui = Self::new(code, message);
        match e {
            StoreError::FormInvalid(fields) => ui.fields = fields,
            StoreError::TooManyAttempts { seconds } => ui.retry_after_seconds = Some(seconds),
            _ => {}
        }
        ui
    }
}

impl From<grabpack_pack::PackError> for UiError {
    fn from(e: grabpack_pack::PackError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

impl From<grabpack_send::SendError> for UiError {
    fn from(e: grabpack_send::SendError) -> Self {
        match e {
            grabpack_send::SendError::Store(s) => s.into(),
            grabpack_send::SendError::Pack(p) => p.into(),
            other => Self::new(other.code(), other.to_string()),
        }
    }
}
