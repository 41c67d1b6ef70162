//! `GET /search` and `GET /search/suggest`.

use std::collections::HashMap;

use actix_web::{HttpRequest, get, web};

use super::dto::{
    Facets, LanguageFacet, SearchHit, SearchMeta, SearchPage, SearchQuery, SectionFacet,
    SuggestQuery, Suggestion, Suggestions,
};
use super::snippet;
use crate::articles::feed::{FilterParams, RawFilters, section_names, summaries};
use crate::articles::queries as article_queries;
use crate::error::{ApiError, FieldError};
use crate::http::cursor::Position;
use crate::http::docs::PublicRead;
use crate::http::pagination::split_probe;
use crate::http::params::{self, Errors, Limit, parse_lang};
use crate::http::respond::{Public, Rendered};
use crate::index::engine::Request;
use crate::index::query::Query;
use crate::index::search::{After, Order};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(search).service(suggest);
}

fn missing_q() -> ApiError {
    ApiError::BadRequest {
        code: "missing_parameter",
        detail: "parameter `q` is required: what to search for".into(),
        errors: vec![FieldError::new("q", "required", "must not be empty")],
    }
}

/// Full-text search of published articles.
///
/// English, Russian and Azerbaijani, on SQLite and PostgreSQL. Results are ranked by relevance
/// (a title match outranks a lead match, which outranks a body match) or, with
/// `order=newest`, by publish time; both page by cursor. Each hit carries the best-matching
/// passage with matches in `<mark>`. `meta.facets` counts hits per section and language.
/// Takes the filters of `GET /articles`. Only published articles whose time has come are ever
/// found.
#[utoipa::path(
    tag = "search",
    params(SearchQuery),
    responses(
        (status = 200, description = "A page of hits", body = SearchPage),
        PublicRead,
    )
)]
#[get("/search")]
pub async fn search(
    req: HttpRequest,
    state: web::Data<AppState>,
    params: params::Query<SearchQuery>,
) -> Result<Public<SearchPage>, ApiError> {
    let params = params.into_inner();
    let raw_q = params.q.as_deref().map(str::trim).unwrap_or_default();
    if raw_q.is_empty() {
        return Err(missing_q());
    }
    let site = state.site();
    let mut errors = Errors::default();
    let filters = FilterParams::parse(
        RawFilters {
            section: params.section.as_deref(),
            tag: params.tag.as_deref(),
            author: params.author.as_deref(),
            lang: params.lang.as_deref(),
            from: params.from.as_deref(),
            to: params.to.as_deref(),
            featured: None,
        },
        &site,
        &mut errors,
    );
    let limit = errors.take(Limit::parse(params.limit.as_deref()));
    let order = match params.order.as_deref().map(str::trim) {
        None | Some("relevance") => Some(Order::Relevance),
        Some("newest") => Some(Order::Newest),
        Some(_) => {
            errors.push(FieldError::new(
                "order",
                "unknown_order",
                "must be `relevance` or `newest`",
            ));
            None
        }
    };
    errors.finish()?;
    let query = Query::parse(raw_q)?;
    let (limit, order) = (limit.unwrap_or_default(), order.unwrap_or(Order::Relevance));
    let order_name = match order {
        Order::Relevance => "relevance",
        Order::Newest => "search-newest",
    };
    let after = match params.cursor.as_deref() {
        None => None,
        Some(raw) => Some(match state.cursors.decode("cursor", raw, order_name)? {
            Position::Score { r, i } => After::Score(r, i),
            pos => pos
                .as_time()
                .map(|(t, i)| After::Time(t, i))
                .ok_or_else(|| ApiError::bad_request("invalid_cursor", "not a search cursor"))?,
        }),
    };
    state.search.require_ready()?;
    state
        .public(&req, move |conn, ctx| {
            let filter = filters.resolve(conn)?;
            let found = if filter.matches_nothing() {
                Default::default()
            } else {
                ctx.search.search(&Request {
                    query: &query,
                    filter: &filter,
                    now: ctx.now,
                    order,
                    after,
                    limit: limit.probe() as usize,
                    bodies: true,
                })?
            };
            let (by_section, by_lang, total) = (found.sections, found.languages, found.total);
            // Snippets are cut from the body text the index keeps with each hit.
            let mut bodies = found.bodies;
            let mut hits = found.hits;
            // The database has the last word: a hit no longer public is never shown.
            let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
            let mut rows = article_queries::visible_summaries_by_ids(conn, &ids, ctx.now)?;
            hits.retain(|h| rows.iter().any(|r| r.id == h.id));
            let more = split_probe(&mut hits, limit.get());
            rows.truncate(hits.len());
            let next_cursor = more.then(|| hits.last()).flatten().map(|h| match order {
                Order::Relevance => ctx.cursors.encode(
                    order_name,
                    Position::Score {
                        r: h.score,
                        i: h.id,
                    },
                ),
                Order::Newest => ctx
                    .cursors
                    .encode(order_name, Position::time(h.published_at, h.id)),
            });

            let scores: HashMap<i64, f64> = hits.iter().map(|h| (h.id, h.score)).collect();
            let data = summaries(conn, ctx, rows, filter.lang.as_deref())?
                .into_iter()
                .map(|article| {
                    let body = bodies.remove(&article.id).unwrap_or_default();
                    let lead = &article.lead;
                    let snippet = snippet::snippet(&body, &query, &article.lang)
                        .or_else(|| snippet::snippet(lead, &query, &article.lang))
                        .unwrap_or_else(|| {
                            snippet::opening(if body.is_empty() { lead } else { &body })
                        });
                    SearchHit {
                        score: scores.get(&article.id).copied().unwrap_or_default(),
                        snippet,
                        article,
                    }
                })
                .collect();

            let names = section_names(conn, ctx, by_section.iter().map(|(id, _)| *id))?;
            let name_lang = filter.lang.as_deref().unwrap_or(&ctx.site.default_language);
            let mut sections: Vec<SectionFacet> = by_section
                .iter()
                .filter_map(|&(id, count)| {
                    let (slug, names) = names.get(&id)?;
                    Some(SectionFacet {
                        count,
                        name: names.resolve(name_lang, &ctx.site.default_language),
                        id,
                        slug: slug.clone(),
                    })
                })
                .collect();
            sections.sort_by(|a, b| b.count.cmp(&a.count).then(a.slug.cmp(&b.slug)));
            let mut languages: Vec<LanguageFacet> = by_lang
                .into_iter()
                .map(|(lang, count)| LanguageFacet { lang, count })
                .collect();
            languages.sort_by(|a, b| b.count.cmp(&a.count).then(a.lang.cmp(&b.lang)));
            let mut rendered = Rendered::json(&SearchPage {
                data,
                meta: SearchMeta {
                    limit: limit.get(),
                    next_cursor: next_cursor.clone(),
                    total: total as i64,
                    facets: Facets {
                        sections,
                        languages,
                    },
                },
            })?;
            rendered.next_cursor = next_cursor;
            Ok(rendered)
        })
        .await
}

/// Title completions for a search box, newest first.
///
/// Every word typed is completed as the beginning of a title word (`kos` → "Kosovo ...").
/// Case and accents do not matter.
#[utoipa::path(
    tag = "search",
    params(SuggestQuery),
    responses(
        (status = 200, description = "Completions", body = Suggestions),
        PublicRead,
    )
)]
#[get("/search/suggest")]
pub async fn suggest(
    req: HttpRequest,
    state: web::Data<AppState>,
    params: params::Query<SuggestQuery>,
) -> Result<Public<Suggestions>, ApiError> {
    let params = params.into_inner();
    let raw = params.q.as_deref().map(str::trim).unwrap_or_default();
    if raw.is_empty() {
        return Err(missing_q());
    }
    let mut errors = Errors::default();
    let lang = errors.take(parse_lang(params.lang.as_deref(), &state.site()));
    let limit = errors.take(Limit::parse_with(params.limit.as_deref(), 8, 20));
    errors.finish()?;
    if raw.len() > 200 {
        return Err(ApiError::BadRequest {
            code: "invalid_query",
            detail: "the text to complete is longer than 200 bytes".into(),
            errors: vec![FieldError::new("q", "invalid_query", "at most 200 bytes")],
        });
    }
    let mut words = crate::index::text::words(raw);
    words.truncate(6);
    let (lang, limit) = (lang.flatten(), limit.map_or(8, Limit::get));
    state.search.require_ready()?;
    state
        .public(&req, move |conn, ctx| {
            let data = if words.is_empty() {
                Vec::new()
            } else {
                // A few more than asked for, in case some are no longer public.
                let ids =
                    ctx.search
                        .suggest(&words, lang.as_deref(), ctx.now, limit as usize + 4)?;
                let mut rows = article_queries::visible_summaries_by_ids(conn, &ids, ctx.now)?;
                rows.truncate(limit as usize);
                rows.into_iter()
                    .map(|s| Suggestion {
                        id: s.id,
                        slug: s.slug,
                        lang: s.lang,
                        title: s.title,
                    })
                    .collect()
            };
            Rendered::json(&Suggestions { data })
        })
        .await
}
