//! How this home sends: its SMTP submission account, its intake tokens, its own police area.
//!
//! Kept as JSON inside the encrypted store (it holds the SMTP password and bearer tokens), changed
//! only by a manager, audited without the secrets. Debug output never shows a secret.
//!
//! Every change goes through a method here ([`SendSettings::set_smtp`],
//! [`SendSettings::set_intake_token`], [`SendSettings::trust_certificate`],
//! [`set_home_police_unit`]) so the app and the command line accept exactly the same settings
//! and refuse the same mistakes with the same codes.
//!
//! The password and the tokens are [`SecretText`]: zeroised when dropped, `<redacted>` in any
//! `Debug` output (so the settings derive `Debug` and cannot forget a field), no `Display`, and
//! read only through [`SecretText::expose`], which the transports alone call.

use std::collections::BTreeMap;

use grabpack_store::{Sensitive, Store};
use serde::{Deserialize, Serialize};

use crate::directory::Directory;
use crate::error::{Result, SendError};

/// STARTTLS on the submission port, or TLS from the first byte. There is no plaintext option.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    #[default]
    Starttls,
    ImplicitTls,
}

/// A password or bearer token kept in the sending settings.
///
/// Stored as the plain JSON string it always was (the settings' JSON lives only inside the
/// encrypted store and is itself handed around as [`Sensitive`]), but in memory it is a
/// [`Sensitive`]: zeroised on drop, never printed. An empty one means "not set".
#[derive(Clone)]
pub struct SecretText(Sensitive<String>);

impl Default for SecretText {
    fn default() -> Self {
        Self::from(String::new())
    }
}

impl SecretText {
    /// The secret itself: for the SMTP login and the intake's `Authorization` header only.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// Whether a secret is set (what a screen may say about it).
    pub fn is_set(&self) -> bool {
        !self.0.expose().is_empty()
    }
}

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl PartialEq for SecretText {
    fn eq(&self, other: &Self) -> bool {
        self.0.expose() == other.0.expose()
    }
}

impl Eq for SecretText {}

impl From<String> for SecretText {
    fn from(s: String) -> Self {
        Self(Sensitive::new(s))
    }
}

impl From<&str> for SecretText {
    fn from(s: &str) -> Self {
        Self(Sensitive::new(s.to_owned()))
    }
}

impl From<Sensitive<String>> for SecretText {
    fn from(s: Sensitive<String>) -> Self {
        Self(s)
    }
}

impl Serialize for SecretText {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.expose())
    }
}

/// A plain string in the window's types (what a person types into the password or token box):
/// exactly `String`'s schema, inlined, so the generated TypeScript is unchanged.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for SecretText {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        String::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SmtpSettings {
    pub host: String,
    /// 587 for STARTTLS, 465 for implicit TLS when not set.
    pub port: Option<u16>,
    pub security: SmtpSecurity,
    pub username: String,
    pub password: SecretText,
    /// The From address (the home's hosted mailbox).
    pub from: String,
    pub from_name: String,
    pub timeout_seconds: Option<u64>,
}

impl SmtpSecurity {
    /// `starttls`, or `implicit_tls` (also `tls`); there is no plaintext.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "starttls" => Some(Self::Starttls),
            "implicit_tls" | "tls" => Some(Self::ImplicitTls),
            _ => None,
        }
    }
}

impl SmtpSettings {
    /// The account as typed, trimmed, and refused (`send.smtp_incomplete`) without a server name
    /// or a From address: nothing could be sent from it.
    pub fn validated(self) -> Result<Self> {
        let s = Self {
            host: self.host.trim().to_owned(),
            username: self.username.trim().to_owned(),
            from: self.from.trim().to_owned(),
            from_name: self.from_name.trim().to_owned(),
            ..self
        };
        if s.host.is_empty() || !s.from.contains('@') {
            return Err(SendError::SmtpIncomplete);
        }
        Ok(s)
    }
}

/// Everything the transports and the recipient rules need from the home.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SendSettings {
    /// The police unit (directory id) covering the home: set once.
    pub home_police_unit: Option<String>,
    pub smtp: Option<SmtpSettings>,
    /// Bearer tokens by intake base URL.
    pub intake_tokens: BTreeMap<String, SecretText>,
    /// Extra certificate authorities to trust (PEM), for a council or force with a private CA.
    pub extra_root_pem: Vec<String>,
    /// Printed on the cover note and the manifest.
    pub marking: String,
    /// Domains the home's manager added to the public-service ones (police.uk, gov.uk, nhs.net,
    /// cjsm.net): an added recipient on one of them needs no manager's reason.
    pub public_domains: Vec<String>,
}

impl SendSettings {
    pub fn load(store: &Store) -> Result<Self> {
        match store.send_settings_json()? {
            None => Ok(Self::default()),
            Some(j) => {
                serde_json::from_str(j.expose()).map_err(|e| SendError::Settings(e.to_string()))
            }
        }
    }

    pub fn save(&self, store: &mut Store) -> Result<()> {
        // The JSON holds the password and tokens: zeroised when dropped.
        let json = grabpack_store::Sensitive::new(
            serde_json::to_string(self).map_err(|e| SendError::Settings(e.to_string()))?,
        );
        let summary = format!(
            "home police unit: {}; smtp: {}; intakes: {}; public domains added: {}; trusted certificates (SHA-256): {}",
            self.home_police_unit.as_deref().unwrap_or("-"),
            self.smtp
                .as_ref()
                .map(|s| format!("{}@{}", s.username, s.host))
                .unwrap_or_else(|| "-".into()),
            self.intake_tokens
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            if self.public_domains.is_empty() {
                "-".to_string()
            } else {
                self.public_domains.join(", ")
            },
            if self.extra_root_pem.is_empty() {
                "-".to_string()
            } else {
                self.trusted_certificates()
                    .into_iter()
                    .map(|c| c.sha256_fingerprint)
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        store.set_send_settings_json(json.expose(), &summary)?;
        Ok(())
    }

    /// Set the mail account (checked by [`SmtpSettings::validated`]). An empty password keeps
    /// the one already saved: screens never show a saved password back, so "unchanged" arrives
    /// empty.
    pub fn set_smtp(&mut self, smtp: SmtpSettings) -> Result<()> {
        let mut smtp = smtp.validated()?;
        if !smtp.password.is_set()
            && let Some(old) = &self.smtp
        {
            smtp.password = old.password.clone();
        }
        self.smtp = Some(smtp);
        Ok(())
    }

    /// Keep the bearer token for an intake: the address must be https (or loopback for tests)
    /// and the token not blank (`send.token_required`).
    pub fn set_intake_token(&mut self, url: &str, token: &str) -> Result<()> {
        let url = url.trim();
        crate::transport::check_intake_url(url)?;
        let token = token.trim();
        if token.is_empty() {
            return Err(SendError::TokenRequired);
        }
        self.intake_tokens
            .insert(url.to_owned(), SecretText::from(token));
        Ok(())
    }

    /// Trust an extra certificate authority (PEM) for SMTP and intakes; its SHA-256 fingerprint.
    /// The same certificate twice is kept once.
    pub fn trust_certificate(&mut self, pem: &str) -> Result<String> {
        let fingerprint = certificate_fingerprint(pem)?;
        if !self
            .trusted_certificates()
            .iter()
            .any(|c| c.sha256_fingerprint == fingerprint)
        {
            self.extra_root_pem.push(pem.to_owned());
        }
        Ok(fingerprint)
    }

    /// The extra certificate authorities, as Settings and `grabpack outbox certificates` list
    /// them, in the order they were added.
    pub fn trusted_certificates(&self) -> Vec<TrustedCertificate> {
        self.extra_root_pem
            .iter()
            .map(|pem| TrustedCertificate {
                sha256_fingerprint: certificate_fingerprint(pem)
                    .unwrap_or_else(|_| "(unreadable: remove it and add it again)".into()),
            })
            .collect()
    }

    /// Stop trusting the certificate with this SHA-256 fingerprint (as listed; case and colons
    /// do not matter).
    pub fn remove_certificate(&mut self, fingerprint: &str) -> Result<()> {
        let wanted = normalise_fingerprint(fingerprint);
        let before = self.extra_root_pem.len();
        self.extra_root_pem.retain(|pem| {
            certificate_fingerprint(pem)
                .map(|f| normalise_fingerprint(&f) != wanted)
                .unwrap_or(true)
        });
        if self.extra_root_pem.len() == before {
            return Err(SendError::Certificate(format!(
                "no trusted certificate has the fingerprint {fingerprint}"
            )));
        }
        Ok(())
    }

    /// Replace the home's own public-service domains (each checked, `send.bad_domain`; blank
    /// lines dropped, duplicates and the shipped ones kept once).
    pub fn set_public_domains<S: AsRef<str>>(&mut self, typed: &[S]) -> Result<()> {
        let mut domains = Vec::new();
        for t in typed
            .iter()
            .map(AsRef::as_ref)
            .filter(|t| !t.trim().is_empty())
        {
            let d = crate::recipients::checked_domain(t)?;
            if !domains.contains(&d)
                && !crate::recipients::PUBLIC_SERVICE_DOMAINS.contains(&d.as_str())
            {
                domains.push(d);
            }
        }
        self.public_domains = domains;
        Ok(())
    }

    pub fn marking(&self) -> &str {
        if self.marking.trim().is_empty() {
            "OFFICIAL-SENSITIVE"
        } else {
            &self.marking
        }
    }
}

/// Make `unit` (a directory id) the home's own police area, or clear it with `None`: the unit must
/// be in this home's directory (`send.unknown_unit`), because every pack's police recipient is
/// found from it. Saved and audited; returns the settings as now saved.
pub fn set_home_police_unit(store: &mut Store, unit: Option<&str>) -> Result<SendSettings> {
    let mut settings = SendSettings::load(store)?;
    let unit = unit.map(str::trim).filter(|u| !u.is_empty());
    if let Some(id) = unit {
        Directory::load(store)?.unit(id)?;
    }
    settings.home_police_unit = unit.map(str::to_owned);
    settings.save(store)?;
    Ok(settings)
}

/// An extra certificate authority the home trusts, by its fingerprint: what a council's or
/// force's IT team reads out to check it is theirs.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustedCertificate {
    /// SHA-256 of the certificate, as `openssl x509 -fingerprint -sha256` prints it
    /// (upper-case hex pairs joined by colons).
    pub sha256_fingerprint: String,
}

/// The SHA-256 fingerprint of the first certificate in a PEM text (`send.bad_certificate` when
/// there is none or it is not base64).
pub fn certificate_fingerprint(pem: &str) -> Result<String> {
    use base64::Engine as _;
    use sha2::Digest as _;
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let not_pem = || {
        SendError::Certificate(
            "that is not a PEM certificate: paste everything from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----".into(),
        )
    };
    let start = pem.find(BEGIN).ok_or_else(not_pem)? + BEGIN.len();
    let len = pem[start..].find(END).ok_or_else(not_pem)?;
    let body: String = pem[start..start + len]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .map_err(|_| not_pem())?;
    if der.is_empty() {
        return Err(not_pem());
    }
    Ok(sha2::Sha256::digest(&der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":"))
}

fn normalise_fingerprint(f: &str) -> String {
    f.chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_ascii_uppercase()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn account(host: &str, from: &str, password: &str) -> SmtpSettings {
        SmtpSettings {
            host: host.into(),
            username: " grabpack@home.example ".into(),
            password: password.into(),
            from: from.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_mail_account_is_trimmed_and_needs_a_server_and_a_from_address() {
        let ok = account("  smtp.home.example ", " grabpack@home.example\n", "pw")
            .validated()
            .unwrap();
        assert_eq!(ok.host, "smtp.home.example");
        assert_eq!(ok.from, "grabpack@home.example");
        assert_eq!(ok.username, "grabpack@home.example");
        for (host, from) in [
            ("  ", "a@b.example"),
            ("smtp.example", "no-at-sign"),
            ("smtp.example", ""),
        ] {
            let err = account(host, from, "pw").validated().unwrap_err();
            assert_eq!(err.code(), "send.smtp_incomplete", "{host:?} {from:?}");
        }
    }

    #[test]
    fn an_empty_password_keeps_the_saved_one_and_a_new_one_replaces_it() {
        let mut s = SendSettings::default();
        s.set_smtp(account("smtp.example", "a@b.example", "first"))
            .unwrap();
        s.set_smtp(account("smtp2.example", "a@b.example", ""))
            .unwrap();
        let smtp = s.smtp.clone().unwrap();
        assert_eq!(
            (smtp.host.as_str(), smtp.password.expose()),
            ("smtp2.example", "first")
        );
        s.set_smtp(account("smtp2.example", "a@b.example", "second"))
            .unwrap();
        assert_eq!(s.smtp.unwrap().password.expose(), "second");
    }

    #[test]
    fn the_settings_printed_for_debugging_hold_no_password_or_token() {
        let mut s = SendSettings::default();
        s.set_smtp(account(
            "smtp.example",
            "a@b.example",
            "fictional-mail-password",
        ))
        .unwrap();
        s.set_intake_token("https://intake.example/", "fictional-intake-token")
            .unwrap();
        for printed in [format!("{s:?}"), format!("{s:#?}"), format!("{:?}", s.smtp)] {
            assert!(!printed.contains("fictional-mail-password"), "{printed}");
            assert!(!printed.contains("fictional-intake-token"), "{printed}");
            // What is not secret still shows, so the output stays useful.
            assert!(printed.contains("smtp.example"), "{printed}");
        }
        assert!(format!("{s:?}").contains("https://intake.example/"));
    }

    #[test]
    fn the_stored_json_keeps_the_password_and_tokens_as_plain_strings() {
        // The format older versions saved (and read back) is unchanged.
        let stored = r#"{"smtp":{"host":"smtp.example","password":"pw","from":"a@b.example"},"intake_tokens":{"https://intake.example/":"tok"}}"#;
        let s: SendSettings = serde_json::from_str(stored).unwrap();
        assert_eq!(s.smtp.as_ref().unwrap().password.expose(), "pw");
        assert_eq!(s.intake_tokens["https://intake.example/"].expose(), "tok");
        let again: serde_json::Value = serde_json::to_value(&s).unwrap();
        assert_eq!(again["smtp"]["password"], "pw");
        assert_eq!(again["intake_tokens"]["https://intake.example/"], "tok");
    }

    #[test]
    fn a_refused_mail_account_leaves_the_saved_one_alone() {
        let mut s = SendSettings::default();
        s.set_smtp(account("smtp.example", "a@b.example", "pw"))
            .unwrap();
        let before = s.clone();
        assert!(s.set_smtp(account("", "a@b.example", "x")).is_err());
        assert!(s == before);
    }

    #[test]
    fn an_intake_token_needs_an_https_address_and_a_token() {
        let mut s = SendSettings::default();
        assert_eq!(
            s.set_intake_token("http://intake.example/", "t")
                .unwrap_err()
                .code(),
            "send.tls_required"
        );
        assert_eq!(
            s.set_intake_token("https://intake.example/", "   ")
                .unwrap_err()
                .code(),
            "send.token_required"
        );
        s.set_intake_token(" https://intake.example/ ", " tok ")
            .unwrap();
        assert_eq!(
            s.intake_tokens
                .get("https://intake.example/")
                .map(SecretText::expose),
            Some("tok")
        );
    }

    #[test]
    fn only_a_pem_certificate_can_be_trusted() {
        let mut s = SendSettings::default();
        assert_eq!(
            s.trust_certificate("hello").unwrap_err().code(),
            "send.bad_certificate"
        );
        assert!(s.extra_root_pem.is_empty());
    }

    #[test]
    fn security_is_starttls_or_implicit_tls_never_plaintext() {
        assert_eq!(
            SmtpSecurity::parse("starttls"),
            Some(SmtpSecurity::Starttls)
        );
        assert_eq!(SmtpSecurity::parse("tls"), Some(SmtpSecurity::ImplicitTls));
        assert_eq!(
            SmtpSecurity::parse("implicit_tls"),
            Some(SmtpSecurity::ImplicitTls)
        );
        assert_eq!(SmtpSecurity::parse("none"), None);
    }

    /// A fictional test authority made with openssl (shared with the CLI's test); the expected
    /// fingerprint is what `openssl x509 -noout -fingerprint -sha256` printed for it.
    const FICTIONAL_CA: &str = include_str!("../tests/fixtures/fictional-council-ca.pem");

    #[test]
    fn a_trusted_certificate_is_listed_by_the_fingerprint_openssl_gives_and_can_be_removed() {
        let fingerprint = "DF:7A:54:93:D6:78:81:7E:37:8C:3A:FB:4C:3B:9E:C3:77:D5:83:54:E9:4A:A9:E3:CB:A1:67:EF:6F:03:CC:FD";
        let mut s = SendSettings::default();
        assert_eq!(s.trust_certificate(FICTIONAL_CA).unwrap(), fingerprint);
        // The same certificate again is kept once.
        s.trust_certificate(FICTIONAL_CA).unwrap();
        assert_eq!(
            s.trusted_certificates(),
            vec![TrustedCertificate {
                sha256_fingerprint: fingerprint.into()
            }]
        );
        // Removing an unknown one changes nothing; the listed one, typed in lower case without
        // colons, goes.
        assert_eq!(
            s.remove_certificate("00:11").unwrap_err().code(),
            "send.bad_certificate"
        );
        assert_eq!(s.extra_root_pem.len(), 1);
        s.remove_certificate(&fingerprint.replace(':', "").to_lowercase())
            .unwrap();
        assert!(s.trusted_certificates().is_empty());
        // A PEM header around something that is not base64 is refused.
        assert_eq!(
            s.trust_certificate("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----")
                .unwrap_err()
                .code(),
            "send.bad_certificate"
        );
    }
}
