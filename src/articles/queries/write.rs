//! Storing articles: inserts (one, or many for the generator), updates, bylines and tags.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::articles::model::{ArticleChanges, NewArticle};
use crate::db::DbConnection;
use crate::db::schema::{article_authors, article_bodies, article_tags, articles};
use crate::domain::Status;

/// Stores an article with its byline and tags; returns its id.
pub fn insert(
    conn: &mut DbConnection,
    new: &NewArticle,
    author_ids: &[i64],
    tag_ids: &[i64],
) -> QueryResult<i64> {
    let id: i64 = diesel::insert_into(articles::table)
        .values((new, articles::status.eq(new.status.as_str())))
        .returning(articles::id)
        .get_result(conn)?;
    diesel::insert_into(article_bodies::table)
        .values((
            article_bodies::article_id.eq(id),
            article_bodies::body_md.eq(&new.body_md),
            article_bodies::body_html.eq(&new.body_html),
            article_bodies::body_text.eq(&new.body_text),
        ))
        .execute(conn)?;
    link_many(
        conn,
        &[Links {
            article_id: id,
            feed_at: feed_at(new.status, new.published_at),
            authors: author_ids.to_vec(),
            tags: tag_ids.to_vec(),
        }],
    )?;
    Ok(id)
}

/// What link rows carry as `feed_at`: the publish time while the article is published.
pub fn feed_at(status: Status, published_at: Option<NaiveDateTime>) -> Option<NaiveDateTime> {
    (status == Status::Published)
        .then_some(published_at)
        .flatten()
}

/// Bulk insert for the generator: multi-row statements on the inner connection (a
/// `MultiConnection` cannot batch). Returns `(id, lang, slug)` of each stored row, in no
/// particular order. The caller links them and builds their search index.
pub fn insert_many(
    conn: &mut DbConnection,
    batch: &[NewArticle],
) -> QueryResult<Vec<(i64, String, String)>> {
    let returning = (articles::id, articles::lang, articles::slug);
    // Modest statements: SQLite keeps a statement journal of every page a multi-row insert
    // touches, and releasing a large one costs more than the rows it saves.
    let mut stored: Vec<(i64, String, String)> = Vec::with_capacity(batch.len());
    for chunk in batch.chunks(50) {
        let values: Vec<_> = chunk
            .iter()
            .map(|a| (a, articles::status.eq(a.status.as_str())))
            .collect();
        let rows: Vec<(i64, String, String)> = crate::on_backend!(conn, |c| {
            diesel::insert_into(articles::table)
                .values(values)
                .returning(returning)
                .get_results(c)?
        });
        stored.extend(rows);
    }
    let bodies: Vec<_> = stored
        .iter()
        .filter_map(|(id, lang, slug)| {
            let a = batch.iter().find(|a| &a.lang == lang && &a.slug == slug)?;
            Some((
                article_bodies::article_id.eq(*id),
                article_bodies::body_md.eq(&a.body_md),
                article_bodies::body_html.eq(&a.body_html),
                article_bodies::body_text.eq(&a.body_text),
            ))
        })
        .collect();
    for chunk in bodies.chunks(50) {
        crate::on_backend!(conn, |c| {
            diesel::insert_into(article_bodies::table)
                .values(chunk)
                .execute(c)?
        });
    }
    Ok(stored)
}

/// The byline (in order) and tags of one article.
#[derive(Debug, Clone)]
pub struct Links {
    pub article_id: i64,
    pub feed_at: Option<NaiveDateTime>,
    pub authors: Vec<i64>,
    pub tags: Vec<i64>,
}

/// Stores byline and tag rows of many articles in multi-row statements.
pub fn link_many(conn: &mut DbConnection, links: &[Links]) -> QueryResult<()> {
    let authors: Vec<_> = links
        .iter()
        .flat_map(|l| {
            l.authors.iter().enumerate().map(|(position, author)| {
                (
                    article_authors::article_id.eq(l.article_id),
                    article_authors::author_id.eq(*author),
                    article_authors::position.eq(position as i32),
                    article_authors::feed_at.eq(l.feed_at),
                )
            })
        })
        .collect();
    let tags: Vec<_> = links
        .iter()
        .flat_map(|l| {
            l.tags.iter().map(|tag| {
                (
                    article_tags::article_id.eq(l.article_id),
                    article_tags::tag_id.eq(*tag),
                    article_tags::feed_at.eq(l.feed_at),
                )
            })
        })
        .collect();
    crate::on_backend!(conn, |c| {
        for chunk in authors.chunks(4_000) {
            diesel::insert_into(article_authors::table)
                .values(chunk)
                .execute(c)?;
        }
        for chunk in tags.chunks(4_000) {
            diesel::insert_into(article_tags::table)
                .values(chunk)
                .execute(c)?;
        }
    });
    Ok(())
}

pub fn update(conn: &mut DbConnection, id: i64, changes: &ArticleChanges) -> QueryResult<()> {
    diesel::update(articles::table.filter(articles::id.eq(id)))
        .set(changes)
        .execute(conn)?;
    if let (Some(md), Some(html), Some(text)) =
        (&changes.body_md, &changes.body_html, &changes.body_text)
    {
        diesel::update(article_bodies::table.filter(article_bodies::article_id.eq(id)))
            .set((
                article_bodies::body_md.eq(md),
                article_bodies::body_html.eq(html),
                article_bodies::body_text.eq(text),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Replaces the byline and/or tags of an article.
pub fn replace_links(
    conn: &mut DbConnection,
    id: i64,
    authors: Option<&[i64]>,
    tags: Option<&[i64]>,
    feed_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    if authors.is_some() {
        diesel::delete(article_authors::table.filter(article_authors::article_id.eq(id)))
            .execute(conn)?;
    }
    if tags.is_some() {
        diesel::delete(article_tags::table.filter(article_tags::article_id.eq(id)))
            .execute(conn)?;
    }
    link_many(
        conn,
        &[Links {
            article_id: id,
            feed_at,
            authors: authors.unwrap_or_default().to_vec(),
            tags: tags.unwrap_or_default().to_vec(),
        }],
    )
}

/// Keeps the link tables' `feed_at` in step with the article's status and publish time.
pub fn sync_feed_at(
    conn: &mut DbConnection,
    id: i64,
    feed_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(article_authors::table.filter(article_authors::article_id.eq(id)))
        .set(article_authors::feed_at.eq(feed_at))
        .execute(conn)?;
    diesel::update(article_tags::table.filter(article_tags::article_id.eq(id)))
        .set(article_tags::feed_at.eq(feed_at))
        .execute(conn)?;
    Ok(())
}
