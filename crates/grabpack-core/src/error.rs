//! The errors of the form crate, each with a stable code the UI and tests branch on.

use crate::validate::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("This file is not a Grab Pack child record (format '{found}').")]
    UnknownFormat { found: String },
    #[error(
        "This child record is version {found}, which this version of Grab Pack cannot read (it reads version {supported}). Update Grab Pack, or export again from the sending app."
    )]
    UnknownVersion { found: u64, supported: u32 },
    #[error("The child record is not valid at '{path}': {reason}")]
    Malformed { path: String, reason: String },
    #[error("{}", describe_invalid(.0))]
    Invalid(Vec<FieldError>),
}

fn describe_invalid(errors: &[FieldError]) -> String {
    let first = errors
        .iter()
        .take(5)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    if errors.len() > 5 {
        format!("{first}; and {} more", errors.len() - 5)
    } else {
        first
    }
}

impl CoreError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownFormat { .. } => "interchange.unknown_format",
            Self::UnknownVersion { .. } => "interchange.unknown_version",
            Self::Malformed { .. } => "interchange.malformed",
            Self::Invalid(_) => "form.invalid",
        }
    }
}
