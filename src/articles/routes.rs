//! Public article endpoints: the feed, one article, related articles.

use std::collections::{HashMap, HashSet};

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::dto::{
    Article, ArticleQuery, ArticleSummary, FeedQuery, RelatedQuery, ShareLinks, Translation,
};
use super::feed::{self, FeedRequest, FeedScope};
use super::queries;
use crate::error::{ApiError, Problem};
use crate::http::pagination::Page;
use crate::http::params::{Errors, Limit, Ref, parse_lang};
use crate::http::respond::Rendered;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_articles)
        .service(get_article)
        .service(related_articles);
}

/// Answers any of the four feeds.
pub async fn feed_response(
    req: &HttpRequest,
    state: &AppState,
    query: FeedQuery,
    scope: FeedScope,
) -> Result<HttpResponse, ApiError> {
    let parsed = FeedRequest::parse(query, &state.site(), &state.cursors)?;
    state
        .public(req, move |conn, ctx| feed::run(conn, ctx, &scope, &parsed))
        .await
}

/// The article feed, newest first.
///
/// Only published articles whose publish time has come are listed. Filters combine with AND;
/// a comma inside one filter means "any of", a leading `-` means "not". Paging is by cursor:
/// follow `meta.next_cursor` (or the `Link: rel="next"` header) until it is `null`. Stories
/// published while a reader pages neither repeat nor vanish. With `newer_than` the answer is
/// `{"count": n}` instead of a page.
#[utoipa::path(
    tag = "articles",
    params(FeedQuery),
    responses(
        (status = 200, description = "A page of article summaries; with `newer_than`, a `NewerCount` instead", body = Page<ArticleSummary>,
            headers(("Link" = String, description = "`<...>; rel=\"next\"` when there is a next page"), ("ETag" = String, description = "Strong validator"))),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 400, description = "A malformed parameter (`invalid_parameter`) or cursor (`invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/articles")]
pub async fn list_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<FeedQuery>,
) -> Result<HttpResponse, ApiError> {
    feed_response(&req, &state, query.into_inner(), FeedScope::All).await
}

/// One published article, in full.
///
/// `ref` is the numeric id or the slug. Slugs are unique per language: add `?lang=` when two
/// languages share one. Drafts, scheduled articles before their time and archived articles are
/// 404, exactly like articles that never existed.
#[utoipa::path(
    tag = "articles",
    params(("ref" = String, Path, description = "Article id or slug", example = "port-of-baku-expands-cargo-terminal"), ArticleQuery),
    responses(
        (status = 200, description = "The article", body = Article),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Malformed `ref` or `lang`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No published article with that id or slug", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/articles/{ref}")]
pub async fn get_article(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<ArticleQuery>,
) -> Result<HttpResponse, ApiError> {
    let r = Ref::parse(&path)?;
    let lang = parse_lang(query.lang.as_deref(), &state.site())
        .map_err(|e| ApiError::invalid_params(vec![e]))?;
    state
        .public(&req, move |conn, ctx| {
            let (row, body) =
                queries::find_visible(conn, &r, lang.as_deref(), &ctx.site.languages, ctx.now)?
                    .ok_or_else(|| {
                        ApiError::not_found("no published article with that id or slug")
                    })?;
            let translations = match body.translation_group {
                Some(group) => queries::translations(conn, group, row.id, ctx.now)?
                    .into_iter()
                    .map(|(lang, id, slug, title)| Translation {
                        lang,
                        id,
                        slug,
                        title,
                    })
                    .collect(),
                None => Vec::new(),
            };
            let summary = feed::summaries(conn, ctx, vec![row], lang.as_deref())?
                .pop()
                .ok_or_else(|| ApiError::internal("summary of a loaded row is missing"))?;
            let share = ShareLinks::new(&summary.canonical_url, &summary.title);
            Rendered::json(&Article {
                summary,
                body_html: body.body_html,
                body_text: body.body_text,
                source: body.source,
                share,
                translations,
            })
        })
        .await
}

/// Articles related to one article.
///
/// Ranked by shared tags, then same section, then recency; same language as the article.
#[utoipa::path(
    tag = "articles",
    params(("ref" = String, Path, description = "Article id or slug"), RelatedQuery),
    responses(
        (status = 200, description = "Related article summaries", body = Page<ArticleSummary>),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Malformed parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No published article with that id or slug", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/articles/{ref}/related")]
pub async fn related_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<RelatedQuery>,
) -> Result<HttpResponse, ApiError> {
    let r = Ref::parse(&path)?;
    let mut errors = Errors::default();
    let limit = errors.take(Limit::parse_with(query.limit.as_deref(), 5, 20));
    let lang = errors.take(parse_lang(query.lang.as_deref(), &state.site()));
    errors.finish()?;
    let (limit, lang) = (limit.map_or(5, Limit::get), lang.flatten());
    state
        .public(&req, move |conn, ctx| {
            let (row, _) =
                queries::find_visible(conn, &r, lang.as_deref(), &ctx.site.languages, ctx.now)?
                    .ok_or_else(|| {
                        ApiError::not_found("no published article with that id or slug")
                    })?;
            let own_tags: HashSet<i64> = queries::tag_ids_of(conn, &[row.id])?
                .into_iter()
                .map(|(_, t)| t)
                .collect();
            let own_tag_list: Vec<i64> = own_tags.iter().copied().collect();
            let candidates = queries::related_candidates(conn, &row, &own_tag_list, ctx.now)?;
            let ids: Vec<i64> = candidates.iter().map(|c| c.id).collect();
            let mut shared: HashMap<i64, i64> = HashMap::new();
            for (article, tag) in queries::tag_ids_of(conn, &ids)? {
                if own_tags.contains(&tag) {
                    *shared.entry(article).or_default() += 1;
                }
            }
            let mut scored: Vec<_> = candidates
                .into_iter()
                .map(|c| {
                    let score = 2 * shared.get(&c.id).copied().unwrap_or(0)
                        + i64::from(c.section_id == row.section_id);
                    (score, c)
                })
                .collect();
            scored.sort_by(|(sa, a), (sb, b)| {
                sb.cmp(sa)
                    .then(b.published_at.cmp(&a.published_at))
                    .then(b.id.cmp(&a.id))
            });
            let rows = scored
                .into_iter()
                .take(limit as usize)
                .map(|(_, c)| c)
                .collect();
            let data = feed::summaries(conn, ctx, rows, lang.as_deref())?;
            Rendered::page(&Page::new(data, limit, None))
        })
        .await
}
