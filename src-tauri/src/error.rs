//! The one error shape the front end sees: a stable `code` it branches on and a `message` in
//! words a care worker can act on. The UI keeps its own wording per code; the message here is the
//! fallback, and never carries a raw database or operating-system error.
//!
//! Every code the window can receive is listed ([`error_codes`]): the domain crates' `CODES` and
//! the app's own [`AppCode`]s. The bindings export the list as the TypeScript type `ErrorCode`,
//! and the UI's words table is a `Record<ErrorCode, string>`, so a code without words (or words
//! for a code that no longer exists) fails the UI's type check.

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

/// The app's own failures; everything else carries a domain crate's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppCode {
    Locked,
    BadInput,
    Unexpected,
    SetupIncomplete,
    ReasonRequired,
    UpdateEmpty,
    NoSaveFolder,
    SaveFailed,
}

impl AppCode {
    pub const ALL: &'static [AppCode] = &[
        Self::Locked,
        Self::BadInput,
        Self::Unexpected,
        Self::SetupIncomplete,
        Self::ReasonRequired,
        Self::UpdateEmpty,
        Self::NoSaveFolder,
        Self::SaveFailed,
    ];

    /// Stable across releases and languages, like the crates' codes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Locked => "app.locked",
            Self::BadInput => "app.bad_input",
            Self::Unexpected => "app.unexpected",
            Self::SetupIncomplete => "app.setup_incomplete",
            Self::ReasonRequired => "app.reason_required",
            Self::UpdateEmpty => "app.update_empty",
            Self::NoSaveFolder => "app.no_save_folder",
            Self::SaveFailed => "app.save_failed",
        }
    }
}

/// Every code a command can answer with, each once, sorted.
pub fn error_codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = [
        grabpack_core::error::CoreError::CODES,
        grabpack_photo::PhotoError::CODES,
        StoreError::CODES,
        grabpack_pack::PackError::CODES,
        grabpack_send::SendError::CODES,
        grabpack_sync::SyncError::CODES,
    ]
    .concat();
    codes.extend(AppCode::ALL.iter().map(|c| c.as_str()));
    codes.sort_unstable();
    codes.dedup();
    codes
}

impl UiError {
    /// One of the app's own failures.
    pub fn app(code: AppCode, message: impl Into<String>) -> Self {
        Self::new(code.as_str(), message)
    }

    /// Private: a code reaches the window only through [`UiError::app`] or a crate's error, so
    /// [`error_codes`] lists every code there is.
    fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            fields: Vec::new(),
            retry_after_seconds: None,
        }
    }

    pub fn locked() -> Self {
        Self::app(
            AppCode::Locked,
            "Grab Pack is locked. Unlock it with your PIN to carry on.",
        )
    }

    pub fn bad_input(what: &str) -> Self {
        Self::app(AppCode::BadInput, format!("{what} could not be read."))
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

impl From<grabpack_sync::SyncError> for UiError {
    fn from(e: grabpack_sync::SyncError) -> Self {
        match e {
            grabpack_sync::SyncError::Store(s) => s.into(),
            other => Self::new(other.code(), other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No `_` arm: a new app code does not compile until it is numbered here.
    fn index(c: AppCode) -> usize {
        match c {
            AppCode::Locked => 0,
            AppCode::BadInput => 1,
            AppCode::Unexpected => 2,
            AppCode::SetupIncomplete => 3,
            AppCode::ReasonRequired => 4,
            AppCode::UpdateEmpty => 5,
            AppCode::NoSaveFolder => 6,
            AppCode::SaveFailed => 7,
        }
    }

    #[test]
    fn every_app_code_is_listed_once() {
        let mut seen: Vec<usize> = AppCode::ALL.iter().map(|c| index(*c)).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..8).collect::<Vec<_>>());
    }

    #[test]
    fn the_exported_codes_include_every_crate_and_app_code_once() {
        let codes = error_codes();
        for code in [
            "store.wrong_secret",
            "photo.heic_unsupported",
            "pack.render_failed",
            "send.tls_required",
            "interchange.malformed",
            "form.invalid",
            "app.locked",
        ] {
            assert!(codes.contains(&code), "{code}");
        }
        let mut unique = codes.clone();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
        assert!(codes.iter().all(|c| c.contains('.')));
    }
}
