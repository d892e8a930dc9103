//! Sending a pack (`POST {base}/v1/packs`): the manifest that travels beside the PDF and the
//! receipt that comes back.

use serde::{Deserialize, Serialize};

/// The only protocol version there is; a later version changes this string.
pub const PROTOCOL: &str = "grabpack.intake.v1";

/// The file name a pack is sent under (the email attachment, the multipart `pack` part).
/// Informational only: a receiver never names anything after a sender's file name.
pub const PDF_FILE_NAME: &str = "grab-pack.pdf";

/// The manifest part may be at most this large.
pub const MANIFEST_MAX_BYTES: u64 = 64 * 1024;
/// `readout` may be at most this long.
pub const READOUT_MAX_BYTES: usize = 32 * 1024;
/// `home.name`, `child.display_name` and `marking` may be at most this long.
pub const TEXT_MAX_BYTES: usize = 200;

/// The `manifest` part: what the pack is, for whom, and the hash of its PDF. Field order is the
/// wire order. Unknown fields are ignored on reading (the receiver keeps the text as sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`PROTOCOL`].
    pub protocol: String,
    /// The same UUID as the `Idempotency-Key` header.
    pub idempotency_key: String,
    pub home: ManifestHome,
    pub child: ManifestChild,
    /// `null` when a pack is sent outside a missing episode.
    pub episode_id: Option<String>,
    pub recipient_id: String,
    /// RFC 3339 with an offset.
    pub sent_at: String,
    /// 64 lower-case hex digits.
    pub pdf_sha256: String,
    pub pdf_bytes: u64,
    /// The plain-text 101 read-out.
    pub readout: String,
    /// The protective marking, e.g. `OFFICIAL-SENSITIVE`.
    pub marking: String,
    /// What this message is. Left out for a first pack, so its bytes are the ones receivers
    /// have always seen; `update` and `returned` are later messages about the same episode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<MessageKind>,
    /// For an update or a returned notice: the `idempotency_key` of the first pack this home sent
    /// this receiver in the episode, so the receiver can thread them (as email's In-Reply-To).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<String>,
    /// Where the sending home's audit log stood when this was queued (its newest entry's number
    /// and hash): kept by the receiver, it lets a later rewrite of the home's log be seen from
    /// outside the home's device. Absent from senders older than this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_head: Option<AuditHead>,
}

/// What a message in an episode is, on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// The grab pack (what a manifest without `kind` is).
    Pack,
    /// A new pack after Part 2 changed; it replaces the one sent before.
    Update,
    /// The child is found or has returned: stop searching. The PDF is a one-page notice.
    Returned,
}

/// A home's audit-chain head as sent with a pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    /// The entry's number in the chain.
    pub seq: i64,
    /// Its SHA-256 chain hash (lower-case hex).
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestHome {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestChild {
    /// The home's own reference for the child (never a name); `ref` on the wire.
    #[serde(rename = "ref")]
    pub child_ref: String,
    /// The name officers should see.
    pub display_name: String,
}

/// The receipt: the same body for the first delivery (201) and every replay (200).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub receipt_id: String,
    pub received_at: String,
    pub idempotency_key: String,
}
