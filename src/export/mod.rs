//! Moving a newsroom out: `newsdesk export --format jsonl|wordpress`.
//!
//! Both formats are written from one walk over the database ([`walk`]): the sections, authors
//! and tags first, then every article (tombstones left out) in the order it was created, each
//! as one [`Line`] with its relations by slug. JSONL writes the lines as they are (one JSON
//! object per line, read back by `newsdesk import jsonl`); WXR ([`wxr`]) writes what WordPress
//! reads and keeps each line beside it, so newsdesk reads its own WXR back with nothing lost.
//!
//! Database ids are not exported (another database gives other ids): articles are known by
//! language and slug, everything else by slug, so an export imported into an empty database
//! exports again byte for byte. Accounts, revisions, uploads (media and galleries; cover URLs
//! are kept), the hourly view history (the total is kept) and webhooks stay behind.

pub mod wxr;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::articles::model::{BodyRow, SummaryRow};
use crate::articles::queries as articles;
use crate::authors::model::AuthorRow;
use crate::db::DbConnection;
use crate::db::schema::{
    article_bodies, articles as articles_table, authors, redirects, sections, tags,
};
use crate::db::sql::in_ids;
use crate::domain::Status;
use crate::sections::model::SectionRow;
use crate::tags::model::TagRow;

/// The version of the line format, in the first line of every export.
pub const VERSION: u32 = 1;

/// Articles read per query.
const PAGE: i64 = 500;

/// One line of an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Line {
    /// The first line: what wrote the file.
    Export(Header),
    Section(Section),
    Author(Author),
    Tag(Tag),
    Article(Box<Article>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub settings: Settings,
}

/// The site settings (`GET /site`'s editable part).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub name: String,
    pub description: String,
    /// IANA name: WordPress wants local times too.
    pub timezone: String,
    pub default_language: String,
    /// Default first.
    pub languages: Vec<String>,
    pub copyright: String,
    pub social_links: BTreeMap<String, String>,
    pub app_links: BTreeMap<String, String>,
    pub min_app_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub slug: String,
    /// Language code → name.
    pub names: serde_json::Map<String, serde_json::Value>,
    /// Language code → description.
    pub descriptions: serde_json::Map<String, serde_json::Value>,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Author {
    pub slug: String,
    pub name: String,
    pub bio: String,
    pub avatar_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tag {
    pub slug: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Article {
    pub lang: String,
    pub slug: String,
    /// `draft`, `published` (scheduled when `published_at` is ahead) or `archived`.
    pub status: Status,
    pub title: String,
    pub lead: String,
    /// The body as written (Markdown, or the HTML an import brought).
    pub body: String,
    /// Slug of its section.
    pub section: String,
    /// Slugs of its authors, in byline order.
    pub authors: Vec<String>,
    /// Slugs of its tags.
    pub tags: Vec<String>,
    pub cover_url: Option<String>,
    pub cover_caption: Option<String>,
    pub cover_credit: Option<String>,
    /// Where the story came from (a wire service, a partner).
    pub source: Option<String>,
    pub featured: bool,
    pub views: i64,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// `lang/slug` of the first article of its translation group (itself, for the first).
    pub translation_group: Option<String>,
    /// Old public paths that lead to it, in order.
    pub redirects: Vec<String>,
}

impl Article {
    /// How imports know it: `lang/slug`.
    pub fn key(&self) -> String {
        key(&self.lang, &self.slug)
    }
}

pub fn key(lang: &str, slug: &str) -> String {
    format!("{lang}/{slug}")
}

/// What an export wrote.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Counts {
    pub sections: u64,
    pub authors: u64,
    pub tags: u64,
    pub articles: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("reading the database: {0}")]
    Database(#[from] diesel::result::Error),
}

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// Reads the whole newsroom, calling `each` with every line in order, and `progress` with the
/// articles done and their total.
pub fn walk(
    conn: &mut DbConnection,
    mut each: impl FnMut(&Line) -> Result<(), ExportError>,
    mut progress: impl FnMut(u64, u64),
) -> Result<Counts, ExportError> {
    crate::db::plan_each_statement(conn)?;
    let site = crate::settings::Site::from_row(crate::settings::queries::load(conn)?);
    each(&Line::Export(Header {
        format: "newsdesk".into(),
        version: VERSION,
        settings: Settings {
            name: site.name,
            description: site.description,
            timezone: site.timezone,
            default_language: site.default_language,
            languages: site.languages,
            copyright: site.copyright,
            social_links: site.social_links,
            app_links: site.app_links,
            min_app_version: site.min_app_version,
        },
    }))?;
    let mut counts = Counts::default();
    let section_rows: Vec<SectionRow> = sections::table
        .order(sections::id)
        .select(SectionRow::as_select())
        .load(conn)?;
    let mut section_slugs = HashMap::new();
    for s in section_rows {
        section_slugs.insert(s.id, s.slug.clone());
        counts.sections += 1;
        each(&Line::Section(Section {
            slug: s.slug,
            names: json_object(&s.names),
            descriptions: json_object(&s.descriptions),
            position: s.position,
            created_at: utc(s.created_at),
            updated_at: utc(s.updated_at),
        }))?;
    }
    let author_rows: Vec<AuthorRow> = authors::table
        .order(authors::id)
        .select(AuthorRow::as_select())
        .load(conn)?;
    for a in author_rows {
        counts.authors += 1;
        each(&Line::Author(Author {
            slug: a.slug,
            name: a.name,
            bio: a.bio,
            avatar_url: a.avatar_url,
            created_at: utc(a.created_at),
            updated_at: utc(a.updated_at),
        }))?;
    }
    let tag_rows: Vec<TagRow> = tags::table
        .order(tags::id)
        .select(TagRow::as_select())
        .load(conn)?;
    for t in tag_rows {
        counts.tags += 1;
        each(&Line::Tag(Tag {
            slug: t.slug,
            name: t.name,
            created_at: utc(t.created_at),
            updated_at: utc(t.updated_at),
        }))?;
    }

    let live = articles_table::status.ne(Status::Deleted.as_str());
    let total: i64 = articles_table::table
        .filter(live)
        .count()
        .get_result(conn)?;
    let groups = group_heads(conn)?;
    let mut after = 0i64;
    loop {
        let page: Vec<(SummaryRow, BodyRow)> = articles_table::table
            .inner_join(article_bodies::table)
            .filter(live)
            .filter(articles_table::id.gt(after))
            .order(articles_table::id)
            .limit(PAGE)
            .select((SummaryRow::as_select(), BodyRow::as_select()))
            .load(conn)?;
        let Some(last) = page.last() else { break };
        after = last.0.id;
        let ids: Vec<i64> = page.iter().map(|(s, _)| s.id).collect();
        let mut links = articles::links(conn, &ids)?;
        let mut old_paths: HashMap<i64, Vec<String>> = HashMap::new();
        let rows: Vec<(i64, String)> = redirects::table
            .filter(in_ids(redirects::article_id, &ids))
            .order(redirects::path)
            .select((redirects::article_id, redirects::path))
            .load(conn)?;
        for (article, path) in rows {
            old_paths.entry(article).or_default().push(path);
        }
        for (s, b) in page {
            let line = Line::Article(Box::new(Article {
                lang: s.lang,
                slug: s.slug,
                status: s.status,
                title: s.title,
                lead: s.lead,
                body: b.body_md,
                section: section_slugs
                    .get(&s.section_id)
                    .cloned()
                    .unwrap_or_default(),
                authors: links
                    .take_bylines(s.id)
                    .into_iter()
                    .map(|a| a.slug)
                    .collect(),
                tags: links.take_tags(s.id).into_iter().map(|t| t.slug).collect(),
                cover_url: s.cover_url,
                cover_caption: s.cover_caption,
                cover_credit: s.cover_credit,
                source: b.source,
                featured: s.featured,
                views: s.views,
                published_at: s.published_at.map(utc),
                created_at: utc(b.created_at),
                updated_at: utc(s.updated_at),
                translation_group: b.translation_group.and_then(|g| groups.get(&g).cloned()),
                redirects: old_paths.remove(&s.id).unwrap_or_default(),
            }));
            counts.articles += 1;
            each(&line)?;
        }
        progress(counts.articles, total as u64);
    }
    Ok(counts)
}

/// Translation group → `lang/slug` of its first (lowest id) live article.
fn group_heads(conn: &mut DbConnection) -> QueryResult<HashMap<i64, String>> {
    let members: Vec<(i64, Option<i64>)> = articles_table::table
        .filter(articles_table::translation_group.is_not_null())
        .filter(articles_table::status.ne(Status::Deleted.as_str()))
        .select((articles_table::id, articles_table::translation_group))
        .load(conn)?;
    let mut first: HashMap<i64, i64> = HashMap::new();
    for (id, group) in members {
        if let Some(g) = group {
            let e = first.entry(g).or_insert(id);
            *e = (*e).min(id);
        }
    }
    let by_article: HashMap<i64, i64> = first.iter().map(|(g, a)| (*a, *g)).collect();
    let ids: Vec<i64> = by_article.keys().copied().collect();
    let mut heads = HashMap::new();
    for chunk in ids.chunks(1_000) {
        let rows: Vec<(i64, String, String)> = articles_table::table
            .filter(in_ids(articles_table::id, chunk))
            .select((
                articles_table::id,
                articles_table::lang,
                articles_table::slug,
            ))
            .load(conn)?;
        for (id, lang, slug) in rows {
            heads.insert(by_article[&id], key(&lang, &slug));
        }
    }
    Ok(heads)
}

fn json_object(raw: &str) -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_str(raw).unwrap_or_default()
}

/// Writes the newsroom as JSON lines.
pub fn jsonl(
    conn: &mut DbConnection,
    out: &mut (impl Write + ?Sized),
    progress: impl FnMut(u64, u64),
) -> Result<Counts, ExportError> {
    walk(
        conn,
        |line| {
            serde_json::to_writer(&mut *out, line).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
            Ok(())
        },
        progress,
    )
}
