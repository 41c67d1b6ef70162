//! Public author endpoints.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};

use super::dto::{AuthorDto, NewAuthorRequest, UpdateAuthorRequest};
use super::model::NewAuthor;
use super::queries::{self, AuthorChanges};
use crate::articles::dto::{ArticleSummary, FeedQuery};
use crate::articles::feed::FeedScope;
use crate::articles::routes::feed_response;
use crate::auth::RequireEditor;
use crate::content::{pick_slug, slug_problem};
use crate::db::DbConnection;
use crate::error::FieldError;
use crate::error::{ApiError, Problem};
use crate::feeds::model::{AUTHOR, DELETE, UPSERT};
use crate::http::json::{ValidJson, created, no_content, private_json};
use crate::http::listing;
use crate::http::pagination::{Page, PageQuery};
use crate::http::params::Errors;
use crate::http::params::Ref;
use crate::http::respond::Rendered;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_authors)
        .service(get_author)
        .service(author_articles)
        .service(create_author)
        .service(update_author)
        .service(delete_author);
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

fn check_fields(
    errors: &mut Errors,
    name: Option<&str>,
    slug: Option<&str>,
    bio: Option<&str>,
    avatar: Option<&str>,
) {
    if let Some(name) = name {
        let n = name.trim().chars().count();
        if n == 0 || n > 200 {
            errors.push(FieldError::new(
                "name",
                "invalid_length",
                "must be 1 to 200 characters",
            ));
        }
    }
    if let Some(problem) = slug.and_then(slug_problem) {
        errors.push(problem);
    }
    if bio.is_some_and(|b| b.chars().count() > 5_000) {
        errors.push(FieldError::new(
            "bio",
            "too_long",
            "must be at most 5000 characters",
        ));
    }
    if let Some(url) = avatar {
        if !url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
            errors.push(FieldError::new(
                "avatar_url",
                "invalid_url",
                "must be an http(s) URL",
            ));
        }
    }
}

fn load(
    conn: &mut DbConnection,
    id: i64,
    now: chrono::NaiveDateTime,
) -> Result<AuthorDto, ApiError> {
    let row =
        queries::find(conn, &Ref::Id(id))?.ok_or_else(|| ApiError::not_found("no such author"))?;
    let count = queries::article_count(conn, id, now)?;
    Ok(AuthorDto::new(row, Some(count)))
}

/// Creates an author profile. Editors and admins.
#[utoipa::path(
    tag = "authors",
    security(("bearer" = [])),
    request_body = NewAuthorRequest,
    responses(
        (status = 201, description = "Created", body = AuthorDto, headers(("Location" = String, description = "The new author"))),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Slug taken (`slug_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/authors")]
pub async fn create_author(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    body: ValidJson<NewAuthorRequest>,
) -> Result<HttpResponse, ApiError> {
    let req = body.0;
    let mut errors = Errors::default();
    check_fields(
        &mut errors,
        Some(&req.name),
        req.slug.as_deref(),
        req.bio.as_deref(),
        req.avatar_url.as_deref(),
    );
    if !errors.is_empty() {
        return Err(errors.into_validation());
    }
    let now = state.clock.now_naive();
    let dto = state
        .write(move |tx| {
            let name = req.name.trim();
            let slug = pick_slug(req.slug.as_deref(), name, |s| {
                Ok(queries::slug_exists(tx, s, None)?)
            })?;
            let id = queries::insert(
                tx,
                &NewAuthor {
                    slug: &slug,
                    name,
                    bio: req.bio.as_deref().unwrap_or_default(),
                    avatar_url: req.avatar_url.as_deref(),
                    created_at: now,
                    updated_at: now,
                },
            )?;
            tx.announce(UPSERT, AUTHOR, id);
            load(tx, id, now)
        })
        .await?;
    Ok(created(&format!("/api/v1/authors/{}", dto.id), &dto))
}

/// Changes an author profile (merge patch). Editors and admins.
#[utoipa::path(
    tag = "authors",
    security(("bearer" = [])),
    params(("ref" = String, Path, description = "Author id or slug")),
    request_body = UpdateAuthorRequest,
    responses(
        (status = 200, description = "Updated", body = AuthorDto),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such author", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Slug taken (`slug_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/authors/{ref}")]
pub async fn update_author(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: ValidJson<UpdateAuthorRequest>,
) -> Result<HttpResponse, ApiError> {
    let r = Ref::parse(&path)?;
    let req = body.0;
    let mut errors = Errors::default();
    check_fields(
        &mut errors,
        req.name.as_deref(),
        req.slug.as_deref(),
        req.bio.as_ref().and_then(|b| b.as_deref()),
        req.avatar_url.as_ref().and_then(|a| a.as_deref()),
    );
    if !errors.is_empty() {
        return Err(errors.into_validation());
    }
    let now = state.clock.now_naive();
    let dto = state
        .write(move |tx| {
            let row =
                queries::find(tx, &r)?.ok_or_else(|| ApiError::not_found("no such author"))?;
            let slug = match &req.slug {
                Some(s) => Some(pick_slug(Some(s), "", |s| {
                    Ok(queries::slug_exists(tx, s, Some(row.id))?)
                })?),
                None => None,
            };
            queries::update(
                tx,
                row.id,
                &AuthorChanges {
                    slug,
                    name: req.name.as_deref().map(|n| n.trim().to_string()),
                    bio: req.bio.clone().map(Option::unwrap_or_default),
                    avatar_url: req.avatar_url.clone(),
                    updated_at: Some(now),
                },
            )?;
            tx.announce(UPSERT, AUTHOR, row.id);
            load(tx, row.id, now)
        })
        .await?;
    Ok(private_json(StatusCode::OK, &dto))
}

/// Deletes an author profile. An author still in the byline of an article cannot be deleted
/// (409 `in_use`). Editors and admins.
#[utoipa::path(
    tag = "authors",
    security(("bearer" = [])),
    params(("ref" = String, Path, description = "Author id or slug")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such author", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Still in a byline (`in_use`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/authors/{ref}")]
pub async fn delete_author(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let r = Ref::parse(&path)?;
    state
        .write(move |tx| {
                let row = queries::find(tx, &r)?.ok_or_else(|| ApiError::not_found("no such author"))?;
                let live = queries::live_article_ids(tx, row.id)?.len();
                if live > 0 {
                    return Err(ApiError::Conflict {
                        code: "in_use",
                        detail: format!(
                            "author `{}` is in the byline of {live} article(s); change those bylines first",
                            row.slug
                        ),
                    });
                }
                queries::delete(tx, row.id)?;
                tx.announce(DELETE, AUTHOR, row.id);
                Ok(())
        })
        .await?;
    Ok(no_content())
}
