//! SQL of tags.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{NewTag, TagRow};
use crate::articles::queries::visible;
use crate::db::DbConnection;
use crate::db::schema::{article_tags, articles, tags};
use crate::http::params::Ref;

/// One page of tags by name, after `(name, id)` when given.
pub fn list(
    conn: &mut DbConnection,
    after: Option<(String, i64)>,
    limit: i64,
) -> QueryResult<Vec<TagRow>> {
    let mut q = tags::table.select(TagRow::as_select()).into_boxed();
    if let Some((name, id)) = after {
        q = q
            .filter(tags::name.ge(name.clone()))
            .filter(tags::name.gt(name).or(tags::id.gt(id)));
    }
    q.order((tags::name.asc(), tags::id.asc()))
        .limit(limit)
        .load(conn)
}

pub fn find(conn: &mut DbConnection, r: &Ref) -> QueryResult<Option<TagRow>> {
    let q = tags::table.select(TagRow::as_select()).into_boxed();
    let q = match r {
        Ref::Id(id) => q.filter(tags::id.eq(*id)),
        Ref::Slug(slug) => q.filter(tags::slug.eq(slug.clone())),
    };
    q.first(conn).optional()
}

pub fn ids_by_slugs(conn: &mut DbConnection, slugs: &[String]) -> QueryResult<Vec<i64>> {
    tags::table
        .filter(tags::slug.eq_any(slugs))
        .select(tags::id)
        .load(conn)
}

/// Visible articles with this tag.
pub fn article_count(conn: &mut DbConnection, tag_id: i64, now: NaiveDateTime) -> QueryResult<i64> {
    articles::table
        .filter(visible(now))
        .filter(
            articles::id.eq_any(
                article_tags::table
                    .filter(article_tags::tag_id.eq(tag_id))
                    .select(article_tags::article_id),
            ),
        )
        .count()
        .get_result(conn)
}

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

pub fn slug_exists(conn: &mut DbConnection, slug: &str, except: Option<i64>) -> QueryResult<bool> {
    let mut q = tags::table
        .filter(tags::slug.eq(slug.to_string()))
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(tags::id.ne(id));
    }
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

/// Ids of the articles (not deleted) linked to this one.
pub fn live_article_ids(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<i64>> {
    articles::table
        .filter(articles::status.ne(crate::articles::model::STATUS_DELETED))
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

/// Deletes it with every link to it.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(article_tags::table.filter(article_tags::tag_id.eq(id))).execute(conn)?;
    diesel::delete(tags::table.filter(tags::id.eq(id)))
        .execute(conn)
        .map(|_| ())
}
