//! View counts in the database: what a beacon may count, additive flushes and pruning.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{Delta, Target};
use crate::db::DbConnection;
use crate::db::schema::{article_views_hourly, articles};
use crate::db::sql::in_ids;
use crate::db::sql::{Bind, Sql};
use crate::domain::Status;
use crate::http::params::Ref;
use crate::settings::language_rank;

/// Published articles `r` may name, best first (a slug without a language resolves in the
/// site's language order); whether each is visible yet is decided per request.
pub fn targets(
    conn: &mut DbConnection,
    r: &Ref,
    lang: Option<&str>,
    languages: &[String],
) -> QueryResult<Vec<Target>> {
    let q = articles::table
        .filter(articles::status.eq(Status::Published.as_str()))
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
        .filter(in_ids(articles::id, ids))
        .filter(articles::status.eq(Status::Published.as_str()))
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

/// Deletes hourly buckets older than `before`; returns how many.
pub fn prune(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(article_views_hourly::table.filter(article_views_hourly::hour.lt(before)))
        .execute(conn)
}
