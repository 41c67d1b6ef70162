//! All SQL of media: the library, and the articles that use an image.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{MediaChanges, MediaRow, NewMedia};
use crate::db::DbConnection;
use crate::db::schema::{article_gallery, articles, media};
use crate::db::sql::in_ids;

pub fn insert(conn: &mut DbConnection, new: &NewMedia) -> QueryResult<i64> {
    diesel::insert_into(media::table)
        .values(new)
        .returning(media::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<MediaRow>> {
    media::table
        .find(id)
        .select(MediaRow::as_select())
        .first(conn)
        .optional()
}

/// The media of `ids` (in no particular order; missing ones are left out).
pub fn by_ids(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<MediaRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    media::table
        .filter(in_ids(media::id, ids))
        .select(MediaRow::as_select())
        .load(conn)
}

/// The library, newest first, after the media `before` (an id) when given.
pub fn page(
    conn: &mut DbConnection,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<MediaRow>> {
    let mut q = media::table.select(MediaRow::as_select()).into_boxed();
    if let Some(before) = before {
        q = q.filter(media::id.lt(before));
    }
    q.order(media::id.desc()).limit(limit).load(conn)
}

pub fn update(conn: &mut DbConnection, id: i64, changes: &MediaChanges) -> QueryResult<usize> {
    diesel::update(media::table.find(id))
        .set(changes)
        .execute(conn)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(media::table.find(id)).execute(conn)
}

/// How many media rows store their original under `key` (the same file uploaded twice).
pub fn count_with_key(conn: &mut DbConnection, key: &str) -> QueryResult<i64> {
    media::table
        .filter(media::original_key.eq(key))
        .count()
        .get_result(conn)
}

/// One article that shows an image: id, status and publish time.
pub type User = (i64, String, Option<NaiveDateTime>);

/// The articles (any status but deleted) whose cover or gallery uses media `id`.
pub fn used_by(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<User>> {
    let mut found: Vec<User> = articles::table
        .filter(articles::cover_media_id.eq(id))
        .filter(articles::status.ne("deleted"))
        .select((articles::id, articles::status, articles::published_at))
        .load(conn)?;
    let in_gallery: Vec<User> = article_gallery::table
        .inner_join(articles::table.on(articles::id.eq(article_gallery::article_id)))
        .filter(article_gallery::media_id.eq(id))
        .filter(articles::status.ne("deleted"))
        .select((articles::id, articles::status, articles::published_at))
        .load(conn)?;
    found.extend(in_gallery);
    found.sort_unstable();
    found.dedup();
    Ok(found)
}

/// Articles that are gone for good no longer hold their images.
pub fn release_deleted(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    let deleted = articles::table
        .filter(articles::status.eq("deleted"))
        .select(articles::id);
    diesel::update(articles::table)
        .filter(articles::cover_media_id.eq(id))
        .filter(articles::status.eq("deleted"))
        .set(articles::cover_media_id.eq(None::<i64>))
        .execute(conn)?;
    diesel::delete(article_gallery::table)
        .filter(article_gallery::media_id.eq(id))
        .filter(article_gallery::article_id.eq_any(deleted))
        .execute(conn)?;
    Ok(())
}

/// The ids among `ids` that name media.
pub fn existing(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    media::table
        .filter(in_ids(media::id, ids))
        .select(media::id)
        .load(conn)
}

/// The galleries of `article_ids`, each in order: (article id, media id).
pub fn galleries(conn: &mut DbConnection, article_ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    if article_ids.is_empty() {
        return Ok(Vec::new());
    }
    article_gallery::table
        .filter(in_ids(article_gallery::article_id, article_ids))
        .order((article_gallery::article_id, article_gallery::position))
        .select((article_gallery::article_id, article_gallery::media_id))
        .load(conn)
}

/// Replaces an article's gallery.
pub fn replace_gallery(conn: &mut DbConnection, article_id: i64, ids: &[i64]) -> QueryResult<()> {
    diesel::delete(article_gallery::table.filter(article_gallery::article_id.eq(article_id)))
        .execute(conn)?;
    for (position, media_id) in ids.iter().enumerate() {
        diesel::insert_into(article_gallery::table)
            .values((
                article_gallery::article_id.eq(article_id),
                article_gallery::position.eq(i32::try_from(position).unwrap_or(i32::MAX)),
                article_gallery::media_id.eq(media_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}
