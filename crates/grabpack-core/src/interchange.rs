//! The versioned JSON interchange format for one child (Part 1 with photos).
//!
//! Used to hand a child's pack to the next placement, to move between devices and to back up. The
//! schema in docs/schema/ is generated from these types; a test fails when it drifts, so the
//! document a council writes against stays the truth. Import refuses what it does not understand
//! (a newer version, a misspelt field) instead of guessing, and names the field and the reason.

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
/// The version this build writes and the only one it reads.
pub const VERSION: u32 = 1;

/// One child, as a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Grab Pack child record",
    description = "One looked-after child's grab pack, Part 1 with photos. Version 1."
)]
pub struct ChildDocument {
    /// Always "grabpack.child".
    pub format: String,
    /// Always 1 for this schema.
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
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => {}
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

/// The JSON Schema of [`ChildDocument`], as committed under docs/schema/.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(ChildDocument);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
