//! SQL of redirects.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::redirects;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = redirects)]
pub struct RedirectRow {
    pub id: i64,
    pub path: String,
    pub article_id: i64,
    pub created_at: NaiveDateTime,
}

/// Points `path` at `article` (a path used before by another article now leads to this one).
pub fn record(
    conn: &mut DbConnection,
    path: &str,
    article: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    forget(conn, path)?;
    diesel::insert_into(redirects::table)
        .values((
            redirects::path.eq(path),
            redirects::article_id.eq(article),
            redirects::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Points each `(path, article)` of an import's batch (paths unique) at its article, in
/// multi-row statements.
pub fn record_many(
    conn: &mut DbConnection,
    paths: &[(&str, i64)],
    now: NaiveDateTime,
) -> QueryResult<()> {
    for chunk in paths.chunks(500) {
        let listed: Vec<&str> = chunk.iter().map(|(p, _)| *p).collect();
        diesel::delete(redirects::table.filter(redirects::path.eq_any(&listed))).execute(conn)?;
        let rows: Vec<_> = chunk
            .iter()
            .map(|(path, article)| {
                (
                    redirects::path.eq(*path),
                    redirects::article_id.eq(*article),
                    redirects::created_at.eq(now),
                )
            })
            .collect();
        crate::on_backend!(conn, |c| {
            diesel::insert_into(redirects::table)
                .values(&rows)
                .execute(c)?
        });
    }
    Ok(())
}

/// Removes the redirect of `path` (it is an article's own address again).
pub fn forget(conn: &mut DbConnection, path: &str) -> QueryResult<usize> {
    diesel::delete(redirects::table.filter(redirects::path.eq(path))).execute(conn)
}

/// The first of `paths` that has a redirect.
pub fn find(conn: &mut DbConnection, paths: &[String]) -> QueryResult<Option<RedirectRow>> {
    let rows: Vec<RedirectRow> = redirects::table
        .filter(redirects::path.eq_any(paths))
        .select(RedirectRow::as_select())
        .load(conn)?;
    Ok(paths
        .iter()
        .find_map(|p| rows.iter().find(|r| &r.path == p).cloned()))
}

/// One page by id, after `after`.
pub fn list(
    conn: &mut DbConnection,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<RedirectRow>> {
    redirects::table
        .filter(redirects::id.gt(after.unwrap_or(0)))
        .order(redirects::id.asc())
        .limit(limit)
        .select(RedirectRow::as_select())
        .load(conn)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(redirects::table.find(id)).execute(conn)
}
