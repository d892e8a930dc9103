//! Acknowledgements (`GET {base}/v1/acknowledgements?after=<cursor>`): an officer's answer to a
//! pack, as the feed carries it back to the home.

use serde::{Deserialize, Serialize};

/// Whether police took the pack as a missing report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AckStatus {
    /// Taken as a missing report.
    Accepted,
    /// Not accepted as a missing report (the reason says why).
    NotAccepted,
}

impl AckStatus {
    pub const ALL: [AckStatus; 2] = [Self::Accepted, Self::NotAccepted];

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::NotAccepted => "not_accepted",
        }
    }

    /// The wire spelling back; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The police risk grading an officer gives in an acknowledgement: the wire vocabulary (see the
/// crate documentation for why the form has its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskGrading {
    NoApparentRisk,
    Low,
    Medium,
    High,
}

impl RiskGrading {
    pub const ALL: [RiskGrading; 4] = [Self::NoApparentRisk, Self::Low, Self::Medium, Self::High];

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoApparentRisk => "no_apparent_risk",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }

    /// The grading's name as officers say it.
    pub fn label(self) -> &'static str {
        match self {
            Self::NoApparentRisk => "No apparent risk",
            Self::Low => "Low",
            Self::Medium => "Medium",
            Self::High => "High",
        }
    }

    /// The wire spelling back; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// One acknowledgement as the home receives it. Fields that may be `null` may also be left out
/// by a receiver; they read as `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    /// Opaque; only ever increases.
    pub cursor: String,
    pub receipt_id: String,
    pub idempotency_key: String,
    #[serde(default)]
    pub episode_id: Option<String>,
    pub status: AckStatus,
    pub officer_name: String,
    #[serde(default)]
    pub collar_number: Option<String>,
    /// `null` when not accepted.
    #[serde(default)]
    pub police_reference: Option<String>,
    /// `null` when not accepted.
    #[serde(default)]
    pub risk_grading: Option<RiskGrading>,
    #[serde(default)]
    pub note: Option<String>,
    /// Why it was not accepted (`not_accepted` only).
    #[serde(default)]
    pub reason: Option<String>,
    /// When the officer recorded it (RFC 3339).
    pub at: String,
}

/// One page of the feed, oldest first. When `acknowledgements` is empty, `next_cursor` equals the
/// `after` that was asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AckPage {
    pub acknowledgements: Vec<Acknowledgement>,
    pub next_cursor: String,
}
