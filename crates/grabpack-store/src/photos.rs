//! Photos: taken in through the photo intake (checked, turned upright, stripped of all metadata,
//! scaled) and kept as BLOBs inside the encrypted database; and the pack material, the form and
//! every photo's bytes read in one go for a grab pack.
//!
//! Why BLOBs and not files: a photo of a child is personal data, and the encrypted database is
//! the only place on disk allowed to hold it.

use crate::ids::{ChildId, PhotoId};
use grabpack_core::{ChildForm, PhotoKind};
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit;
use crate::audit_action::AuditAction;
use crate::children::latest_seq;
use crate::error::{Result, StoreError};
use crate::store::{Store, damaged, now};

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhotoInfo {
    pub id: PhotoId,
    pub kind: PhotoKind,
    pub taken_on: Option<Date>,
    pub added_at: String,
    pub width: u32,
    pub height: u32,
    pub sha256: String,
}

/// What a pack is built from (see [`Store::pack_material`]).
#[derive(Clone, PartialEq)]
pub struct PackMaterial {
    pub child_id: ChildId,
    pub revision: i64,
    pub form: ChildForm,
    pub photos: Vec<PackMaterialPhoto>,
    /// The child's own marking if set, else the home's.
    pub marking: String,
}

#[derive(Clone, PartialEq)]
pub struct PackMaterialPhoto {
    pub kind: PhotoKind,
    pub taken_on: Option<Date>,
    pub jpeg: Vec<u8>,
}

/// Never prints the form or the photos: a child's record must not reach a log by accident.
impl std::fmt::Debug for PackMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackMaterial")
            .field("child_id", &self.child_id)
            .field("revision", &self.revision)
            .field("photos", &self.photos.len())
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for PackMaterialPhoto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PackMaterialPhoto({:?}, {} bytes)",
            self.kind,
            self.jpeg.len()
        )
    }
}

/// The photo pipeline this build stores photos through: checked, decoded, upright, every
/// metadata segment, anything between scans and every byte after the end dropped. Raised when
/// the pipeline learns to drop something new, so stored photos are rebuilt once more.
pub(crate) const PHOTO_PIPELINE: i64 = 1;

impl Store {
    /// Photos stored before the current pipeline (by an older version, which may have kept XMP,
    /// a motion photo or trailing bytes) rebuilt through the import's own cleaning
    /// (`photo_import::sanitise`: `grabpack_photo::process`, then `rebuild_jpeg` or the clean
    /// re-encode), replaced in one transaction with `secure_delete` on and the WAL checkpointed
    /// so the old bytes leave the database's files, audited once. A photo that cannot be decoded
    /// is never lost: it is kept as it was, flagged with the reason, and named in the audit entry.
    /// Run at every unlock; nothing to do costs one indexed query.
    pub(crate) fn rebuild_old_photos(&mut self) -> Result<()> {
        // Through `photos_pipeline`: nothing to do reads no photo's bytes.
        let ids: Vec<PhotoId> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM photos WHERE pipeline IS NULL OR pipeline < ?1")?;
            stmt.query_map([PHOTO_PIPELINE], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?
        };
        if ids.is_empty() {
            return Ok(());
        }
        let mut old = Vec::with_capacity(ids.len());
        for id in ids {
            let bytes = self.photo_jpeg(&id)?;
            old.push((id, bytes));
        }
        let mut clean = Vec::with_capacity(old.len());
        let mut kept = Vec::new();
        for (id, bytes) in old {
            match crate::photo_import::sanitise(&bytes) {
                Ok(c) => clean.push((id, c)),
                Err(e) => kept.push((id, e.code())),
            }
        }
        // The old bytes are overwritten where they lay, not left in free pages.
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        let at = now();
        let actor = self.actor.id();
        let tx = self.conn.transaction()?;
        for (id, c) in &clean {
            tx.execute(
                "UPDATE photos SET jpeg = ?1, width = ?2, height = ?3, sha256 = ?4, pipeline = ?5, pipeline_error = NULL WHERE id = ?6",
                params![
                    c.jpeg,
                    c.width,
                    c.height,
                    hex::encode(Sha256::digest(&c.jpeg)),
                    PHOTO_PIPELINE,
                    id
                ],
            )?;
        }
        for (id, code) in &kept {
            tx.execute(
                "UPDATE photos SET pipeline = ?1, pipeline_error = ?2 WHERE id = ?3",
                params![PHOTO_PIPELINE, code, id],
            )?;
        }
        let mut detail = format!(
            "{} photos rebuilt through photo pipeline {PHOTO_PIPELINE}",
            clean.len()
        );
        if !kept.is_empty() {
            detail.push_str(&format!(
                "; {} kept as they were because they could not be decoded (replace them): {}",
                kept.len(),
                kept.iter()
                    .map(|(id, code)| format!("{id} ({code})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        audit::append(
            &tx,
            &at,
            &actor,
            AuditAction::PhotosRebuilt.as_str(),
            None,
            &detail,
        )?;
        tx.commit()?;
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    /// Photos an unlock could not rebuild (they could not be decoded) and kept as they were: a
    /// person should replace them.
    pub fn photos_not_rebuilt(&self) -> Result<Vec<PhotoId>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM photos WHERE pipeline_error IS NOT NULL ORDER BY id")?;
        Ok(stmt
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?)
    }

    /// Take a photo from a file's bytes: checked, turned upright, stripped of all metadata,
    /// scaled, and stored inside the encrypted database. `taken_on` overrides the camera's date.
    pub fn add_photo(
        &mut self,
        child_id: &ChildId,
        bytes: &[u8],
        kind: PhotoKind,
        taken_on: Option<Date>,
    ) -> Result<PhotoInfo> {
        let processed = grabpack_photo::process(bytes, &grabpack_photo::PhotoLimits::default())?;
        let taken = taken_on.or_else(|| processed.taken_at.map(|t| t.date()));
        let at = now();
        let tx = self.conn.transaction()?;
        let (_, archived) = latest_seq(&tx, child_id)?;
        if archived {
            return Err(StoreError::ChildArchived);
        }
        let info = insert_photo_row(
            &tx,
            child_id,
            kind,
            taken,
            &at,
            &self.actor.id(),
            &processed.jpeg,
            (processed.width, processed.height),
        )?;
        audit::append(
            &tx,
            &at,
            &self.actor.id(),
            AuditAction::PhotoAdded.as_str(),
            Some(child_id.as_str()),
            &format!(
                "{} photo {}, taken {}, sha256 {}",
                kind.as_str(),
                info.id,
                taken
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "unknown".into()),
                info.sha256
            ),
        )?;
        tx.commit()?;
        Ok(info)
    }

    /// A child's photos, face photos first, each kind newest first.
    pub fn photos(&self, child_id: &ChildId) -> Result<Vec<PhotoInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, kind, taken_on, added_at, width, height, sha256 FROM photos WHERE child_id = ?1
             ORDER BY CASE kind WHEN 'face' THEN 0 WHEN 'full_length' THEN 1 ELSE 2 END,
                      taken_on IS NULL, taken_on DESC, added_at DESC",
        )?;
        let rows = stmt.query_map([child_id], |r| {
            Ok((
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                PhotoInfo {
                    id: r.get(0)?,
                    kind: PhotoKind::Mark,
                    taken_on: None,
                    added_at: r.get(3)?,
                    width: r.get(4)?,
                    height: r.get(5)?,
                    sha256: r.get(6)?,
                },
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (kind, taken_on, mut info) = row?;
            info.kind = PhotoKind::parse(&kind)
                .ok_or_else(|| damaged(format!("photo {}: kind '{kind}'", info.id)))?;
            info.taken_on = taken_on
                .map(|t| {
                    t.parse()
                        .map_err(|e| damaged(format!("photo {}: date taken: {e}", info.id)))
                })
                .transpose()?;
            out.push(info);
        }
        Ok(out)
    }

    pub fn photo_jpeg(&self, photo_id: &PhotoId) -> Result<Vec<u8>> {
        self.conn
            .query_row("SELECT jpeg FROM photos WHERE id = ?1", [photo_id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::ChildNotFound(format!("photo {photo_id}")))
    }

    /// Everything a grab pack is built from, read in one go: the current form and revision, every
    /// photo (face photos first, newest first) with its bytes, and the marking to print.
    pub fn pack_material(&self, child_id: &ChildId) -> Result<PackMaterial> {
        let record = self.child_unaudited(child_id)?;
        let mut photos = Vec::with_capacity(record.photos.len());
        for p in &record.photos {
            photos.push(PackMaterialPhoto {
                kind: p.kind,
                taken_on: p.taken_on,
                jpeg: self.photo_jpeg(&p.id)?,
            });
        }
        let settings = self.settings()?;
        let marking = if record
            .form
            .administration
            .protective_marking
            .trim()
            .is_empty()
        {
            settings.protective_marking
        } else {
            record.form.administration.protective_marking.clone()
        };
        Ok(PackMaterial {
            child_id: record.id,
            revision: record.revision.seq,
            form: record.form,
            photos,
            marking,
        })
    }
}

/// The one place a photo row is written (new photos and imported ones alike), inside the caller's
/// transaction so the photo and its audit entry commit together.
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_photo_row(
    conn: &Connection,
    child_id: &ChildId,
    kind: PhotoKind,
    taken_on: Option<Date>,
    added_at: &str,
    added_by: &str,
    jpeg: &[u8],
    (width, height): (u32, u32),
) -> Result<PhotoInfo> {
    let id = PhotoId::new_random();
    let sha = hex::encode(Sha256::digest(jpeg));
    conn.execute(
        "INSERT INTO photos (id, child_id, kind, taken_on, added_at, added_by, width, height, sha256, jpeg, pipeline)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            id,
            child_id,
            kind.as_str(),
            taken_on.map(|d| d.to_string()),
            added_at,
            added_by,
            width,
            height,
            sha,
            jpeg,
            PHOTO_PIPELINE
        ],
    )?;
    Ok(PhotoInfo {
        id,
        kind,
        taken_on,
        added_at: added_at.to_string(),
        width,
        height,
        sha256: sha,
    })
}
