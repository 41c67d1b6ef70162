//! Content loaders: `newsdesk seed --demo` (a made-up newsroom to look at) and
//! `newsdesk seed --generate N` (synthetic articles for benchmarks).
//!
//! Both refuse to touch a database that already has articles unless forced; forcing replaces
//! the existing content (sections, authors, tags, articles). Users and settings stay.

mod demo;
mod generate;
mod taxonomy;

pub use demo::demo;
pub use generate::generate;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::articles::model::NewArticle;
use crate::db::DbConnection;
use crate::db::schema::{
    article_authors, article_tags, article_views_hourly, articles, authors, sections, tags,
};
use crate::domain::Status;
use crate::domain::slug::slugify;
use crate::markup::render_markdown;

/// Refuses to seed over existing articles unless `force`; with `force`, deletes the content.
fn prepare(conn: &mut DbConnection, force: bool) -> anyhow::Result<()> {
    let existing: i64 = articles::table.count().get_result(conn)?;
    if existing > 0 && !force {
        anyhow::bail!(
            "the database already has {existing} articles; run again with --force to replace its content"
        );
    }
    if existing > 0 || force {
        conn.transaction::<_, diesel::result::Error, _>(|c| {
            diesel::delete(article_tags::table).execute(c)?;
            diesel::delete(article_authors::table).execute(c)?;
            diesel::delete(article_views_hourly::table).execute(c)?;
            diesel::delete(articles::table).execute(c)?;
            diesel::delete(tags::table).execute(c)?;
            diesel::delete(authors::table).execute(c)?;
            diesel::delete(sections::table).execute(c)?;
            Ok(())
        })?;
    }
    Ok(())
}

/// Tables whose secondary indexes a bulk load drops and rebuilds.
const BULK_TABLES: &str = "'articles', 'article_bodies', 'article_tags', 'article_authors'";

#[derive(diesel::QueryableByName)]
struct IndexDefinition {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    definition: String,
}

/// Drops the secondary indexes of the article tables and returns their definitions. A bulk
/// load then writes plain rows, and [`restore_indexes`] builds each index once, sorted,
/// which is far cheaper than updating a dozen indexes row by row. Indexes that enforce a
/// constraint (primary keys, unique slugs) stay.
fn drop_indexes(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    let sql = match conn {
        DbConnection::Sqlite(_) => format!(
            "SELECT name, sql AS definition FROM sqlite_master \
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({BULK_TABLES})"
        ),
        DbConnection::Pg(_) => format!(
            "SELECT indexname AS name, indexdef AS definition FROM pg_indexes \
             WHERE schemaname = current_schema() AND tablename IN ({BULK_TABLES}) \
             AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        ),
    };
    let indexes: Vec<IndexDefinition> = diesel::sql_query(sql).load(conn)?;
    for index in &indexes {
        diesel::sql_query(format!("DROP INDEX {}", index.name)).execute(conn)?;
    }
    Ok(indexes.into_iter().map(|i| i.definition).collect())
}

fn restore_indexes(conn: &mut DbConnection, definitions: &[String]) -> anyhow::Result<()> {
    for definition in definitions {
        diesel::sql_query(definition.as_str()).execute(conn)?;
    }
    Ok(())
}

/// The fields of a seeded article that vary; the rest is derived here the way the editorial
/// API derives it (rendered body, word count, slug).
struct Draft<'a> {
    lang: &'a str,
    title: String,
    lead: String,
    body_md: String,
    section_id: i64,
    status: Status,
    published_at: Option<NaiveDateTime>,
    featured: bool,
    views: i64,
    source: Option<String>,
    cover: Option<(String, String, String)>,
    translation_group: Option<i64>,
}

impl Draft<'_> {
    fn into_new(self, slug: String, now: NaiveDateTime) -> NewArticle {
        let body = render_markdown(&self.body_md);
        let created = self.published_at.map_or(now, |p| p.min(now));
        let (cover_url, cover_caption, cover_credit) = match self.cover {
            Some((u, c, r)) => (Some(u), Some(c), Some(r)),
            None => (None, None, None),
        };
        NewArticle {
            slug,
            lang: self.lang.to_string(),
            translation_group: self.translation_group,
            title: self.title,
            lead: self.lead,
            body_md: self.body_md,
            body_html: body.html,
            body_text: body.text,
            cover_url,
            cover_caption,
            cover_credit,
            cover_media_id: None,
            source: self.source,
            section_id: self.section_id,
            status: self.status,
            published_at: self.published_at,
            created_at: created,
            updated_at: created,
            featured: self.featured,
            word_count: body.word_count,
            views: self.views,
            created_by: None,
        }
    }
}

/// Slug for `title` that no earlier article of the same language took (`-2`, `-3`, ...).
fn unique_slug(
    taken: &mut std::collections::HashSet<(String, String)>,
    lang: &str,
    title: &str,
) -> String {
    let base = slugify(title);
    let mut slug = base.clone();
    let mut n = 2;
    while !taken.insert((lang.to_string(), slug.clone())) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}
