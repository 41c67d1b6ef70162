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
use crate::content::{render_markdown, slugify};
use crate::db::DbConnection;
use crate::db::schema::{article_authors, article_tags, articles, authors, sections, tags};

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
            crate::search::queries::clear(c)?;
            diesel::delete(article_tags::table).execute(c)?;
            diesel::delete(article_authors::table).execute(c)?;
            diesel::delete(articles::table).execute(c)?;
            diesel::delete(tags::table).execute(c)?;
            diesel::delete(authors::table).execute(c)?;
            diesel::delete(sections::table).execute(c)?;
            Ok(())
        })?;
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
    status: &'a str,
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
            source: self.source,
            section_id: self.section_id,
            status: self.status.to_string(),
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
