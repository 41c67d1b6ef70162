//! Public author endpoints.

use actix_web::{HttpRequest, delete, get, patch, post, web};

use super::dto::{AuthorDto, NewAuthorRequest, UpdateAuthorRequest};
use super::model::NewAuthor;
use super::queries::{self, AuthorChanges};
use crate::articles::dto::{FeedAnswer, FeedQuery};
use crate::articles::feed::FeedScope;
use crate::articles::routes::feed_response;
use crate::auth::RequireEditor;
use crate::content::{pick_slug, slug_problem};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::error::FieldError;
use crate::feeds::model::{AUTHOR, DELETE, UPSERT};
use crate::http::docs::{Conflict, Forbidden, JsonBody, NotFound, PublicRead, SignedIn};
use crate::http::json::JsonForm;
use crate::http::listing;
use crate::http::pagination::{Page, PageQuery};
use crate::http::params::Ref;
use crate::http::params::{Errors, Query};
use crate::http::respond::{Created, NoContent, Private, Public, Rendered};
use crate::http::schema::ResourceRef;
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
///
/// Every author profile, ordered by name and paged by cursor.
#[utoipa::path(
    tag = "authors",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of authors", body = Page<AuthorDto>),
        PublicRead,
    )
)]
#[get("/authors")]
pub async fn list_authors(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<PageQuery>,
) -> Result<Public<Page<AuthorDto>>, ApiError> {
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
///
/// By id or slug, with the number of published articles in the author's byline.
#[utoipa::path(
    tag = "authors",
    params(("ref" = ResourceRef, Path, description = "Author id or slug", example = "leyla-mammadova")),
    responses(
        (status = 200, description = "The author, with `article_count`", body = AuthorDto),
        PublicRead, NotFound,
    )
)]
#[get("/authors/{ref}")]
pub async fn get_author(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<Public<AuthorDto>, ApiError> {
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
    params(("ref" = ResourceRef, Path, description = "Author id or slug"), FeedQuery),
    responses(
        (status = 200, description = "A page of article summaries; with `newer_than`, the count of newer ones", body = FeedAnswer),
        PublicRead, NotFound,
    )
)]
#[get("/authors/{ref}/articles")]
pub async fn author_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: Query<FeedQuery>,
) -> Result<Public<FeedAnswer>, ApiError> {
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
///
/// The slug is generated from the name (transliterated) when left out; a taken one is a 409
/// `slug_taken`.
#[utoipa::path(
    tag = "authors",
    security(("bearer" = [])),
    request_body = NewAuthorRequest,
    responses(
        (status = 201, description = "Created", body = AuthorDto, headers(("Location" = String, description = "The new author"))),
        SignedIn, Forbidden, Conflict, JsonBody,
    )
)]
#[post("/authors")]
pub async fn create_author(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    body: JsonForm<NewAuthorRequest>,
) -> Result<Created<AuthorDto>, ApiError> {
    let JsonForm {
        value: req,
        mut errors,
    } = body;
    errors.required("name", req.name.as_ref());
    check_fields(
        &mut errors,
        req.name.as_deref(),
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
            let name = req.name.as_deref().unwrap_or_default().trim();
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
    Ok(Created {
        location: format!("/api/v1/authors/{}", dto.id),
        body: dto,
    })
}

/// Changes an author profile (merge patch). Editors and admins.
///
/// Absent fields stay as they are; `null` clears `bio` and `avatar_url`. Articles show the
/// new name at once.
#[utoipa::path(
    tag = "authors",
    security(("bearer" = [])),
    params(("ref" = ResourceRef, Path, description = "Author id or slug")),
    request_body = UpdateAuthorRequest,
    responses(
        (status = 200, description = "Updated", body = AuthorDto),
        SignedIn, Forbidden, NotFound, Conflict, JsonBody,
    )
)]
#[patch("/authors/{ref}")]
pub async fn update_author(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: JsonForm<UpdateAuthorRequest>,
) -> Result<Private<AuthorDto>, ApiError> {
    let r = Ref::parse(&path)?;
    let JsonForm {
        value: req,
        mut errors,
    } = body;
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
    Ok(Private(dto))
}

/// Deletes an author profile.
///
/// An author still in the byline of an article cannot be deleted (409 `in_use`). Editors and
/// admins.
#[utoipa::path(
    tag = "authors",
    security(("bearer" = [])),
    params(("ref" = ResourceRef, Path, description = "Author id or slug")),
    responses(
        (status = 204, description = "Deleted"),
        SignedIn, Forbidden, NotFound, Conflict,
    )
)]
#[delete("/authors/{ref}")]
pub async fn delete_author(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<NoContent, ApiError> {
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
    Ok(NoContent)
}
