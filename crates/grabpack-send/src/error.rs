//! Every way sending can fail, each with a stable `send.*` code and words a care worker can act on.
//!
//! A delivery's failure is stored on its outbox row as (code, message), so the same enum serves the
//! configuration errors raised at once and the per-recipient failures found while sending. Each
//! failure also says whether trying again later can help ([`SendError::is_retryable`]): offline or
//! busy servers are retried with backoff; a wrong password or an untrusted certificate waits for a
//! person.

use grabpack_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Pack(#[from] grabpack_pack::PackError),
    #[error(
        "'{0}' is not an encrypted (https) address. Packs are only sent over TLS; ask the intake for its https address."
    )]
    TlsRequired(String),
    #[error("'{0}' is not a usable address: {1}")]
    BadAddress(String, String),
    #[error(
        "Email is not set up for this home: a manager sets the SMTP server with `grabpack outbox smtp`. Meanwhile print or save the pack (`grabpack pack render`) and phone 101 (999 in danger) with the read-out."
    )]
    SmtpNotConfigured,
    #[error(
        "{0} has no email address or intake on record: phone them, and add the address to the form."
    )]
    NoAddress(String),
    #[error("There is no police unit '{0}' in the directory.")]
    UnknownUnit(String),
    #[error("The police directory could not be read: {0}")]
    Directory(String),
    #[error("The sending settings are not valid: {0}")]
    Settings(String),
    #[error("Enter the mail server's name and the home's own email address (the From address).")]
    SmtpIncomplete,
    #[error("Enter the token the intake's administrator gave the home.")]
    TokenRequired,
    #[error("The extra trusted certificate could not be read: {0}")]
    Certificate(String),
    #[error("The message could not be put together: {0}")]
    Compose(String),
    #[error(
        "The mail server refused the user name or password. A manager must correct the SMTP settings, then retry."
    )]
    AuthFailed(String),
    #[error(
        "The server's certificate is not trusted ({0}). Nothing was sent; check the server address or the trusted certificate."
    )]
    UntrustedCertificate(String),
    #[error(
        "The server '{0}' could not be found (no such host, or no network). It will be tried again."
    )]
    UnknownHost(String),
    #[error("The server could not be reached ({0}). It will be tried again.")]
    Unreachable(String),
    #[error("The server did not answer in time. It will be tried again.")]
    Timeout,
    #[error(
        "The receiving mailbox or intake refused the pack as too large ({0}). Send it another way (print, or save and hand over)."
    )]
    TooLarge(String),
    #[error("The mail server refused the message: {0}")]
    Rejected(String),
    #[error("The server is busy or temporarily refusing ({0}). It will be tried again.")]
    ServerBusy(String),
    #[error(
        "The intake did not accept the bearer token. A manager must correct the intake token, then retry."
    )]
    IntakeUnauthorised,
    #[error(
        "The intake holds a different pack under the same key ({0}). Nothing was replaced; tell the intake's administrator."
    )]
    IntakeConflict(String),
    #[error("The intake refused the pack: {0}")]
    IntakeRejected(String),
    #[error(
        "No bearer token is set for the intake at {0}. A manager adds it with `grabpack outbox intake`."
    )]
    NoToken(String),
    #[error("The acknowledgement feed at {0} could not be read: {1}")]
    AckFeed(String, String),
    #[error(
        "'{0}' is not a police, council, NHS or secure justice address (police.uk, gov.uk, nhs.net, cjsm.net or one the home added). Only a manager can send the pack there, with a reason: ask the manager on call, or take the address off."
    )]
    NeedsManager(String),
    #[error(
        "'{0}' is not a public-service address. A manager can send the pack there: say why in the reason."
    )]
    ReasonRequired(String),
    #[error("'{0}' is not a domain (for example council.example.org.uk).")]
    BadDomain(String),
    #[error(
        "No one has had the pack for this episode yet, so there is no one to send an update to: send the pack first."
    )]
    NoPackYet,
    #[error(
        "Police in this area do not grade a missing child '{0}'. Choose one of the force's categories, and write the police's own words beside it."
    )]
    GradingNotOffered(String),
    #[error(
        "'{0}' gets page 1 and Part 2 only. Only a manager can send it the full pack, with a reason."
    )]
    WidenNeedsManager(String),
    #[error("Say why '{0}' should have the full pack in the reason, then send again.")]
    WidenReasonRequired(String),
}

impl SendError {
    /// Every code [`SendError::code`] returns for this crate's own failures (wrapped errors keep
    /// their own crate's codes). The app exports them to the UI as the `ErrorCode` type.
    pub const CODES: &'static [&'static str] = &[
        "send.tls_required",
        "send.bad_address",
        "send.smtp_not_configured",
        "send.no_address",
        "send.unknown_unit",
        "send.directory_invalid",
        "send.settings_invalid",
        "send.smtp_incomplete",
        "send.token_required",
        "send.bad_certificate",
        "send.compose_failed",
        "send.auth_failed",
        "send.untrusted_certificate",
        "send.unknown_host",
        "send.unreachable",
        "send.timeout",
        "send.too_large",
        "send.rejected",
        "send.server_busy",
        "send.intake_unauthorised",
        "send.intake_conflict",
        "send.intake_rejected",
        "send.no_token",
        "send.ack_feed",
        "send.needs_manager",
        "send.reason_required",
        "send.bad_domain",
        "send.no_pack_yet",
        "send.grading_not_offered",
        "send.widen_needs_manager",
        "send.widen_reason_required",
    ];

    /// Stable across releases and languages: the UI and tests match on this, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Store(e) => e.code(),
            Self::Pack(e) => e.code(),
            Self::TlsRequired(_) => "send.tls_required",
            Self::BadAddress(..) => "send.bad_address",
            Self::SmtpNotConfigured => "send.smtp_not_configured",
            Self::NoAddress(_) => "send.no_address",
            Self::UnknownUnit(_) => "send.unknown_unit",
            Self::Directory(_) => "send.directory_invalid",
            Self::Settings(_) => "send.settings_invalid",
            Self::SmtpIncomplete => "send.smtp_incomplete",
            Self::TokenRequired => "send.token_required",
            Self::Certificate(_) => "send.bad_certificate",
            Self::Compose(_) => "send.compose_failed",
            Self::AuthFailed(_) => "send.auth_failed",
            Self::UntrustedCertificate(_) => "send.untrusted_certificate",
            Self::UnknownHost(_) => "send.unknown_host",
            Self::Unreachable(_) => "send.unreachable",
            Self::Timeout => "send.timeout",
            Self::TooLarge(_) => "send.too_large",
            Self::Rejected(_) => "send.rejected",
            Self::ServerBusy(_) => "send.server_busy",
            Self::IntakeUnauthorised => "send.intake_unauthorised",
            Self::IntakeConflict(_) => "send.intake_conflict",
            Self::IntakeRejected(_) => "send.intake_rejected",
            Self::NoToken(_) => "send.no_token",
            Self::AckFeed(..) => "send.ack_feed",
            Self::NeedsManager(_) => "send.needs_manager",
            Self::ReasonRequired(_) => "send.reason_required",
            Self::BadDomain(_) => "send.bad_domain",
            Self::NoPackYet => "send.no_pack_yet",
            Self::GradingNotOffered(_) => "send.grading_not_offered",
            Self::WidenNeedsManager(_) => "send.widen_needs_manager",
            Self::WidenReasonRequired(_) => "send.widen_reason_required",
        }
    }

    /// True when waiting and trying again can succeed without a person changing anything.
    /// An unknown host is retried: with no network at all, every host is unknown.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::UnknownHost(_) | Self::Unreachable(_) | Self::Timeout | Self::ServerBusy(_)
        )
    }
}

pub type Result<T, E = SendError> = std::result::Result<T, E>;

#[cfg(test)]
mod codes_tests {
    use super::*;

    /// Which variant this is: `Some(n)` for a failure of this crate's own, `None` for a wrapped
    /// error of another crate (its codes are listed there). No `_` arm, so a new variant does not
    /// compile until it is numbered here, and the test below fails until it has a sample.
    fn variant(e: &SendError) -> Option<usize> {
        match e {
            SendError::Store { .. } => None,
            SendError::Pack { .. } => None,
            SendError::TlsRequired { .. } => Some(2),
            SendError::BadAddress { .. } => Some(3),
            SendError::SmtpNotConfigured => Some(4),
            SendError::NoAddress { .. } => Some(5),
            SendError::UnknownUnit { .. } => Some(6),
            SendError::Directory { .. } => Some(7),
            SendError::Settings { .. } => Some(8),
            SendError::SmtpIncomplete => Some(9),
            SendError::TokenRequired => Some(10),
            SendError::Certificate { .. } => Some(11),
            SendError::Compose { .. } => Some(12),
            SendError::AuthFailed { .. } => Some(13),
            SendError::UntrustedCertificate { .. } => Some(14),
            SendError::UnknownHost { .. } => Some(15),
            SendError::Unreachable { .. } => Some(16),
            SendError::Timeout => Some(17),
            SendError::TooLarge { .. } => Some(18),
            SendError::Rejected { .. } => Some(19),
            SendError::ServerBusy { .. } => Some(20),
            SendError::IntakeUnauthorised => Some(21),
            SendError::IntakeConflict { .. } => Some(22),
            SendError::IntakeRejected { .. } => Some(23),
            SendError::NoToken { .. } => Some(24),
            SendError::AckFeed { .. } => Some(25),
            SendError::NeedsManager { .. } => Some(26),
            SendError::ReasonRequired { .. } => Some(27),
            SendError::BadDomain { .. } => Some(28),
            SendError::NoPackYet => Some(29),
            SendError::GradingNotOffered { .. } => Some(30),
            SendError::WidenNeedsManager { .. } => Some(31),
            SendError::WidenReasonRequired { .. } => Some(32),
        }
    }

    /// One of each of this crate's own variants.
    fn one_of_each() -> Vec<SendError> {
        vec![
            SendError::TlsRequired("x".into()),
            SendError::BadAddress("x".into(), "y".into()),
            SendError::SmtpNotConfigured,
            SendError::NoAddress("x".into()),
            SendError::UnknownUnit("x".into()),
            SendError::Directory("x".into()),
            SendError::Settings("x".into()),
            SendError::SmtpIncomplete,
            SendError::TokenRequired,
            SendError::Certificate("x".into()),
            SendError::Compose("x".into()),
            SendError::AuthFailed("x".into()),
            SendError::UntrustedCertificate("x".into()),
            SendError::UnknownHost("x".into()),
            SendError::Unreachable("x".into()),
            SendError::Timeout,
            SendError::TooLarge("x".into()),
            SendError::Rejected("x".into()),
            SendError::ServerBusy("x".into()),
            SendError::IntakeUnauthorised,
            SendError::IntakeConflict("x".into()),
            SendError::IntakeRejected("x".into()),
            SendError::NoToken("x".into()),
            SendError::AckFeed("x".into(), "y".into()),
            SendError::NeedsManager("x".into()),
            SendError::ReasonRequired("x".into()),
            SendError::BadDomain("x".into()),
            SendError::NoPackYet,
            SendError::GradingNotOffered("x".into()),
            SendError::WidenNeedsManager("x".into()),
            SendError::WidenReasonRequired("x".into()),
        ]
    }

    #[test]
    fn codes_lists_the_code_of_every_variant_and_nothing_else() {
        let samples = one_of_each();
        let mut seen: Vec<usize> = samples.iter().filter_map(variant).collect();
        seen.sort_unstable();
        seen.dedup();
        let wrapped: &[usize] = &[0, 1];
        let own: Vec<usize> = (0..33).filter(|k| !wrapped.contains(k)).collect();
        assert_eq!(seen, own, "one sample of every own variant");
        let mut from_variants: Vec<&str> = samples.iter().map(SendError::code).collect();
        from_variants.sort_unstable();
        let mut listed = SendError::CODES.to_vec();
        listed.sort_unstable();
        let before = listed.len();
        listed.dedup();
        assert_eq!(before, listed.len(), "a code listed twice");
        assert!(!listed.is_empty());
        assert_eq!(from_variants, listed);
    }
}
