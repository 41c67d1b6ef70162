//! SQL of authors.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{AuthorRow, NewAuthor};
use crate::db::DbConnection;
use crate::db::schema::{article_authors, authors};

crate::taxonomy_slug_queries!(authors, AuthorRow);
crate::taxonomy_linked_queries!(authors, AuthorRow, article_authors, author_id);

pub fn insert(conn: &mut DbConnection, new: &NewAuthor<'_>) -> QueryResult<i64> {
    diesel::insert_into(authors::table)
        .values(new)
        .returning(authors::id)
        .get_result(conn)
}

/// Column changes of an update.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = authors)]
pub struct AuthorChanges {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub bio: Option<String>,
    pub avatar_url: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn update(conn: &mut DbConnection, id: i64, changes: &AuthorChanges) -> QueryResult<()> {
    diesel::update(authors::table.filter(authors::id.eq(id)))
        .set(changes)
        .execute(conn)
        .map(|_| ())
}
