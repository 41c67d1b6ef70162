//! View counts in the database: additive flushes, current totals, popular windows, pruning.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::{Delta, Target};
use crate::articles::model::{FeedFilter, STATUS_PUBLISHED};
use crate::articles::queries::{language_rank, visible};
use crate::db::DbConnection;
use crate::db::schema::{article_views_hourly, articles};
use crate::db::sql::{Bind, Sql};
use crate::http::params::Ref;

/// Published articles `r` may name, best first (a slug without a language resolves in the
/// site's language order); whether each is visible yet is decided per request.
pub fn targets(
    conn: &mut DbConnection,
    r: &Ref,
    lang: Option<&str>,
    languages: &[String],
) -> QueryResult<Vec<Target>> {
    let q = articles::table
        .filter(articles::status.eq(STATUS_PUBLISHED))
        .filter(articles::published_at.is_not_null())
        .select((articles::id, articles::lang, articles::published_at))
        .into_boxed();
    let q = match (r, lang) {
        (Ref::Id(id), _) => q.filter(articles::id.eq(*id)),
        (Ref::Slug(slug), Some(lang)) => q
            .filter(articles::slug.eq(slug.clone()))
            .filter(articles::lang.eq(lang.to_string())),
        (Ref::Slug(slug), None) => q.filter(articles::slug.eq(slug.clone())),
    };
    let mut rows: Vec<(i64, String, Option<NaiveDateTime>)> = q.load(conn)?;
    rows.sort_by_key(|(_, lang, _)| language_rank(languages, lang));
    Ok(rows
        .into_iter()
        .filter_map(|(id, _, published_at)| {
            published_at.map(|p| Target {
                id,
                published_at: p,
            })
        })
        .collect())
}

/// The published articles among `ids`, with their publish times (visibility is decided per
/// request).
pub fn published_among(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Target>> {
    let rows: Vec<(i64, Option<NaiveDateTime>)> = articles::table
        .filter(articles::id.eq_any(ids))
        .filter(articles::status.eq(STATUS_PUBLISHED))
        .select((articles::id, articles::published_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, published_at)| {
            published_at.map(|p| Target {
                id,
                published_at: p,
            })
        })
        .collect())
}

/// Adds a batch of counted views: each article's total, then each hourly bucket, a few hundred
/// rows per statement. Rows are touched in (article, hour) order, the same in every process.
pub fn apply(conn: &mut DbConnection, batch: &[Delta]) -> QueryResult<()> {
    let mut totals: Vec<(i64, i64)> = Vec::new();
    for d in batch {
        match totals.last_mut() {
            Some((article, n)) if *article == d.article => *n += d.views,
            _ => totals.push((d.article, d.views)),
        }
    }
    for chunk in totals.chunks(300) {
        let mut sql = Sql::default();
        sql.push("UPDATE articles SET views = views + v.column2 FROM (VALUES ");
        for (i, (article, n)) in chunk.iter().enumerate() {
            let (article, n) = (sql.bind(Bind::BigInt(*article)), sql.bind(Bind::BigInt(*n)));
            sql.push(if i == 0 { "" } else { ", " });
            sql.push(&format!("(CAST({article} AS BIGINT), CAST({n} AS BIGINT))"));
        }
        sql.push(") AS v WHERE articles.id = v.column1");
        sql.execute(conn)?;
    }
    for chunk in batch.chunks(300) {
        let mut sql = Sql::default();
        sql.push("INSERT INTO article_views_hourly (article_id, hour, views) VALUES ");
        for (i, d) in chunk.iter().enumerate() {
            let article = sql.bind(Bind::BigInt(d.article));
            let hour = sql.bind(Bind::Timestamp(d.hour));
            let n = sql.bind(Bind::BigInt(d.views));
            sql.push(if i == 0 { "" } else { ", " });
            sql.push(&format!("({article}, {hour}, {n})"));
        }
        sql.push(
            " ON CONFLICT (article_id, hour) \
             DO UPDATE SET views = article_views_hourly.views + excluded.views",
        );
        sql.execute(conn)?;
    }
    Ok(())
}

/// Stored totals of the visible articles among `ids`.
pub fn totals(
    conn: &mut DbConnection,
    ids: &[i64],
    now: NaiveDateTime,
) -> QueryResult<Vec<(i64, i64)>> {
    articles::table
        .filter(articles::id.eq_any(ids))
        .filter(visible(now))
        .select((articles::id, articles::views))
        .load(conn)
}

/// The most viewed visible articles since `since` (an hour start): `(id, views in the
/// window)`, most first, ties to the newer id.
pub fn popular(
    conn: &mut DbConnection,
    since: NaiveDateTime,
    filter: &FeedFilter,
    limit: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<(i64, i64)>> {
    let total = || sql::<BigInt>("CAST(SUM(article_views_hourly.views) AS BIGINT)");
    let mut q = article_views_hourly::table
        .inner_join(articles::table)
        .filter(article_views_hourly::hour.ge(since))
        .filter(visible(now))
        .group_by(article_views_hourly::article_id)
        .select((article_views_hourly::article_id, total()))
        .order((total().desc(), article_views_hourly::article_id.desc()))
        .limit(limit)
        .into_boxed();
    for group in &filter.sections.required {
        q = q.filter(articles::section_id.eq_any(group.clone()));
    }
    if !filter.sections.excluded.is_empty() {
        q = q.filter(articles::section_id.ne_all(filter.sections.excluded.clone()));
    }
    if let Some(lang) = &filter.lang {
        q = q.filter(articles::lang.eq(lang.clone()));
    }
    q.load(conn)
}

/// Deletes hourly buckets older than `before`; returns how many.
pub fn prune(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(article_views_hourly::table.filter(article_views_hourly::hour.lt(before)))
        .execute(conn)
}
