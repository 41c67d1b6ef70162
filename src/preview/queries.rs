//! All SQL of preview links.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{NewPreview, PreviewRow};
use crate::db::DbConnection;
use crate::db::schema::preview_links;

pub fn insert(conn: &mut DbConnection, new: &NewPreview) -> QueryResult<i64> {
    diesel::insert_into(preview_links::table)
        .values(new)
        .returning(preview_links::id)
        .get_result(conn)
}

/// The article a token shows, if the link is neither revoked nor expired at `now`.
pub fn article_of(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    preview_links::table
        .filter(preview_links::token_hash.eq(token_hash))
        .filter(preview_links::revoked_at.is_null())
        .filter(preview_links::expires_at.gt(now))
        .select(preview_links::article_id)
        .first(conn)
        .optional()
}

/// An article's links that still work at `now`, newest first.
pub fn active(
    conn: &mut DbConnection,
    article_id: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<PreviewRow>> {
    preview_links::table
        .filter(preview_links::article_id.eq(article_id))
        .filter(preview_links::revoked_at.is_null())
        .filter(preview_links::expires_at.gt(now))
        .order(preview_links::id.desc())
        .select(PreviewRow::as_select())
        .load(conn)
}

/// Revokes one of an article's links; how many rows changed (0: no such working link).
pub fn revoke(
    conn: &mut DbConnection,
    article_id: i64,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        preview_links::table
            .filter(preview_links::id.eq(id))
            .filter(preview_links::article_id.eq(article_id))
            .filter(preview_links::revoked_at.is_null()),
    )
    .set(preview_links::revoked_at.eq(now))
    .execute(conn)
}
