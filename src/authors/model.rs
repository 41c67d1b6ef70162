//! Rows of the `authors` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::authors;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = authors)]
pub struct AuthorRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub bio: String,
    pub avatar_url: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The columns of a new author besides its slug and times.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = authors)]
pub struct NewAuthor {
    pub name: String,
    pub bio: String,
    pub avatar_url: Option<String>,
}

/// Column changes of an update besides the slug and time.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = authors)]
pub struct AuthorChanges {
    pub name: Option<String>,
    pub bio: Option<String>,
    pub avatar_url: Option<Option<String>>,
}
