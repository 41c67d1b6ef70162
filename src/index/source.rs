//! What the search index reads from the database, its source of truth: published articles as
//! documents, and the change feed's rows to follow.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{article_bodies, articles, changes};
use crate::domain::Status;
use crate::domain::change::{ARTICLE, AUTHOR, DELETE, TAG};

/// One published article as the index stores it.
#[derive(Debug, Clone)]
pub struct Doc {
    pub id: i64,
    pub lang: String,
    pub section_id: i64,
    pub published_at: NaiveDateTime,
    pub title: String,
    pub lead: String,
    pub body: String,
    pub tags: Vec<i64>,
    pub authors: Vec<i64>,
}

type DocColumns = (
    i64,
    String,
    i64,
    Option<NaiveDateTime>,
    String,
    String,
    String,
);

fn with_links(conn: &mut DbConnection, rows: Vec<DocColumns>) -> QueryResult<Vec<Doc>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut links = crate::articles::queries::links(conn, &ids)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, lang, section_id, published_at, title, lead, body)| {
            Some(Doc {
                id,
                lang,
                section_id,
                published_at: published_at?,
                title,
                lead,
                body,
                tags: links.take_tags(id).into_iter().map(|t| t.id).collect(),
                authors: links.take_bylines(id).into_iter().map(|a| a.id).collect(),
            })
        })
        .collect())
}

macro_rules! published_docs {
    () => {
        articles::table
            .inner_join(article_bodies::table)
            .filter(articles::status.eq(Status::Published.as_str()))
            .filter(articles::published_at.is_not_null())
            .select((
                articles::id,
                articles::lang,
                articles::section_id,
                articles::published_at,
                articles::title,
                articles::lead,
                article_bodies::body_text,
            ))
    };
}

/// The given articles that are published (now or scheduled), as documents; the others are
/// not to be in the index.
pub fn docs(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Doc>> {
    let rows = published_docs!()
        .filter(articles::id.eq_any(ids))
        .load::<DocColumns>(conn)?;
    with_links(conn, rows)
}

/// Published articles after `after` in id order, at most `limit`: a rebuild's batches.
pub fn docs_after(conn: &mut DbConnection, after: i64, limit: i64) -> QueryResult<Vec<Doc>> {
    let rows = published_docs!()
        .filter(articles::id.gt(after))
        .order(articles::id)
        .limit(limit)
        .load::<DocColumns>(conn)?;
    with_links(conn, rows)
}

/// How many articles the index should hold.
pub fn published_count(conn: &mut DbConnection) -> QueryResult<i64> {
    articles::table
        .filter(articles::status.eq(Status::Published.as_str()))
        .filter(articles::published_at.is_not_null())
        .count()
        .get_result(conn)
}

/// A change the index acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// An article changed in some way: read it again.
    Article(i64),
    /// A tag was deleted: the articles that had it lost it.
    TagDeleted(i64),
    /// An author was deleted: the articles they wrote lost the byline.
    AuthorDeleted(i64),
}

/// Rows of the change feed after sequence number `after`, in order, at most `limit`:
/// `(seq, change)`, with `None` for rows the index does not act on.
pub fn changes_after(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<(i64, Option<Change>)>> {
    Ok(changes::table
        .filter(changes::seq.gt(after))
        .order(changes::seq)
        .limit(limit)
        .select((
            changes::seq,
            changes::kind,
            changes::entity,
            changes::entity_id,
        ))
        .load::<(i64, String, String, i64)>(conn)?
        .into_iter()
        .map(|(seq, kind, entity, id)| {
            let change = match (entity.as_str(), kind == DELETE) {
                (ARTICLE, _) => Some(Change::Article(id)),
                (TAG, true) => Some(Change::TagDeleted(id)),
                (AUTHOR, true) => Some(Change::AuthorDeleted(id)),
                _ => None,
            };
            (seq, change)
        })
        .collect())
}

/// The newest sequence number of the change feed (0 when empty).
pub fn last_seq(conn: &mut DbConnection) -> QueryResult<i64> {
    changes::table
        .select(diesel::dsl::max(changes::seq))
        .first::<Option<i64>>(conn)
        .map(Option::unwrap_or_default)
}
