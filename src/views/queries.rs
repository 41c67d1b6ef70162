//! Reading view counts: current totals and the most-read windows.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::db::DbConnection;
use crate::db::schema::{article_views_hourly, articles};
use crate::db::sql::in_ids;
use crate::domain::{FeedFilter, visible};

/// Stored totals of the visible articles among `ids`.
pub fn totals(
    conn: &mut DbConnection,
    ids: &[i64],
    now: NaiveDateTime,
) -> QueryResult<Vec<(i64, i64)>> {
    articles::table
        .filter(in_ids(articles::id, ids))
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
