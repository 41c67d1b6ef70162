//! Public article endpoints: the feed, one article, related articles.

use std::collections::{HashMap, HashSet};

use actix_web::{Either, HttpRequest, get, web};

use crate::redirects::routes::Moved;

use super::dto::{
    Article, ArticleQuery, ArticleSummary, EditorialArticle, EditorialQuery, FeedAnswer, FeedQuery,
    RelatedQuery,
};
use super::editorial;
use super::feed::{self, FeedRequest, FeedScope};
use super::queries;
use crate::auth::MaybeUser;
use crate::error::ApiError;
use crate::http::docs::{NotFound, PublicRead, SignedIn};
use crate::http::pagination::Page;
use crate::http::params::{Errors, Limit, Query, Ref, parse_lang};
use crate::http::respond::{Private, Public, Rendered};
use crate::http::schema::ResourceRef;
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
) -> Result<Public<FeedAnswer>, ApiError> {
    let parsed = FeedRequest::parse(query, &state.site(), &state.cursors)?;
    state
        .public(req, move |conn, ctx| feed::run(conn, ctx, &scope, &parsed))
        .await
}

/// The article feed, newest first; with a token and `status`, the editorial listing.
///
/// Public: only published articles whose publish time has come are listed. Filters combine
/// with AND; a comma inside one filter means "any of", a leading `-` means "not". Paging is by
/// cursor: follow `meta.next_cursor` (or the `Link: rel="next"` header) until it is `null`.
/// Stories published while a reader pages neither repeat nor vanish. With `newer_than` the
/// answer is `{"count": n}` instead of a page.
///
/// Editorial: with `Authorization: Bearer` and `status` (`draft`, `scheduled`, `published`,
/// `archived`, comma-separated, or `any`), lists articles in those states, most recently
/// updated first (writers: their own only). `status` without a token is a 401.
#[utoipa::path(
    tag = "articles",
    params(FeedQuery, EditorialQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of article summaries; with `newer_than`, the count of newer ones", body = FeedAnswer,
            headers(("Link" = String, description = "`<...>; rel=\"next\"` when there is a next page"), ("ETag" = String, description = "Strong validator"))),
        PublicRead, SignedIn,
    )
)]
#[get("/articles")]
pub async fn list_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<FeedQuery>,
    editorial: Query<EditorialQuery>,
    user: MaybeUser,
) -> Result<Either<Public<FeedAnswer>, Private<Page<ArticleSummary>>>, ApiError> {
    match (user.0, editorial.into_inner().status) {
        (None, Some(_)) => Err(ApiError::Unauthorized {
            code: "missing_token",
            detail: "listing by `status` needs `Authorization: Bearer <access token>`".into(),
        }),
        (Some(user), Some(status)) => {
            editorial::list::editorial_list(&state, user, &status, query.into_inner())
                .await
                .map(Either::Right)
        }
        (Some(_), None) => feed_response(&req, &state, query.into_inner(), FeedScope::All)
            .await
            .map(|feed| Either::Left(feed.no_store())),
        (None, None) => feed_response(&req, &state, query.into_inner(), FeedScope::All)
            .await
            .map(Either::Left),
    }
}

/// One published article, in full; with a token, any article the user may see.
///
/// `ref` is the numeric id or the slug. Slugs are unique per language: add `?lang=` when two
/// languages share one. Publicly, drafts, scheduled articles before their time and archived
/// articles are 404, exactly like articles that never existed. With a token the editorial
/// representation is answered (Markdown source, revision) for any article the user may see:
/// editors see all, writers their own and public ones.
#[utoipa::path(
    tag = "articles",
    params(("ref" = ResourceRef, Path, description = "Article id or slug", example = "port-of-baku-expands-cargo-terminal"), ArticleQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The article (`EditorialArticle` with a token)", body = Article),
        (status = 301, description = "An old slug of a published article: `Location` names its current one", headers(("Location" = String, description = "`/api/v1/articles/{slug}?lang={lang}`"))),
        PublicRead, SignedIn, NotFound,
    )
)]
#[get("/articles/{ref}")]
pub async fn get_article(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: Query<ArticleQuery>,
    user: MaybeUser,
) -> Result<Either<Either<Public<Article>, Private<EditorialArticle>>, Moved>, ApiError> {
    let r = Ref::parse(&path)?;
    let lang = parse_lang(query.lang.as_deref(), &state.site())
        .map_err(|e| ApiError::invalid_params(vec![e]))?;
    if let Some(user) = user.0 {
        let ctx = state.ctx();
        let article = state
            .db
            .run(move |conn| {
                let found = match &r {
                    Ref::Id(id) => queries::find_by_id(conn, *id)?,
                    Ref::Slug(slug) => queries::find_by_slug(
                        conn,
                        slug,
                        lang.as_deref().unwrap_or(&ctx.site.default_language),
                    )?,
                };
                let (row, body) = found
                    .filter(|(row, body)| {
                        editorial::policy::may_view(&user, row, body.created_by, ctx.now)
                    })
                    .ok_or_else(|| ApiError::not_found("no article with that id or slug"))?;
                editorial::load_editorial(conn, &ctx, row.id).map(|a| (a, body))
            })
            .await?;
        return Ok(Either::Left(Either::Right(Private(article.0))));
    }
    let slug = match &r {
        Ref::Slug(s) => Some(s.clone()),
        Ref::Id(_) => None,
    };
    let lang_asked = lang.clone();
    let found = state
        .public(&req, move |conn, ctx| {
            let (row, body) =
                queries::find_visible(conn, &r, lang.as_deref(), &ctx.site.languages, ctx.now)?
                    .ok_or_else(|| {
                        ApiError::not_found("no published article with that id or slug")
                    })?;
            Rendered::json(&feed::public_page(conn, ctx, row, body, lang.as_deref())?)
        })
        .await;
    match (found, slug) {
        // An old slug of a published article: a 301 to its current one.
        (Err(ApiError::NotFound(detail)), Some(slug)) => {
            match Moved::of(&state, &slug, lang_asked.as_deref()).await? {
                Some(moved) => Ok(Either::Right(moved)),
                None => Err(ApiError::NotFound(detail)),
            }
        }
        (found, _) => found.map(|page| Either::Left(Either::Left(page))),
    }
}

/// Articles related to one article.
///
/// Ranked by shared tags, text similarity (words of its title found in theirs, from the search
/// index) and section, then recency; same language as the article.
#[utoipa::path(
    tag = "articles",
    params(("ref" = ResourceRef, Path, description = "Article id or slug"), RelatedQuery),
    responses(
        (status = 200, description = "Related article summaries", body = Page<ArticleSummary>),
        PublicRead, NotFound,
    )
)]
#[get("/articles/{ref}/related")]
pub async fn related_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: Query<RelatedQuery>,
) -> Result<Public<Page<ArticleSummary>>, ApiError> {
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
            let mut candidates = queries::related_candidates(conn, &row, &own_tag_list, ctx.now)?;
            // Text similarity from the search index: articles whose words are like this title.
            let similar = ctx
                .search
                .similar(row.id, &row.lang, &row.title, 30, ctx.now)?;
            let best = similar.iter().map(|(_, s)| *s).fold(0.0_f64, f64::max);
            let text: HashMap<i64, f64> = similar
                .iter()
                .map(|(id, s)| (*id, if best > 0.0 { s / best } else { 0.0 }))
                .collect();
            let missing: Vec<i64> = similar
                .iter()
                .map(|(id, _)| *id)
                .filter(|id| !candidates.iter().any(|c| c.id == *id))
                .collect();
            candidates.extend(queries::summaries_by_ids(conn, &missing)?);
            let ids: Vec<i64> = candidates.iter().map(|c| c.id).collect();
            let mut shared: HashMap<i64, f64> = HashMap::new();
            for (article, tag) in queries::tag_ids_of(conn, &ids)? {
                if own_tags.contains(&tag) {
                    *shared.entry(article).or_default() += 1.0;
                }
            }
            // Two points per shared tag, one for the same section, up to three for the text.
            let mut scored: Vec<_> = candidates
                .into_iter()
                .map(|c| {
                    let score = 2.0 * shared.get(&c.id).copied().unwrap_or(0.0)
                        + f64::from(u8::from(c.section_id == row.section_id))
                        + 3.0 * text.get(&c.id).copied().unwrap_or(0.0);
                    (score, c)
                })
                .collect();
            scored.sort_by(|(sa, a), (sb, b)| {
                sb.total_cmp(sa)
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
