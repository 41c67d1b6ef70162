//! `GET /feeds/{rss.xml,atom.xml,feed.json}`, `GET /sitemap.xml` and `GET /sitemaps/...`.

use std::collections::HashMap;

use actix_web::{HttpRequest, get, web};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Deserialize;
use utoipa::IntoParams;

use super::feed::{self, Category, Entry, Feed, Image, JsonFeed, Person};
use super::paths::{self, page_url};
use super::queries;
use super::sitemap::{self, IndexEntry, MAX_URLS, News, UrlSet};
use crate::articles::dto::article_url;
use crate::articles::feed::{FilterParams, RawFilters, summaries};
use crate::articles::model::FeedOrder;
use crate::articles::queries as article_queries;
use crate::clock::utc;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::http::docs::{NotFound, PublicRead};
use crate::http::params::{self, Errors, Limit};
use crate::http::respond::{Public, Rendered};
use crate::http::schema::{DateOrTime, Lang, SlugFilter};
use crate::state::{AppState, Ctx};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(rss_feed)
        .service(atom_feed)
        .service(json_feed)
        .service(sitemap_index)
        .service(news_sitemap)
        .service(one_sitemap);
}

/// How many articles a feed has unless asked, and at most.
const FEED_LIMIT: u32 = 50;
const FEED_MAX: u32 = 100;
/// How far back the news sitemap reaches, and how many articles it lists at most (Google
/// News reads no more).
const NEWS_HOURS: i64 = 48;
const NEWS_MAX: i64 = 1_000;
/// Rows read at a time while a sitemap is written.
const BATCH: i64 = 1_000;

/// What narrows a feed: the filters of `GET /articles` (a feed is always newest first).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// Section slugs. `world,politics` = in any of them; `-sport` = not in it.
    #[param(value_type = Option<SlugFilter>, example = "world")]
    pub section: Option<String>,
    /// Tag slugs: `a,b` = tagged a or b; `-c` = not tagged c.
    #[param(value_type = Option<SlugFilter>)]
    pub tag: Option<String>,
    /// Author slugs: `a,b` = by a or b; `-c` = not by c.
    #[param(value_type = Option<SlugFilter>)]
    pub author: Option<String>,
    /// Only articles in this language; the feed's language too.
    #[param(value_type = Option<Lang>, example = "en")]
    pub lang: Option<String>,
    /// Published at or after: `YYYY-MM-DD` (start of that day, UTC) or RFC 3339.
    #[param(value_type = Option<DateOrTime>, example = "2026-02-01")]
    pub from: Option<String>,
    /// Published at or before: `YYYY-MM-DD` (the whole day, UTC) or RFC 3339.
    #[param(value_type = Option<DateOrTime>, example = "2026-02-19T23:59:59Z")]
    pub to: Option<String>,
    /// Only featured (`true`) or only other (`false`) articles.
    #[param(value_type = Option<bool>)]
    pub featured: Option<String>,
    /// Number of articles, 1 to 100 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, example = 50)]
    pub limit: Option<String>,
}

/// A validated feed request.
struct FeedRequest {
    filters: FilterParams,
    limit: u32,
    /// The feed's own URL, as requested.
    self_url: String,
}

impl FeedRequest {
    fn parse(req: &HttpRequest, state: &AppState, q: FeedQuery) -> Result<Self, ApiError> {
        let site = state.site();
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
            &site,
            &mut errors,
        );
        let limit = errors.take(Limit::parse_with(q.limit.as_deref(), FEED_LIMIT, FEED_MAX));
        errors.finish()?;
        let query = req.query_string();
        let self_url = format!(
            "{}{}{}{}",
            state.config.base_url,
            req.path(),
            if query.is_empty() { "" } else { "?" },
            query
        );
        Ok(FeedRequest {
            filters,
            limit: limit.map_or(FEED_LIMIT, Limit::get),
            self_url,
        })
    }
}

/// The prefix of an article's permanent id for feed readers, a `tag:` URI (RFC 4151) of the
/// site's host: the id is the prefix and the article's id.
fn entry_id_prefix(base_url: &str) -> String {
    let host = url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "localhost".into());
    format!("tag:{host},2026:article:")
}

/// The newest public articles matching the request, as a feed.
fn build_feed(conn: &mut DbConnection, ctx: &Ctx, req: &FeedRequest) -> Result<Feed, ApiError> {
    let filter = req.filters.resolve(conn)?;
    let rows = if filter.matches_nothing() {
        Vec::new()
    } else {
        article_queries::feed(
            conn,
            &filter,
            FeedOrder::Newest,
            None,
            i64::from(req.limit),
            ctx.now,
        )?
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut bodies: HashMap<i64, String> = queries::bodies_html(conn, &ids)?.into_iter().collect();
    let lang_filter = req.filters.lang.as_deref();
    let items = summaries(conn, ctx, rows, lang_filter)?;
    ctx.forget_views_shown();
    let site = &ctx.site;
    let base = &*ctx.base_url;
    let id_prefix = entry_id_prefix(base);
    let entries: Vec<Entry> = items
        .into_iter()
        .map(|a| {
            let lang = a.lang.clone();
            let mut categories = vec![Category {
                url: page_url(base, &lang, "sections", &a.section.slug),
                term: a.section.slug,
                label: a.section.name,
            }];
            categories.extend(a.tags.into_iter().map(|t| Category {
                url: page_url(base, &lang, "tags", &t.slug),
                term: t.slug,
                label: t.name,
            }));
            Entry {
                id: format!("{id_prefix}{}", a.id),
                content_html: bodies.remove(&a.id).unwrap_or_default(),
                published: a.published_at.unwrap_or(a.updated_at),
                updated: a.updated_at,
                authors: a
                    .authors
                    .into_iter()
                    .map(|p| Person {
                        url: page_url(base, &lang, "authors", &p.slug),
                        name: p.name,
                        avatar: p.avatar_url,
                    })
                    .collect(),
                categories,
                image: a.cover.map(Image::of_cover),
                url: a.canonical_url,
                title: a.title,
                summary: a.lead,
            }
        })
        .collect();
    let lang = lang_filter.unwrap_or(&site.default_language).to_string();
    // The title names what narrows the feed, as its reader would subscribe to it.
    let narrowed: Vec<String> = [
        &req.filters.sections,
        &req.filters.authors,
        &req.filters.tags,
    ]
    .into_iter()
    .flatten()
    .flat_map(|f| f.include.iter().cloned())
    .collect();
    let title = if narrowed.is_empty() {
        site.name.clone()
    } else {
        format!("{} — {}", site.name, narrowed.join(", "))
    };
    Ok(Feed {
        title,
        description: site.description.clone(),
        home_url: match lang_filter {
            Some(l) => format!("{base}/{l}"),
            None => base.to_string(),
        },
        self_url: req.self_url.clone(),
        copyright: site.copyright.clone(),
        updated: entries
            .iter()
            .map(|e| e.updated)
            .max()
            .unwrap_or_else(|| utc(site.updated_at)),
        lang,
        entries,
    })
}

/// How a feed is written.
#[derive(Clone, Copy)]
enum Format {
    Rss,
    Atom,
    Json,
}

async fn serve_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: FeedQuery,
    format: Format,
) -> Result<Public<String>, ApiError> {
    let request = FeedRequest::parse(&req, &state, query)?;
    state
        .public(&req, move |conn, ctx| {
            let feed = build_feed(conn, ctx, &request)?;
            Ok(match format {
                Format::Rss => Rendered::bytes(feed.rss()?, feed::RSS_TYPE),
                Format::Atom => Rendered::bytes(feed.atom()?, feed::ATOM_TYPE),
                Format::Json => Rendered::bytes(feed.json()?, feed::JSON_FEED_TYPE),
            })
        })
        .await
}

/// The newest articles as RSS 2.0.
///
/// The whole site, or narrowed by section, author, tag and language as `GET /articles`.
/// Each item has its permanent `guid`, canonical link, publish time, authors (`dc:creator`),
/// section and tags (`category`), the lead (`description`), the body (`content:encoded`) and
/// the cover (`media:content`). Drafts and articles whose publish time has not come never
/// appear.
#[utoipa::path(
    tag = "syndication",
    params(FeedQuery),
    responses(
        (status = 200, description = "The feed", body = String, content_type = "application/rss+xml"),
        PublicRead,
    )
)]
#[get("/feeds/rss.xml")]
pub async fn rss_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: params::Query<FeedQuery>,
) -> Result<Public<String>, ApiError> {
    serve_feed(req, state, query.into_inner(), Format::Rss).await
}

/// The newest articles as Atom 1.0.
///
/// The same entries as the RSS feed, with the same parameters: each with its permanent `id`,
/// `alternate` link, `published` and `updated` times, authors, categories, the lead as
/// `summary`, the body as HTML `content` and the cover as an `enclosure` link.
#[utoipa::path(
    tag = "syndication",
    params(FeedQuery),
    responses(
        (status = 200, description = "The feed", body = String, content_type = "application/atom+xml"),
        PublicRead,
    )
)]
#[get("/feeds/atom.xml")]
pub async fn atom_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: params::Query<FeedQuery>,
) -> Result<Public<String>, ApiError> {
    serve_feed(req, state, query.into_inner(), Format::Atom).await
}

/// The newest articles as JSON Feed 1.1.
///
/// The same entries as the RSS feed, with the same parameters: `id`, `url`, `title`,
/// `summary` (the lead), `content_html`, `image` (the cover), `date_published`,
/// `date_modified`, `authors` and `tags` (the section, then the tags).
#[utoipa::path(
    tag = "syndication",
    params(FeedQuery),
    responses(
        (status = 200, description = "The feed", body = JsonFeed, content_type = "application/feed+json"),
        PublicRead,
    )
)]
#[get("/feeds/feed.json")]
pub async fn json_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: params::Query<FeedQuery>,
) -> Result<Public<String>, ApiError> {
    serve_feed(req, state, query.into_inner(), Format::Json).await
}

/// The first and the next month's first instant.
fn month_bounds(year: i32, month: u32) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let from = NaiveDate::from_ymd_opt(year, month, 1)?;
    let to = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some((from.and_hms_opt(0, 0, 0)?, to.and_hms_opt(0, 0, 0)?))
}

/// The sitemap index.
///
/// One sitemap per month with public articles (by publish month in UTC, the latest change as
/// `lastmod`; a month of more than 50,000 continues in further sitemaps), then sections,
/// authors and tags.
#[utoipa::path(
    tag = "syndication",
    responses(
        (status = 200, description = "The sitemap index", body = String, content_type = "application/xml"),
        PublicRead,
    )
)]
#[get("/sitemap.xml")]
pub async fn sitemap_index(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<Public<String>, ApiError> {
    state
        .public(&req, |conn, ctx| {
            let base = &*ctx.base_url;
            let mut entries = Vec::new();
            for m in queries::months(conn, ctx.now)? {
                let pages = (m.articles as usize).div_ceil(MAX_URLS).max(1) as u32;
                for page in 1..=pages {
                    entries.push(IndexEntry {
                        loc: format!("{base}{}", paths::month_sitemap(&m.month, page)),
                        lastmod: m.lastmod.map(utc),
                    });
                }
            }
            for kind in ["sections", "authors", "tags"] {
                entries.push(IndexEntry {
                    loc: format!("{base}{}", paths::taxonomy_sitemap(kind)),
                    lastmod: None,
                });
            }
            Ok(Rendered::bytes(sitemap::index(&entries), sitemap::XML_TYPE))
        })
        .await
}

/// The Google News sitemap.
///
/// Articles published in the last 48 hours, newest first, at most 1,000, each with the
/// publication's name and language, its publish time and title.
#[utoipa::path(
    tag = "syndication",
    responses(
        (status = 200, description = "The news sitemap", body = String, content_type = "application/xml"),
        PublicRead,
    )
)]
#[get("/sitemaps/news.xml")]
pub async fn news_sitemap(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<Public<String>, ApiError> {
    state
        .public(&req, |conn, ctx| {
            let since = ctx.now - Duration::hours(NEWS_HOURS);
            let rows = queries::published_since(conn, since, NEWS_MAX, ctx.now)?;
            let mut set = UrlSet::new();
            for row in &rows {
                let published = utc(row.published_at.unwrap_or(ctx.now));
                set.url(
                    &article_url(&ctx.base_url, &row.lang, &row.slug),
                    None,
                    &[],
                    Some(News {
                        publication: &ctx.site.name,
                        language: &row.lang,
                        published,
                        title: &row.title,
                    }),
                );
            }
            Ok(Rendered::bytes(set.finish(), sitemap::XML_TYPE))
        })
        .await
}

/// What `/sitemaps/{name}` names.
enum SitemapName {
    Month { year: i32, month: u32, page: u32 },
    Taxonomy(&'static str),
}

impl SitemapName {
    /// `articles-2026-11.xml`, `articles-2026-11-2.xml`, `sections.xml`, `authors.xml`,
    /// `tags.xml`.
    fn parse(name: &str) -> Option<Self> {
        let stem = name.strip_suffix(".xml")?;
        for kind in ["sections", "authors", "tags"] {
            if stem == kind {
                return Some(SitemapName::Taxonomy(kind));
            }
        }
        let rest = stem.strip_prefix("articles-")?;
        let mut parts = rest.split('-');
        let number = |p: Option<&str>, len: usize| {
            p.filter(|s| s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|s| s.parse::<u32>().ok())
        };
        let year = number(parts.next(), 4)?;
        let month = number(parts.next(), 2).filter(|m| (1..=12).contains(m))?;
        let page = match parts.next() {
            None => 1,
            Some(p) => p
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 2 && !p.starts_with('0'))?,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(SitemapName::Month {
            year: i32::try_from(year).ok()?,
            month,
            page,
        })
    }
}

fn no_sitemap() -> ApiError {
    ApiError::not_found("no such sitemap: the sitemap index lists them")
}

/// The articles published in a month (page `page`), with their language versions.
fn month_sitemap(
    conn: &mut DbConnection,
    ctx: &Ctx,
    (year, month, page): (i32, u32, u32),
) -> Result<Vec<u8>, ApiError> {
    let bounds = month_bounds(year, month).ok_or_else(no_sitemap)?;
    let mut after = if page > 1 {
        let skip = i64::from(page - 1) * MAX_URLS as i64;
        Some(queries::key_before(conn, bounds, skip, ctx.now)?.ok_or_else(no_sitemap)?)
    } else {
        None
    };
    let base = &*ctx.base_url;
    let mut set = UrlSet::new();
    loop {
        let want = BATCH.min((MAX_URLS - set.len()) as i64);
        let rows = queries::published_between(conn, bounds, after, want, ctx.now)?;
        let mut groups: Vec<i64> = rows.iter().filter_map(|r| r.translation_group).collect();
        groups.sort_unstable();
        groups.dedup();
        let mut versions: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        for (group, lang, slug) in queries::versions(conn, &groups, ctx.now)? {
            if let Some(g) = group {
                versions
                    .entry(g)
                    .or_default()
                    .push((lang.clone(), article_url(base, &lang, &slug)));
            }
        }
        for row in &rows {
            let alternates: Vec<(&str, &str)> = row
                .translation_group
                .and_then(|g| versions.get(&g))
                .filter(|v| v.len() > 1)
                .map(|v| v.iter().map(|(l, u)| (l.as_str(), u.as_str())).collect())
                .unwrap_or_default();
            set.url(
                &article_url(base, &row.lang, &row.slug),
                Some(utc(row.updated_at)),
                &alternates,
                None,
            );
        }
        // A short batch is the month's end.
        let next = rows
            .last()
            .filter(|_| rows.len() as i64 == want && set.len() < MAX_URLS);
        match next.and_then(|last| Some((last.published_at?, last.id))) {
            Some(key) => after = Some(key),
            None => break,
        }
    }
    if set.is_empty() {
        return Err(no_sitemap());
    }
    Ok(set.finish())
}

/// Sections, authors or tags (those with public articles), each page in every language of
/// the site, with the others as alternates.
fn taxonomy_sitemap(
    conn: &mut DbConnection,
    ctx: &Ctx,
    kind: &'static str,
) -> Result<Vec<u8>, ApiError> {
    let languages = &ctx.site.languages;
    let most = (MAX_URLS / languages.len().max(1)) as i64;
    let rows = match kind {
        "sections" => queries::sections(conn, ctx.now)?,
        "authors" => queries::authors(conn, ctx.now, most)?,
        _ => queries::tags(conn, ctx.now, most)?,
    };
    let base = &*ctx.base_url;
    let mut set = UrlSet::new();
    for (slug, lastmod) in rows.iter().take(most as usize) {
        let pages: Vec<(String, String)> = languages
            .iter()
            .map(|l| (l.clone(), page_url(base, l, kind, slug)))
            .collect();
        let alternates: Vec<(&str, &str)> = if pages.len() > 1 {
            pages
                .iter()
                .map(|(l, u)| (l.as_str(), u.as_str()))
                .collect()
        } else {
            Vec::new()
        };
        for (_, url) in &pages {
            set.url(url, lastmod.map(utc), &alternates, None);
        }
    }
    Ok(set.finish())
}

/// One sitemap of the index.
///
/// `articles-YYYY-MM.xml` (and `articles-YYYY-MM-N.xml` for the N-th 50,000 of a month), with
/// every language version of an article as `xhtml:link` alternates; `sections.xml`,
/// `authors.xml`, `tags.xml`. A name the index does not list is a 404.
#[utoipa::path(
    tag = "syndication",
    params(("name" = String, Path, description = "A sitemap's file name, as the index lists it",
        example = "articles-2026-11.xml")),
    responses(
        (status = 200, description = "The sitemap", body = String, content_type = "application/xml"),
        PublicRead, NotFound,
    )
)]
#[get("/sitemaps/{name}")]
pub async fn one_sitemap(
    req: HttpRequest,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<Public<String>, ApiError> {
    let name = SitemapName::parse(&name).ok_or_else(no_sitemap)?;
    state
        .public(&req, move |conn, ctx| {
            let body = match name {
                SitemapName::Month { year, month, page } => {
                    month_sitemap(conn, ctx, (year, month, page))?
                }
                SitemapName::Taxonomy(kind) => taxonomy_sitemap(conn, ctx, kind)?,
            };
            Ok(Rendered::bytes(body, sitemap::XML_TYPE))
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_names() {
        assert!(matches!(
            SitemapName::parse("articles-2026-11.xml"),
            Some(SitemapName::Month {
                year: 2026,
                month: 11,
                page: 1
            })
        ));
        assert!(matches!(
            SitemapName::parse("articles-2026-01-3.xml"),
            Some(SitemapName::Month {
                year: 2026,
                month: 1,
                page: 3
            })
        ));
        assert!(matches!(
            SitemapName::parse("tags.xml"),
            Some(SitemapName::Taxonomy("tags"))
        ));
        for bad in [
            "articles-2026-13.xml",
            "articles-2026-1.xml",
            "articles-2026-11-1.xml",
            "articles-2026-11-02.xml",
            "articles-2026-11",
            "news.xml.gz",
            "../sitemap.xml",
        ] {
            assert!(SitemapName::parse(bad).is_none(), "{bad}");
        }
    }
}
