//! Rows of the `sections` table and the per-language text they carry.

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

pub use crate::domain::Localized;
