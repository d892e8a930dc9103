//! The dashboard and readiness: every child's card, computed on the fly from the latest revision,
//! the photos and the last closed episode.
//!
//! Why readiness is computed and never stored: it depends on today's date and on thresholds a
//! manager can change, so a stored value would go stale without anyone noticing. What depends on
//! the form alone (name, date of birth, completion date, the table's unanswered fields) is kept
//! beside each revision as a [`Card`], written in the revision's own transaction: reading and
//! parsing 1,000 whole forms was most of the dashboard's time. A card is used only for the
//! child's latest revision and the field table it was made with; anything else reads the form.

use crate::ids::{ChildId, PhotoId};
use std::collections::HashMap;

use grabpack_core::interchange::read_stored_form;
use grabpack_core::readiness::{
    FormGaps, PhotoFact, age_on, assess, assess_gaps, field_table_fingerprint, form_gaps,
};
use grabpack_core::{ChildForm, PhotoKind, Readiness, ReadinessFacts, ReadinessState};
use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::store::{Store, damaged};

/// One card on the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DashboardRow {
    pub id: ChildId,
    pub legal_name: String,
    pub known_as: Vec<String>,
    pub age: Option<i16>,
    pub readiness: Readiness,
    pub face_photo_id: Option<PhotoId>,
    /// The child's latest revision could not be read (`store.damaged` when opened). The card is
    /// still listed, first and not ready, with no name: a care worker must see that a child's
    /// record needs restoring, and every other child's card must still be there.
    pub damaged: bool,
}

/// A child's photo facts for readiness, and their newest face photo (date, id) for the card.
type ChildPhotoFacts = (Vec<PhotoFact>, Option<(Date, PhotoId)>);

/// What the dashboard needs from one revision of a child's form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Card {
    /// The field table the gaps were worked out against (`field_table_fingerprint`).
    table: u64,
    legal_name: String,
    known_as: Vec<String>,
    date_of_birth: Option<Date>,
    completed_on: Option<Date>,
    gaps: FormGaps,
}

impl Card {
    fn of(form: &ChildForm) -> Self {
        Self {
            table: field_table_fingerprint(),
            legal_name: form.identity.legal_name.clone(),
            known_as: form.identity.known_as.clone(),
            date_of_birth: form.identity.date_of_birth,
            completed_on: form.administration.completed_on,
            gaps: form_gaps(form),
        }
    }
}

/// Keep the card of a child's new revision (inside the revision's transaction).
pub(crate) fn keep_card(
    conn: &Connection,
    child_id: &ChildId,
    seq: i64,
    form: &ChildForm,
) -> Result<()> {
    conn.execute(
        "INSERT INTO child_cards (child_id, seq, field_table, card_json) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (child_id) DO UPDATE SET seq = excluded.seq, field_table = excluded.field_table,
             card_json = excluded.card_json",
        rusqlite::params![
            child_id,
            seq,
            field_table_column(),
            crate::store::to_json(&Card::of(form))?
        ],
    )?;
    Ok(())
}

/// The field table's fingerprint as SQLite stores it (a 64-bit signed integer, same bits).
fn field_table_column() -> i64 {
    i64::from_ne_bytes(field_table_fingerprint().to_ne_bytes())
}

/// At unlock: make the card of every child whose latest revision has none, or one made with
/// another field table (a store from before cards, or a build whose table changed). Once per
/// store and per table change; afterwards this is one indexed query that finds nothing. A form
/// that cannot be read gets no card: the dashboard shows it as damaged.
pub(crate) fn fill_cards(conn: &mut Connection) -> Result<()> {
    let missing: Vec<(ChildId, i64, String)> = {
        let mut stmt = conn.prepare(
            "SELECT c.id, r.seq, r.form_json FROM children c
             JOIN revisions r ON r.child_id = c.id AND r.seq = c.latest_seq
             LEFT JOIN child_cards k ON k.child_id = c.id AND k.seq = c.latest_seq AND k.field_table = ?1
             WHERE k.child_id IS NULL",
        )?;
        stmt.query_map([field_table_column()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<std::result::Result<_, _>>()?
    };
    if missing.is_empty() {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for (child_id, seq, json) in missing {
        if let Ok(form) = read_stored_form(&json) {
            keep_card(&tx, &child_id, seq, &form)?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// What needs attention first, the one order every screen and the command line show: a card
/// that could not be read, then not ready, needs attention, ready; within each, more critical
/// fields empty first, then more reasons; then by name, as a person reads a list (letter case
/// aside, so "de Souza" sits among the Ds).
fn sort_by_need(rows: &mut [DashboardRow]) {
    rows.sort_by_cached_key(|row| {
        (
            std::cmp::Reverse(row.damaged),
            row.readiness.state,
            std::cmp::Reverse(row.readiness.critical_missing()),
            std::cmp::Reverse(row.readiness.reasons.len()),
            row.legal_name.to_lowercase(),
            row.legal_name.clone(),
        )
    });
}

impl Store {
    /// Every child not archived, with readiness, sorted so what needs attention comes first
    /// (`sort_by_need`).
    pub fn dashboard(&self, today: Date) -> Result<Vec<DashboardRow>> {
        let settings = self.settings()?.readiness;
        let mut photo_facts: HashMap<ChildId, ChildPhotoFacts> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT p.child_id, p.id, p.kind, p.taken_on FROM photos p JOIN children c ON c.id = p.child_id WHERE c.archived_at IS NULL")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, ChildId>(0)?,
                    r.get::<_, PhotoId>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })?;
            for row in rows {
                let (child, photo_id, kind, taken) = row?;
                let kind = PhotoKind::parse(&kind)
                    .ok_or_else(|| damaged(format!("photo {photo_id}: kind '{kind}'")))?;
                let taken_on = taken
                    .map(|t| {
                        t.parse::<Date>()
                            .map_err(|e| damaged(format!("photo {photo_id}: date taken: {e}")))
                    })
                    .transpose()?;
                let entry = photo_facts.entry(child).or_default();
                entry.0.push(PhotoFact { kind, taken_on });
                if kind == PhotoKind::Face {
                    let d = taken_on.unwrap_or(Date::MIN);
                    if entry.1.as_ref().is_none_or(|(best, _)| d >= *best) {
                        entry.1 = Some((d, photo_id));
                    }
                }
            }
        }
        let closed = last_episode_closed(&self.conn, None)?;
        // The card when it is the latest revision's; the form (read only then) when it is not.
        let mut stmt = self.conn.prepare(
            "SELECT c.id, k.card_json,
                    CASE WHEN k.card_json IS NULL THEN
                        (SELECT r.form_json FROM revisions r WHERE r.child_id = c.id AND r.seq = c.latest_seq)
                    END,
                    (SELECT max(saved_at) FROM revisions l WHERE l.child_id = c.id AND l.kind != 'import')
             FROM children c
             LEFT JOIN child_cards k ON k.child_id = c.id AND k.seq = c.latest_seq AND k.field_table = ?1
             WHERE c.archived_at IS NULL",
        )?;
        let rows = stmt.query_map([field_table_column()], |r| {
            Ok((
                r.get::<_, ChildId>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, card_json, form_json, saved_at) = row?;
            let (photos, face) = photo_facts.remove(&id).unwrap_or_default();
            let card = match card_json
                .and_then(|j| serde_json::from_str::<Card>(&j).ok())
                .filter(|c| c.table == field_table_fingerprint())
            {
                Some(card) => Some(card),
                None => {
                    let form = match form_json {
                        Some(json) => read_stored_form(&json).ok(),
                        // A card made with another field table: read the form after all.
                        None => latest_form_json(&self.conn, &id)?
                            .and_then(|json| read_stored_form(&json).ok()),
                    };
                    form.as_ref().map(Card::of)
                }
            };
            let Some(card) = card else {
                out.push(DashboardRow {
                    legal_name: String::new(),
                    known_as: Vec::new(),
                    age: None,
                    readiness: Readiness {
                        state: ReadinessState::NotReady,
                        reasons: Vec::new(),
                    },
                    face_photo_id: face.map(|(_, id)| id),
                    damaged: true,
                    id,
                });
                continue;
            };
            let facts = ReadinessFacts {
                photos,
                last_reviewed: last_reviewed(saved_at.as_deref(), card.completed_on),
                last_episode_closed: closed.get(&id).copied(),
            };
            let readiness = assess_gaps(&card.gaps, &facts, &settings, today);
            out.push(DashboardRow {
                age: card.date_of_birth.and_then(|d| age_on(d, today)),
                legal_name: card.legal_name,
                known_as: card.known_as,
                readiness,
                face_photo_id: face.map(|(_, id)| id),
                damaged: false,
                id,
            });
        }
        sort_by_need(&mut out);
        Ok(out)
    }

    /// Readiness of one child today.
    pub fn readiness(&self, child_id: &ChildId, today: Date) -> Result<Readiness> {
        let record = self.child_unaudited(child_id)?;
        let local: Option<String> = self.conn.query_row(
            "SELECT max(saved_at) FROM revisions WHERE child_id = ?1 AND kind != 'import'",
            [child_id],
            |r| r.get(0),
        )?;
        let facts = ReadinessFacts {
            photos: record
                .photos
                .iter()
                .map(|p| PhotoFact {
                    kind: p.kind,
                    taken_on: p.taken_on,
                })
                .collect(),
            last_reviewed: last_reviewed(local.as_deref(), record.form.administration.completed_on),
            last_episode_closed: last_episode_closed(&self.conn, Some(&record.id))?
                .get(&record.id)
                .copied(),
        };
        Ok(assess(
            &record.form,
            &facts,
            &self.settings()?.readiness,
            today,
        ))
    }
}

fn date_of(ts: &str) -> Option<Date> {
    ts.parse::<Timestamp>()
        .ok()
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// The UK date each child's most recent missing episode was closed (all children, or one): Part 1
/// must be reviewed after every episode, so readiness needs it.
fn last_episode_closed(
    conn: &Connection,
    child_id: Option<&ChildId>,
) -> Result<HashMap<ChildId, Date>> {
    let mut stmt = conn.prepare(
        "SELECT e.child_id, v.at FROM episode_events v JOIN episodes e ON e.id = v.episode_id
         WHERE v.kind = 'close' AND (?1 IS NULL OR e.child_id = ?1)",
    )?;
    let rows = stmt.query_map([child_id], |r| {
        Ok((r.get::<_, ChildId>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = HashMap::new();
    for row in rows {
        let (child, at) = row?;
        let Ok(at) = at.parse::<Timestamp>() else {
            continue;
        };
        let day = at
            .in_tz("Europe/London")
            .map(|z| z.date())
            .unwrap_or_else(|_| at.to_zoned(jiff::tz::TimeZone::UTC).date());
        let latest = out.entry(child).or_insert(day);
        if day > *latest {
            *latest = day;
        }
    }
    Ok(out)
}

/// The latest revision's form as stored, if the child has one.
fn latest_form_json(conn: &Connection, child_id: &ChildId) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT r.form_json FROM children c JOIN revisions r ON r.child_id = c.id AND r.seq = c.latest_seq WHERE c.id = ?1",
            [child_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// When Part 1 was last reviewed: the newest save or review stamp made in this store, or, for a
/// child handed over from another placement, the date that placement completed the form (an
/// import is not a review by anyone here).
fn last_reviewed(local_save: Option<&str>, completed_on: Option<Date>) -> Option<Date> {
    local_save.and_then(date_of).max(completed_on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use grabpack_core::ReadinessReason;

    fn row(name: &str, state: ReadinessState, reasons: Vec<ReadinessReason>) -> DashboardRow {
        DashboardRow {
            id: ChildId::from(name),
            legal_name: name.to_owned(),
            known_as: Vec::new(),
            age: None,
            readiness: Readiness { state, reasons },
            face_photo_id: None,
            damaged: false,
        }
    }

    fn critical(label: &'static str) -> ReadinessReason {
        ReadinessReason::MissingCritical { path: label, label }
    }

    /// The screens show the cards in the order the store gives (the window draws its first
    /// screenful before the rest arrives), so the whole rule is here.
    #[test]
    fn the_child_with_more_critical_gaps_comes_first_and_names_read_regardless_of_case() {
        let mut rows = vec![
            row("Ready Child", ReadinessState::Ready, vec![]),
            row(
                "Attention Child",
                ReadinessState::Attention,
                vec![ReadinessReason::NeverReviewed],
            ),
            // Three reasons, one critical gap; then two reasons, both critical: gaps come first.
            row(
                "One Gap",
                ReadinessState::NotReady,
                vec![
                    critical("Date of birth"),
                    ReadinessReason::NoFacePhoto,
                    ReadinessReason::NeverReviewed,
                ],
            ),
            row(
                "Two Gaps",
                ReadinessState::NotReady,
                vec![critical("Date of birth"), critical("Mobile numbers")],
            ),
            row("zed Ready", ReadinessState::Ready, vec![]),
            row("de Souza", ReadinessState::Ready, vec![]),
            row("Ellis", ReadinessState::Ready, vec![]),
        ];
        let mut damaged = row("", ReadinessState::NotReady, vec![]);
        damaged.damaged = true;
        rows.push(damaged);
        sort_by_need(&mut rows);
        let names: Vec<&str> = rows.iter().map(|r| r.legal_name.as_str()).collect();
        assert_eq!(
            names,
            [
                "",
                "Two Gaps",
                "One Gap",
                "Attention Child",
                "de Souza",
                "Ellis",
                "Ready Child",
                "zed Ready"
            ]
        );
    }
}
