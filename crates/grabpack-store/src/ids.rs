//! Identifiers as types: a child's id, an episode's, a photo's, a delivery's and an outbox
//! message's are each their own newtype over the stored text.
//!
//! Why: every id is a UUID string, so with bare `&str` a child's id passed where an episode's was
//! expected compiled and failed (or worse, matched nothing) at run time. Each newtype binds and
//! reads straight through rusqlite (`ToSql`/`FromSql`) and crosses into the UI as a plain JSON
//! string (`#[serde(transparent)]`; the JSON Schema is `String`'s own, inlined, so the generated
//! TypeScript still says `string` and gains no alias per id type). A shell turns user text into an id through the store
//! (`Store::find_child`, `Store::find_episode`) or, for an id it was handed, `From<String>`.
//!
//! The guard, checked by the doctests: an episode's id opens an episode,
//!
//! ```
//! use grabpack_store::{EpisodeId, Store};
//! fn open(store: &Store, episode: &EpisodeId) {
//!     let _ = store.episode(episode);
//! }
//! ```
//!
//! and a child's id in its place does not compile.
//!
//! ```compile_fail
//! use grabpack_store::{ChildId, Store};
//! fn open(store: &Store, child: &ChildId) {
//!     let _ = store.episode(child);
//! }
//! ```

use std::fmt;

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A fresh id (a random UUID) for something new.
            pub fn new_random() -> Self {
                Self(uuid::Uuid::new_v4().to_string())
            }

            /// The id as the text stored in the database.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The first 8 characters, for lists a person reads (the whole id if shorter).
            pub fn short(&self) -> &str {
                self.0.get(..8).unwrap_or(&self.0)
            }

            /// The id's text, owned.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        /// Exactly `String`'s schema, inlined: a derived schema (even transparent) becomes a
        /// named definition, and the generated TypeScript would grow an alias per id type.
        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> std::borrow::Cow<'static, str> {
                String::schema_name()
            }

            fn schema_id() -> std::borrow::Cow<'static, str> {
                String::schema_id()
            }

            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                String::json_schema(generator)
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                String::column_result(value).map(Self)
            }
        }
    };
}

id_type!(
    /// A looked-after child's id (`children.id`).
    ChildId
);
id_type!(
    /// A missing episode's id (`episodes.id`).
    EpisodeId
);
id_type!(
    /// A photo's id (`photos.id`).
    PhotoId
);
id_type!(
    /// One recipient's delivery of an outbox message (`outbox_deliveries.id`).
    DeliveryId
);
id_type!(
    /// An outbox message's id (`outbox_messages.id`).
    OutboxMessageId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_a_plain_json_string() {
        let id = ChildId::from("c-1");
        assert_eq!(serde_json::to_string(&id).ok().as_deref(), Some("\"c-1\""));
        let back: EpisodeId = serde_json::from_str("\"e-1\"").unwrap_or_else(|_| "x".into());
        assert_eq!(back, "e-1");
    }
}
