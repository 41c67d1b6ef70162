//! The article feed shared by `/articles`, `/sections/{ref}/articles`,
//! `/authors/{ref}/articles` and `/tags/{ref}/articles`: parameters parsed once, slugs
//! resolved to ids, one keyset query, and summaries assembled with their sections, bylines and
//! tags in three more queries (never one per item).

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::dto::{
    Article, ArticleStatus, ArticleSummary, AuthorRef, Cover, FeedAnswer, FeedQuery, NewerCount,
    SectionRef, ShareLinks, TagRef, Translation, canonical_url, reading_time_minutes,
};
use super::model::{BodyRow, FeedKey, FeedOrder, SummaryRow};
use super::queries;
use crate::authors::queries as author_queries;
use crate::clock::utc;
use crate::db::DbConnection;
use crate::domain::{FeedFilter, IdFilter};
use crate::error::ApiError;
use crate::http::cursor::{CursorCodec, Position};
use crate::http::pagination::{Page, split_probe};
use crate::http::params::{
    Bound, Errors, Limit, Ref, SlugFilter, parse_bool, parse_datetime, parse_lang,
    parse_slug_filter,
};
use crate::http::respond::Rendered;
use crate::media::queries as media_queries;
use crate::media::show::Shown;
use crate::sections::model::Localized;
use crate::sections::queries as section_queries;
use crate::settings::Site;
use crate::state::Ctx;
use crate::tags::queries as tag_queries;

/// Whose feed: everything, or one section's, author's or tag's.
#[derive(Debug, Clone)]
pub enum FeedScope {
    All,
    Section(Ref),
    Author(Ref),
    Tag(Ref),
}

/// The filters shared by feeds and search, validated; slugs are resolved later (that needs
/// the database).
#[derive(Debug, Clone, Default)]
pub struct FilterParams {
    pub sections: Option<SlugFilter>,
    pub tags: Option<SlugFilter>,
    pub authors: Option<SlugFilter>,
    pub lang: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub featured: Option<bool>,
}

/// The raw filter parameters of a request.
pub struct RawFilters<'a> {
    pub section: Option<&'a str>,
    pub tag: Option<&'a str>,
    pub author: Option<&'a str>,
    pub lang: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub featured: Option<&'a str>,
}

impl FilterParams {
    /// Validates the filters, recording each problem in `errors`.
    pub fn parse(raw: RawFilters<'_>, site: &Site, errors: &mut Errors) -> Self {
        let sections = errors.take(parse_slug_filter("section", raw.section));
        let tags = errors.take(parse_slug_filter("tag", raw.tag));
        let authors = errors.take(parse_slug_filter("author", raw.author));
        let lang = errors.take(parse_lang(raw.lang, site));
        let from = errors.take(parse_datetime("from", raw.from, Bound::Start));
        let to = errors.take(parse_datetime("to", raw.to, Bound::End));
        let featured = errors.take(parse_bool("featured", raw.featured));
        FilterParams {
            sections: sections.flatten(),
            tags: tags.flatten(),
            authors: authors.flatten(),
            lang: lang.flatten(),
            from: from.flatten(),
            to: to.flatten(),
            featured: featured.flatten(),
        }
    }

    /// Resolves slugs to ids: an include list becomes one required group (matching nothing
    /// when none of its slugs exists), unknown excludes are dropped.
    pub fn resolve(&self, conn: &mut DbConnection) -> Result<FeedFilter, ApiError> {
        let mut filter = FeedFilter {
            lang: self.lang.clone(),
            from: self.from,
            to: self.to,
            featured: self.featured,
            ..FeedFilter::default()
        };
        resolve(
            conn,
            self.sections.as_ref(),
            section_queries::ids_by_slugs,
            &mut filter.sections,
        )?;
        resolve(
            conn,
            self.tags.as_ref(),
            tag_queries::ids_by_slugs,
            &mut filter.tags,
        )?;
        resolve(
            conn,
            self.authors.as_ref(),
            author_queries::ids_by_slugs,
            &mut filter.authors,
        )?;
        Ok(filter)
    }
}

/// A validated feed request.
#[derive(Debug, Clone)]
pub struct FeedRequest {
    filters: FilterParams,
    order: FeedOrder,
    limit: Limit,
    after: Option<FeedKey>,
    newer_than: Option<(NaiveDateTime, i64)>,
    with_total: bool,
}

impl FeedRequest {
    pub fn parse(q: FeedQuery, site: &Site, cursors: &CursorCodec) -> Result<Self, ApiError> {
        let mut errors = Errors::default();
        let filters = FilterParams::parse(
            RawFilters {
                section: q.section.as_deref(),
                tag: q.tag.as_deref(),
                author: q.author.as_deref(),
                lang: q.lang.as_deref(),
                from: q.from.as_deref(),
                to: q.to.as_deref(),
                featured: q.featured.as_deref(),
            },
            site,
            &mut errors,
        );
        let with_total = errors.take(parse_bool("with_total", q.with_total.as_deref()));
        let limit = errors.take(Limit::parse(q.limit.as_deref()));
        let order = match q.order.as_deref().map(str::trim) {
            None | Some("newest") => Some(FeedOrder::Newest),
            Some("oldest") => Some(FeedOrder::Oldest),
            Some("popular") => Some(FeedOrder::Popular),
            Some(_) => {
                errors.push(crate::error::FieldError::new(
                    "order",
                    "unknown_order",
                    "must be one of: newest, oldest, popular",
                ));
                None
            }
        };
        errors.finish()?;
        let order = order.unwrap_or(FeedOrder::Newest);

        let after = match q.cursor.as_deref() {
            None => None,
            Some(raw) => Some(decode_key(cursors, "cursor", raw, order)?),
        };
        let newer_than = match q.newer_than.as_deref() {
            None => None,
            Some(raw) => {
                let pos = cursors.decode("newer_than", raw, FeedOrder::Newest.name())?;
                pos.as_time().map(Some).ok_or_else(|| {
                    ApiError::bad_request("invalid_cursor", "`newer_than` needs a feed cursor")
                })?
            }
        };
        Ok(FeedRequest {
            filters,
            order,
            limit: limit.unwrap_or_default(),
            after,
            newer_than,
            with_total: with_total.flatten().unwrap_or(false),
        })
    }
}

fn decode_key(
    cursors: &CursorCodec,
    field: &str,
    raw: &str,
    order: FeedOrder,
) -> Result<FeedKey, ApiError> {
    let pos = cursors.decode(field, raw, order.name())?;
    let key = match (&pos, order) {
        (Position::Count { n, i }, FeedOrder::Popular) => Some(FeedKey::Views(*n, *i)),
        (Position::Time { .. }, FeedOrder::Newest | FeedOrder::Oldest) => {
            pos.as_time().map(|(t, i)| FeedKey::Time(t, i))
        }
        _ => None,
    };
    key.ok_or_else(|| {
        ApiError::bad_request(
            "invalid_cursor",
            format!("`{field}` is not a cursor of this feed"),
        )
    })
}

fn cursor_for(cursors: &CursorCodec, order: FeedOrder, row: &SummaryRow) -> Option<String> {
    let pos = match order {
        FeedOrder::Popular => Position::Count {
            n: row.views,
            i: row.id,
        },
        FeedOrder::Newest | FeedOrder::Oldest => Position::time(row.published_at?, row.id),
    };
    Some(cursors.encode(order.name(), pos))
}

/// Resolves slugs of one filter parameter: includes become one required group (which may
/// match nothing when no slug exists), excludes are dropped when unknown.
fn resolve(
    conn: &mut DbConnection,
    filter: Option<&SlugFilter>,
    lookup: fn(&mut DbConnection, &[String]) -> diesel::QueryResult<Vec<i64>>,
    into: &mut IdFilter,
) -> Result<(), ApiError> {
    let Some(filter) = filter else { return Ok(()) };
    if !filter.include.is_empty() {
        into.required.push(lookup(conn, &filter.include)?);
    }
    if !filter.exclude.is_empty() {
        into.excluded.extend(lookup(conn, &filter.exclude)?);
    }
    Ok(())
}

/// Runs a feed request in `scope` and renders the page (or the `newer_than` count).
pub fn run(
    conn: &mut DbConnection,
    ctx: &Ctx,
    scope: &FeedScope,
    req: &FeedRequest,
) -> Result<Rendered<FeedAnswer>, ApiError> {
    let mut filter = req.filters.resolve(conn)?;
    match scope {
        FeedScope::All => {}
        FeedScope::Section(r) => {
            let s = section_queries::find(conn, r)?
                .ok_or_else(|| ApiError::not_found("no such section"))?;
            filter.sections.required.push(vec![s.id]);
        }
        FeedScope::Author(r) => {
            let a = author_queries::find(conn, r)?
                .ok_or_else(|| ApiError::not_found("no such author"))?;
            filter.authors.required.push(vec![a.id]);
        }
        FeedScope::Tag(r) => {
            let t =
                tag_queries::find(conn, r)?.ok_or_else(|| ApiError::not_found("no such tag"))?;
            filter.tags.required.push(vec![t.id]);
        }
    }
    let nothing = filter.matches_nothing();

    if let Some((t, id)) = req.newer_than {
        let count = if nothing {
            0
        } else {
            queries::count_newer(conn, &filter, t, id, ctx.now)?
        };
        return Rendered::json(&FeedAnswer::Newer(NewerCount { count }));
    }

    let limit = req.limit.get();
    let mut rows = if nothing {
        Vec::new()
    } else {
        queries::feed(
            conn,
            &filter,
            req.order,
            req.after,
            req.limit.probe(),
            ctx.now,
        )?
    };
    let more = split_probe(&mut rows, limit);
    let next_cursor = if more {
        rows.last()
            .and_then(|r| cursor_for(&ctx.cursors, req.order, r))
    } else {
        None
    };
    // Only the first page of the newest-first feed has a head worth watching.
    let head_cursor = match (req.order, req.after) {
        (FeedOrder::Newest, None) => rows
            .first()
            .and_then(|r| cursor_for(&ctx.cursors, req.order, r)),
        _ => None,
    };
    let total = match (req.with_total, nothing) {
        (false, _) => None,
        (true, true) => Some(0),
        (true, false) => Some(queries::count(conn, &filter, ctx.now)?),
    };
    let data = summaries(conn, ctx, rows, req.filters.lang.as_deref())?;
    let mut page = Page::new(data, limit, next_cursor.clone());
    page.meta.head_cursor = head_cursor;
    page.meta.total = total;
    let mut rendered = Rendered::json(&FeedAnswer::Page(page))?;
    rendered.next_cursor = next_cursor;
    Ok(rendered)
}

/// The public page of a loaded article: [`page`] with its visible other-language versions.
pub fn public_page(
    conn: &mut DbConnection,
    ctx: &Ctx,
    row: SummaryRow,
    body: BodyRow,
    lang: Option<&str>,
) -> Result<Article, ApiError> {
    let translations = match body.translation_group {
        Some(group) => queries::translations(conn, group, row.id, ctx.now)?
            .into_iter()
            .map(Translation::from)
            .collect(),
        None => Vec::new(),
    };
    let body = (body.body_html, body.body_text, body.source);
    page(conn, ctx, row, lang, body, translations)
}

/// An article's page: its summary (section name in `lang`, else the article's language) with
/// the body, the source, share links and the given other-language versions.
pub fn page(
    conn: &mut DbConnection,
    ctx: &Ctx,
    row: SummaryRow,
    lang: Option<&str>,
    body: (String, String, Option<String>),
    translations: Vec<Translation>,
) -> Result<Article, ApiError> {
    let article_lang = row.lang.clone();
    let summary = summaries(conn, ctx, vec![row], lang)?
        .pop()
        .ok_or_else(|| ApiError::internal("summary of a loaded row is missing"))?;
    let (body_html, body_text, source) = body;
    let mut gallery_ids: Vec<i64> = media_queries::galleries(conn, &[summary.id])?
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    let order = gallery_ids.clone();
    let media = Shown::load(conn, &mut gallery_ids)?;
    let gallery = order
        .into_iter()
        .filter_map(|id| {
            let default = &ctx.site.default_language;
            media.image(id, &article_lang, default, &ctx.media_url, None, None)
        })
        .collect();
    Ok(Article {
        gallery,
        share: ShareLinks::new(&summary.canonical_url, &summary.title),
        summary,
        body_html,
        body_text,
        source,
        translations,
    })
}

/// The slug and names of sections `ids`: from this process's snapshot, and from the database
/// for any the snapshot does not have yet (one made a moment ago by another process).
pub fn section_names(
    conn: &mut DbConnection,
    ctx: &Ctx,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, (String, Localized)>, ApiError> {
    let mut found = HashMap::new();
    let mut missing = Vec::new();
    for id in ids {
        if found.contains_key(&id) || missing.contains(&id) {
            continue;
        }
        match ctx.sections.get(id) {
            Some(entry) => {
                found.insert(id, entry.clone());
            }
            None => missing.push(id),
        }
    }
    if !missing.is_empty() {
        for s in section_queries::by_ids(conn, &missing)? {
            found.insert(s.id, (s.slug, Localized::parse(&s.names)));
        }
    }
    Ok(found)
}

/// Builds list items for `rows` (kept in their order): sections, bylines and tags are loaded
/// for the whole page at once. Section names are in `lang`, else in each article's language.
pub fn summaries(
    conn: &mut DbConnection,
    ctx: &Ctx,
    rows: Vec<SummaryRow>,
    lang: Option<&str>,
) -> Result<Vec<ArticleSummary>, ApiError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let sections = section_names(conn, ctx, rows.iter().map(|r| r.section_id))?;
    let mut links = queries::links(conn, &ids)?;
    let mut media_ids: Vec<i64> = rows.iter().filter_map(|r| r.cover_media_id).collect();
    let media = Shown::load(conn, &mut media_ids)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let section = match sections.get(&row.section_id) {
                Some((slug, names)) => SectionRef {
                    id: row.section_id,
                    slug: slug.clone(),
                    name: names.resolve(lang.unwrap_or(&row.lang), &ctx.site.default_language),
                },
                None => SectionRef {
                    id: row.section_id,
                    slug: String::new(),
                    name: String::new(),
                },
            };
            let (authors, tags) = (links.take_bylines(row.id), links.take_tags(row.id));
            summary(ctx, row, section, authors, tags, &media)
        })
        .collect())
}

fn summary(
    ctx: &Ctx,
    row: SummaryRow,
    section: SectionRef,
    authors: Vec<AuthorRef>,
    tags: Vec<TagRef>,
    media: &Shown,
) -> ArticleSummary {
    let canonical_url = canonical_url(&ctx.base_url, &row);
    let cover = match (row.cover_media_id, row.cover_url) {
        (Some(id), _) => media.image(
            id,
            &row.lang,
            &ctx.site.default_language,
            &ctx.media_url,
            row.cover_caption,
            row.cover_credit,
        ),
        (None, Some(url)) => Some(Cover::external(url, row.cover_caption, row.cover_credit)),
        (None, None) => None,
    };
    ArticleSummary {
        status: ArticleStatus::at(row.status, row.published_at, ctx.now),
        reading_time_minutes: reading_time_minutes(row.word_count),
        cover,
        published_at: row.published_at.map(utc),
        updated_at: utc(row.updated_at),
        id: row.id,
        slug: row.slug,
        lang: row.lang,
        title: row.title,
        lead: row.lead,
        section,
        authors,
        tags,
        featured: row.featured,
        word_count: row.word_count,
        views: ctx.views_of(row.id, row.views),
        canonical_url,
    }
}
