//! Public tag endpoints.

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::dto::TagDto;
use super::queries;
use crate::articles::dto::{ArticleSummary, FeedQuery};
use crate::articles::feed::FeedScope;
use crate::articles::routes::feed_response;
use crate::error::{ApiError, Problem};
use crate::http::listing;
use crate::http::pagination::{Page, PageQuery};
use crate::http::params::Ref;
use crate::http::respond::Rendered;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_tags)
        .service(get_tag)
        .service(tag_articles);
}

/// The tags, by name.
#[utoipa::path(
    tag = "tags",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of tags", body = Page<TagDto>),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Malformed parameter or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tags")]
pub async fn list_tags(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    listing::by_name(
        &req,
        &state,
        &query,
        queries::list,
        |r| (r.name.clone(), r.id),
        |r| TagDto::new(r, None),
    )
    .await
}

/// One tag.
#[utoipa::path(
    tag = "tags",
    params(("ref" = String, Path, description = "Tag id or slug", example = "energy")),
    responses(
        (status = 200, description = "The tag, with `article_count`", body = TagDto),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Malformed `ref`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such tag", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tags/{ref}")]
pub async fn get_tag(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let r = Ref::parse(&path)?;
    state
        .public(&req, move |conn, ctx| {
            let row = queries::find(conn, &r)?.ok_or_else(|| ApiError::not_found("no such tag"))?;
            let count = queries::article_count(conn, row.id, ctx.now)?;
            Rendered::json(&TagDto::new(row, Some(count)))
        })
        .await
}

/// The tag's articles.
///
/// Takes every parameter of `GET /articles`.
#[utoipa::path(
    tag = "tags",
    params(("ref" = String, Path, description = "Tag id or slug"), FeedQuery),
    responses(
        (status = 200, description = "A page of article summaries", body = Page<ArticleSummary>),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Malformed parameter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such tag", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tags/{ref}/articles")]
pub async fn tag_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<FeedQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = FeedScope::Tag(Ref::parse(&path)?);
    feed_response(&req, &state, query.into_inner(), scope).await
}
