//! `newsdesk import jsonl`: newsdesk's own export read back, line by line, and what the
//! importer does with a line of it (from JSONL, or from the records of newsdesk's own WXR).
//!
//! Everything is known by slug (articles by language and slug): a section, author or tag
//! with the slug of one already here is that one, and so is an article at the same address,
//! so importing an export into the database it came from changes nothing.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::{ImportError, Importer, Options, POST, Seen, Staged, Stop, Summary, clean};
use crate::articles::model::NewArticle;
use crate::authors::model::{AuthorRow, NewAuthor};
use crate::changes::queries as changes;
use crate::db::DbConnection;
use crate::db::schema::{articles as articles_table, authors, sections, tags};
use crate::domain::Status;
use crate::domain::change::{AUTHOR, SECTION, SITE, TAG, UPSERT};
use crate::domain::slug::slugify;
use crate::export::{Article, Line, Settings, key};
use crate::http::params::Errors;
use crate::http::params::Ref;
use crate::markup::render_markdown;
use crate::redirects::normalize;
use crate::sections::model::{NewSection, SectionRow};
use crate::settings::Site;
use crate::settings::queries as site_queries;
use crate::site::dto::SitePatch;
use crate::site::settings::Changes as SiteChanges;
use crate::tags::model::{NewTag, TagRow};
use crate::taxonomy::Stored;

use super::wxr::Record;

/// Imports a newsdesk JSONL export. `progress` is told the bytes read so far.
pub fn jsonl(
    conn: &mut DbConnection,
    path: &Path,
    options: &Options,
    now: NaiveDateTime,
    mut progress: impl FnMut(u64),
) -> Result<Summary, ImportError> {
    let mut importer = Importer::new(conn, options, now)?;
    let mut input = BufReader::with_capacity(1 << 16, std::fs::File::open(path)?);
    let malformed = |line: u64, position: u64, message: String| ImportError::Malformed {
        path: path.display().to_string(),
        line,
        position,
        message,
    };
    let mut text = String::new();
    let (mut number, mut read) = (0u64, 0u64);
    loop {
        text.clear();
        let got = input.read_line(&mut text).map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData => malformed(number + 1, 0, "not UTF-8".into()),
            _ => e.into(),
        })?;
        if got == 0 {
            break;
        }
        number += 1;
        read += got as u64;
        if text.trim().is_empty() {
            continue;
        }
        let line: Line = serde_json::from_str(&text)
            .map_err(|e| malformed(number, e.column() as u64, e.to_string()))?;
        if number == 1 && !matches!(line, Line::Export(_)) {
            return Err(malformed(
                1,
                0,
                "the first line is not a newsdesk export's header (`\"type\":\"export\"`)".into(),
            ));
        }
        importer.take(conn, Record::Line(line))?;
        if number.is_multiple_of(1_000) {
            progress(read);
        }
    }
    if number == 0 {
        return Err(malformed(0, 0, "the file is empty".into()));
    }
    progress(read);
    importer.finish(conn)
}

fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

impl Importer<'_> {
    /// Takes an export's site settings when this newsroom has no articles yet (it is being
    /// set up from the export); keeps its own otherwise.
    pub(super) fn settings(
        &mut self,
        conn: &mut DbConnection,
        settings: &Settings,
    ) -> Result<(), ImportError> {
        let articles: i64 = articles_table::table.count().get_result(conn)?;
        if articles > 0 {
            self.summary.site_settings = Some("kept");
            return Ok(());
        }
        let current = Site::from_row(site_queries::load(conn)?);
        // A merge patch that leaves nothing of the current links the export does not have.
        let links = |ours: &BTreeMap<String, String>, theirs: &BTreeMap<String, String>| {
            let mut patch: BTreeMap<String, Option<String>> =
                ours.keys().map(|k| (k.clone(), None)).collect();
            patch.extend(theirs.iter().map(|(k, v)| (k.clone(), Some(v.clone()))));
            Some(patch)
        };
        let patch = SitePatch {
            name: Some(settings.name.clone()),
            description: Some(settings.description.clone()),
            timezone: Some(settings.timezone.clone()),
            languages: Some(settings.languages.clone()),
            default_language: Some(settings.default_language.clone()),
            copyright: Some(settings.copyright.clone()),
            social_links: links(&current.social_links, &settings.social_links),
            app_links: links(&current.app_links, &settings.app_links),
            min_app_version: Some(settings.min_app_version.clone()),
        };
        let changes =
            SiteChanges::apply(&current, &patch, &[], Errors::default()).map_err(|e| {
                ImportError::Unsupported(format!("the export's site settings: {}", e.describe()))
            })?;
        self.summary.site_settings = Some("applied");
        self.lang = settings.default_language.clone();
        self.languages = settings.languages.clone();
        if self.options.dry_run {
            return Ok(());
        }
        crate::db::transaction(conn, |c| {
            site_queries::update(c, &changes.update(self.now))?;
            changes::record(c, UPSERT, SITE, 1, self.now)
        })?;
        Ok(())
    }

    /// Imports one line of a newsdesk export, or counts why not.
    pub(super) fn line(&mut self, c: &mut DbConnection, line: &Line) -> Result<(), Stop> {
        match line {
            Line::Export(_) => Ok(()),
            Line::Section(s) => {
                let new = NewSection {
                    names: serde_json::Value::Object(s.names.clone()).to_string(),
                    descriptions: serde_json::Value::Object(s.descriptions.clone()).to_string(),
                    position: Some(s.position),
                };
                let stamp = |c: &mut DbConnection, id: i64| {
                    diesel::update(sections::table.find(id))
                        .set(sections::updated_at.eq(naive(s.updated_at)))
                        .execute(c)
                };
                if self.stored::<SectionRow>(c, SECTION, &s.slug, new, s.created_at, stamp)? {
                    self.summary.sections_created += 1;
                }
                Ok(())
            }
            Line::Author(a) => {
                let new = NewAuthor {
                    name: clean(&a.name),
                    bio: a.bio.clone(),
                    avatar_url: a.avatar_url.clone(),
                };
                let stamp = |c: &mut DbConnection, id: i64| {
                    diesel::update(authors::table.find(id))
                        .set(authors::updated_at.eq(naive(a.updated_at)))
                        .execute(c)
                };
                if self.stored::<AuthorRow>(c, AUTHOR, &a.slug, new, a.created_at, stamp)? {
                    self.summary.authors_created += 1;
                }
                Ok(())
            }
            Line::Tag(t) => {
                let new = NewTag {
                    name: clean(&t.name),
                };
                let stamp = |c: &mut DbConnection, id: i64| {
                    diesel::update(tags::table.find(id))
                        .set(tags::updated_at.eq(naive(t.updated_at)))
                        .execute(c)
                };
                if self.stored::<TagRow>(c, TAG, &t.slug, new, t.created_at, stamp)? {
                    self.summary.tags_created += 1;
                }
                Ok(())
            }
            Line::Article(a) => self.article(c, a),
        }
    }

    /// Finds the section, author or tag with `slug` (imported before, or already here) or
    /// stores `new` as it was created, then `stamp`s its last change; whether it was stored.
    fn stored<T: Stored>(
        &mut self,
        c: &mut DbConnection,
        kind: &'static str,
        slug: &str,
        new: T::New,
        created_at: DateTime<Utc>,
        stamp: impl FnOnce(&mut DbConnection, i64) -> QueryResult<usize>,
    ) -> Result<bool, Stop> {
        if self.mapped(c, kind, slug)?.is_some() {
            return Ok(false);
        }
        let ours = slugify(slug);
        let (id, created) = match T::find(c, &Ref::Slug(ours.clone()))? {
            Some(row) => (row.id(), false),
            None => {
                let id = T::insert(c, new, &ours, naive(created_at))?;
                stamp(c, id)?;
                changes::record(c, UPSERT, kind, id, self.now)?;
                (id, true)
            }
        };
        self.remember(c, kind, slug, id)?;
        Ok(created)
    }

    /// The id and translation group of the article at `lang/slug`, if there is one.
    pub(super) fn at_address(
        &mut self,
        c: &mut DbConnection,
        address: &str,
    ) -> Result<Option<(i64, Option<i64>)>, Stop> {
        let found = match self.mapped(c, POST, address)? {
            Some(id) => articles_table::table
                .find(id)
                .select((articles_table::id, articles_table::translation_group))
                .first(c)
                .optional()?,
            None => match address.split_once('/') {
                Some((lang, slug)) => articles_table::table
                    .filter(articles_table::lang.eq(lang))
                    .filter(articles_table::slug.eq(slug))
                    .select((articles_table::id, articles_table::translation_group))
                    .first(c)
                    .optional()?,
                None => None,
            },
        };
        Ok(found)
    }

    fn article(&mut self, c: &mut DbConnection, a: &Article) -> Result<(), Stop> {
        let address = a.key();
        if a.status == Status::Deleted {
            self.skip("status `deleted`".into());
            return Ok(());
        }
        if !self.languages.contains(&a.lang) {
            self.skip(format!("language `{}` not served by this site", a.lang));
            return Ok(());
        }
        let slug = slugify(&a.slug);
        if slug.is_empty() {
            self.skip("no slug".into());
            return Ok(());
        }
        let digest = super::digest(a);
        let seen = self.seen(c, &address, &digest)?;
        if let Seen::Done = seen {
            return Ok(());
        }
        if let Seen::New = seen {
            if self.batch_slugs.contains(&(a.lang.clone(), slug.clone())) {
                // Another line of this batch has the address.
                self.summary.unchanged += 1;
                return Ok(());
            }
            if let Some((id, _)) = self.at_address(c, &key(&a.lang, &slug))? {
                // The database this export came from, or one it was imported into before:
                // the article is this one, as it is here.
                self.remember_as(c, POST, &address, id, Some(&digest))?;
                self.summary.unchanged += 1;
                return Ok(());
            }
        }
        let section_id = self.section(c, &a.section, &a.section)?;
        let mut authors = Vec::new();
        for login in &a.authors {
            let id = self.author(c, login)?;
            if !authors.contains(&id) {
                authors.push(id);
            }
        }
        let mut tags = Vec::new();
        for t in &a.tags {
            let id = self.tag(c, t, t)?;
            if !tags.contains(&id) {
                tags.push(id);
            }
        }
        let title = clean(&a.title);
        let body = render_markdown(&a.body);
        let published_at = a.published_at.map(naive);
        let new = NewArticle {
            slug: slug.clone(),
            lang: a.lang.clone(),
            translation_group: None,
            title: if title.is_empty() {
                slug.clone()
            } else {
                title
            },
            lead: a.lead.clone(),
            body_md: a.body.clone(),
            body_html: body.html,
            body_text: body.text,
            cover_url: a.cover_url.clone(),
            cover_caption: a.cover_caption.clone(),
            cover_credit: a.cover_credit.clone(),
            cover_media_id: None,
            source: a.source.clone(),
            section_id,
            status: a.status,
            published_at: match a.status {
                Status::Published => published_at.or(Some(self.now)),
                _ => published_at,
            },
            created_at: naive(a.created_at),
            updated_at: naive(a.updated_at),
            featured: a.featured,
            word_count: body.word_count,
            views: a.views.max(0),
            created_by: None,
        };
        if let Seen::Changed(target) = seen {
            let links = (authors.as_slice(), tags.as_slice());
            return self.revise(c, target, &new, links, &address, &digest, true);
        }
        if a.cover_url.is_some() {
            self.summary.covers += 1;
        }
        self.stage(Staged {
            new,
            authors,
            tags,
            source_id: address,
            digest,
            old_paths: a.redirects.iter().filter_map(|p| normalize(p)).collect(),
            thumbnail: None,
            group: a.translation_group.clone(),
        });
        Ok(())
    }
}
