//! Revisions: every save of an article, numbered.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::article_revisions;

/// Stores the state after a save as the next revision; returns its number.
pub fn add_revision(
    conn: &mut DbConnection,
    id: i64,
    snapshot: &str,
    by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    let number = latest_revision(conn, id)? + 1;
    diesel::insert_into(article_revisions::table)
        .values((
            article_revisions::article_id.eq(id),
            article_revisions::number.eq(number),
            article_revisions::snapshot.eq(snapshot),
            article_revisions::created_at.eq(now),
            article_revisions::created_by.eq(by),
        ))
        .execute(conn)?;
    Ok(number)
}

pub fn latest_revision(conn: &mut DbConnection, id: i64) -> QueryResult<i32> {
    article_revisions::table
        .filter(article_revisions::article_id.eq(id))
        .select(diesel::dsl::max(article_revisions::number))
        .first::<Option<i32>>(conn)
        .map(|n| n.unwrap_or(0))
}

/// A stored revision: its number, when and by whom, and the snapshot JSON.
#[derive(Debug, Clone, Queryable)]
pub struct RevisionRow {
    pub number: i32,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
    pub snapshot: String,
}

/// An article's revisions, newest first.
pub fn revisions(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<RevisionRow>> {
    article_revisions::table
        .filter(article_revisions::article_id.eq(id))
        .order(article_revisions::number.desc())
        .select((
            article_revisions::number,
            article_revisions::created_at,
            article_revisions::created_by,
            article_revisions::snapshot,
        ))
        .load(conn)
}

pub fn revision(conn: &mut DbConnection, id: i64, number: i32) -> QueryResult<Option<RevisionRow>> {
    article_revisions::table
        .filter(article_revisions::article_id.eq(id))
        .filter(article_revisions::number.eq(number))
        .select((
            article_revisions::number,
            article_revisions::created_at,
            article_revisions::created_by,
            article_revisions::snapshot,
        ))
        .first(conn)
        .optional()
}
