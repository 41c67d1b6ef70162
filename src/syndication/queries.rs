//! SQL of the feeds and sitemaps. Every query reads only what readers may see
//! ([`visible`]), and sitemap rows are read a page at a time.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, max, sql};
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::db::DbConnection;
use crate::db::schema::{
    article_authors, article_bodies, article_tags, articles, authors, sections, tags,
};
use crate::db::sql::in_ids;
use crate::domain::visible;

/// `(id, body_html)` of the given articles.
pub fn bodies_html(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    article_bodies::table
        .filter(in_ids(article_bodies::article_id, ids))
        .select((article_bodies::article_id, article_bodies::body_html))
        .load(conn)
}

/// A month (`2026-11`, UTC) with public articles: how many, and the latest change among them.
#[derive(Debug, Clone, Queryable)]
pub struct Month {
    pub month: String,
    pub articles: i64,
    pub lastmod: Option<NaiveDateTime>,
}

/// The months with public articles, oldest first. The month of a time is written with each
/// backend's own function, side by side.
pub fn months(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<Month>> {
    let month_sqlite = "strftime('%Y-%m', articles.published_at)";
    let month_postgres = "to_char(articles.published_at, 'YYYY-MM')";
    let month = sql::<Text>(match conn {
        DbConnection::Sqlite(_) => month_sqlite,
        DbConnection::Pg(_) => month_postgres,
    });
    let mut rows: Vec<Month> = articles::table
        .filter(visible(now))
        .group_by(month.clone())
        .select((month, count_star(), max(articles::updated_at)))
        .load(conn)?;
    rows.sort_by(|a, b| a.month.cmp(&b.month));
    Ok(rows)
}

/// What a sitemap lists of an article.
#[derive(Debug, Clone, Queryable)]
pub struct SitemapRow {
    pub id: i64,
    pub slug: String,
    pub lang: String,
    pub published_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    pub translation_group: Option<i64>,
}

/// Public articles published in `[from, to)`, in publish order, `limit` after the key
/// `after` (publish time, id).
pub fn published_between(
    conn: &mut DbConnection,
    (from, to): (NaiveDateTime, NaiveDateTime),
    after: Option<(NaiveDateTime, i64)>,
    limit: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<SitemapRow>> {
    let mut q = articles::table
        .filter(visible(now))
        .filter(articles::published_at.ge(from))
        .filter(articles::published_at.lt(to))
        .into_boxed();
    if let Some((t, id)) = after {
        q = q
            .filter(articles::published_at.ge(t))
            .filter(articles::published_at.gt(t).or(articles::id.gt(id)));
    }
    q.order((articles::published_at.asc(), articles::id.asc()))
        .limit(limit)
        .select((
            articles::id,
            articles::slug,
            articles::lang,
            articles::published_at,
            articles::updated_at,
            articles::translation_group,
        ))
        .load(conn)
}

/// The key (publish time, id) just before the `skip`-th article published in `[from, to)`:
/// where a later page of a month's sitemap starts.
pub fn key_before(
    conn: &mut DbConnection,
    (from, to): (NaiveDateTime, NaiveDateTime),
    skip: i64,
    now: NaiveDateTime,
) -> QueryResult<Option<(NaiveDateTime, i64)>> {
    let row: Option<(Option<NaiveDateTime>, i64)> = articles::table
        .filter(visible(now))
        .filter(articles::published_at.ge(from))
        .filter(articles::published_at.lt(to))
        .order((articles::published_at.asc(), articles::id.asc()))
        .offset(skip - 1)
        .select((articles::published_at, articles::id))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(t, id)| Some((t?, id))))
}

/// `(translation group, language, slug)` of the public versions of the given stories.
pub fn versions(
    conn: &mut DbConnection,
    groups: &[i64],
    now: NaiveDateTime,
) -> QueryResult<Vec<(Option<i64>, String, String)>> {
    articles::table
        .filter(visible(now))
        .filter(in_ids(articles::translation_group, groups))
        .order((articles::translation_group, articles::lang))
        .select((articles::translation_group, articles::lang, articles::slug))
        .load(conn)
}

/// What the news sitemap lists of an article.
#[derive(Debug, Clone, Queryable)]
pub struct NewsRow {
    pub slug: String,
    pub lang: String,
    pub title: String,
    pub published_at: Option<NaiveDateTime>,
}

/// Public articles published since `since`, newest first, at most `limit`.
pub fn published_since(
    conn: &mut DbConnection,
    since: NaiveDateTime,
    limit: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<NewsRow>> {
    articles::table
        .filter(visible(now))
        .filter(articles::published_at.gt(since))
        .order((articles::published_at.desc(), articles::id.desc()))
        .limit(limit)
        .select((
            articles::slug,
            articles::lang,
            articles::title,
            articles::published_at,
        ))
        .load(conn)
}

/// `(slug, latest change among its public articles)` of every section, by position.
pub fn sections(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Vec<(String, Option<NaiveDateTime>)>> {
    let latest: Vec<(i64, Option<NaiveDateTime>)> = articles::table
        .filter(visible(now))
        .group_by(articles::section_id)
        .select((articles::section_id, max(articles::updated_at)))
        .load(conn)?;
    let all: Vec<(i64, String)> = sections::table
        .order((sections::position.asc(), sections::id.asc()))
        .select((sections::id, sections::slug))
        .load(conn)?;
    Ok(all
        .into_iter()
        .map(|(id, slug)| {
            let lastmod = latest.iter().find(|(s, _)| *s == id).and_then(|(_, t)| *t);
            (slug, lastmod)
        })
        .collect())
}

/// `(slug, latest change among their public articles)` of the authors with public
/// articles, by slug, at most `limit`.
pub fn authors(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(String, Option<NaiveDateTime>)>> {
    article_authors::table
        .inner_join(authors::table)
        .inner_join(articles::table)
        .filter(visible(now))
        .group_by((authors::id, authors::slug))
        .select((authors::slug, max(articles::updated_at)))
        .order(authors::slug.asc())
        .limit(limit)
        .load(conn)
}

/// `(slug, latest change among their public articles)` of the tags with public articles,
/// by slug, at most `limit`.
pub fn tags(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(String, Option<NaiveDateTime>)>> {
    article_tags::table
        .inner_join(tags::table)
        .inner_join(articles::table)
        .filter(visible(now))
        .group_by((tags::id, tags::slug))
        .select((tags::slug, max(articles::updated_at)))
        .order(tags::slug.asc())
        .limit(limit)
        .load(conn)
}
