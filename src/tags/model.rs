//! Rows of the `tags` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::tags;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tags)]
pub struct TagRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The columns of a new tag besides its slug and times.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tags)]
pub struct NewTag {
    pub name: String,
}

/// Column changes of an update besides the slug and time.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = tags)]
pub struct TagChanges {
    pub name: Option<String>,
}
