//! Children and their revisions: create, save, review, archive, read, find, history, diff, and
//! the hand-over documents (export and import).
//!
//! Why revisions: a form is never updated in place. Every save is a new immutable row (triggers
//! refuse UPDATE and DELETE) naming who saved it and which fields changed, so what the home knew
//! on any day can be shown to a council, an inspector or a court.

use crate::ids::ChildId;
use grabpack_core::ChildForm;
use grabpack_core::diff::{FieldChange, diff};
use grabpack_core::interchange::{ChildDocument, ImportedChild, PhotoRecord};
use grabpack_core::validate::validate;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::audit;
use crate::audit_action::AuditAction;
use crate::error::{Result, StoreError};
use crate::photos::{PhotoInfo, insert_photo_row};
use crate::store::{Actor, Store, damaged, now, to_json, today};

/// Why a revision was written. Stored as `as_str()`; a kind this build does not know is
/// `store.damaged`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RevisionKind {
    /// The child's first revision, typed in this home.
    Create,
    /// A save that changed fields.
    Edit,
    /// "Reviewed, no changes" (a save that changed nothing is one too).
    Review,
    /// Handed over from another placement.
    Import,
}

impl RevisionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Edit => "edit",
            Self::Review => "review",
            Self::Import => "import",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Create, Self::Edit, Self::Review, Self::Import]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for RevisionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisionInfo {
    pub seq: i64,
    pub kind: RevisionKind,
    pub saved_at: String,
    pub saved_by: String,
    pub saved_by_name: String,
    pub changed_paths: Vec<String>,
    pub note: String,
}

/// A child's current record.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChildRecord {
    pub id: ChildId,
    pub form: ChildForm,
    pub revision: RevisionInfo,
    pub archived_at: Option<String>,
    /// Newest first: face photos lead, then by date taken.
    pub photos: Vec<PhotoInfo>,
}

impl Store {
    /// Add a child with their first revision.
    pub fn create_child(&mut self, form: &ChildForm, note: &str) -> Result<ChildId> {
        validate(form, today()).map_err(StoreError::FormInvalid)?;
        let id = ChildId::new_random();
        let at = now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO children (id, created_at) VALUES (?1, ?2)",
            params![id, at],
        )?;
        let changed = diff(&ChildForm::default(), form);
        insert_revision(
            &tx,
            &id,
            1,
            RevisionKind::Create,
            &at,
            &self.actor,
            form,
            &changed,
            note,
        )?;
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            AuditAction::ChildCreated.as_str(),
            Some(id.as_str()),
            &format!("revision 1; {} fields", changed.len()),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Save an edited form as a new revision. A save that changes nothing is recorded as
    /// "reviewed, no changes".
    pub fn save_form(
        &mut self,
        child_id: &ChildId,
        form: &ChildForm,
        note: &str,
    ) -> Result<RevisionInfo> {
        validate(form, today()).map_err(StoreError::FormInvalid)?;
        self.save_revision(child_id, form, note, &[], None)
    }

    /// Save `form` as the child's next revision: an edit, or "reviewed, no changes" when it
    /// changes nothing, audited as such (or as `action`, when a caller names what the save was).
    /// `settles` names disagreements this save chose between (`sync`). The one place a person's
    /// save of a whole form is written.
    pub(crate) fn save_revision(
        &mut self,
        child_id: &ChildId,
        form: &ChildForm,
        note: &str,
        settles: &[String],
        action: Option<AuditAction>,
    ) -> Result<RevisionInfo> {
        let at = now();
        let tx = self.conn.transaction()?;
        let (seq, archived) = latest_seq(&tx, child_id)?;
        if archived {
            return Err(StoreError::ChildArchived);
        }
        let previous = load_form(&tx, child_id, seq)?;
        let changed = diff(&previous, form);
        let kind = if changed.is_empty() {
            RevisionKind::Review
        } else {
            RevisionKind::Edit
        };
        insert_revision_settling(
            &tx,
            child_id,
            seq + 1,
            kind,
            &at,
            &self.actor,
            form,
            &changed,
            note,
            settles,
        )?;
        let action = action.unwrap_or(if changed.is_empty() {
            AuditAction::Reviewed
        } else {
            AuditAction::Edited
        });
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            action.as_str(),
            Some(child_id.as_str()),
            &format!(
                "revision {}; changed: {}",
                seq + 1,
                paths(&changed).join(", ")
            ),
        )?;
        tx.commit()?;
        self.revision_info(child_id, seq + 1)
    }

    /// Stamp "reviewed, no changes": the current form, confirmed by the person now.
    pub fn review(&mut self, child_id: &ChildId, note: &str) -> Result<RevisionInfo> {
        let at = now();
        let tx = self.conn.transaction()?;
        let (seq, archived) = latest_seq(&tx, child_id)?;
        if archived {
            return Err(StoreError::ChildArchived);
        }
        let form = load_form(&tx, child_id, seq)?;
        insert_revision(
            &tx,
            child_id,
            seq + 1,
            RevisionKind::Review,
            &at,
            &self.actor,
            &form,
            &[],
            note,
        )?;
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            AuditAction::Reviewed.as_str(),
            Some(child_id.as_str()),
            &format!("revision {}", seq + 1),
        )?;
        tx.commit()?;
        self.revision_info(child_id, seq + 1)
    }

    /// Archive a child who left the placement: kept read-only, out of the dashboard.
    pub fn archive(&mut self, child_id: &ChildId) -> Result<()> {
        self.require_admin()?;
        let at = now();
        let tx = self.conn.transaction()?;
        let (_, archived) = latest_seq(&tx, child_id)?;
        if archived {
            return Err(StoreError::ChildArchived);
        }
        tx.execute(
            "UPDATE children SET archived_at = ?1 WHERE id = ?2",
            params![at, child_id],
        )?;
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            AuditAction::Archived.as_str(),
            Some(child_id.as_str()),
            "",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The child's current record; viewing is audited.
    pub fn child(&mut self, child_id: &ChildId) -> Result<ChildRecord> {
        let record = self.child_unaudited(child_id)?;
        self.record(
            AuditAction::Viewed,
            Some(child_id),
            &format!("revision {}", record.revision.seq),
        )?;
        Ok(record)
    }

    /// The current record without an audit entry, for internal use by other store operations
    /// (export, render) that audit their own action.
    pub fn child_unaudited(&self, child_id: &ChildId) -> Result<ChildRecord> {
        let (seq, _) = latest_seq(&self.conn, child_id)?;
        let archived_at: Option<String> = self.conn.query_row(
            "SELECT archived_at FROM children WHERE id = ?1",
            [child_id],
            |r| r.get(0),
        )?;
        Ok(ChildRecord {
            id: child_id.clone(),
            form: load_form(&self.conn, child_id, seq)?,
            revision: self.revision_info(child_id, seq)?,
            archived_at,
            photos: self.photos(child_id)?,
        })
    }

    /// Find a child by id (or its first 8+ characters) or by part of a name or known-as name.
    pub fn find_child(&self, query: &str) -> Result<ChildId> {
        let q = query.trim();
        let mut stmt = self.conn.prepare(
            "SELECT c.id, r.form_json, r.seq FROM children c JOIN revisions r ON r.child_id = c.id AND r.seq = c.latest_seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, ChildId>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let lower = q.to_lowercase();
        let mut by_name = Vec::new();
        let mut unreadable = None;
        for row in rows {
            let (id, json, seq) = row?;
            if id == q || (q.len() >= 8 && id.as_str().starts_with(q)) {
                return Ok(id);
            }
            let form = match parse_form(&id, seq, &json) {
                Ok(form) => form,
                // Its name cannot be searched: said below if nobody else matches.
                Err(e) => {
                    unreadable.get_or_insert(e);
                    continue;
                }
            };
            let names =
                std::iter::once(&form.identity.legal_name).chain(form.identity.known_as.iter());
            if !q.is_empty() && names.into_iter().any(|n| n.to_lowercase().contains(&lower)) {
                by_name.push(id);
            }
        }
        match by_name.len() {
            1 => Ok(by_name.remove(0)),
            0 => Err(unreadable.unwrap_or_else(|| StoreError::ChildNotFound(q.to_string()))),
            _ => Err(StoreError::ChildAmbiguous(q.to_string())),
        }
    }

    pub fn history(&self, child_id: &ChildId) -> Result<Vec<RevisionInfo>> {
        latest_seq(&self.conn, child_id)?;
        let mut stmt = self.conn.prepare(
            "SELECT seq, kind, saved_at, saved_by, saved_by_name, changed_paths, note FROM revisions WHERE child_id = ?1 ORDER BY seq DESC",
        )?;
        let mut rows = stmt.query([child_id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(revision_from_row(child_id, r)?);
        }
        Ok(out)
    }

    pub fn revision_form(&self, child_id: &ChildId, seq: i64) -> Result<ChildForm> {
        load_form(&self.conn, child_id, seq)
    }

    /// Field-level differences between two revisions of one child.
    pub fn diff(&self, child_id: &ChildId, from_seq: i64, to_seq: i64) -> Result<Vec<FieldChange>> {
        Ok(diff(
            &self.revision_form(child_id, from_seq)?,
            &self.revision_form(child_id, to_seq)?,
        ))
    }

    fn revision_info(&self, child_id: &ChildId, seq: i64) -> Result<RevisionInfo> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, kind, saved_at, saved_by, saved_by_name, changed_paths, note FROM revisions WHERE child_id = ?1 AND seq = ?2",
        )?;
        let mut rows = stmt.query(params![child_id, seq])?;
        match rows.next()? {
            Some(r) => revision_from_row(child_id, r),
            None => Err(StoreError::RevisionNotFound(seq)),
        }
    }

    /// The child as a document for the next placement. Audited; the caller decides where it goes.
    pub fn export(&mut self, child_id: &ChildId) -> Result<ChildDocument> {
        let record = self.child_unaudited(child_id)?;
        let mut photos = Vec::new();
        for p in &record.photos {
            let added: Timestamp = p
                .added_at
                .parse()
                .map_err(|e| damaged(format!("photo {}: added at: {e}", p.id)))?;
            photos.push(PhotoRecord::new(
                p.kind,
                p.taken_on,
                added,
                &self.photo_jpeg(&p.id)?,
            ));
        }
        self.record(
            AuditAction::Exported,
            Some(child_id),
            &format!("revision {}; {} photos", record.revision.seq, photos.len()),
        )?;
        Ok(ChildDocument::new(
            Timestamp::now(),
            child_id.to_string(),
            record.form,
            photos,
        ))
    }

    /// Import a child from a document: the form is validated, each photo re-checked through the
    /// photo intake (metadata stripped again). All or nothing.
    pub fn import(&mut self, json: &str) -> Result<ChildId> {
        let imported: ImportedChild = grabpack_core::interchange::import(json, today())?;
        // Check every photo before anything is written, so a bad photo changes nothing.
        let mut photos = Vec::new();
        for p in &imported.photos {
            let clean = crate::photo_import::sanitise(&p.jpeg)?;
            photos.push((p, clean));
        }
        let id = ChildId::new_random();
        let at = now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO children (id, created_at) VALUES (?1, ?2)",
            params![id, at],
        )?;
        let changed = diff(&ChildForm::default(), &imported.form);
        let note = format!("imported from {}", imported.source_id);
        insert_revision(
            &tx,
            &id,
            1,
            RevisionKind::Import,
            &at,
            &self.actor,
            &imported.form,
            &changed,
            &note,
        )?;
        for (p, clean) in &photos {
            insert_photo_row(
                &tx,
                &id,
                p.kind,
                p.taken_on,
                &p.added_at.to_string(),
                &self.actor.id(),
                &clean.jpeg,
                (clean.width, clean.height),
            )?;
        }
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            AuditAction::Imported.as_str(),
            Some(id.as_str()),
            &format!("{note}; {} photos", photos.len()),
        )?;
        tx.commit()?;
        Ok(id)
    }
}

fn paths(changes: &[FieldChange]) -> Vec<String> {
    changes.iter().map(|c| c.path.clone()).collect()
}

pub(crate) fn latest_seq(conn: &Connection, child_id: &ChildId) -> Result<(i64, bool)> {
    conn.query_row(
        "SELECT latest_seq, archived_at IS NOT NULL FROM children WHERE id = ?1",
        [child_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| StoreError::ChildNotFound(child_id.to_string()))
}

pub(crate) fn load_form(conn: &Connection, child_id: &ChildId, seq: i64) -> Result<ChildForm> {
    let json: String = conn
        .query_row(
            "SELECT form_json FROM revisions WHERE child_id = ?1 AND seq = ?2",
            params![child_id, seq],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(StoreError::RevisionNotFound(seq))?;
    parse_form(child_id, seq, &json)
}

/// One way to read a stored form everywhere (a child's record, history, export, the pack, the
/// search): a revision this build cannot read is `store.damaged` naming the child and revision,
/// never an empty form. The dashboard alone lists such a child as damaged (`DashboardRow`), so
/// every other child's card stays on screen.
pub(crate) fn parse_form(child_id: &ChildId, seq: i64, json: &str) -> Result<ChildForm> {
    // Version 1 revisions are read through the interchange's own migration.
    grabpack_core::interchange::read_stored_form(json)
        .map_err(|e| damaged(format!("revision {seq} of child {child_id}: {e}")))
}

#[allow(clippy::too_many_arguments)]
fn insert_revision(
    conn: &Connection,
    child_id: &ChildId,
    seq: i64,
    kind: RevisionKind,
    at: &str,
    actor: &Actor,
    form: &ChildForm,
    changed: &[FieldChange],
    note: &str,
) -> Result<()> {
    insert_revision_settling(
        conn,
        child_id,
        seq,
        kind,
        at,
        actor,
        form,
        changed,
        note,
        &[],
    )
}

/// A revision saved here by a person, on top of the child's head (every head, when the head is a
/// merged view of concurrent edits: `sync`). It carries the view's open disagreements, less the
/// fields this save changed and those in `settles` (a person chose their value).
#[allow(clippy::too_many_arguments)]
fn insert_revision_settling(
    conn: &Connection,
    child_id: &ChildId,
    seq: i64,
    kind: RevisionKind,
    at: &str,
    actor: &Actor,
    form: &ChildForm,
    changed: &[FieldChange],
    note: &str,
    settles: &[String],
) -> Result<()> {
    let (parents, open) = crate::sync::parents_of_next(conn, child_id, seq - 1)?;
    let mut carried = crate::sync::carried(open, &paths(changed));
    carried.retain(|d| !settles.contains(&d.path));
    conn.execute(
        "INSERT INTO revisions (child_id, seq, kind, saved_at, saved_by, saved_by_name, form_json,
                                changed_paths, note, global_id, parents_json, disagreements_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            child_id,
            seq,
            kind.as_str(),
            at,
            actor.id(),
            actor.display_name(),
            to_json(form)?,
            to_json(&paths(changed))?,
            note,
            crate::sync::new_global_id(),
            to_json(&parents)?,
            (!carried.is_empty())
                .then(|| to_json(&carried))
                .transpose()?
        ],
    )?;
    conn.execute(
        "UPDATE children SET latest_seq = ?1 WHERE id = ?2",
        params![seq, child_id],
    )?;
    crate::dashboard::keep_card(conn, child_id, seq, form)
}

fn revision_from_row(child_id: &ChildId, r: &rusqlite::Row<'_>) -> Result<RevisionInfo> {
    let seq: i64 = r.get(0)?;
    let kind: String = r.get(1)?;
    let changed: String = r.get(5)?;
    Ok(RevisionInfo {
        seq,
        kind: RevisionKind::parse(&kind)
            .ok_or_else(|| damaged(format!("revision {seq} of child {child_id}: kind '{kind}'")))?,
        saved_at: r.get(2)?,
        saved_by: r.get(3)?,
        saved_by_name: r.get(4)?,
        changed_paths: serde_json::from_str(&changed).map_err(|e| {
            damaged(format!(
                "revision {seq} of child {child_id}: changed fields: {e}"
            ))
        })?,
        note: r.get(6)?,
    })
}
