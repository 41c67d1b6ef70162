//! SQL of authors.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{AuthorRow, NewAuthor};
use crate::articles::queries::visible;
use crate::db::DbConnection;
use crate::db::schema::{article_authors, articles, authors};
use crate::http::params::Ref;

/// One page of authors by name, after `(name, id)` when given.
pub fn list(
    conn: &mut DbConnection,
    after: Option<(String, i64)>,
    limit: i64,
) -> QueryResult<Vec<AuthorRow>> {
    let mut q = authors::table.select(AuthorRow::as_select()).into_boxed();
    if let Some((name, id)) = after {
        q = q
            .filter(authors::name.ge(name.clone()))
            .filter(authors::name.gt(name).or(authors::id.gt(id)));
    }
    q.order((authors::name.asc(), authors::id.asc()))
        .limit(limit)
        .load(conn)
}

pub fn find(conn: &mut DbConnection, r: &Ref) -> QueryResult<Option<AuthorRow>> {
    let q = authors::table.select(AuthorRow::as_select()).into_boxed();
    let q = match r {
        Ref::Id(id) => q.filter(authors::id.eq(*id)),
        Ref::Slug(slug) => q.filter(authors::slug.eq(slug.clone())),
    };
    q.first(conn).optional()
}

pub fn ids_by_slugs(conn: &mut DbConnection, slugs: &[String]) -> QueryResult<Vec<i64>> {
    authors::table
        .filter(authors::slug.eq_any(slugs))
        .select(authors::id)
        .load(conn)
}

/// Visible articles with this author in the byline.
pub fn article_count(
    conn: &mut DbConnection,
    author_id: i64,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    articles::table
        .filter(visible(now))
        .filter(
            articles::id.eq_any(
                article_authors::table
                    .filter(article_authors::author_id.eq(author_id))
                    .select(article_authors::article_id),
            ),
        )
        .count()
        .get_result(conn)
}

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

pub fn slug_exists(conn: &mut DbConnection, slug: &str, except: Option<i64>) -> QueryResult<bool> {
    let mut q = authors::table
        .filter(authors::slug.eq(slug.to_string()))
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(authors::id.ne(id));
    }
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

/// Ids of the articles (not deleted) linked to this one.
pub fn live_article_ids(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<i64>> {
    articles::table
        .filter(articles::status.ne(crate::articles::model::STATUS_DELETED))
        .filter(
            articles::id.eq_any(
                article_authors::table
                    .filter(article_authors::author_id.eq(id))
                    .select(article_authors::article_id),
            ),
        )
        .select(articles::id)
        .load(conn)
}

/// Deletes it with every link to it.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(article_authors::table.filter(article_authors::author_id.eq(id)))
        .execute(conn)?;
    diesel::delete(authors::table.filter(authors::id.eq(id)))
        .execute(conn)
        .map(|_| ())
}
