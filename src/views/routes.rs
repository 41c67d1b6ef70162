//! `POST /articles/{ref}/views`, `POST /views`, `GET /views`, `GET /popular`.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use super::dto::{
    BatchCounted, BatchItem, CountsQuery, PopularArticle, PopularMeta, PopularPage, PopularQuery,
    ViewBatch, ViewCount, ViewCounted, ViewCounts, ViewOutcome,
};
use super::queries;
use crate::articles::dto::ArticleQuery;
use crate::articles::feed::{self, FilterParams, RawFilters};
use crate::articles::queries as article_queries;
use crate::clock::utc;
use crate::counter::visitor;
use crate::counter::{Outcome, hour_of};
use crate::error::{ApiError, FieldError};
use crate::http::client::client_ip;
use crate::http::docs::{JsonBody, Malformed, NotFound, PublicRead};
use crate::http::json::{JsonForm, NoBody};
use crate::http::params::{Errors, Limit, Query, Ref, parse_lang, parse_query};
use crate::http::respond::{Accepted, Prebuilt, Public, Rendered};
use crate::http::schema::ResourceRef;
use crate::state::AppState;

pub const MAX_IDS: usize = 100;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(count_view)
        .service(count_batch)
        .service(view_counts)
        .service(popular);
}

fn outcome(o: Outcome) -> ViewOutcome {
    match o {
        Outcome::Counted => ViewOutcome::Counted,
        Outcome::Repeat => ViewOutcome::Repeat,
        Outcome::Bot => ViewOutcome::Bot,
    }
}

/// Counts one view of an article.
///
/// Send it when a reader opens the article. One view per visitor per article within the dedup
/// window (30 minutes by default) is counted; known crawlers and bots are answered
/// `counted: false`. The visitor is the app's install id in `X-Visitor-Id`, or else a daily
/// rotating keyed hash of the client address and User-Agent (no address is stored). Counted
/// views show in this server's answers at once and reach the database within a second.
#[utoipa::path(
    tag = "views",
    params(
        ("ref" = ResourceRef, Path, description = "Article id or slug"),
        ArticleQuery,
        ("X-Visitor-Id" = Option<String>, Header, pattern = "^[!-~]{1,128}$", description = "The app's install id (1-128 visible ASCII characters)"),
    ),
    responses(
        (status = 202, description = "Received; `counted` tells whether it was counted", body = ViewCounted),
        Malformed, NotFound,
    )
)]
#[post("/articles/{ref}/views")]
pub async fn count_view(
    req: HttpRequest,
    state: web::Data<AppState>,
    _body: NoBody,
) -> Result<Prebuilt<ViewCounted>, ApiError> {
    // The most frequent request of all: read the path and query in place rather than through
    // extractors that copy them.
    let r = Ref::parse(req.match_info().get("ref").unwrap_or_default())?;
    let site = state.site();
    let lang = match req.query_string() {
        "" => None,
        q => {
            let query: ArticleQuery = parse_query(q)?;
            parse_lang(query.lang.as_deref(), &site)
                .map_err(|e| ApiError::invalid_params(vec![e]))?
        }
    };
    let ip = client_ip(&req, &state.config.trusted_proxies);
    let who = visitor::presented(&req, ip)?;
    let now = state.clock.now();
    let id = state
        .views
        .target(&state.db, r, lang, &site, now.naive_utc())
        .await?
        .ok_or_else(|| ApiError::not_found("no published article with that id or slug"))?;
    let counted = state.views.record(&who, visitor::user_agent(&req), id, now) == Outcome::Counted;
    Ok(Prebuilt::new(
        HttpResponse::Accepted()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .content_type(mime::APPLICATION_JSON)
            .body(if counted { COUNTED_TRUE } else { COUNTED_FALSE }),
    ))
}

/// The two answers of `count_view`, as [`ViewCounted`] serializes them.
const COUNTED_TRUE: &str = r#"{"counted":true}"#;
const COUNTED_FALSE: &str = r#"{"counted":false}"#;

/// Counts views an app queued while offline.
///
/// Each id is counted as `POST /articles/{ref}/views` would count it, with the same visitor
/// rules; an id that names no published article is answered `unknown_article` instead of
/// failing the batch.
#[utoipa::path(
    tag = "views",
    params(
        ("X-Visitor-Id" = Option<String>, Header, pattern = "^[!-~]{1,128}$", description = "The app's install id (1-128 visible ASCII characters)"),
    ),
    request_body = ViewBatch,
    responses(
        (status = 202, description = "Received; what happened to each view", body = BatchCounted),
        JsonBody,
    )
)]
#[post("/views")]
pub async fn count_batch(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: JsonForm<ViewBatch>,
) -> Result<Accepted<BatchCounted>, ApiError> {
    let JsonForm { value, mut errors } = body;
    let Some(ids) = errors.required("article_ids", value.article_ids) else {
        return Err(errors.into_validation());
    };
    errors.check()?;
    if ids.is_empty() || ids.len() > MAX_IDS {
        return Err(ApiError::Validation(vec![FieldError::new(
            "article_ids",
            "out_of_range",
            format!("must hold 1 to {MAX_IDS} article ids"),
        )]));
    }
    let invalid: Vec<FieldError> = ids
        .iter()
        .enumerate()
        .filter(|(_, id)| **id <= 0)
        .map(|(i, _)| {
            FieldError::new(
                format!("article_ids[{i}]"),
                "invalid_id",
                "must be a positive article id",
            )
        })
        .collect();
    if !invalid.is_empty() {
        return Err(ApiError::Validation(invalid));
    }
    let ip = client_ip(&req, &state.config.trusted_proxies);
    let who = visitor::presented(&req, ip)?;
    let user_agent = visitor::user_agent(&req);
    let now = state.clock.now();
    let visible = state
        .views
        .visible_among(&state.db, &ids, now.naive_utc())
        .await?;
    let results = ids
        .into_iter()
        .map(|id| {
            let o = if visible.contains(&id) {
                outcome(state.views.record(&who, user_agent, id, now))
            } else {
                ViewOutcome::UnknownArticle
            };
            BatchItem {
                article_id: id,
                counted: o == ViewOutcome::Counted,
                outcome: o,
            }
        })
        .collect();
    Ok(Accepted(BatchCounted { results }))
}

/// Current view counts of many articles.
///
/// For article lists that show "Views: N" without loading each article. Ids that name no
/// published article are left out.
#[utoipa::path(
    tag = "views",
    params(CountsQuery),
    responses(
        (status = 200, description = "Counts in the order asked", body = ViewCounts),
        PublicRead,
    )
)]
#[get("/views")]
pub async fn view_counts(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<CountsQuery>,
) -> Result<Public<ViewCounts>, ApiError> {
    let ids = parse_ids(query.ids.as_deref())?;
    state
        .public(&req, move |conn, ctx| {
            let stored: HashMap<i64, i64> =
                queries::totals(conn, &ids, ctx.now)?.into_iter().collect();
            let mut data = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(n) = stored.get(&id) {
                    data.push(ViewCount {
                        id,
                        views: ctx.views_of(id, *n),
                    });
                }
            }
            Rendered::json(&ViewCounts { data })
        })
        .await
}

fn parse_ids(raw: Option<&str>) -> Result<Vec<i64>, ApiError> {
    let invalid = || {
        ApiError::invalid_param(
            "ids",
            "invalid_ids",
            format!("must be 1 to {MAX_IDS} positive article ids separated by commas"),
        )
    };
    let raw = raw
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(invalid)?;
    let mut ids = Vec::new();
    for part in raw.split(',') {
        let id: i64 = part.trim().parse().map_err(|_| invalid())?;
        if id <= 0 {
            return Err(invalid());
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.len() > MAX_IDS {
        return Err(invalid());
    }
    Ok(ids)
}

/// The most read articles.
///
/// Ranked by views within the window (from hourly counts), ties to the newer article. Each
/// entry is the article summary (with its all-time `views`) plus `period_views`.
#[utoipa::path(
    tag = "views",
    params(PopularQuery),
    responses(
        (status = 200, description = "Most viewed first", body = PopularPage),
        PublicRead,
    )
)]
#[get("/popular")]
pub async fn popular(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<PopularQuery>,
) -> Result<Public<PopularPage>, ApiError> {
    let query = query.into_inner();
    let site = state.site();
    let mut errors = Errors::default();
    let filters = FilterParams::parse(
        RawFilters {
            section: query.section.as_deref(),
            tag: None,
            author: None,
            lang: query.lang.as_deref(),
            from: None,
            to: None,
            featured: None,
        },
        &site,
        &mut errors,
    );
    let limit = errors.take(Limit::parse_with(query.limit.as_deref(), 10, 50));
    let period = query.period.as_deref().map(str::trim).unwrap_or("24h");
    let hours = match period {
        "1h" => Some(1),
        "24h" => Some(24),
        "7d" => Some(7 * 24),
        "30d" => Some(30 * 24),
        _ => {
            errors.push(FieldError::new(
                "period",
                "unknown_period",
                "must be `1h`, `24h`, `7d` or `30d`",
            ));
            None
        }
    };
    errors.finish()?;
    let (limit, hours, period) = (
        limit.unwrap_or_default(),
        hours.unwrap_or(24),
        period.to_string(),
    );
    state
        .public(&req, move |conn, ctx| {
            let since = hour_of(utc(ctx.now)) - chrono::Duration::hours(hours);
            let filter = filters.resolve(conn)?;
            let ranked = if filter.sections.matches_nothing() {
                Vec::new()
            } else {
                queries::popular(conn, since, &filter, i64::from(limit.get()), ctx.now)?
            };
            let ids: Vec<i64> = ranked.iter().map(|(id, _)| *id).collect();
            let rows = article_queries::summaries_by_ids(conn, &ids)?;
            let mut summaries: HashMap<i64, _> =
                feed::summaries(conn, ctx, rows, filter.lang.as_deref())?
                    .into_iter()
                    .map(|s| (s.id, s))
                    .collect();
            let data = ranked
                .into_iter()
                .filter_map(|(id, n)| {
                    summaries.remove(&id).map(|article| PopularArticle {
                        article,
                        period_views: n,
                    })
                })
                .collect();
            Rendered::json(&PopularPage {
                data,
                meta: PopularMeta {
                    period,
                    since: utc(since),
                    limit: limit.get(),
                },
            })
        })
        .await
}
