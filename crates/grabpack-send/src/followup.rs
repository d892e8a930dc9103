//! Later messages in an episode: the update (a new pack when Part 2 changes) and the returned
//! notice (the child is back), each to everyone who had the pack, threaded to the first.
//!
//! Why one place: "everyone who had the pack" is the recipients of the episode's queued or
//! delivered pack deliveries, never the current proposal (a social worker changed since, or a
//! police unit added by hand, must still be told). The returned notice is queued by
//! [`record_found`], which both shells call, so recording "found" in the app or with
//! `grabpack missing found` tells the same people. And what the pack prints from the episode
//! record (already done, contact since leaving, the police reference, Part 2's actions and
//! notifications) is decided in [`with_episode_record`] for every pack the episode sends.

use grabpack_core::form::{ActionTaken, Notification, NotifiedParty, Part2};
use grabpack_pack::{EpisodeSoFar, PackInput, RecordLine, UpdateMark};
use grabpack_store::episodes::{Episode, Found, UpdateKind};
use grabpack_store::outbox::{Channel, DeliveryState, OutboxMessage, Purpose};
use grabpack_store::{EpisodeId, Store};
use jiff::Timestamp;
use serde::Serialize;

use crate::compose::{Outgoing, Threaded, queue, render_versions};
use crate::episode::{EpisodeContext, display_name, pack_input};
use crate::error::{Result, SendError};
use crate::recipients::{Recipient, Role};

/// One person who had the pack, and the first pack they had (to thread later messages to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HadThePack {
    pub recipient: Recipient,
    pub first: Threaded,
}

/// Everyone who had this episode's pack: each recipient of a pack delivery that is queued,
/// sending or delivered (a delivery that failed or was given up never reached them), once, with
/// their first such pack. `messages` is the episode's outbox, in any order.
pub fn had_the_pack(messages: &[OutboxMessage]) -> Vec<HadThePack> {
    let mut packs: Vec<&OutboxMessage> = messages
        .iter()
        .filter(|m| m.purpose == Purpose::Pack)
        .collect();
    // created_at is RFC 3339 text; the row order breaks a tie within the same millisecond.
    packs.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    let mut had: Vec<HadThePack> = Vec::new();
    for m in packs {
        for d in &m.deliveries {
            let reached = matches!(
                d.state,
                DeliveryState::Queued | DeliveryState::Sending | DeliveryState::Delivered
            );
            let known = had
                .iter()
                .any(|h| h.recipient.channel == d.channel && h.recipient.address == d.address);
            if !reached || known {
                continue;
            }
            let role = Role::parse(&d.recipient_role).unwrap_or(Role::Other);
            had.push(HadThePack {
                recipient: Recipient {
                    id: d.recipient_id.clone(),
                    role,
                    name: d.recipient_name.clone(),
                    channel: d.channel,
                    address: d.address.clone(),
                    reason: "had the pack".into(),
                    // Whoever had the pack was confirmed (or needed no confirmation) when it
                    // first went to them.
                    confirmed_by_manager: None,
                    // Later messages keep the version their first pack was.
                    audience: d.audience,
                    widened_by_manager: None,
                },
                first: Threaded {
                    recipient_id: d.recipient_id.clone(),
                    email_message_id: d.email_message_id.clone(),
                    idempotency_key: d.idempotency_key.clone(),
                },
            });
        }
    }
    had
}

/// The episode's police reference (CAD or crime number), once known: the latest report that
/// gave one, else the latest intake acknowledgement that did.
pub fn police_reference(episode: &Episode) -> Option<String> {
    let from_reports = episode
        .reports
        .iter()
        .rev()
        .map(|r| r.value.reference.trim())
        .find(|r| !r.is_empty());
    let from_acks = || {
        episode
            .acknowledgements
            .iter()
            .rev()
            .map(|a| a.value.police_reference.trim())
            .find(|r| !r.is_empty())
    };
    from_reports.or_else(from_acks).map(str::to_owned)
}

/// What the episode record says so far, as the pack prints it: checklist steps and information
/// passed on are "already done"; sightings and calls are "contact since leaving".
pub fn so_far(episode: &Episode) -> EpisodeSoFar {
    let mut record = EpisodeSoFar::default();
    for s in &episode.steps {
        record.already_done.push(RecordLine {
            at: s.at,
            what: s.value.label.clone(),
            who: s.recorded_by_name.clone(),
            outcome: s.value.outcome.clone(),
        });
    }
    for u in &episode.updates {
        let line = RecordLine {
            at: u.at,
            what: match u.value.kind {
                UpdateKind::Sighting => "Sighting".into(),
                UpdateKind::Call => "Call".into(),
                UpdateKind::Information => "Information".into(),
                UpdateKind::PassedToPolice => "Passed to police".into(),
            },
            who: if u.value.from.trim().is_empty() {
                u.recorded_by_name.clone()
            } else {
                u.value.from.clone()
            },
            outcome: u.value.text.clone(),
        };
        match u.value.kind {
            UpdateKind::Sighting | UpdateKind::Call => record.contact_since_leaving.push(line),
            UpdateKind::Information | UpdateKind::PassedToPolice => record.already_done.push(line),
        }
    }
    record
}

/// Part 2 with its actions and notifications filled from the episode record (each step an
/// action, each police report with a reference a notification), beside what the carer typed.
/// `None` only when there is neither a Part 2 nor anything recorded.
pub fn part2_with_record(episode: &Episode) -> Option<Part2> {
    let reported: Vec<&_> = episode
        .reports
        .iter()
        .filter(|r| !r.value.reference.trim().is_empty())
        .collect();
    if episode.part2.is_none() && episode.steps.is_empty() && reported.is_empty() {
        return None;
    }
    let mut part2 = episode
        .part2
        .as_ref()
        .map(|p| p.value.clone())
        .unwrap_or_default();
    for s in &episode.steps {
        let action = format!("{} ({})", s.value.label, s.recorded_by_name);
        if !part2
            .actions_taken
            .iter()
            .any(|a| a.at == s.at && a.action == action)
        {
            part2.actions_taken.push(ActionTaken {
                at: s.at,
                action,
                outcome: s.value.outcome.clone(),
            });
        }
    }
    for r in reported {
        let reference = r.value.reference.trim().to_owned();
        if !part2
            .notifications
            .iter()
            .any(|n| n.to == NotifiedParty::Police && n.reference.trim() == reference)
        {
            part2.notifications.push(Notification {
                to: NotifiedParty::Police,
                at: r.at,
                reference,
                officer_name: r.value.officer_name.clone(),
                collar_number: r.value.collar_number.clone(),
            });
        }
    }
    Some(part2)
}

/// A pack's input with what the episode record says: Part 2 filled from it and, after the first
/// step, the "already done" and "contact since leaving" block. The first pack, queued the
/// moment Missing is pressed, has nothing recorded yet and looks as it always did.
pub fn with_episode_record(mut input: PackInput, episode: &Episode) -> PackInput {
    input.episode = part2_with_record(episode);
    input.so_far = so_far(episode);
    input
}

fn parse_created(text: &str) -> Option<Timestamp> {
    text.parse::<Timestamp>().ok()
}

fn home_from(store: &Store) -> Result<(String, String)> {
    let home_settings = store.settings()?;
    let home = home_settings.home_name;
    let from = match home_settings.home_address.trim() {
        "" => home.clone(),
        address => format!("{home} ({})", address.replace('\n', ", ")),
    };
    Ok((home, from))
}

/// Send everyone who had the pack a new pack because Part 2 changed: marked on page 1 "UPDATE N:
/// replaces the pack sent at …", threaded to each recipient's first pack, through the outbox.
///
/// # Errors
/// `send.no_pack_yet` when no one has had the pack (send the pack first).
pub fn queue_update(
    store: &mut Store,
    episode_id: &EpisodeId,
    note: &str,
    now: Timestamp,
) -> Result<OutboxMessage> {
    let ep = store.episode(episode_id)?;
    let messages = store.outbox(None, Some(episode_id))?;
    let had = had_the_pack(&messages);
    if had.is_empty() {
        return Err(SendError::NoPackYet);
    }
    let number = messages
        .iter()
        .filter(|m| m.purpose == Purpose::Update)
        .count() as u32
        + 1;
    let replaces_sent_at = messages
        .iter()
        .filter(|m| matches!(m.purpose, Purpose::Pack | Purpose::Update))
        .filter_map(|m| parse_created(&m.created_at))
        .max()
        .unwrap_or(ep.noticed_at);
    let mark = UpdateMark {
        number,
        replaces_sent_at,
    };
    let mut input = pack_input(store, &ep.child_id, Some(&ep))?;
    input.so_far.update = Some(mark);
    let ctx = EpisodeContext::with_form(store, input.form.clone())?;
    let recipients: Vec<Recipient> = had.iter().map(|h| h.recipient.clone()).collect();
    let (pack, readout, versions) = render_versions(&input, &recipients)?;
    let (home, from) = home_from(store)?;
    let name = display_name(&input.form);
    let banner = grabpack_pack::pack::update_words(mark);
    let out = Outgoing {
        child_id: ep.child_id.clone(),
        child_display_name: name.clone(),
        episode_id: Some(ep.id.clone()),
        purpose: Purpose::Update,
        pdf: Some(pack.pdf),
        readout,
        versions,
        cover_note: if note.trim().is_empty() {
            format!(
                "{banner}. {name} is still missing from {from}; what is known has changed. The new grab pack is attached; the read-out is below."
            )
        } else {
            format!("{banner}.\n\n{}", note.trim())
        },
        recipients,
        home_id: store.store_id().to_string(),
        home_name: home,
        thread: had.into_iter().map(|h| h.first).collect(),
    };
    queue(store, &ctx.settings, &out, None, now)
}

/// The returned notice's words: time, where, by whom, the police reference. The email's body and
/// the intake's read-out.
pub fn returned_words(name: &str, at: Timestamp, found: &Found, reference: Option<&str>) -> String {
    let mut lines = vec![format!("RETURNED: {name} is no longer missing.")];
    let mut when = format!(
        "Found or returned {}",
        grabpack_pack::layout::uk_and_utc(at)
    );
    if !found.found_where.trim().is_empty() {
        when.push_str(&format!(" at {}", found.found_where.trim()));
    }
    if !found.found_by.trim().is_empty() {
        when.push_str(&format!(", by {}", found.found_by.trim()));
    }
    lines.push(format!("{when}."));
    if let Some(r) = reference {
        lines.push(format!("Police reference: {r}."));
    }
    lines.push(
        "Please stop searching. The home will arrange the prevention (safe and well) and return-home interviews."
            .into(),
    );
    lines.join("\n")
}

/// Found recorded, and the notice that went with it.
#[derive(Debug, Clone, Serialize)]
pub struct FoundRecorded {
    /// The found entry on the episode.
    pub entry: i64,
    /// The returned notice to everyone who had the pack; `None` when no one had it, or a notice
    /// was already queued for this episode (a correction of the details does not send another).
    pub notice: Option<OutboxMessage>,
}

/// The child is found or has returned: record it on the episode, then queue the short "returned"
/// notice to everyone who had the pack, threaded to their first pack, so no one goes on searching.
/// Both shells call this. Found is recorded first, so it is kept even if the notice cannot be
/// composed.
pub fn record_found(
    store: &mut Store,
    episode_id: &EpisodeId,
    at: Timestamp,
    found: &Found,
    now: Timestamp,
) -> Result<FoundRecorded> {
    let entry = store.record_found(episode_id, at, found)?;
    let messages = store.outbox(None, Some(episode_id))?;
    let already = messages
        .iter()
        .any(|m| m.purpose == Purpose::ReturnedNotice);
    let had = had_the_pack(&messages);
    if already || had.is_empty() {
        return Ok(FoundRecorded {
            entry,
            notice: None,
        });
    }
    let ep = store.episode(episode_id)?;
    let ctx = EpisodeContext::load(store, &ep)?;
    let name = display_name(&ctx.form);
    let reference = police_reference(&ep);
    let words = returned_words(&name, at, found, reference.as_deref());
    let (home, _) = home_from(store)?;
    // An intake's protocol carries a PDF with every message: a one-page notice of the same words.
    let pdf = if had.iter().any(|h| h.recipient.channel == Channel::Https) {
        Some(grabpack_pack::render_notice(&grabpack_pack::Notice {
            marking: ctx.settings.marking().to_string(),
            child_name: name.clone(),
            title: "RETURNED: no longer missing".into(),
            lines: words.lines().skip(1).map(str::to_owned).collect(),
            generated_at: now,
        })?)
    } else {
        None
    };
    let out = Outgoing {
        child_id: ep.child_id.clone(),
        child_display_name: name,
        episode_id: Some(ep.id.clone()),
        purpose: Purpose::ReturnedNotice,
        pdf,
        readout: words,
        versions: Vec::new(),
        cover_note: String::new(),
        recipients: had.iter().map(|h| h.recipient.clone()).collect(),
        home_id: store.store_id().to_string(),
        home_name: home,
        thread: had.into_iter().map(|h| h.first).collect(),
    };
    let notice = queue(store, &ctx.settings, &out, None, now)?;
    Ok(FoundRecorded {
        entry,
        notice: Some(notice),
    })
}
