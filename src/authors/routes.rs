//! Public author endpoints.

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::dto::AuthorDto;
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
    cfg.service(list_authors)
        .service(get_author)
        .service(author_articles);
}

/// The authors, by name.
#[utoipa::path(
    tag = "authors",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of authors", body = Page<AuthorDto>),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Malformed parameter or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/authors")]
pub async fn list_authors(
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
        |r| AuthorDto::new(r, None),
    )
    .await
}

/// One author.
#[utoipa::path(
    tag = "authors",
    params(("ref" = String, Path, description = "Author id or slug", example = "leyla-mammadova")),
    responses(
        (status = 200, description = "The author, with `article_count`", body = AuthorDto),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Malformed `ref`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such author", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/authors/{ref}")]
pub async fn get_author(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let r = Ref::parse(&path)?;
    state
        .public(&req, move |conn, ctx| {
            let row =
                queries::find(conn, &r)?.ok_or_else(|| ApiError::not_found("no such author"))?;
            let count = queries::article_count(conn, row.id, ctx.now)?;
            Rendered::json(&AuthorDto::new(row, Some(count)))
        })
        .await
}

/// The author's articles.
///
/// Takes every parameter of `GET /articles`.
#[utoipa::path(
    tag = "authors",
    params(("ref" = String, Path, description = "Author id or slug"), FeedQuery),
    responses(
        (status = 200, description = "A page of article summaries", body = Page<ArticleSummary>),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Malformed parameter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such author", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/authors/{ref}/articles")]
pub async fn author_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<FeedQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = FeedScope::Author(Ref::parse(&path)?);
    feed_response(&req, &state, query.into_inner(), scope).await
}
