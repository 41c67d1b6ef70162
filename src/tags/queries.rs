//! SQL of tags.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{NewTag, TagRow};
use crate::db::DbConnection;
use crate::db::schema::{article_tags, articles, tags};
use crate::domain::visible;

crate::taxonomy_slug_queries!(tags, TagRow);
crate::taxonomy_linked_queries!(tags, TagRow, article_tags, tag_id);

pub fn insert(conn: &mut DbConnection, new: &NewTag<'_>) -> QueryResult<i64> {
    diesel::insert_into(tags::table)
        .values(new)
        .returning(tags::id)
        .get_result(conn)
}

/// Column changes of an update.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = tags)]
pub struct TagChanges {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn update(conn: &mut DbConnection, id: i64, changes: &TagChanges) -> QueryResult<()> {
    diesel::update(tags::table.filter(tags::id.eq(id)))
        .set(changes)
        .execute(conn)
        .map(|_| ())
}

/// Ids of the public articles carrying the tag.
pub fn public_article_ids(
    conn: &mut DbConnection,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    articles::table
        .filter(visible(now))
        .filter(
            articles::id.eq_any(
                article_tags::table
                    .filter(article_tags::tag_id.eq(id))
                    .select(article_tags::article_id),
            ),
        )
        .select(articles::id)
        .load(conn)
}
