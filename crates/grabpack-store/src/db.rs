//! Opening the SQLCipher database and bringing its schema up to date.
//!
//! Migrations are a list of SQL steps keyed by `PRAGMA user_version` (the migration crates cannot
//! link beside rusqlite 0.43's SQLCipher). A database from a newer app is refused before anything
//! is written, so an old laptop can never damage a newer store.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Result, StoreError};
use crate::secret::Sensitive;

pub const FILE_NAME: &str = "grabpack.db";

/// Each entry upgrades the schema from version `i` to `i + 1`, in one transaction.
const MIGRATIONS: &[&str] = &[
    concat!(
        r#"
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled_at TEXT,
    pin_salt BLOB,
    pin_key BLOB
) STRICT;

CREATE TABLE children (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    archived_at TEXT,
    latest_seq INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    child_id TEXT NOT NULL REFERENCES children(id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('create', 'edit', 'review', 'import')),
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_by_name TEXT NOT NULL,
    form_json TEXT NOT NULL,
    changed_paths TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (child_id, seq)
) STRICT;
CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;

CREATE TABLE photos (
    id TEXT PRIMARY KEY,
    child_id TEXT NOT NULL REFERENCES children(id),
    kind TEXT NOT NULL CHECK (kind IN ('face', 'full_length', 'mark')),
    taken_on TEXT,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    jpeg BLOB NOT NULL
) STRICT;
CREATE INDEX photos_child ON photos (child_id, kind, taken_on);

"#,
        // The hash-chained audit log: its table is grabpack-audit's, the same at the intake.
        grabpack_audit::schema_sql!()
    ),
    r#"
-- Missing episodes: an immutable header and append-only events (an edit is a new event that
-- supersedes the old one, which is kept).
CREATE TABLE episodes (
    id TEXT PRIMARY KEY,
    child_id TEXT NOT NULL REFERENCES children(id),
    noticed_at TEXT NOT NULL,
    noticed_ms INTEGER NOT NULL,
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    opened_by_name TEXT NOT NULL,
    immediate_danger INTEGER NOT NULL,
    missing_from_unit TEXT
) STRICT;
CREATE INDEX episodes_child ON episodes (child_id, noticed_ms);
CREATE TRIGGER episodes_no_update BEFORE UPDATE ON episodes
BEGIN SELECT RAISE(ABORT, 'episodes are immutable'); END;
CREATE TRIGGER episodes_no_delete BEFORE DELETE ON episodes
BEGIN SELECT RAISE(ABORT, 'episodes are immutable'); END;

CREATE TABLE episode_events (
    id INTEGER PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes(id),
    kind TEXT NOT NULL,
    item_key TEXT NOT NULL,
    at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_by_name TEXT NOT NULL,
    body_json TEXT NOT NULL,
    supersedes INTEGER REFERENCES episode_events(id),
    reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX episode_events_episode ON episode_events (episode_id, kind, item_key);
CREATE TRIGGER episode_events_no_update BEFORE UPDATE ON episode_events
BEGIN SELECT RAISE(ABORT, 'episode history is immutable'); END;
CREATE TRIGGER episode_events_no_delete BEFORE DELETE ON episode_events
BEGIN SELECT RAISE(ABORT, 'episode history is immutable'); END;

-- Flags raised on a child after an episode (review the form; strategy meeting).
CREATE TABLE child_flags (
    id INTEGER PRIMARY KEY,
    child_id TEXT NOT NULL REFERENCES children(id),
    kind TEXT NOT NULL CHECK (kind IN ('review_after_episode', 'strategy_meeting')),
    episode_id TEXT REFERENCES episodes(id),
    raised_at TEXT NOT NULL,
    detail_json TEXT NOT NULL,
    cleared_at TEXT,
    cleared_by TEXT
) STRICT;

-- The outbox: each message is committed before its first attempt.
CREATE TABLE outbox_messages (
    id TEXT PRIMARY KEY,
    episode_id TEXT REFERENCES episodes(id),
    child_id TEXT NOT NULL REFERENCES children(id),
    purpose TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    pdf BLOB,
    pdf_sha256 TEXT,
    readout TEXT NOT NULL,
    cover_note TEXT NOT NULL
) STRICT;
CREATE TRIGGER outbox_messages_no_update BEFORE UPDATE ON outbox_messages
BEGIN SELECT RAISE(ABORT, 'outbox messages are immutable'); END;
CREATE TRIGGER outbox_messages_no_delete BEFORE DELETE ON outbox_messages
BEGIN SELECT RAISE(ABORT, 'outbox messages are immutable'); END;

CREATE TABLE outbox_deliveries (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES outbox_messages(id),
    recipient_id TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    recipient_role TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'https')),
    address TEXT NOT NULL,
    payload BLOB NOT NULL,
    payload_sha256 TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    email_message_id TEXT,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'delivered', 'failed', 'given_up')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER,
    claimed_ms INTEGER,
    last_error_code TEXT,
    last_error TEXT,
    receipt TEXT,
    delivered_at TEXT,
    given_up_by TEXT,
    given_up_at TEXT,
    given_up_reason TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox_deliveries (state, next_attempt_ms);
CREATE TRIGGER outbox_payload_fixed BEFORE UPDATE OF payload, payload_sha256, idempotency_key, email_message_id, address, channel ON outbox_deliveries
BEGIN SELECT RAISE(ABORT, 'what is sent never changes after it is queued'); END;

CREATE TABLE delivery_attempts (
    id INTEGER PRIMARY KEY,
    delivery_id TEXT NOT NULL REFERENCES outbox_deliveries(id),
    attempt INTEGER NOT NULL,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TRIGGER delivery_attempts_no_update BEFORE UPDATE ON delivery_attempts
BEGIN SELECT RAISE(ABORT, 'attempts are history'); END;

-- Where each HTTPS intake's acknowledgement feed was read up to.
CREATE TABLE intake_cursors (base_url TEXT PRIMARY KEY, cursor TEXT NOT NULL) STRICT;

-- Edited copies of the police directory (the shipped data stays in assets/): newest per unit wins.
CREATE TABLE directory_entries (
    seq INTEGER PRIMARY KEY,
    unit_id TEXT NOT NULL,
    entry_json TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL
) STRICT;
CREATE TRIGGER directory_entries_no_update BEFORE UPDATE ON directory_entries
BEGIN SELECT RAISE(ABORT, 'directory history is immutable'); END;
"#,
    // 3: the dashboard reads only these indexes, never a photo's or a revision's row (each row
    // carries a JPEG or a whole form): which photos each child has, and when each was reviewed.
    r#"
DROP INDEX photos_child;
CREATE INDEX photos_dashboard ON photos (child_id, kind, taken_on, id);
CREATE INDEX revisions_reviewed ON revisions (child_id, kind, saved_at);
"#,
    // 4: one open missing episode per child, held by the database and not only by a shell's check
    // (`grabpack missing start` used to open a second one). The episode header is immutable and a
    // close is an event row, so a partial unique index over `episodes` cannot see whether an
    // episode is closed; this table is that index: a row per child with an open episode, added in
    // the transaction that opens it and removed in the one that closes it, and its primary key
    // refuses a second. A store may already hold two open episodes for one child: nothing is
    // closed or hidden on anyone's behalf, the newest holds the child's row (so this migration
    // cannot fail on them), the older ones stay open until a person closes them, and no new
    // episode opens while any is open (`Store::open_episode`).
    r#"
CREATE TABLE open_episodes (
    child_id TEXT PRIMARY KEY REFERENCES children(id),
    episode_id TEXT NOT NULL UNIQUE REFERENCES episodes(id)
) STRICT;
INSERT INTO open_episodes (child_id, episode_id)
SELECT e.child_id, e.id FROM episodes e
WHERE e.id = (
    SELECT x.id FROM episodes x
    WHERE x.child_id = e.child_id
      AND NOT EXISTS (SELECT 1 FROM episode_events v WHERE v.episode_id = x.id AND v.kind = 'close')
    ORDER BY x.noticed_ms DESC, x.rowid DESC LIMIT 1
);
"#,
    // 5: who holds each delivery's claim (`outbox::sender_process`). Without it a second sender on
    // the same store (the CLI's `outbox send` beside the app) put every `sending` delivery back in
    // the queue, its own or not, and the police got the same pack twice.
    r#"
ALTER TABLE outbox_deliveries ADD COLUMN claimed_by TEXT;
"#,
    // 6: each child's dashboard card, kept with the revision it was worked out from
    // (`dashboard::Card`): the name, date of birth, completion date and the form's readiness gaps.
    // The dashboard of 1,000 children read and parsed every child's whole form (most of its
    // time); it now reads these small rows. A card is only trusted for the child's latest
    // revision and the field table it was made with; otherwise the form is read as before.
    // `prepare` fills in what is missing or out of date after the SQL steps (`dashboard::fill_cards`).
    r#"
CREATE TABLE child_cards (
    child_id TEXT PRIMARY KEY REFERENCES children(id),
    seq INTEGER NOT NULL,
    field_table INTEGER NOT NULL,
    card_json TEXT NOT NULL
) STRICT;
"#,
    // 7: each staff member's member key (random, not derived from the PIN): what rotation and
    // device recovery re-wrap a PIN slot from, so the Argon2id(PIN) outputs in `pin_key` are no
    // longer needed and are erased at the next unlock on a device with its keychain (the PIN
    // slots are moved first, which SQL cannot do). Self-contained: adds one nullable column.
    r#"
ALTER TABLE staff ADD COLUMN member_key BLOB;
"#,
    // 8: which photo pipeline each stored photo went through (`photos::PHOTO_PIPELINE`). Photos
    // stored by older versions may still carry XMP, a motion-photo segment or bytes after the
    // end; they have none (NULL) and are rebuilt at the next unlock (`Store::rebuild_old_photos`).
    // `pipeline_error` flags one that could not be decoded: kept as it was, never lost. The
    // index keeps the check at each unlock off the photo rows: the new columns sit after the
    // JPEG, so reading them from the table would read every photo's bytes.
    // Self-contained: two nullable columns and their index.
    r#"
ALTER TABLE photos ADD COLUMN pipeline INTEGER;
ALTER TABLE photos ADD COLUMN pipeline_error TEXT;
CREATE INDEX photos_pipeline ON photos (pipeline);
"#,
    // 9: each recipient gets the version of the pack for their audience (police, a second force,
    // social care, an added address: `grabpack_core::audience`), so each delivery records which
    // version went, the SHA-256 of that PDF, and the PDF itself when it is not the message's own
    // (an intake is sent the PDF beside the manifest). Rows from before keep NULL: they went with
    // the message's one PDF. What is sent stays fixed once queued, these columns included.
    // Self-contained: three nullable columns and the trigger remade with them.
    r#"
ALTER TABLE outbox_deliveries ADD COLUMN audience TEXT;
ALTER TABLE outbox_deliveries ADD COLUMN pdf_sha256 TEXT;
ALTER TABLE outbox_deliveries ADD COLUMN pdf BLOB;
DROP TRIGGER outbox_payload_fixed;
CREATE TRIGGER outbox_payload_fixed BEFORE UPDATE OF payload, payload_sha256, idempotency_key, email_message_id, address, channel, audience, pdf_sha256, pdf ON outbox_deliveries
BEGIN SELECT RAISE(ABORT, 'what is sent never changes after it is queued'); END;
"#,
    // 10: one home's record across its devices (`sync`, docs/sync.md). Every revision gets a
    // global id and the ids of its parents (a save made on top of two devices' concurrent edits
    // has both), so revisions made on any device form one history per child; the local `seq`
    // stays the order this device learnt them in. Revisions from before get a random id and
    // their previous revision as parent, so they sync like new ones and stay readable. A row with
    // `merged_heads_json` is this device's merged view of concurrent revisions: never sent, never
    // a parent. `disagreements_json` lists the fields two edits set differently that nobody has
    // chosen between yet, carried from revision to revision until someone does. The device's sync
    // identity (its secret keys, the home's keys by epoch) lives here, inside the encrypted
    // database, never in a file of its own. `sync_known` lists the records the hub already holds
    // (pushed from here or received); `sync_sealed` keeps an envelope sealed for the hub until the
    // hub confirms it, so a push repeated after a crash sends the same bytes (the hub stores it
    // once); `sync_waiting` keeps a received record whose parent has not arrived yet, so nothing
    // received is dropped; `sync_refused` sets aside, with the reason, a received record that
    // could not be read, so one bad record never stops the device's sync. The immutability trigger is remade around the
    // one-off fill of the new columns.
    r#"
ALTER TABLE revisions ADD COLUMN global_id TEXT;
ALTER TABLE revisions ADD COLUMN parents_json TEXT;
ALTER TABLE revisions ADD COLUMN origin_device TEXT;
ALTER TABLE revisions ADD COLUMN merged_heads_json TEXT;
ALTER TABLE revisions ADD COLUMN disagreements_json TEXT;
DROP TRIGGER revisions_no_update;
UPDATE revisions SET global_id = lower(hex(randomblob(16)));
UPDATE revisions SET parents_json = COALESCE((
    SELECT json_array(p.global_id) FROM revisions p
    WHERE p.child_id = revisions.child_id AND p.seq = revisions.seq - 1
), '[]');
CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
CREATE UNIQUE INDEX revisions_global_id ON revisions (global_id);

CREATE TABLE sync_device (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    hub_url TEXT NOT NULL,
    hub_ca_pem TEXT,
    home_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    device_secret BLOB NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('waiting_for_approval', 'paired')),
    pairing_code TEXT,
    cursor INTEGER NOT NULL DEFAULT 0,
    last_sync_at TEXT,
    last_error TEXT
) STRICT;
CREATE TABLE sync_home_keys (
    epoch INTEGER PRIMARY KEY,
    key BLOB NOT NULL,
    current INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE sync_known (
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    envelope_id TEXT NOT NULL,
    PRIMARY KEY (record_kind, record_id)
) STRICT;
CREATE TABLE sync_sealed (
    envelope_id TEXT PRIMARY KEY,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    epoch INTEGER NOT NULL,
    nonce BLOB NOT NULL,
    ciphertext BLOB NOT NULL,
    UNIQUE (record_kind, record_id)
) STRICT;
CREATE TABLE sync_refused (
    envelope_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    refused_at TEXT NOT NULL
) STRICT;
CREATE TABLE sync_waiting (
    envelope_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    body BLOB NOT NULL,
    received_at TEXT NOT NULL
) STRICT;
"#,
    // 11: missing episodes travel between a home's devices. An episode's id is already a random
    // UUID; each entry gets one too (`global_id`: the local integer id differs from device to
    // device, and a correction names the entry it corrects by this id when it travels). The
    // immutability trigger is remade around the one-off fill, as for revisions in 10.
    r#"
ALTER TABLE episode_events ADD COLUMN global_id TEXT;
DROP TRIGGER episode_events_no_update;
UPDATE episode_events SET global_id = lower(hex(randomblob(16)));
CREATE TRIGGER episode_events_no_update BEFORE UPDATE ON episode_events
BEGIN SELECT RAISE(ABORT, 'episode history is immutable'); END;
CREATE UNIQUE INDEX episode_events_global_id ON episode_events (global_id);
"#,
    // 12: the outbox is seen on every device of the home. A message queued on another device is
    // kept here as that device's (`outbox_elsewhere`): shown with its recipients' states, and
    // counted in who had the pack, but never claimed or sent from here (it has no bytes here).
    // Each of this device's deliveries counts its own changes of state (`delivery_versions`,
    // kept by the trigger), so another device applies the newest state and never an older one
    // arriving late. Both are small tables of their own, not columns: a message's and a
    // delivery's rows carry the PDF and the whole email, and a column added after them is read
    // only by walking past those bytes (the sender's queries would read every PDF on each pass).
    r#"
CREATE TABLE outbox_elsewhere (
    message_id TEXT PRIMARY KEY REFERENCES outbox_messages(id),
    device_id TEXT NOT NULL
) STRICT;
CREATE TABLE delivery_versions (
    delivery_id TEXT PRIMARY KEY REFERENCES outbox_deliveries(id),
    version INTEGER NOT NULL
) STRICT;
CREATE TRIGGER outbox_delivery_state_version
AFTER UPDATE OF state, attempts, last_error_code, receipt, delivered_at, given_up_at ON outbox_deliveries
WHEN NOT EXISTS (SELECT 1 FROM outbox_elsewhere e WHERE e.message_id = NEW.message_id)
BEGIN
  INSERT INTO delivery_versions (delivery_id, version) VALUES (NEW.id, 1)
  ON CONFLICT (delivery_id) DO UPDATE SET version = version + 1;
END;
"#,
    // 13: the home's police-directory edits travel between its devices: each edit gets a
    // global id, and the edit shown for a unit is the newest by when it was saved (then by
    // id), the same on every device (`settings::directory_overrides`). The immutability trigger
    // is remade around the one-off fill, as in 10 and 11.
    r#"
ALTER TABLE directory_entries ADD COLUMN global_id TEXT;
DROP TRIGGER directory_entries_no_update;
UPDATE directory_entries SET global_id = lower(hex(randomblob(16)));
CREATE TRIGGER directory_entries_no_update BEFORE UPDATE ON directory_entries
BEGIN SELECT RAISE(ABORT, 'directory history is immutable'); END;
CREATE UNIQUE INDEX directory_entries_global_id ON directory_entries (global_id);
"#,
    // 14: this device's merged views (never sent) found without reading every revision's row:
    // a revision's row carries its whole form, and `merged_heads_json` sits after it
    // (`sync::sync_outgoing`, `sync_waiting_to_send`).
    r#"
CREATE INDEX revisions_merged ON revisions (id) WHERE merged_heads_json IS NOT NULL;
"#,
    // 15: staff travel between the home's devices (`sync::staff`): each change of a member
    // (added, PIN set, disabled) is a version with a global id and a time, the newest taken on
    // every device, and a member's home slot (their PIN's slot, which opens on every device of
    // the home) is kept here to travel with them. Names are no longer unique: two devices set
    // up on their own may each have a member of one name before they join one home, and both
    // are kept (the PIN decides who unlocks; `keys::pin_owners`). SQLite cannot drop a UNIQUE
    // constraint, so the small table is made again (nothing refers to it by key).
    r#"
CREATE TABLE staff_new (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE,
    role_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled_at TEXT,
    pin_salt BLOB,
    pin_key BLOB,
    member_key BLOB,
    member_slot_json TEXT,
    version_id TEXT NOT NULL DEFAULT (lower(hex(randomblob(16)))),
    changed_at TEXT NOT NULL
) STRICT;
INSERT INTO staff_new (id, name, role_json, created_at, disabled_at, pin_salt, pin_key, member_key, changed_at)
    SELECT id, name, role_json, created_at, disabled_at, pin_salt, pin_key, member_key,
           coalesce(disabled_at, created_at)
    FROM staff;
DROP TABLE staff;
ALTER TABLE staff_new RENAME TO staff;
CREATE INDEX staff_name ON staff (name);
CREATE UNIQUE INDEX staff_version ON staff (version_id);
"#,
    // 16: the audit chains of the home's other devices, each kept as that device wrote it
    // (number, hashes and all) so it verifies here by the same rule as this device's own
    // (`grabpack_audit::continues`), append-only like the chain itself (`sync::audit_chains`).
    r#"
CREATE TABLE sync_audit (
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    child_id TEXT,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
) STRICT;
CREATE INDEX sync_audit_at ON sync_audit (at);
CREATE INDEX sync_audit_child ON sync_audit (child_id);
CREATE TRIGGER sync_audit_no_update BEFORE UPDATE ON sync_audit
BEGIN SELECT RAISE(ABORT, 'audit chains are append-only'); END;
CREATE TRIGGER sync_audit_no_delete BEFORE DELETE ON sync_audit
BEGIN SELECT RAISE(ABORT, 'audit chains are append-only'); END;
"#,
    // 17: which device approved this one, and its fingerprint as this device computed it from
    // the box its home key came in (`Store::sync_keep_home_keys`): shown so the approving
    // manager can check it is their own device's.
    r#"
ALTER TABLE sync_device ADD COLUMN approved_by TEXT;
ALTER TABLE sync_device ADD COLUMN approver_fingerprint TEXT;
"#,
    // 18: another device of the home can take a delivery over when the device that queued it has
    // gone quiet (`sync::outbox`, docs/sync.md). `delivery_payloads` keeps the exact bytes another
    // device queued (the email, or the intake's manifest and PDF), so a take-over sends what was
    // queued and not a second, different pack. `delivery_senders` says which device sends a
    // delivery now and in which of the hub's lease terms; with no row, the device that queued it
    // does. Each state a device records carries the term it was recorded in
    // (`delivery_versions.term`), so the newer sender's word outranks the older's. Small tables
    // of their own, as in 12; the trigger is remade to count the changes of whatever this device
    // sends now.
    r#"
CREATE TABLE delivery_payloads (
    delivery_id TEXT PRIMARY KEY REFERENCES outbox_deliveries(id),
    payload BLOB NOT NULL,
    pdf BLOB
) STRICT;
CREATE TABLE delivery_senders (
    delivery_id TEXT PRIMARY KEY REFERENCES outbox_deliveries(id),
    device_id TEXT NOT NULL,
    term INTEGER NOT NULL,
    here INTEGER NOT NULL CHECK (here IN (0, 1)),
    since TEXT NOT NULL
) STRICT;
ALTER TABLE delivery_versions ADD COLUMN term INTEGER NOT NULL DEFAULT 0;
DROP TRIGGER outbox_delivery_state_version;
CREATE TRIGGER outbox_delivery_state_version
AFTER UPDATE OF state, attempts, last_error_code, receipt, delivered_at, given_up_at ON outbox_deliveries
WHEN coalesce((SELECT s.here FROM delivery_senders s WHERE s.delivery_id = NEW.id),
              NOT EXISTS (SELECT 1 FROM outbox_elsewhere e WHERE e.message_id = NEW.message_id))
BEGIN
  INSERT INTO delivery_versions (delivery_id, version, term)
  VALUES (NEW.id, 1, coalesce((SELECT s.term FROM delivery_senders s WHERE s.delivery_id = NEW.id), 0))
  ON CONFLICT (delivery_id) DO UPDATE SET version = version + 1,
      term = coalesce((SELECT s.term FROM delivery_senders s WHERE s.delivery_id = NEW.id), term);
END;
"#,
    // 19: the revisions that carry fields two edits set differently, in an index of their own
    // (as 15's merged views): `disagreements_json` was added after the form, so finding the
    // children with disagreements read every child's latest form to reach it, and the window's
    // sync line asks at every unlock, before the dashboard's first cards (docs/benchmarks.md).
    r#"
CREATE INDEX revisions_disagreements ON revisions (child_id, seq)
WHERE disagreements_json IS NOT NULL AND disagreements_json != '[]';
"#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The raw key as SQLCipher's blob literal `x'…'`, written hex digit by hex digit into a buffer
/// sized once: no intermediate copy of the key's hex (as `hex::encode` inside `format!` left)
/// outlives this, and the literal itself is zeroised when dropped.
pub(crate) fn key_literal(key: &[u8; 32]) -> Sensitive<String> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(3 + 2 * key.len());
    s.push_str("x'");
    for b in key {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 15)]));
    }
    s.push('\'');
    Sensitive::new(s)
}

/// SQLite marks itself initialised before SQLCipher has finished its own set-up (SQLCipher 4.20's
/// `SQLITE_EXTRA_INIT` runs after `isInit` is set, outside the lock), so when a process's first
/// connections open at once, all but one can be refused "PRAGMA key" with a generic error. The
/// process's first connection is therefore opened here, once, while every other opener waits.
fn sqlcipher_ready() {
    static READY: std::sync::Once = std::sync::Once::new();
    READY.call_once(|| {
        // A failure here shows again, with its reason, at the caller's own open.
        let _ = Connection::open_in_memory();
    });
}

/// Open with a raw key and prove the key by reading the schema. No write happens here.
pub fn open(path: &Path, key: &[u8; 32], create: bool) -> Result<Connection> {
    if !create && !path.exists() {
        return Err(StoreError::NotInitialised);
    }
    // CREATE stays on for existing stores too: key rotation ATTACHes a new file, and an attached
    // database inherits the main connection's open flags.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    sqlcipher_ready();
    let conn = Connection::open_with_flags(path, flags)?;
    // Before the first read: another process (the app beside the command line) may be writing.
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Decryption failures are ours to report, not SQLCipher's to print on stderr.
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    let k = key_literal(key);
    conn.pragma_update(None, "key", k.expose())?;
    drop(k);
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(StoreError::Damaged)?;
    Ok(conn)
}

/// Check the schema version, then set the connection up and migrate. Refuses a newer schema
/// before writing anything.
pub fn prepare(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    // Temporary tables and indices in memory: SQLite's temp files are a plaintext risk we avoid.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))?;
    }
    // Every commit is on disk before we say it is saved: a power cut loses nothing reported.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Every transaction takes the write lock when it begins, waiting (busy timeout) for another
    // process's writer. A deferred one that reads and then writes cannot wait: SQLite refuses its
    // upgrade at once ("database is locked") while the app and the command line both send.
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    for (i, step) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    crate::dashboard::fill_cards(conn)?;
    Ok(())
}

/// A word the store keeps as text (an episode entry kind, a delivery state ...): written as its
/// `as_str()`, read back through its `parse`; an unknown word fails the conversion, which the
/// store reports as `store.damaged`, never as a default.
macro_rules! stored_as_text {
    ($t:ty) => {
        impl rusqlite::types::ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }
        impl rusqlite::types::FromSql for $t {
            fn column_result(
                v: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                let s = v.as_str()?;
                Self::parse(s).ok_or_else(|| {
                    rusqlite::types::FromSqlError::Other(
                        format!("unknown {} '{s}'", stringify!($t)).into(),
                    )
                })
            }
        }
    };
}
pub(crate) use stored_as_text;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_literal_is_sqlciphers_blob_form_of_the_key() {
        let key: [u8; 32] = std::array::from_fn(|i| (i * 8 + 1) as u8);
        assert_eq!(
            key_literal(&key).expose(),
            &format!("x'{}'", hex::encode(key))
        );
    }
}
