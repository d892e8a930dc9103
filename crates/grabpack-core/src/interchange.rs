//! The versioned JSON interchange format for one child (Part 1 with photos).
//!
//! Used to hand a child's pack to the next placement, to move between devices and to back up. The
//! schema in docs/schema/ is generated from these types; a test fails when it drifts, so the
//! document a council writes against stays the truth. Import refuses what it does not understand
//! (a newer version, a misspelt field) instead of guessing, and names the field and the reason.
//!
//! Version 2 added the fields the published forms hold and version 1 lacked (parental
//! responsibility, other professionals, the fostering agency's contacts, the trigger plan,
//! missing and wanted, the NRM and trafficking flags, self-defined ethnicity apart from
//! appearance, risk words for places). A version 1 file, and a revision a store saved under
//! version 1, is read through one migration ([`upgrade_form_v1`]): the same code for a file and
//! for the store, so a revision from before and one from after diff field by field.

use base64::Engine as _;
use jiff::Timestamp;
use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::form::{ChildForm, PhotoKind};
use crate::validate::validate;

/// The `format` field of every child document.
pub const FORMAT: &str = "grabpack.child";
/// The version this build writes.
pub const VERSION: u32 = 2;
/// The oldest version this build reads (through [`upgrade_form_v1`]).
pub const OLDEST_VERSION: u32 = 1;

/// One child, as a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Grab Pack child record",
    description = "One looked-after child's grab pack, Part 1 with photos. Version 2."
)]
pub struct ChildDocument {
    /// Always "grabpack.child".
    pub format: String,
    /// Always 2 for this schema (version 1 files are read through a migration).
    pub version: u32,
    pub exported_at: Timestamp,
    pub child: ChildRecord,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChildRecord {
    /// The sending store's id for the child; a new id is given on import.
    #[serde(default)]
    pub source_id: String,
    pub form: ChildForm,
    #[serde(default)]
    pub photos: Vec<PhotoRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PhotoRecord {
    pub kind: PhotoKind,
    #[serde(default)]
    pub taken_on: Option<Date>,
    pub added_at: Timestamp,
    /// The JPEG, base64 (standard alphabet, padded). Metadata-free; re-checked on import.
    pub jpeg_base64: String,
}

impl PhotoRecord {
    pub fn new(kind: PhotoKind, taken_on: Option<Date>, added_at: Timestamp, jpeg: &[u8]) -> Self {
        Self {
            kind,
            taken_on,
            added_at,
            jpeg_base64: base64::engine::general_purpose::STANDARD.encode(jpeg),
        }
    }
}

/// A parsed, validated child document with its photos decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedChild {
    pub source_id: String,
    pub form: ChildForm,
    pub photos: Vec<ImportedPhoto>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedPhoto {
    pub kind: PhotoKind,
    pub taken_on: Option<Date>,
    pub added_at: Timestamp,
    pub jpeg: Vec<u8>,
}

impl ChildDocument {
    pub fn new(
        exported_at: Timestamp,
        source_id: String,
        form: ChildForm,
        photos: Vec<PhotoRecord>,
    ) -> Self {
        Self {
            format: FORMAT.to_string(),
            version: VERSION,
            exported_at,
            child: ChildRecord {
                source_id,
                form,
                photos,
            },
        }
    }

    pub fn to_json(&self) -> String {
        // Our own types always serialise.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Read a child document: format and version first (so a newer file says "update the app"
/// rather than listing a hundred unknown fields), then the fields, then the form's rules.
pub fn import(json: &str, today: Date) -> Result<ImportedChild, CoreError> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| CoreError::Malformed {
            path: "(file)".into(),
            reason: format!("not valid JSON: {e}"),
        })?;
    let format = value.get("format").and_then(|v| v.as_str()).unwrap_or("");
    if format != FORMAT {
        return Err(CoreError::UnknownFormat {
            found: format.to_string(),
        });
    }
    let mut value = value;
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(1) => {
            if let Some(form) = value.pointer_mut("/child/form") {
                upgrade_form_v1(form);
            }
            value["version"] = VERSION.into();
        }
        Some(found) => {
            return Err(CoreError::UnknownVersion {
                found,
                supported: VERSION,
            });
        }
        None => {
            return Err(CoreError::Malformed {
                path: "version".into(),
                reason: "missing or not a whole number".into(),
            });
        }
    }
    let doc: ChildDocument =
        serde_path_to_error::deserialize(value).map_err(|e| CoreError::Malformed {
            path: e.path().to_string(),
            reason: e.inner().to_string(),
        })?;
    if let Err(mut errors) = validate(&doc.child.form, today) {
        for e in &mut errors {
            e.path = format!("child.form.{}", e.path);
        }
        return Err(CoreError::Invalid(errors));
    }
    let mut photos = Vec::with_capacity(doc.child.photos.len());
    for (i, p) in doc.child.photos.into_iter().enumerate() {
        let jpeg = base64::engine::general_purpose::STANDARD
            .decode(p.jpeg_base64.as_bytes())
            .map_err(|e| CoreError::Malformed {
                path: format!("child.photos[{i}].jpeg_base64"),
                reason: format!("not valid base64: {e}"),
            })?;
        if jpeg.is_empty() {
            return Err(CoreError::Malformed {
                path: format!("child.photos[{i}].jpeg_base64"),
                reason: "the photo is empty".into(),
            });
        }
        photos.push(ImportedPhoto {
            kind: p.kind,
            taken_on: p.taken_on,
            added_at: p.added_at,
            jpeg,
        });
    }
    Ok(ImportedChild {
        source_id: doc.child.source_id,
        form: doc.child.form,
        photos,
    })
}

/// Rewrite a version 1 form (as JSON) as version 2, in place.
///
/// - `identity.ethnicity_appearance` held ethnicity and appearance in one text. Its text becomes
///   `identity.appearance` (what it described in practice); the self-defined `identity.ethnicity`
///   starts unset, because a category cannot be read off a description: the child chooses it.
/// - A risk-assessed place's `risk_level` used the police grading of a missing person; places
///   have their own words now. "No apparent risk" and "very low" become `low`; `low`, `medium`
///   and `high` keep their word.
/// - The paths kept in `confirmed_none` and `do_not_share` follow the renamed field; and the
///   unaccompanied asylum-seeking child flag, printed in version 1 inside "Nationality and
///   immigration status", now has its own row: withheld there, it stays withheld.
pub fn upgrade_form_v1(form: &mut serde_json::Value) {
    use serde_json::Value;
    const OLD_PATH: &str = "identity.ethnicity_appearance";
    const NEW_PATH: &str = "identity.appearance";
    if let Some(identity) = form.get_mut("identity").and_then(Value::as_object_mut)
        && let Some(old) = identity.remove("ethnicity_appearance")
    {
        let keep_new = identity
            .get("appearance")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty());
        if !keep_new {
            identity.insert("appearance".into(), old);
        }
    }
    if let Some(places) = form
        .pointer_mut("/places/risk_assessed")
        .and_then(Value::as_array_mut)
    {
        for place in places {
            if let Some(level) = place.get_mut("risk_level")
                && matches!(level.as_str(), Some("no_apparent_risk" | "very_low"))
            {
                *level = Value::String("low".to_owned());
            }
        }
    }
    for set in ["confirmed_none", "do_not_share"] {
        if let Some(paths) = form.get_mut(set).and_then(Value::as_array_mut) {
            for p in paths.iter_mut() {
                if p.as_str() == Some(OLD_PATH) {
                    *p = Value::String(NEW_PATH.to_owned());
                }
            }
        }
    }
    if let Some(withheld) = form.get_mut("do_not_share").and_then(Value::as_array_mut) {
        let has = |w: &[Value], p: &str| w.iter().any(|v| v.as_str() == Some(p));
        if has(withheld.as_slice(), "identity.nationality")
            && !has(withheld.as_slice(), "identity.unaccompanied_asylum_seeker")
        {
            withheld.push(Value::String("identity.unaccompanied_asylum_seeker".into()));
        }
    }
}

/// A form as a store keeps it (the JSON of one revision), of either version: version 1 revisions
/// are read through [`upgrade_form_v1`], so they stay readable and diff against version 2 ones.
///
/// A revision does not carry its version, but its shape does: a version 1 build wrote every
/// field of its form, `identity.ethnicity_appearance` included, and version 2 has no such field.
/// (The migration must not run on a version 2 form: one that withholds nationality but shares
/// the asylum-seeker flag would have the flag withheld.)
///
/// # Errors
/// [`CoreError::Malformed`] naming the field, when the text is not a form this build reads.
pub fn read_stored_form(json: &str) -> Result<ChildForm, CoreError> {
    let mut value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| CoreError::Malformed {
            path: "(form)".into(),
            reason: format!("not valid JSON: {e}"),
        })?;
    if is_version_1_form(&value) {
        upgrade_form_v1(&mut value);
    }
    serde_path_to_error::deserialize(value).map_err(|e| CoreError::Malformed {
        path: e.path().to_string(),
        reason: e.inner().to_string(),
    })
}

/// Whether a stored form was written by a version 1 build (see [`read_stored_form`]).
fn is_version_1_form(form: &serde_json::Value) -> bool {
    form.pointer("/identity/ethnicity_appearance").is_some()
}

/// The JSON Schema of [`ChildDocument`], as committed under docs/schema/.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(ChildDocument);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
