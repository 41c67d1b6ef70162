//! Rows of the `sections` table and the per-language text they carry.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::sections;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sections)]
pub struct SectionRow {
    pub id: i64,
    pub slug: String,
    /// JSON object: language code → name.
    pub names: String,
    /// JSON object: language code → description.
    pub descriptions: String,
    pub position: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The columns of a new section besides its slug and times.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = sections)]
pub struct NewSection {
    /// JSON object: language code → name.
    pub names: String,
    /// JSON object: language code → description.
    pub descriptions: String,
    /// `None` until it is placed after the last section, before the insert.
    pub position: Option<i32>,
}

/// Column changes of an update besides the slug and time.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = sections)]
pub struct SectionChanges {
    pub names: Option<String>,
    pub descriptions: Option<String>,
    pub position: Option<i32>,
}

/// Text in several languages, as stored in a JSON column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Localized(pub BTreeMap<String, String>);

impl Localized {
    pub fn parse(raw: &str) -> Self {
        Localized(serde_json::from_str(raw).unwrap_or_default())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "{}".into())
    }

    /// The text in `lang`, else in the default language, else any.
    pub fn resolve(&self, lang: &str, default: &str) -> String {
        self.0
            .get(lang)
            .or_else(|| self.0.get(default))
            .or_else(|| self.0.values().next())
            .cloned()
            .unwrap_or_default()
    }
}
