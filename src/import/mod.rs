//! Moving a newsroom in: `newsdesk import wordpress FILE.xml` and `newsdesk import ghost
//! FILE.json`.
//!
//! The export is streamed ([`wxr`]) and written in batches, each in one transaction with its
//! change-feed records, so running servers (and their search indexes) follow as with any
//! write, and a failure leaves nothing of the batch it happened in. What each source record
//! became is kept in `import_map`, so importing the same file again changes nothing. Imported
//! articles send no webhooks: a bulk load is not news.
//!
//! WordPress keeps post bodies as HTML with blank lines for paragraphs (its `wpautop`);
//! newsdesk stores that text as the article's source unchanged and renders it like any body
//! (paragraphs from blank lines, the HTML kept, then sanitized), so nothing is converted and
//! the body stays editable as it was written.

pub mod ghost;
pub mod jsonl;
pub mod wxr;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufReader;
use std::path::Path;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::articles::model::{ArticleChanges, NewArticle};
use crate::articles::queries as articles;
use crate::articles::queries::write::Links;
use crate::authors::model::{AuthorRow, NewAuthor};
use crate::changes::queries as changes;
use crate::db::schema::{articles as articles_table, import_map, sections};
use crate::db::{self, DbConnection};
use crate::domain::change::{AUTHOR, SECTION, TAG, UPSERT};
use crate::domain::slug::{pick_slug, slugify};
use crate::domain::{Exposure, Status};
use crate::error::ApiError;
use crate::export::{self, Line};
use crate::http::params::Ref;
use crate::markup::render_markdown;
use crate::redirects::{article_path, normalize, queries as redirects};
use crate::sections::model::{NewSection, SectionRow};
use crate::settings::queries as site_queries;
use crate::tags::model::{NewTag, TagRow};
use crate::taxonomy::Stored;
use wxr::{Item, ParseError, Record};

/// The `import_map` kind of posts.
const POST: &str = "post";

/// How an import runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Report what would happen; write nothing.
    pub dry_run: bool,
    /// The language of the imported articles (default: the site's).
    pub lang: Option<String>,
    /// WordPress category (nicename) → newsdesk section (slug); other categories become
    /// sections of their own, an article going to its first category's.
    pub sections: HashMap<String, String>,
    /// Posts per transaction.
    pub batch: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            dry_run: false,
            lang: None,
            sections: HashMap::new(),
            batch: 500,
        }
    }
}

/// What an import did (or, dry, would do).
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    pub imported: u64,
    /// Imported by an earlier run and changed in the source since: brought up to date.
    pub updated: u64,
    /// Imported by an earlier run as they are now.
    pub unchanged: u64,
    /// Not imported, by reason.
    pub skipped: BTreeMap<String, u64>,
    pub redirects: u64,
    pub sections_created: u64,
    pub authors_created: u64,
    pub tags_created: u64,
    pub covers: u64,
    /// What became of a newsdesk export's site settings: `applied` to a newsroom without
    /// articles, `kept` (this newsroom's) otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_settings: Option<&'static str>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(
        "{path}: malformed at line {line} (position {position}): {message}; nothing of the batch being read was imported"
    )]
    Malformed {
        path: String,
        line: u64,
        position: u64,
        message: String,
    },
    #[error("{0}")]
    Unsupported(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Database(#[from] ApiError),
}

impl From<ParseError> for ImportError {
    fn from(e: ParseError) -> Self {
        ImportError::Malformed {
            path: String::new(),
            line: 0,
            position: e.position,
            message: e.message,
        }
    }
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Database(ApiError::from(e))
    }
}

/// Imports a WordPress export. `progress` is told the bytes read so far.
pub fn wordpress(
    conn: &mut DbConnection,
    path: &Path,
    options: &Options,
    now: NaiveDateTime,
    progress: impl FnMut(u64),
) -> Result<Summary, ImportError> {
    let mut importer = Importer::new(conn, options, now)?;
    let file = std::fs::File::open(path)?;
    let read = wxr::read(
        BufReader::with_capacity(1 << 16, file),
        |record| importer.take(conn, record),
        progress,
    );
    match read {
        Err(ImportError::Malformed {
            position, message, ..
        }) => {
            return Err(ImportError::Malformed {
                path: path.display().to_string(),
                line: line_of(path, position),
                position,
                message,
            });
        }
        other => other?,
    }
    importer.finish(conn)
}

/// Imports a Ghost export (JSON, Ghost 2 to 5). `progress` is told the bytes read so far.
pub fn ghost(
    conn: &mut DbConnection,
    path: &Path,
    options: &Options,
    now: NaiveDateTime,
    mut progress: impl FnMut(u64),
) -> Result<Summary, ImportError> {
    let mut importer = Importer::new(conn, options, now)?;
    let malformed = |e: ghost::Malformed| ImportError::Malformed {
        path: path.display().to_string(),
        line: e.line,
        position: e.column,
        message: e.message,
    };
    // First the relations (tags, people, who wrote and tagged what), then the posts: an
    // export lists them after the posts.
    let relations = ghost::relations(path).map_err(malformed)?;
    importer.take(conn, Record::Source("ghost".into()))?;
    for (id, name) in &relations.users {
        importer.take(
            conn,
            Record::Author {
                login: id.clone(),
                display_name: name.clone(),
            },
        )?;
    }
    let mut failed = None;
    ghost::posts(path, &relations, &mut progress, |item| {
        match importer.take(conn, Record::Item(Box::new(item))) {
            Ok(()) => true,
            Err(e) => {
                failed = Some(e);
                false
            }
        }
    })
    .map_err(malformed)?;
    if let Some(e) = failed {
        return Err(e);
    }
    importer.finish(conn)
}

/// The line of byte `position` in the file at `path` (counted only when reporting an error).
fn line_of(path: &Path, position: u64) -> u64 {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return 0;
    };
    let mut line = 1;
    for byte in BufReader::new(file)
        .take(position)
        .bytes()
        .map_while(Result::ok)
    {
        if byte == b'\n' {
            line += 1;
        }
    }
    line
}

struct Importer<'a> {
    options: &'a Options,
    lang: String,
    now: NaiveDateTime,
    /// `wordpress:<site URL>`: the namespace of this export's ids in `import_map`.
    source: String,
    /// Declared by the export: login → display name; nicename → name; slug → name.
    authors: HashMap<String, String>,
    categories: HashMap<String, String>,
    tags: HashMap<String, String>,
    /// (kind, source id) → newsdesk id, as found or made.
    ids: HashMap<(&'static str, String), i64>,
    /// Attachment post id → its file's URL, for featured images.
    attachments: HashMap<String, String>,
    /// Articles whose featured image was not read yet: (article, attachment id).
    covers: Vec<(i64, String)>,
    pending: Vec<Pending>,
    /// New articles of the batch being read, written together at its end.
    staged: Vec<Staged>,
    /// `(lang, slug)` and source ids of the staged articles.
    batch_slugs: HashSet<(String, String)>,
    batch_posts: HashSet<String>,
    /// What `import_map` holds for the posts of the batch being written (source id → article,
    /// digest): read in one query when the batch starts, kept in step as it is written.
    mapped: HashMap<String, (i64, Option<String>)>,
    /// The time given at the start, and the clock since then.
    started: NaiveDateTime,
    clock: std::time::Instant,
    summary: Summary,
    /// The export is newsdesk's own (JSONL, or WXR with newsdesk records).
    newsdesk: bool,
    /// The languages the site serves.
    languages: Vec<String>,
}

/// A new article waiting for its batch's bulk write.
struct Staged {
    new: NewArticle,
    authors: Vec<i64>,
    tags: Vec<i64>,
    /// Its id in the source (`import_map`), and the digest of its record there.
    source_id: String,
    digest: String,
    /// Public paths it had before (redirects).
    old_paths: Vec<String>,
    /// WordPress: the attachment whose file is its cover, not read yet.
    thumbnail: Option<String>,
    /// A newsdesk export: the address of its translation group's first article.
    group: Option<String>,
}

/// What an import knows of a source's post.
enum Seen {
    New,
    /// Imported before as this article, and changed in the source since.
    Changed(i64),
    /// Imported before as it is now.
    Done,
}

/// The digest of a source's record as imported: it changes when anything imported changes.
fn digest(record: &impl Serialize) -> String {
    use sha2::Digest;
    let json = serde_json::to_vec(record).unwrap_or_default();
    base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD_NO_PAD,
        sha2::Sha256::digest(&json),
    )
}

/// A record waiting for its batch.
enum Pending {
    Item(Box<Item>),
    Line(Box<Line>),
}

/// Why a batch's transaction ended without committing.
enum Stop {
    DryRun,
    Failed(ImportError),
}

impl From<diesel::result::Error> for Stop {
    fn from(e: diesel::result::Error) -> Self {
        Stop::Failed(e.into())
    }
}

impl From<ImportError> for Stop {
    fn from(e: ImportError) -> Self {
        Stop::Failed(e)
    }
}

impl From<ApiError> for Stop {
    fn from(e: ApiError) -> Self {
        Stop::Failed(e.into())
    }
}

impl<'a> Importer<'a> {
    fn new(
        conn: &mut DbConnection,
        options: &'a Options,
        now: NaiveDateTime,
    ) -> Result<Self, ImportError> {
        // An import fills tables that may have been empty when its statements were first
        // planned: a cached generic plan would scan them whole for every row.
        db::plan_each_statement(conn).map_err(ApiError::from)?;
        let site = site_queries::load(conn)?;
        let lang = match &options.lang {
            Some(l) => l.clone(),
            None => site.default_language.clone(),
        };
        let languages = crate::settings::Site::from_row(site).languages;
        Ok(Importer {
            options,
            lang,
            now,
            source: "wordpress:unknown".into(),
            authors: HashMap::new(),
            categories: HashMap::new(),
            tags: HashMap::new(),
            ids: HashMap::new(),
            attachments: HashMap::new(),
            covers: Vec::new(),
            pending: Vec::new(),
            staged: Vec::new(),
            batch_slugs: HashSet::new(),
            batch_posts: HashSet::new(),
            mapped: HashMap::new(),
            started: now,
            clock: std::time::Instant::now(),
            summary: Summary::default(),
            newsdesk: false,
            languages,
        })
    }

    /// Writes what is pending and the covers read late; the summary.
    fn finish(mut self, conn: &mut DbConnection) -> Result<Summary, ImportError> {
        self.flush(conn)?;
        self.place_covers(conn)?;
        if !self.options.dry_run && self.summary.imported > 0 {
            // Tables that grew this much are planned from fresh statistics at once.
            db::analyze_content(conn)?;
        }
        Ok(self.summary)
    }

    fn take(&mut self, conn: &mut DbConnection, record: Record) -> Result<(), ImportError> {
        match record {
            // newsdesk's own WXR names its site too; its records are known by slug.
            Record::Site { .. } if self.newsdesk => {}
            Record::Site { base_url } => {
                self.source = format!("wordpress:{}", base_url.trim_end_matches('/'));
            }
            Record::Line(Line::Export(header)) => {
                if header.format != "newsdesk" || header.version > export::VERSION {
                    return Err(ImportError::Unsupported(format!(
                        "a `{}` export of version {}; this newsdesk reads newsdesk exports up to version {}",
                        header.format,
                        header.version,
                        export::VERSION
                    )));
                }
                self.newsdesk = true;
                self.source = "newsdesk".into();
                self.settings(conn, &header.settings)?;
            }
            Record::Line(line) => {
                if !self.newsdesk {
                    return Err(ImportError::Unsupported(
                        "a newsdesk record before the export's header".into(),
                    ));
                }
                self.queue(conn, Pending::Line(Box::new(line)))?;
            }
            Record::Source(source) => self.source = source,
            Record::Author {
                login,
                display_name,
            } => {
                self.authors.insert(login, display_name);
            }
            Record::Category { nicename, name } => {
                self.categories.insert(nicename, name);
            }
            Record::Tag { slug, name } => {
                self.tags.insert(slug, name);
            }
            Record::Item(item) => {
                if item.post_type == "attachment" && !item.attachment_url.is_empty() {
                    self.attachments
                        .insert(item.post_id.clone(), item.attachment_url.clone());
                }
                self.queue(conn, Pending::Item(item))?;
            }
        }
        Ok(())
    }

    fn queue(&mut self, conn: &mut DbConnection, record: Pending) -> Result<(), ImportError> {
        self.pending.push(record);
        if self.pending.len() >= self.options.batch.max(1) {
            self.flush(conn)?;
        }
        Ok(())
    }

    /// Writes the pending items in one transaction.
    fn flush(&mut self, conn: &mut DbConnection) -> Result<(), ImportError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let items = std::mem::take(&mut self.pending);
        let dry = self.options.dry_run;
        // The batch's time: change-feed records are listed from it, so it follows the clock.
        self.now = self.started + Duration::from_std(self.clock.elapsed()).unwrap_or_default();
        let result = db::transaction(conn, |c| {
            self.read_map(c, &items)?;
            for record in &items {
                match record {
                    Pending::Item(item) => self.one(c, item)?,
                    Pending::Line(line) => self.line(c, line)?,
                }
            }
            self.write_staged(c)?;
            site_queries::bump_content_version(c)?;
            if dry { Err(Stop::DryRun) } else { Ok(()) }
        });
        match result {
            Ok(()) => Ok(()),
            Err(Stop::DryRun) => {
                // Nothing was written: ids found or made in the batch mean nothing now.
                self.ids.clear();
                Ok(())
            }
            Err(Stop::Failed(e)) => {
                self.staged.clear();
                self.batch_slugs.clear();
                self.batch_posts.clear();
                Err(e)
            }
        }
    }

    fn skip(&mut self, reason: String) {
        *self.summary.skipped.entry(reason).or_default() += 1;
    }

    /// What `(kind, id)` of this export became, if it was imported before.
    fn mapped(
        &mut self,
        c: &mut DbConnection,
        kind: &'static str,
        id: &str,
    ) -> Result<Option<i64>, Stop> {
        if let Some(found) = self.ids.get(&(kind, id.to_string())) {
            return Ok(Some(*found));
        }
        let found: Option<i64> = import_map::table
            .filter(import_map::source.eq(&self.source))
            .filter(import_map::kind.eq(kind))
            .filter(import_map::source_id.eq(id))
            .select(import_map::target_id)
            .first(c)
            .optional()?;
        if let Some(f) = found
            && kind != POST
        {
            self.ids.insert((kind, id.to_string()), f);
        }
        Ok(found)
    }

    fn remember(
        &mut self,
        c: &mut DbConnection,
        kind: &'static str,
        id: &str,
        target: i64,
    ) -> Result<(), Stop> {
        self.remember_as(c, kind, id, target, None)
    }

    /// Remembers what `(kind, id)` became, with the digest of the source's record (posts).
    fn remember_as(
        &mut self,
        c: &mut DbConnection,
        kind: &'static str,
        id: &str,
        target: i64,
        digest: Option<&str>,
    ) -> Result<(), Stop> {
        diesel::insert_into(import_map::table)
            .values((
                import_map::source.eq(&self.source),
                import_map::kind.eq(kind),
                import_map::source_id.eq(id),
                import_map::target_id.eq(target),
                import_map::digest.eq(digest),
            ))
            .execute(c)?;
        // Posts are remembered for their batch only: for the file, it would grow with it.
        if kind == POST {
            self.mapped
                .insert(id.to_string(), (target, digest.map(str::to_string)));
        } else {
            self.ids.insert((kind, id.to_string()), target);
        }
        Ok(())
    }

    /// Reads what `import_map` holds for the posts of `items`, in one query.
    fn read_map(&mut self, c: &mut DbConnection, items: &[Pending]) -> Result<(), Stop> {
        let ids: Vec<String> = items
            .iter()
            .filter_map(|record| match record {
                Pending::Item(item) => Some(item.post_id.clone()),
                Pending::Line(line) => match &**line {
                    Line::Article(a) => Some(a.key()),
                    _ => None,
                },
            })
            .collect();
        self.mapped.clear();
        if ids.is_empty() {
            return Ok(());
        }
        let rows: Vec<(String, i64, Option<String>)> = import_map::table
            .filter(import_map::source.eq(&self.source))
            .filter(import_map::kind.eq(POST))
            .filter(import_map::source_id.eq_any(&ids))
            .select((
                import_map::source_id,
                import_map::target_id,
                import_map::digest,
            ))
            .load(c)?;
        self.mapped = rows
            .into_iter()
            .map(|(id, target, digest)| (id, (target, digest)))
            .collect();
        Ok(())
    }

    /// Whether post `id` of the source is new here, imported before and changed since (its
    /// article), or imported as it is now (counted, nothing to do).
    fn seen(&mut self, c: &mut DbConnection, id: &str, digest: &str) -> Result<Seen, Stop> {
        if self.batch_posts.contains(id) {
            // Given twice in the file: the first one counts.
            self.summary.unchanged += 1;
            return Ok(Seen::Done);
        }
        match self.mapped.get(id).cloned() {
            None => Ok(Seen::New),
            Some((target, Some(d))) if d != digest => Ok(Seen::Changed(target)),
            Some((_, known)) => {
                if known.is_none() {
                    // Imported before digests were kept: as it is now, from here on.
                    self.set_digest(c, id, digest)?;
                }
                self.summary.unchanged += 1;
                Ok(Seen::Done)
            }
        }
    }

    fn set_digest(&mut self, c: &mut DbConnection, id: &str, digest: &str) -> Result<(), Stop> {
        diesel::update(
            import_map::table
                .filter(import_map::source.eq(&self.source))
                .filter(import_map::kind.eq(POST))
                .filter(import_map::source_id.eq(id)),
        )
        .set(import_map::digest.eq(digest))
        .execute(c)?;
        if let Some(known) = self.mapped.get_mut(id) {
            known.1 = Some(digest.to_string());
        }
        Ok(())
    }

    /// Brings article `target`, imported from post `id` of the source, up to the source's
    /// changed record `new`: its text, times, status, section, byline, tags and cover; its
    /// slug, language and views stay. With `all`, also what only a newsdesk export carries
    /// (featured, the cover's caption and credit, the source line).
    #[allow(clippy::too_many_arguments)]
    fn revise(
        &mut self,
        c: &mut DbConnection,
        target: i64,
        new: &NewArticle,
        links: (&[i64], &[i64]),
        id: &str,
        digest: &str,
        all: bool,
    ) -> Result<(), Stop> {
        let current: Option<(String, Option<NaiveDateTime>)> = articles_table::table
            .find(target)
            .select((articles_table::status, articles_table::published_at))
            .first(c)
            .optional()?;
        let before = match current.and_then(|(s, p)| Some((Status::parse(&s)?, p))) {
            Some((Status::Deleted, _)) => None,
            Some((status, published_at)) => Some(Exposure::of(status, published_at, self.now)),
            None => None,
        };
        let Some(before) = before else {
            self.skip("deleted in newsdesk".into());
            return Ok(());
        };
        let mut changes = ArticleChanges {
            title: Some(new.title.clone()),
            lead: Some(new.lead.clone()),
            body_md: Some(new.body_md.clone()),
            body_html: Some(new.body_html.clone()),
            body_text: Some(new.body_text.clone()),
            word_count: Some(new.word_count),
            section_id: Some(new.section_id),
            cover_url: Some(new.cover_url.clone()),
            status: Some(new.status.as_str().to_string()),
            published_at: Some(new.published_at),
            updated_at: Some(new.updated_at),
            ..ArticleChanges::default()
        };
        if all {
            changes.cover_caption = Some(new.cover_caption.clone());
            changes.cover_credit = Some(new.cover_credit.clone());
            changes.source = Some(new.source.clone());
            changes.featured = Some(new.featured);
        }
        articles::update(c, target, &changes)?;
        articles::replace_links(
            c,
            target,
            Some(links.0),
            Some(links.1),
            articles::feed_at(new.status, new.published_at),
        )?;
        let after = Exposure::of(new.status, new.published_at, self.now);
        changes::record_article(c, target, before, after, self.now, Duration::zero())?;
        self.set_digest(c, id, digest)?;
        self.summary.updated += 1;
        Ok(())
    }

    /// The section of a category: as mapped by the options, imported before, an existing
    /// section with its slug, or a new one.
    fn section(&mut self, c: &mut DbConnection, nicename: &str, name: &str) -> Result<i64, Stop> {
        if let Some(slug) = self.options.sections.get(nicename) {
            return match SectionRow::find(c, &Ref::Slug(slug.clone()))? {
                Some(row) => Ok(row.id),
                None => Err(Stop::Failed(ImportError::Database(ApiError::not_found(
                    format!("no section `{slug}` (named for the category `{nicename}`)"),
                )))),
            };
        }
        if let Some(id) = self.mapped(c, SECTION, nicename)? {
            return Ok(id);
        }
        let slug = slugify(nicename);
        let id = match SectionRow::find(c, &Ref::Slug(slug.clone()))? {
            Some(row) => row.id,
            None => {
                let name = self
                    .categories
                    .get(nicename)
                    .cloned()
                    .unwrap_or_else(|| name.to_string());
                let name = if name.trim().is_empty() {
                    nicename.to_string()
                } else {
                    clean(&name)
                };
                let names = serde_json::json!({ self.lang.clone(): name }).to_string();
                let position: Option<i32> = sections::table
                    .select(diesel::dsl::max(sections::position))
                    .first(c)?;
                let new = NewSection {
                    names,
                    descriptions: serde_json::json!({}).to_string(),
                    position: Some(position.unwrap_or(0) + 1),
                };
                let id = SectionRow::insert(c, new, &slug, self.now)?;
                changes::record(c, UPSERT, SECTION, id, self.now)?;
                self.summary.sections_created += 1;
                id
            }
        };
        self.remember(c, SECTION, nicename, id)?;
        Ok(id)
    }

    fn author(&mut self, c: &mut DbConnection, login: &str) -> Result<i64, Stop> {
        if let Some(id) = self.mapped(c, AUTHOR, login)? {
            return Ok(id);
        }
        let name = clean(self.authors.get(login).map(String::as_str).unwrap_or(login));
        let name = if name.is_empty() {
            login.trim().to_string()
        } else {
            name
        };
        let slug = slugify(&name);
        let id = match AuthorRow::find(c, &Ref::Slug(slug.clone()))? {
            Some(row) => row.id,
            None => {
                let new = NewAuthor {
                    name,
                    bio: String::new(),
                    avatar_url: None,
                };
                let id = AuthorRow::insert(c, new, &slug, self.now)?;
                changes::record(c, UPSERT, AUTHOR, id, self.now)?;
                self.summary.authors_created += 1;
                id
            }
        };
        self.remember(c, AUTHOR, login, id)?;
        Ok(id)
    }

    fn tag(&mut self, c: &mut DbConnection, slug: &str, name: &str) -> Result<i64, Stop> {
        if let Some(id) = self.mapped(c, TAG, slug)? {
            return Ok(id);
        }
        let name = clean(self.tags.get(slug).map(String::as_str).unwrap_or(name));
        let ours = slugify(slug);
        let id = match TagRow::find(c, &Ref::Slug(ours.clone()))? {
            Some(row) => row.id,
            None => {
                let id = TagRow::insert(
                    c,
                    NewTag {
                        name: if name.is_empty() {
                            slug.to_string()
                        } else {
                            name
                        },
                    },
                    &ours,
                    self.now,
                )?;
                changes::record(c, UPSERT, TAG, id, self.now)?;
                self.summary.tags_created += 1;
                id
            }
        };
        self.remember(c, TAG, slug, id)?;
        Ok(id)
    }

    /// Imports one item, or counts why not.
    fn one(&mut self, c: &mut DbConnection, item: &Item) -> Result<(), Stop> {
        if item.post_type != "post" {
            let kind = if item.post_type.is_empty() {
                "unknown"
            } else {
                &item.post_type
            };
            self.skip(format!("post type `{kind}`"));
            return Ok(());
        }
        let status = match item.status.as_str() {
            "publish" | "future" => Status::Published,
            "draft" | "pending" => Status::Draft,
            other => {
                self.skip(format!(
                    "status `{}`",
                    if other.is_empty() { "none" } else { other }
                ));
                return Ok(());
            }
        };
        if item.post_id.is_empty() {
            self.skip("no post id".into());
            return Ok(());
        }
        let digest = digest(item);
        let seen = self.seen(c, &item.post_id, &digest)?;
        if let Seen::Done = seen {
            return Ok(());
        }
        let published_at = match status {
            Status::Published => wp_time(&item.post_date_gmt)
                .or_else(|| wp_time(&item.post_date))
                .or(Some(self.now)),
            _ => None,
        };
        let (nicename, name) = item
            .categories
            .first()
            .cloned()
            .unwrap_or_else(|| ("uncategorized".into(), "Uncategorized".into()));
        let section_id = self.section(c, &nicename, &name)?;
        let mut authors = Vec::new();
        for login in item
            .creators
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
        {
            let id = self.author(c, login)?;
            if !authors.contains(&id) {
                authors.push(id);
            }
        }
        let mut tags = Vec::new();
        for (slug, name) in &item.tags {
            let id = self.tag(c, slug, name)?;
            if !tags.contains(&id) {
                tags.push(id);
            }
        }
        let title = clean(&item.title);
        let title = if title.is_empty() {
            format!("Untitled {}", item.post_id)
        } else {
            title
        };
        let wanted = percent_encoding::percent_decode_str(&item.post_name)
            .decode_utf8_lossy()
            .into_owned();
        let wanted = if wanted.trim().is_empty() {
            title.clone()
        } else {
            wanted
        };
        let lang = self.lang.clone();
        let slug = match seen {
            // An update keeps the article's slug.
            Seen::Changed(_) => String::new(),
            _ => pick_slug(None, &wanted, |s| self.slug_taken(c, &lang, s))?,
        };
        let body = render_markdown(&item.content);
        let cover_url = item.cover_url.clone().or_else(|| {
            item.thumbnail_id
                .as_ref()
                .and_then(|t| self.attachments.get(t).cloned())
        });
        let new = NewArticle {
            slug: slug.clone(),
            lang: lang.clone(),
            translation_group: None,
            title,
            lead: clean(&item.excerpt),
            body_md: item.content.clone(),
            body_html: body.html,
            body_text: body.text,
            cover_url: cover_url.clone(),
            cover_caption: None,
            cover_credit: None,
            cover_media_id: None,
            source: None,
            section_id,
            status,
            published_at,
            created_at: self.now,
            updated_at: self.now,
            featured: false,
            word_count: body.word_count,
            views: 0,
            created_by: None,
        };
        if let Seen::Changed(target) = seen {
            if cover_url.is_none()
                && let Some(thumb) = &item.thumbnail_id
            {
                self.covers.push((target, thumb.clone()));
            }
            let links = (authors.as_slice(), tags.as_slice());
            return self.revise(c, target, &new, links, &item.post_id, &digest, false);
        }
        if cover_url.is_some() {
            self.summary.covers += 1;
        }
        // The old addresses: WordPress's `?p=ID` and the permalink.
        let mut old_paths = vec![format!("/?p={}", item.post_id)];
        old_paths.extend(normalize(&item.link));
        old_paths.dedup();
        self.stage(Staged {
            new,
            authors,
            tags,
            source_id: item.post_id.clone(),
            digest,
            old_paths,
            thumbnail: item.thumbnail_id.clone().filter(|_| cover_url.is_none()),
            group: None,
        });
        Ok(())
    }

    /// Keeps a new article for the batch's bulk write ([`Self::write_staged`]).
    fn stage(&mut self, staged: Staged) {
        self.batch_slugs
            .insert((staged.new.lang.clone(), staged.new.slug.clone()));
        self.batch_posts.insert(staged.source_id.clone());
        self.summary.imported += 1;
        self.staged.push(staged);
    }

    /// Whether `slug` is used in `lang`, by a stored article or one staged in this batch.
    fn slug_taken(&self, c: &mut DbConnection, lang: &str, slug: &str) -> Result<bool, ApiError> {
        if self
            .batch_slugs
            .contains(&(lang.to_string(), slug.to_string()))
        {
            return Ok(true);
        }
        Ok(articles::slug_exists(c, lang, slug, None)?)
    }

    /// Writes the batch's new articles in multi-row statements: the articles and bodies, their
    /// bylines and tags, what they were in the source, their old addresses and their
    /// change-feed records (last, at the batch's time).
    fn write_staged(&mut self, c: &mut DbConnection) -> Result<(), Stop> {
        let staged = std::mem::take(&mut self.staged);
        self.batch_slugs.clear();
        self.batch_posts.clear();
        if staged.is_empty() {
            return Ok(());
        }
        let news: Vec<NewArticle> = staged.iter().map(|s| s.new.clone()).collect();
        let ids: HashMap<(String, String), i64> = articles::insert_many(c, &news)?
            .into_iter()
            .map(|(id, lang, slug)| ((lang, slug), id))
            .collect();
        let id_of = |s: &Staged| ids[&(s.new.lang.clone(), s.new.slug.clone())];
        let links: Vec<Links> = staged
            .iter()
            .map(|s| Links {
                article_id: id_of(s),
                feed_at: articles::feed_at(s.new.status, s.new.published_at),
                authors: s.authors.clone(),
                tags: s.tags.clone(),
            })
            .collect();
        articles::link_many(c, &links)?;
        let map: Vec<_> = staged
            .iter()
            .map(|s| {
                (
                    import_map::source.eq(&self.source),
                    import_map::kind.eq(POST),
                    import_map::source_id.eq(&s.source_id),
                    import_map::target_id.eq(id_of(s)),
                    import_map::digest.eq(Some(&s.digest)),
                )
            })
            .collect();
        for chunk in map.chunks(500) {
            crate::on_backend!(c, |c| {
                diesel::insert_into(import_map::table)
                    .values(chunk)
                    .execute(c)?
            });
        }
        // Old addresses; a path given twice leads to the later article, as one by one.
        let mut paths: Vec<(&str, i64)> = Vec::new();
        let mut at: HashMap<&str, usize> = HashMap::new();
        for s in &staged {
            let own = article_path(&s.new.lang, &s.new.slug);
            for p in s.old_paths.iter().filter(|p| **p != own) {
                match at.get(p.as_str()) {
                    Some(i) => paths[*i].1 = id_of(s),
                    None => {
                        at.insert(p, paths.len());
                        paths.push((p, id_of(s)));
                    }
                }
            }
        }
        self.summary.redirects += paths.len() as u64;
        redirects::record_many(c, &paths, self.now)?;
        for s in &staged {
            if let Some(thumb) = &s.thumbnail {
                self.covers.push((id_of(s), thumb.clone()));
            }
        }
        self.link_translations(c, &staged, &id_of)?;
        let feed: Vec<(i64, Exposure)> = staged
            .iter()
            .map(|s| {
                let exposure = Exposure::of(s.new.status, s.new.published_at, self.now);
                (id_of(s), exposure)
            })
            .collect();
        changes::record_new_articles(c, &feed, self.now)?;
        Ok(())
    }

    /// Puts each staged article of a newsdesk export in its translation group: its own, or
    /// that of the group's first article (stored before, or staged earlier in the batch).
    fn link_translations(
        &mut self,
        c: &mut DbConnection,
        staged: &[Staged],
        id_of: &impl Fn(&Staged) -> i64,
    ) -> Result<(), Stop> {
        let in_batch: HashMap<String, i64> = staged
            .iter()
            .map(|s| (s.source_id.clone(), id_of(s)))
            .collect();
        for s in staged {
            let Some(head) = &s.group else { continue };
            let id = id_of(s);
            let group = if *head == s.source_id {
                Some(id)
            } else {
                let found = match in_batch.get(head) {
                    Some(first) => Some((*first, None)),
                    None => self.at_address(c, head)?,
                };
                match found {
                    Some((_, Some(group))) => Some(group),
                    Some((first, None)) => {
                        let group: Option<i64> = articles_table::table
                            .find(first)
                            .select(articles_table::translation_group)
                            .first(c)?;
                        if group.is_none() {
                            diesel::update(articles_table::table.find(first))
                                .set(articles_table::translation_group.eq(Some(first)))
                                .execute(c)?;
                        }
                        Some(group.unwrap_or(first))
                    }
                    None => None,
                }
            };
            if group.is_some() {
                diesel::update(articles_table::table.find(id))
                    .set(articles_table::translation_group.eq(group))
                    .execute(c)?;
            }
        }
        Ok(())
    }

    fn place_covers(&mut self, conn: &mut DbConnection) -> Result<(), ImportError> {
        let covers: Vec<(i64, String)> = std::mem::take(&mut self.covers)
            .into_iter()
            .filter_map(|(article, attachment)| {
                self.attachments
                    .get(&attachment)
                    .map(|url| (article, url.clone()))
            })
            .collect();
        self.summary.covers += covers.len() as u64;
        if covers.is_empty() || self.options.dry_run {
            return Ok(());
        }
        db::transaction(conn, |c| {
            for (article, url) in &covers {
                diesel::update(articles_table::table.find(article))
                    .set(articles_table::cover_url.eq(Some(url)))
                    .execute(c)?;
            }
            site_queries::bump_content_version(c)?;
            Ok::<_, ImportError>(())
        })
    }
}

/// A WordPress time (`2010-10-16 20:53:18`); `None` for its "never" (`0000-00-00 00:00:00`).
fn wp_time(raw: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%d %H:%M:%S").ok()
}

/// Text without control characters (line breaks become spaces), trimmed.
fn clean(raw: &str) -> String {
    raw.chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}
