//! The errors of the form crate, each with a stable code the UI and tests branch on.

use crate::validate::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("This file is not a Grab Pack child record (format '{found}').")]
    UnknownFormat { found: String },
    #[error(
        "This child record is version {found}, which this version of Grab Pack cannot read (it reads versions up to {supported}). Update Grab Pack, or export again from the sending app."
    )]
    UnknownVersion { found: u64, supported: u32 },
    #[error("The child record is not valid at '{path}': {reason}")]
    Malformed { path: String, reason: String },
    #[error("{}", describe_invalid(.0))]
    Invalid(Vec<FieldError>),
    #[error("The police practice data is not valid: {0}")]
    Practice(String),
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
    /// Every code [`CoreError::code`] returns for this crate's own failures (wrapped errors keep
    /// their own crate's codes). The app exports them to the UI as the `ErrorCode` type.
    pub const CODES: &'static [&'static str] = &[
        "interchange.unknown_format",
        "interchange.unknown_version",
        "interchange.malformed",
        "form.invalid",
        "practice.invalid",
    ];

    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownFormat { .. } => "interchange.unknown_format",
            Self::UnknownVersion { .. } => "interchange.unknown_version",
            Self::Malformed { .. } => "interchange.malformed",
            Self::Invalid(_) => "form.invalid",
            Self::Practice(_) => "practice.invalid",
        }
    }
}

#[cfg(test)]
mod codes_tests {
    use super::*;

    /// Which variant this is: `Some(n)` for a failure of this crate's own, `None` for a wrapped
    /// error of another crate (its codes are listed there). No `_` arm, so a new variant does not
    /// compile until it is numbered here, and the test below fails until it has a sample.
    fn variant(e: &CoreError) -> Option<usize> {
        match e {
            CoreError::UnknownFormat { .. } => Some(0),
            CoreError::UnknownVersion { .. } => Some(1),
            CoreError::Malformed { .. } => Some(2),
            CoreError::Invalid { .. } => Some(3),
            CoreError::Practice(_) => Some(4),
        }
    }

    /// One of each of this crate's own variants.
    fn one_of_each() -> Vec<CoreError> {
        vec![
            CoreError::UnknownFormat { found: "x".into() },
            CoreError::UnknownVersion {
                found: 9,
                supported: 1,
            },
            CoreError::Malformed {
                path: "p".into(),
                reason: "r".into(),
            },
            CoreError::Invalid(Vec::new()),
            CoreError::Practice("p".into()),
        ]
    }

    #[test]
    fn codes_lists_the_code_of_every_variant_and_nothing_else() {
        let samples = one_of_each();
        let mut seen: Vec<usize> = samples.iter().filter_map(variant).collect();
        seen.sort_unstable();
        seen.dedup();
        let wrapped: &[usize] = &[];
        let own: Vec<usize> = (0..5).filter(|k| !wrapped.contains(k)).collect();
        assert_eq!(seen, own, "one sample of every own variant");
        let mut from_variants: Vec<&str> = samples.iter().map(CoreError::code).collect();
        from_variants.sort_unstable();
        let mut listed = CoreError::CODES.to_vec();
        listed.sort_unstable();
        let before = listed.len();
        listed.dedup();
        assert_eq!(before, listed.len(), "a code listed twice");
        assert!(!listed.is_empty());
        assert_eq!(from_variants, listed);
    }
}
