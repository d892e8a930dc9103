//! Turning a pack and a list of recipients into outbox rows holding exactly what will go out.
//!
//! Why the bytes are fixed at queue time: the audit log names the SHA-256 of what went out, and a
//! retry after a crash must be the same message. Each email is rendered once, whole (headers,
//! Message-ID, Date, the read-out as the body, the PDF attached) and stored; each HTTPS manifest
//! is rendered once, with its idempotency key and `sent_at`. The worker only ever replays them.
//!
//! Each recipient gets the version of the pack for their audience ([`audience_of`]): a message
//! carries one PDF and read-out per audience among its recipients, each delivery is composed
//! from its own, and records which version it was and that PDF's SHA-256.

use grabpack_protocol::{
    AuditHead, Manifest, ManifestChild, ManifestHome, MessageKind, PDF_FILE_NAME, PROTOCOL,
};
use grabpack_store::episodes::RecipientChoice;
use grabpack_store::outbox::{Channel, NewDelivery, NewMessage, OutboxMessage, Purpose};
use grabpack_store::{ChildId, EpisodeId, OutboxMessageId, Store};
use jiff::Timestamp;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

use crate::error::{Result, SendError};
use crate::recipients::{Proposal, Recipient, audience_of};
use crate::settings::SendSettings;
use grabpack_core::audience::Audience;
use grabpack_pack::{PackInput, RenderedPack};

/// What is being sent, and to whom.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub child_id: ChildId,
    /// The name police will use: known-as first, then the legal name.
    pub child_display_name: String,
    pub episode_id: Option<EpisodeId>,
    pub purpose: Purpose,
    /// The message's own PDF and read-out: the police version of a pack (what the home prints or
    /// saves), or the one notice everyone gets.
    pub pdf: Option<Vec<u8>>,
    pub readout: String,
    /// The pack as each audience among the recipients reads it. A recipient whose audience has
    /// no version here gets the message's own (a notice is the same for everyone).
    pub versions: Vec<PackVersion>,
    pub cover_note: String,
    pub recipients: Vec<Recipient>,
    /// The home's id and name for the manifest.
    pub home_id: String,
    pub home_name: String,
    /// For a later message in an episode: each recipient's first pack, to thread this one to.
    pub thread: Vec<Threaded>,
}

/// The first pack a recipient had in this episode: a later email carries In-Reply-To and
/// References to its Message-ID, a later intake manifest `in_reply_to` its idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Threaded {
    pub recipient_id: String,
    pub email_message_id: Option<String>,
    pub idempotency_key: String,
}

/// One audience's version of a pack.
#[derive(Debug, Clone)]
pub struct PackVersion {
    pub audience: Audience,
    pub pdf: Vec<u8>,
    pub readout: String,
}

/// One render per audience among `recipients`, and the police version (the message's own), all
/// from the same input: the same revision, photos and episode.
pub fn render_versions(
    input: &PackInput,
    recipients: &[Recipient],
) -> Result<(RenderedPack, String, Vec<PackVersion>)> {
    let mut audiences: Vec<Audience> = recipients.iter().map(audience_of).collect();
    audiences.push(Audience::Police);
    audiences.sort_unstable();
    audiences.dedup();
    let mut police = None;
    let mut versions = Vec::new();
    for audience in audiences {
        let mut input = input.clone();
        input.audience = audience;
        let pack = grabpack_pack::render_pack(&input)?;
        let readout = grabpack_pack::readout(&input);
        versions.push(PackVersion {
            audience,
            pdf: pack.pdf.clone(),
            readout: readout.clone(),
        });
        if audience == Audience::Police {
            police = Some((pack, readout));
        }
    }
    let (pack, readout) =
        police.ok_or_else(|| SendError::Compose("the police version was not rendered".into()))?;
    Ok((pack, readout, versions))
}

impl Outgoing {
    fn thread_of(&self, to: &Recipient) -> Option<&Threaded> {
        self.thread.iter().find(|t| t.recipient_id == to.id)
    }

    /// What `to` is sent: the PDF and read-out of their audience's version, else the message's.
    fn version_for(&self, audience: Audience) -> (Option<&Vec<u8>>, &str) {
        match self.versions.iter().find(|v| v.audience == audience) {
            Some(v) => (Some(&v.pdf), v.readout.as_str()),
            None => (self.pdf.as_ref(), self.readout.as_str()),
        }
    }
}

fn domain_of(address: &str) -> &str {
    address
        .rsplit_once('@')
        .map(|(_, d)| d)
        .unwrap_or("grabpack.invalid")
}

/// `X-Grabpack-Audit-Head: <seq>:<hash>`: where the home's audit chain stood when the email was
/// queued, kept by every mailbox it reaches (see `grabpack_audit::head`).
#[derive(Debug, Clone, PartialEq)]
struct AuditHeadHeader(String);

impl lettre::message::header::Header for AuditHeadHeader {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("X-Grabpack-Audit-Head")
    }
    fn parse(s: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }
    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

fn email_bytes(
    settings: &SendSettings,
    out: &Outgoing,
    (pdf, readout): (Option<&Vec<u8>>, &str),
    to: &Recipient,
    message_id: &str,
    now: Timestamp,
    audit_head: Option<&AuditHead>,
) -> Result<Vec<u8>> {
    let smtp = settings.smtp.as_ref().ok_or(SendError::SmtpNotConfigured)?;
    let from: Mailbox = format!(
        "{} <{}>",
        smtp.from_name.replace(['<', '>', '"'], ""),
        smtp.from
    )
    .trim()
    .parse()
    .or_else(|_| smtp.from.parse())
    .map_err(|e: lettre::address::AddressError| {
        SendError::BadAddress(smtp.from.clone(), e.to_string())
    })?;
    let to_box: Mailbox = to
        .address
        .parse()
        .map_err(|e: lettre::address::AddressError| {
            SendError::BadAddress(to.address.clone(), e.to_string())
        })?;
    let marking = settings.marking();
    let subject = match out.purpose {
        Purpose::NotAcceptedNotice => format!(
            "[{marking}] Police did not accept the missing report: {}",
            out.child_display_name
        ),
        Purpose::Pack => format!(
            "[{marking}] MISSING CHILD: {} - grab pack",
            out.child_display_name
        ),
        Purpose::Update => format!(
            "[{marking}] UPDATE, MISSING CHILD: {} - grab pack (replaces the earlier pack)",
            out.child_display_name
        ),
        Purpose::ReturnedNotice => format!(
            "[{marking}] RETURNED, no longer missing: {}",
            out.child_display_name
        ),
    };
    let body = format!(
        "{marking}\n\n{}\n\n----- Read-out -----\n{}\n",
        out.cover_note.trim(),
        readout.trim()
    );
    let system_time = std::time::SystemTime::UNIX_EPOCH
        + std::time::Duration::from_millis(now.as_millisecond().max(0) as u64);
    let mut builder = lettre::Message::builder()
        .from(from)
        .to(to_box)
        .subject(subject)
        .date(system_time)
        .message_id(Some(message_id.to_string()));
    if let Some(first) = out.thread_of(to).and_then(|t| t.email_message_id.clone()) {
        builder = builder.in_reply_to(first.clone()).references(first);
    }
    if let Some(head) = audit_head {
        builder = builder.header(AuditHeadHeader(format!("{}:{}", head.seq, head.hash)));
    }
    // The returned notice is its body: its one-page PDF exists only for intakes.
    let attached = pdf.filter(|_| out.purpose != Purpose::ReturnedNotice);
    let message = match attached {
        Some(pdf) => builder.multipart(
            MultiPart::mixed()
                .singlepart(SinglePart::plain(body))
                .singlepart(
                    Attachment::new(PDF_FILE_NAME.to_string()).body(
                        pdf.clone(),
                        ContentType::parse("application/pdf")
                            .map_err(|e| SendError::Compose(e.to_string()))?,
                    ),
                ),
        ),
        None => builder.body(body),
    }
    .map_err(|e| SendError::Compose(e.to_string()))?;
    Ok(message.formatted())
}

fn manifest_bytes(
    settings: &SendSettings,
    out: &Outgoing,
    (pdf, readout): (Option<&Vec<u8>>, &str),
    to: &Recipient,
    key: &str,
    now: Timestamp,
    audit_head: Option<&AuditHead>,
) -> Result<Vec<u8>> {
    let pdf =
        pdf.ok_or_else(|| SendError::Compose("an intake only takes a pack with its PDF".into()))?;
    let m = Manifest {
        protocol: PROTOCOL.into(),
        idempotency_key: key.into(),
        home: ManifestHome {
            id: out.home_id.clone(),
            name: out.home_name.clone(),
        },
        child: ManifestChild {
            child_ref: out.child_id.to_string(),
            display_name: out.child_display_name.clone(),
        },
        episode_id: out.episode_id.as_ref().map(ToString::to_string),
        recipient_id: grabpack_protocol::to_valid_id(&to.id),
        sent_at: now.to_string(),
        pdf_sha256: grabpack_store::outbox::sha256_hex(pdf),
        pdf_bytes: pdf.len() as u64,
        readout: readout.to_owned(),
        marking: settings.marking().to_string(),
        kind: match out.purpose {
            // A first pack's manifest stays byte for byte what receivers have always seen.
            Purpose::Pack | Purpose::NotAcceptedNotice => None,
            Purpose::Update => Some(MessageKind::Update),
            Purpose::ReturnedNotice => Some(MessageKind::Returned),
        },
        in_reply_to: out.thread_of(to).map(|t| t.idempotency_key.clone()),
        audit_head: audit_head.cloned(),
    };
    serde_json::to_vec(&m).map_err(|e| SendError::Compose(e.to_string()))
}

/// Render every recipient's bytes and commit the message to the outbox, before any attempt.
/// The proposal and the sender's choice are recorded on the episode in the same transaction.
pub fn queue(
    store: &mut Store,
    settings: &SendSettings,
    out: &Outgoing,
    proposal: Option<&Proposal>,
    now: Timestamp,
) -> Result<OutboxMessage> {
    let message_id = OutboxMessageId::new_random();
    // Where the audit chain stands now goes out with every copy (anchored outside the device).
    let audit_head = store
        .audit_head()?
        .map(|(seq, hash)| AuditHead { seq, hash });
    let mut deliveries = Vec::new();
    for r in &out.recipients {
        let key = uuid::Uuid::new_v4().to_string();
        let audience = audience_of(r);
        let version = out.version_for(audience);
        let (payload, email_message_id) = match r.channel {
            Channel::Email => {
                let from = settings
                    .smtp
                    .as_ref()
                    .map(|s| s.from.clone())
                    .unwrap_or_default();
                let mid = format!("<{key}@{}>", domain_of(&from));
                (
                    email_bytes(settings, out, version, r, &mid, now, audit_head.as_ref())?,
                    Some(mid),
                )
            }
            // An http:// address is queued and refused by the transport, so it shows as that
            // recipient's own failure and the others still go.
            Channel::Https => (
                manifest_bytes(settings, out, version, r, &key, now, audit_head.as_ref())?,
                None,
            ),
        };
        deliveries.push(NewDelivery {
            recipient_id: r.id.clone(),
            recipient_name: r.name.clone(),
            recipient_role: r.role.as_str().into(),
            channel: r.channel,
            address: r.address.clone(),
            payload,
            idempotency_key: key,
            email_message_id,
            audience: Some(audience),
            pdf: version.0.cloned(),
        });
    }
    let msg = NewMessage {
        id: message_id.clone(),
        episode_id: out.episode_id.clone(),
        child_id: out.child_id.clone(),
        purpose: out.purpose,
        pdf: out.pdf.clone(),
        readout: out.readout.clone(),
        cover_note: out.cover_note.clone(),
        deliveries,
    };
    // An update or a returned notice goes to everyone who had the pack: no one chose them, so
    // the episode's "who it went to" is not rewritten.
    let chose = matches!(out.purpose, Purpose::Pack | Purpose::NotAcceptedNotice);
    let choice = out.episode_id.as_ref().filter(|_| chose).map(|_| {
        let proposed: Vec<&Recipient> = proposal
            .map(|p| p.recipients.iter().collect())
            .unwrap_or_default();
        let chosen_ids: Vec<&str> = out.recipients.iter().map(|r| r.id.as_str()).collect();
        RecipientChoice {
            proposed: proposed
                .iter()
                .filter_map(|r| serde_json::to_value(r).ok())
                .collect(),
            chosen: out
                .recipients
                .iter()
                .filter_map(|r| serde_json::to_value(r).ok())
                .collect(),
            added: out
                .recipients
                .iter()
                .filter(|r| !proposed.iter().any(|p| p.id == r.id))
                .map(|r| r.id.clone())
                .collect(),
            removed: proposed
                .iter()
                .filter(|p| !chosen_ids.contains(&p.id.as_str()))
                .map(|p| p.id.clone())
                .collect(),
            outbox_message_id: message_id.to_string(),
        }
    });
    Ok(store.enqueue_with_recipients(&msg, choice.as_ref(), now)?)
}
