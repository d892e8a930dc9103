//! How this home sends: its SMTP submission account, its intake tokens, its own police area.
//!
//! Kept as JSON inside the encrypted store (it holds the SMTP password and bearer tokens), changed
//! only by a manager, audited without the secrets. Debug output never shows a secret.

use std::collections::BTreeMap;

use grabpack_store::Store;
use serde::{Deserialize, Serialize};

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

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SmtpSettings {
    pub host: String,
    /// 587 for STARTTLS, 465 for implicit TLS when not set.
    pub port: Option<u16>,
    pub security: SmtpSecurity,
    pub username: String,
    pub password: String,
    /// The From address (the home's hosted mailbox).
    pub from: String,
    pub from_name: String,
    pub timeout_seconds: Option<u64>,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("from", &self.from)
            .finish()
    }
}

/// Everything the transports and the recipient rules need from the home.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SendSettings {
    /// The police unit (directory id) covering the home: set once.
    pub home_police_unit: Option<String>,
    pub smtp: Option<SmtpSettings>,
    /// Bearer tokens by intake base URL.
    pub intake_tokens: BTreeMap<String, String>,
    /// Extra certificate authorities to trust (PEM), for a council or force with a private CA.
    pub extra_root_pem: Vec<String>,
    /// Printed on the cover note and the manifest.
    pub marking: String,
}

impl std::fmt::Debug for SendSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendSettings")
            .field("home_police_unit", &self.home_police_unit)
            .field("smtp", &self.smtp)
            .field("intakes", &self.intake_tokens.keys().collect::<Vec<_>>())
            .field("extra_roots", &self.extra_root_pem.len())
            .finish()
    }
}

impl SendSettings {
    pub fn load(store: &Store) -> Result<Self> {
        match store.send_settings_json()? {
            None => Ok(Self::default()),
            Some(j) => serde_json::from_str(&j).map_err(|e| SendError::Settings(e.to_string())),
        }
    }

    pub fn save(&self, store: &mut Store) -> Result<()> {
        let json = serde_json::to_string(self).map_err(|e| SendError::Settings(e.to_string()))?;
        let summary = format!(
            "home police unit: {}; smtp: {}; intakes: {}",
            self.home_police_unit.as_deref().unwrap_or("-"),
            self.smtp
                .as_ref()
                .map(|s| format!("{}@{}", s.username, s.host))
                .unwrap_or_else(|| "-".into()),
            self.intake_tokens
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
        store.set_send_settings_json(&json, &summary)?;
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
