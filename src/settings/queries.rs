//! SQL of the site settings, the content version and the shared server secrets.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{SiteRow, SiteUpdate};
use crate::db::DbConnection;
use crate::db::schema::{articles, content_state, sections, server_secrets, site_settings};

pub fn load(conn: &mut DbConnection) -> QueryResult<SiteRow> {
    site_settings::table
        .filter(site_settings::id.eq(1))
        .select(SiteRow::as_select())
        .first(conn)
}

/// Every section's id, slug and names (JSON), for [`super::SectionNames`].
pub fn section_names(conn: &mut DbConnection) -> QueryResult<Vec<(i64, String, String)>> {
    sections::table
        .select((sections::id, sections::slug, sections::names))
        .load(conn)
}

pub fn update(conn: &mut DbConnection, update: &SiteUpdate<'_>) -> QueryResult<()> {
    diesel::update(site_settings::table.filter(site_settings::id.eq(1)))
        .set(update)
        .execute(conn)?;
    bump_content_version(conn)
}

/// The languages articles are written in (deleted ones aside).
pub fn languages_in_use(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    articles::table
        .filter(articles::status.ne(crate::domain::Status::Deleted.as_str()))
        .select(articles::lang)
        .distinct()
        .load(conn)
}

/// Marks public content as changed; every process's response cache notices within a second.
pub fn bump_content_version(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::update(content_state::table.filter(content_state::id.eq(1)))
        .set(content_state::version.eq(content_state::version + 1))
        .execute(conn)
        .map(|_| ())
}

/// The content version, and the earliest publish time of an article still scheduled at `now`.
pub fn content_state(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    let version = content_state::table
        .filter(content_state::id.eq(1))
        .select(content_state::version)
        .first(conn)?;
    let next = articles::table
        .filter(articles::status.eq(crate::domain::Status::Published.as_str()))
        .filter(articles::published_at.gt(now))
        .select(articles::published_at)
        .order(articles::published_at.asc())
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten();
    Ok((version, next))
}

/// The secret stored under `name`, created from `fresh` by whichever process asks first.
pub fn shared_secret(
    conn: &mut DbConnection,
    name: &str,
    fresh: &str,
    now: NaiveDateTime,
) -> QueryResult<String> {
    diesel::sql_query(
        "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind::<diesel::sql_types::Text, _>(name)
    .bind::<diesel::sql_types::Text, _>(fresh)
    .bind::<diesel::sql_types::Timestamp, _>(now)
    .execute(conn)?;
    server_secrets::table
        .filter(server_secrets::name.eq(name))
        .select(server_secrets::value)
        .first(conn)
}
