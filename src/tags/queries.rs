//! SQL of tags.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{NewTag, TagChanges, TagRow};
use crate::db::DbConnection;
use crate::db::schema::{article_tags, articles, tags};
use crate::domain::visible;

crate::taxonomy_table!(tags, TagRow, NewTag, TagChanges);
crate::taxonomy_linked_queries!(tags, TagRow, article_tags, tag_id);

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
