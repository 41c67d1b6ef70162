//! Public section endpoints.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::dto::{SectionDto, SectionListQuery, SectionQuery};
use super::model::{Localized, SectionRow};
use super::queries;
use crate::articles::dto::{ArticleSummary, FeedQuery};
use crate::articles::feed::FeedScope;
use crate::articles::routes::feed_response;
use crate::error::{ApiError, Problem};
use crate::http::cursor::Position;
use crate::http::pagination::{Page, split_probe};
use crate::http::params::{Errors, Limit, Ref, parse_lang};
use crate::http::respond::Rendered;
use crate::site::Site;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_sections)
        .service(get_section)
        .service(section_articles);
}

const ORDER: &str = "position";

fn to_dto(row: SectionRow, lang: Option<&str>, site: &Site, count: i64) -> SectionDto {
    let names = Localized::parse(&row.names);
    let descriptions = Localized::parse(&row.descriptions);
    let lang = lang.unwrap_or(&site.default_language);
    SectionDto {
        id: row.id,
        slug: row.slug,
        name: names.resolve(lang, &site.default_language),
        description: descriptions.resolve(lang, &site.default_language),
        names: names.0,
        descriptions: descriptions.0,
        position: row.position,
        article_count: count,
    }
}

/// The sections, in menu order.
///
/// Names and descriptions come resolved to `?lang=` and also as the full map of languages.
#[utoipa::path(
    tag = "sections",
    params(SectionListQuery),
    responses(
        (status = 200, description = "A page of sections", body = Page<SectionDto>),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Malformed parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/sections")]
pub async fn list_sections(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<SectionListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let mut errors = Errors::default();
    let lang = errors.take(parse_lang(query.lang.as_deref(), &state.site()));
    let limit = errors.take(Limit::parse(query.limit.as_deref()));
    errors.finish()?;
    let (lang, limit) = (lang.flatten(), limit.unwrap_or_default());
    let after = match query.cursor.as_deref() {
        Some(raw) => match state.cursors.decode("cursor", raw, ORDER)? {
            Position::Count { n, i } => Some((i32::try_from(n).unwrap_or(i32::MAX), i)),
            _ => {
                return Err(ApiError::bad_request(
                    "invalid_cursor",
                    "not a section cursor",
                ));
            }
        },
        None => None,
    };
    state
        .public(&req, move |conn, ctx| {
            let mut rows = queries::list(conn, after, limit.probe())?;
            let more = split_probe(&mut rows, limit.get());
            let next = more.then(|| rows.last()).flatten().map(|r| {
                ctx.cursors.encode(
                    ORDER,
                    Position::Count {
                        n: i64::from(r.position),
                        i: r.id,
                    },
                )
            });
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let counts: HashMap<i64, i64> =
                queries::article_counts(conn, &ids, lang.as_deref(), ctx.now)?;
            let data = rows
                .into_iter()
                .map(|r| {
                    let count = counts.get(&r.id).copied().unwrap_or(0);
                    to_dto(r, lang.as_deref(), &ctx.site, count)
                })
                .collect();
            Rendered::page(&Page::new(data, limit.get(), next))
        })
        .await
}

/// One section.
#[utoipa::path(
    tag = "sections",
    params(("ref" = String, Path, description = "Section id or slug", example = "world"), SectionQuery),
    responses(
        (status = 200, description = "The section", body = SectionDto),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Malformed parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such section", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/sections/{ref}")]
pub async fn get_section(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<SectionQuery>,
) -> Result<HttpResponse, ApiError> {
    let r = Ref::parse(&path)?;
    let lang = parse_lang(query.lang.as_deref(), &state.site())
        .map_err(|e| ApiError::invalid_params(vec![e]))?;
    state
        .public(&req, move |conn, ctx| {
            let row =
                queries::find(conn, &r)?.ok_or_else(|| ApiError::not_found("no such section"))?;
            let counts = queries::article_counts(conn, &[row.id], lang.as_deref(), ctx.now)?;
            let count = counts.get(&row.id).copied().unwrap_or(0);
            Rendered::json(&to_dto(row, lang.as_deref(), &ctx.site, count))
        })
        .await
}

/// The section's feed.
///
/// Takes every parameter of `GET /articles`.
#[utoipa::path(
    tag = "sections",
    params(("ref" = String, Path, description = "Section id or slug", example = "world"), FeedQuery),
    responses(
        (status = 200, description = "A page of article summaries", body = Page<ArticleSummary>),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Malformed parameter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such section", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/sections/{ref}/articles")]
pub async fn section_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<FeedQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = FeedScope::Section(Ref::parse(&path)?);
    feed_response(&req, &state, query.into_inner(), scope).await
}
