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

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = authors)]
pub struct NewAuthor<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub bio: &'a str,
    pub avatar_url: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
