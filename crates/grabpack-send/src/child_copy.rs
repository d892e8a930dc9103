//! The child's own copy ("what we keep about you, and who we share it with"), built and its
//! showing recorded one way for the app and the command line.
//!
//! Why here: it is built from the same record the pack is (`pack_material`: the current revision
//! and the marking) and from the same audience table, and "shown to the child" must be recorded
//! the same way whichever shell printed it: an audited event (`child_copy_shown`) with the
//! SHA-256 of the copy shown, so an inspector can see when the child was last shown their record.

use grabpack_pack::{ChildCopyInput, render_child_copy};
use grabpack_store::{AuditAction, AuditEntry, ChildId, Store};
use jiff::Timestamp;

use crate::error::Result;

/// The child's own copy of their current record, as a PDF in memory.
pub fn build(store: &Store, child_id: &ChildId, now: Timestamp) -> Result<Vec<u8>> {
    let material = store.pack_material(child_id)?;
    Ok(render_child_copy(&ChildCopyInput {
        form: material.form,
        revision: format!("revision {}", material.revision),
        marking: material.marking,
        generated_at: now,
    })?)
}

/// Record that `pdf` (a copy from [`build`]) was shown to the child: who showed it and when are
/// the audit entry's own.
pub fn record_shown(store: &mut Store, child_id: &ChildId, pdf: &[u8]) -> Result<()> {
    store.record(
        AuditAction::ChildCopyShown,
        Some(child_id),
        &format!(
            "the child's own copy was shown to the child; sha256 {}",
            grabpack_store::outbox::sha256_hex(pdf)
        ),
    )?;
    Ok(())
}

/// Every time the child was shown their copy, newest first.
pub fn shown(store: &Store, child_id: &ChildId) -> Result<Vec<AuditEntry>> {
    Ok(store.audit_list(
        Some(child_id),
        Some(AuditAction::ChildCopyShown.as_str()),
        1000,
    )?)
}
