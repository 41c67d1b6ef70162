//! SQL of sections.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{NewSection, SectionChanges, SectionRow};
use crate::db::DbConnection;
use crate::db::schema::{articles, sections};
use crate::db::sql::in_ids;
use crate::domain::visible;
use crate::taxonomy::Counted;

crate::taxonomy_table!(sections, SectionRow, NewSection, SectionChanges);

/// One page of sections in menu order, after `(position, id)` when given.
pub fn list(
    conn: &mut DbConnection,
    after: Option<(i32, i64)>,
    limit: i64,
) -> QueryResult<Vec<SectionRow>> {
    let mut q = sections::table.select(SectionRow::as_select()).into_boxed();
    if let Some((pos, id)) = after {
        q = q.filter(
            sections::position
                .gt(pos)
                .or(sections::position.eq(pos).and(sections::id.gt(id))),
        );
    }
    q.order((sections::position.asc(), sections::id.asc()))
        .limit(limit)
        .load(conn)
}

pub fn by_ids(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<SectionRow>> {
    sections::table
        .filter(in_ids(sections::id, ids))
        .select(SectionRow::as_select())
        .load(conn)
}

/// Visible articles per section, optionally in one language.
pub fn article_counts(
    conn: &mut DbConnection,
    section_ids: &[i64],
    lang: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<HashMap<i64, i64>> {
    let mut q = articles::table
        .filter(visible(now))
        .filter(articles::section_id.eq_any(section_ids))
        .group_by(articles::section_id)
        .select((articles::section_id, diesel::dsl::count_star()))
        .into_boxed();
    if let Some(lang) = lang {
        q = q.filter(articles::lang.eq(lang.to_string()));
    }
    Ok(q.load::<(i64, i64)>(conn)?.into_iter().collect())
}

pub fn next_position(conn: &mut DbConnection) -> QueryResult<i32> {
    let max: Option<i32> = sections::table
        .select(diesel::dsl::max(sections::position))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

/// Articles (not deleted) filed in the section.
pub fn live_articles(conn: &mut DbConnection, id: i64) -> QueryResult<i64> {
    articles::table
        .filter(articles::section_id.eq(id))
        .filter(articles::status.ne(crate::domain::Status::Deleted.as_str()))
        .count()
        .get_result(conn)
}

/// Deletes a section whose only articles are deleted ones; their rows go with it (their
/// tombstones stay in the change feed).
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(
        articles::table
            .filter(articles::section_id.eq(id))
            .filter(articles::status.eq(crate::domain::Status::Deleted.as_str())),
    )
    .execute(conn)?;
    diesel::delete(sections::table.filter(sections::id.eq(id)))
        .execute(conn)
        .map(|_| ())
}

/// Counted in `lang` when given, else in every language.
impl Counted for SectionRow {
    fn article_count(
        &self,
        conn: &mut DbConnection,
        lang: Option<&str>,
        now: NaiveDateTime,
    ) -> QueryResult<i64> {
        Ok(article_counts(conn, &[self.id], lang, now)?
            .get(&self.id)
            .copied()
            .unwrap_or(0))
    }
}
