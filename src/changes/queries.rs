//! SQL of the change feed.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::model::{ARTICLE, AUTHOR, ChangeRow, DELETE, SECTION, SITE, TAG, UPSERT};
use crate::db::DbConnection;
use crate::db::schema::{articles, authors, changes, sections, site_settings, tags};
use crate::domain::Exposure;
use crate::domain::Status;

/// Appends one change. Call it as the last statement of the writing transaction, with the
/// time read just before, so the row commits right after its `at`.
pub fn record(
    conn: &mut DbConnection,
    kind: &str,
    entity: &str,
    id: i64,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(changes::table)
        .values((
            changes::kind.eq(kind),
            changes::entity.eq(entity),
            changes::entity_id.eq(id),
            changes::at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Removes an entity's rows that no reader can have seen yet (listed only after `delay`).
fn withdraw_unlisted(
    conn: &mut DbConnection,
    entity: &str,
    id: i64,
    now: NaiveDateTime,
    delay: Duration,
) -> QueryResult<()> {
    diesel::delete(
        changes::table
            .filter(changes::entity.eq(entity))
            .filter(changes::entity_id.eq(id))
            .filter(changes::at.gt(now - delay)),
    )
    .execute(conn)
    .map(|_| ())
}

/// Records what an article's write means for the public: it appeared, changed, disappeared,
/// or was (re)scheduled. `before` and `after` are its exposure around the write.
pub fn record_article(
    conn: &mut DbConnection,
    id: i64,
    before: Exposure,
    after: Exposure,
    now: NaiveDateTime,
    delay: Duration,
) -> QueryResult<()> {
    if before == Exposure::Hidden && after == Exposure::Hidden {
        return Ok(());
    }
    // Announcements not listed yet (a pending schedule, a change seconds ago) are replaced
    // by what is true now.
    withdraw_unlisted(conn, ARTICLE, id, now, delay)?;
    match after {
        Exposure::Public => record(conn, UPSERT, ARTICLE, id, now),
        Exposure::Scheduled(at) => {
            if before == Exposure::Public {
                record(conn, DELETE, ARTICLE, id, now)?;
            }
            record(conn, UPSERT, ARTICLE, id, at)
        }
        Exposure::Hidden => record(conn, DELETE, ARTICLE, id, now),
    }
}

/// The change-feed records of articles just stored (nothing listed about them before): for
/// each public one an upsert now, for each scheduled one an upsert at its time, in multi-row
/// statements. Call it last in the writing transaction, like [`record`].
pub fn record_new_articles(
    conn: &mut DbConnection,
    articles: &[(i64, Exposure)],
    now: NaiveDateTime,
) -> QueryResult<()> {
    let rows: Vec<_> = articles
        .iter()
        .filter_map(|(id, exposure)| {
            let at = match exposure {
                Exposure::Public => now,
                Exposure::Scheduled(at) => *at,
                Exposure::Hidden => return None,
            };
            Some((
                changes::kind.eq(UPSERT),
                changes::entity.eq(ARTICLE),
                changes::entity_id.eq(*id),
                changes::at.eq(at),
            ))
        })
        .collect();
    for chunk in rows.chunks(1_000) {
        crate::on_backend!(conn, |c| {
            diesel::insert_into(changes::table)
                .values(chunk)
                .execute(c)?
        });
    }
    Ok(())
}

/// One page of the feed after `(at, seq)`, of rows listed by `cutoff`.
pub fn page(
    conn: &mut DbConnection,
    after: Option<(NaiveDateTime, i64)>,
    cutoff: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<ChangeRow>> {
    let mut q = changes::table
        .filter(changes::at.le(cutoff))
        .select(ChangeRow::as_select())
        .into_boxed();
    if let Some((at, seq)) = after {
        q = q
            .filter(changes::at.ge(at))
            .filter(changes::at.gt(at).or(changes::seq.gt(seq)));
    }
    q.order((changes::at.asc(), changes::seq.asc()))
        .limit(limit)
        .load(conn)
}

/// Starts the log afresh from the current content: one upsert per public entity (used after
/// bulk loads, which bypass the editorial write path).
pub fn rebuild(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(changes::table).execute(conn)?;
    let mut rows: Vec<(&str, i64, NaiveDateTime)> = Vec::new();
    for id in site_settings::table
        .select(site_settings::id)
        .load::<i32>(conn)?
    {
        rows.push((SITE, i64::from(id), now));
    }
    for (id, at) in sections::table
        .select((sections::id, sections::created_at))
        .load::<(i64, NaiveDateTime)>(conn)?
    {
        rows.push((SECTION, id, at.min(now)));
    }
    for (id, at) in authors::table
        .select((authors::id, authors::created_at))
        .load::<(i64, NaiveDateTime)>(conn)?
    {
        rows.push((AUTHOR, id, at.min(now)));
    }
    for (id, at) in tags::table
        .select((tags::id, tags::created_at))
        .load::<(i64, NaiveDateTime)>(conn)?
    {
        rows.push((TAG, id, at.min(now)));
    }
    for (id, at) in articles::table
        .filter(articles::status.eq(Status::Published.as_str()))
        .select((articles::id, articles::published_at))
        .load::<(i64, Option<NaiveDateTime>)>(conn)?
    {
        if let Some(at) = at {
            rows.push((ARTICLE, id, at));
        }
    }
    rows.sort_by_key(|(_, _, at)| *at);
    let values: Vec<_> = rows
        .iter()
        .map(|(entity, id, at)| {
            (
                changes::kind.eq(UPSERT),
                changes::entity.eq(*entity),
                changes::entity_id.eq(*id),
                changes::at.eq(*at),
            )
        })
        .collect();
    crate::on_backend!(conn, |c| {
        for chunk in values.chunks(5_000) {
            diesel::insert_into(changes::table)
                .values(chunk)
                .execute(c)?;
        }
    });
    Ok(())
}
