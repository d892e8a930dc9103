//! The failure of one command: a stable code (the crates' own, or `cli.*` for what only the
//! command line can get wrong, such as an unreadable file) and words to act on.

use grabpack_store::StoreError;

/// The failure of one command: a stable code and a message.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{message}")]
    Input { code: &'static str, message: String },
}

impl CliError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Store(e) => e.code(),
            Self::Input { code, .. } => code,
        }
    }

    pub fn input(code: &'static str, message: impl Into<String>) -> Self {
        Self::Input {
            code,
            message: message.into(),
        }
    }
}

pub type Result<T> = std::result::Result<T, CliError>;

/// A sending error as the command line reports it (store errors keep their own codes).
pub fn send_error(e: grabpack_send::SendError) -> CliError {
    match e {
        grabpack_send::SendError::Store(s) => CliError::Store(s),
        other => CliError::input(other.code(), other.to_string()),
    }
}
