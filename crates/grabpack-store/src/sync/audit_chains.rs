//! Each device's audit chain, carried to the home's other devices: an inspector or a manager on
//! any device sees who saw and changed a child's record on every device, and each chain still
//! proves it was not altered.
//!
//! Why chains are copied whole rather than merged into one: a hash chain proves the order its
//! own device wrote it in, and no device can re-chain another's entries without breaking that
//! proof. So each device sends its own rows as they are (number, time, who, what, the hashes),
//! in chunks that carry on from the last one sent; a device keeps each other device's chain in
//! `sync_audit`, taking a chunk only when it carries on that chain unaltered
//! (`grabpack_audit::continues`), and from the device that wrote it (the envelope's sender). The
//! audit view merges them by time, naming the device.
//!
//! Taking in a chunk is not itself audited (the chunk is the record of what happened): auditing
//! it would write a row that goes back as a chunk, and two devices would echo each other forever.

use grabpack_audit::ChainRow;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::{Outcome, RECORD_FORMAT, SyncRecord, invalid};
use crate::error::Result;
use crate::ids::ChildId;
use crate::store::{Store, to_json};

/// A run of one device's audit chain.
pub const RECORD_AUDIT_CHUNK: &str = "audit_chunk";

/// Rows in one chunk: a few hundred bytes each, well inside one envelope.
const CHUNK_ROWS: i64 = 500;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditChunk {
    format: u32,
    device_id: String,
    rows: Vec<ChainRow>,
}

/// A chunk's record id: the device and its last entry, the number padded so that the newest
/// sorts last as text.
fn chunk_id(device_id: &str, last_seq: i64) -> String {
    format!("{device_id}:{last_seq:020}")
}

/// The last entry of this device's chain already sent or sealed for the hub.
fn sent_up_to(conn: &Connection, device_id: &str) -> Result<i64> {
    let prefix = format!("{device_id}:");
    let newest: Option<String> = conn.query_row(
        "SELECT max(record_id) FROM (
             SELECT record_id FROM sync_known WHERE record_kind = ?1 AND substr(record_id, 1, length(?2)) = ?2
             UNION ALL
             SELECT record_id FROM sync_sealed WHERE record_kind = ?1 AND substr(record_id, 1, length(?2)) = ?2)",
        params![RECORD_AUDIT_CHUNK, prefix],
        |r| r.get(0),
    )?;
    Ok(newest
        .and_then(|id| id[prefix.len()..].parse().ok())
        .unwrap_or(0))
}

/// This device's id in its home (`None` before it joined one).
fn own_device(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT device_id FROM sync_device WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Up to `limit` chunks of this device's chain the hub does not hold yet.
pub(super) fn outgoing(conn: &Connection, limit: i64) -> Result<Vec<SyncRecord>> {
    let Some(device_id) = own_device(conn)? else {
        return Ok(Vec::new());
    };
    let mut after = sent_up_to(conn, &device_id)?;
    let mut out = Vec::new();
    while i64::try_from(out.len()).unwrap_or(i64::MAX) < limit {
        let rows = grabpack_audit::rows_after(conn, after, CHUNK_ROWS)?;
        let Some(last) = rows.last().map(|r| r.seq) else {
            break;
        };
        let chunk = AuditChunk {
            format: RECORD_FORMAT,
            device_id: device_id.clone(),
            rows,
        };
        out.push(SyncRecord {
            kind: RECORD_AUDIT_CHUNK.into(),
            record_id: chunk_id(&device_id, last),
            body: to_json(&chunk)?.into_bytes(),
        });
        after = last;
    }
    Ok(out)
}

/// A chunk of another device's chain: kept when it carries on what is here from that device,
/// waits when an earlier chunk has not arrived, and is refused when it does not verify or names
/// a device other than the one that sent it.
pub(super) fn receive(conn: &Connection, body: &[u8], sender: &str) -> Result<Outcome> {
    let chunk: AuditChunk =
        serde_json::from_slice(body).map_err(|e| invalid(format!("an audit chunk: {e}")))?;
    if chunk.format != RECORD_FORMAT {
        return Err(invalid(format!("audit chunk format {}", chunk.format)));
    }
    if chunk.device_id != sender {
        return Err(invalid(format!(
            "an audit chunk of device {} sent by device {sender}",
            chunk.device_id
        )));
    }
    // This device's own chain, back from the hub: it is the table `audit` itself.
    if own_device(conn)?.as_deref() == Some(sender) {
        return Ok(Outcome::AlreadyHere);
    }
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM sync_audit WHERE device_id = ?1 ORDER BY seq DESC LIMIT 1",
            [sender],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let here = last.as_ref().map_or(0, |(s, _)| *s);
    let new: Vec<&ChainRow> = chunk.rows.iter().filter(|r| r.seq > here).collect();
    let Some(first) = new.first() else {
        return Ok(Outcome::AlreadyHere);
    };
    if first.seq > here + 1 {
        return Ok(Outcome::Wait);
    }
    let new: Vec<ChainRow> = new.into_iter().cloned().collect();
    if let Some(broken) =
        grabpack_audit::continues(last.as_ref().map(|(s, h)| (*s, h.as_str())), &new)
    {
        return Err(invalid(format!(
            "the audit chain of device {sender} does not carry on at entry {broken}"
        )));
    }
    let mut insert = conn.prepare(
        "INSERT INTO sync_audit (device_id, seq, at, actor, action, child_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for r in &new {
        insert.execute(params![
            sender,
            r.seq,
            r.at,
            r.actor,
            r.action,
            r.child_id,
            r.detail,
            r.prev_hash,
            r.hash
        ])?;
    }
    Ok(Outcome::Audit)
}

/// An entry of the home's audit view: this device's own (`device` is `None`) or another
/// device's.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HomeAuditEntry {
    pub device: Option<String>,
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub child_id: Option<String>,
    pub detail: String,
}

/// One device's chain as verified here: this device's own first (`device` is `None`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceChainReport {
    pub device: Option<String>,
    pub entries: i64,
    /// The first entry whose hash does not follow from the ones before it.
    pub broken_at: Option<i64>,
}

impl Store {
    /// The home's audit view: this device's chain and every other device's, newest first by
    /// time, optionally for one child or one action.
    pub fn audit_list_home(
        &self,
        child_id: Option<&ChildId>,
        action: Option<&str>,
        limit: i64,
    ) -> Result<Vec<HomeAuditEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT NULL, seq, at, actor, action, child_id, detail FROM audit
               WHERE (?1 IS NULL OR child_id = ?1) AND (?2 IS NULL OR action = ?2)
             UNION ALL
             SELECT device_id, seq, at, actor, action, child_id, detail FROM sync_audit
               WHERE (?1 IS NULL OR child_id = ?1) AND (?2 IS NULL OR action = ?2)
             ORDER BY 3 DESC, 1, 2 DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![child_id.map(ChildId::as_str), action, limit], |r| {
            Ok(HomeAuditEntry {
                device: r.get(0)?,
                seq: r.get(1)?,
                at: r.get(2)?,
                actor: r.get(3)?,
                action: r.get(4)?,
                child_id: r.get(5)?,
                detail: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Every chain this device holds, each verified from its first entry: its own, then each
    /// other device's copy (which was checked as it arrived, and is checked again here in case
    /// it was altered since).
    pub fn audit_verify_home(&self) -> Result<Vec<DeviceChainReport>> {
        let own = self.audit_verify()?;
        let mut out = vec![DeviceChainReport {
            device: None,
            entries: own.entries,
            broken_at: own.broken_at,
        }];
        let devices: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT DISTINCT device_id FROM sync_audit ORDER BY device_id")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM sync_audit WHERE device_id = ?1 ORDER BY seq",
            grabpack_audit::CHAIN_COLUMNS
        ))?;
        for device in devices {
            let rows: Vec<ChainRow> = stmt
                .query_map([&device], grabpack_audit::chain_row)?
                .collect::<std::result::Result<_, _>>()?;
            out.push(DeviceChainReport {
                device: Some(device),
                entries: i64::try_from(rows.len()).unwrap_or(i64::MAX),
                broken_at: grabpack_audit::continues(None, &rows),
            });
        }
        Ok(out)
    }
}
