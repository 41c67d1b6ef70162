//! Public tag endpoints.

use actix_web::{HttpRequest, delete, get, patch, post, web};

use super::dto::{NewTagRequest, TagDto, UpdateTagRequest};
use super::model::NewTag;
use super::queries::{self, TagChanges};
use crate::articles::dto::{FeedAnswer, FeedQuery};
use crate::articles::feed::FeedScope;
use crate::articles::routes::feed_response;
use crate::auth::RequireEditor;
use crate::content::{pick_slug, slug_problem};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::error::FieldError;
use crate::feeds::model::{ARTICLE, DELETE, TAG, UPSERT};
use crate::http::docs::{Conflict, Forbidden, JsonBody, NotFound, PublicRead, SignedIn};
use crate::http::json::JsonForm;
use crate::http::listing;
use crate::http::pagination::{Page, PageQuery};
use crate::http::params::Ref;
use crate::http::params::{Errors, Query};
use crate::http::respond::{Created, NoContent, Private, Public, Rendered};
use crate::http::schema::ResourceRef;
use crate::state::AppState;
use crate::write::Tx;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_tags)
        .service(get_tag)
        .service(tag_articles)
        .service(create_tag)
        .service(update_tag)
        .service(delete_tag);
}

/// The tags, by name.
///
/// Every tag, ordered by name and paged by cursor.
#[utoipa::path(
    tag = "tags",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of tags", body = Page<TagDto>),
        PublicRead,
    )
)]
#[get("/tags")]
pub async fn list_tags(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<PageQuery>,
) -> Result<Public<Page<TagDto>>, ApiError> {
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
///
/// By id or slug, with the number of published articles carrying it.
#[utoipa::path(
    tag = "tags",
    params(("ref" = ResourceRef, Path, description = "Tag id or slug", example = "energy")),
    responses(
        (status = 200, description = "The tag, with `article_count`", body = TagDto),
        PublicRead, NotFound,
    )
)]
#[get("/tags/{ref}")]
pub async fn get_tag(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<Public<TagDto>, ApiError> {
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
    params(("ref" = ResourceRef, Path, description = "Tag id or slug"), FeedQuery),
    responses(
        (status = 200, description = "A page of article summaries; with `newer_than`, the count of newer ones", body = FeedAnswer),
        PublicRead, NotFound,
    )
)]
#[get("/tags/{ref}/articles")]
pub async fn tag_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: Query<FeedQuery>,
) -> Result<Public<FeedAnswer>, ApiError> {
    let scope = FeedScope::Tag(Ref::parse(&path)?);
    feed_response(&req, &state, query.into_inner(), scope).await
}

fn check_fields(errors: &mut Errors, name: Option<&str>, slug: Option<&str>) {
    if let Some(name) = name {
        let n = name.trim().chars().count();
        if n == 0 || n > 100 {
            errors.push(FieldError::new(
                "name",
                "invalid_length",
                "must be 1 to 100 characters",
            ));
        }
    }
    if let Some(problem) = slug.and_then(slug_problem) {
        errors.push(problem);
    }
}

fn load(conn: &mut DbConnection, id: i64, now: chrono::NaiveDateTime) -> Result<TagDto, ApiError> {
    let row =
        queries::find(conn, &Ref::Id(id))?.ok_or_else(|| ApiError::not_found("no such tag"))?;
    let count = queries::article_count(conn, id, now)?;
    Ok(TagDto::new(row, Some(count)))
}

/// Articles carrying a tag appear changed in the change feed when the tag changes.
fn announce_articles(
    tx: &mut Tx<'_>,
    tag: i64,
    now: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    for id in queries::live_article_ids(tx, tag)? {
        let public = crate::articles::queries::find_visible(tx, &Ref::Id(id), None, &[], now)?;
        if public.is_some() {
            tx.announce(UPSERT, ARTICLE, id);
        }
    }
    Ok(())
}

/// Creates a tag. Editors and admins.
///
/// The slug is generated from the name (transliterated) when left out; a taken one is a 409
/// `slug_taken`.
#[utoipa::path(
    tag = "tags",
    security(("bearer" = [])),
    request_body = NewTagRequest,
    responses(
        (status = 201, description = "Created", body = TagDto, headers(("Location" = String, description = "The new tag"))),
        SignedIn, Forbidden, Conflict, JsonBody,
    )
)]
#[post("/tags")]
pub async fn create_tag(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    body: JsonForm<NewTagRequest>,
) -> Result<Created<TagDto>, ApiError> {
    let JsonForm {
        value: req,
        mut errors,
    } = body;
    errors.required("name", req.name.as_ref());
    check_fields(&mut errors, req.name.as_deref(), req.slug.as_deref());
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
                &NewTag {
                    slug: &slug,
                    name,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            tx.announce(UPSERT, TAG, id);
            load(tx, id, now)
        })
        .await?;
    Ok(Created {
        location: format!("/api/v1/tags/{}", dto.id),
        body: dto,
    })
}

/// Renames a tag or changes its slug. Editors and admins.
///
/// Absent fields stay as they are. Public articles carrying the tag appear changed in the
/// change feed.
#[utoipa::path(
    tag = "tags",
    security(("bearer" = [])),
    params(("ref" = ResourceRef, Path, description = "Tag id or slug")),
    request_body = UpdateTagRequest,
    responses(
        (status = 200, description = "Updated", body = TagDto),
        SignedIn, Forbidden, NotFound, Conflict, JsonBody,
    )
)]
#[patch("/tags/{ref}")]
pub async fn update_tag(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: JsonForm<UpdateTagRequest>,
) -> Result<Private<TagDto>, ApiError> {
    let r = Ref::parse(&path)?;
    let JsonForm {
        value: req,
        mut errors,
    } = body;
    check_fields(&mut errors, req.name.as_deref(), req.slug.as_deref());
    if !errors.is_empty() {
        return Err(errors.into_validation());
    }
    let now = state.clock.now_naive();
    let dto = state
        .write(move |tx| {
            let row = queries::find(tx, &r)?.ok_or_else(|| ApiError::not_found("no such tag"))?;
            let slug = match &req.slug {
                Some(s) => Some(pick_slug(Some(s), "", |s| {
                    Ok(queries::slug_exists(tx, s, Some(row.id))?)
                })?),
                None => None,
            };
            queries::update(
                tx,
                row.id,
                &TagChanges {
                    slug,
                    name: req.name.as_deref().map(|n| n.trim().to_string()),
                    updated_at: Some(now),
                },
            )?;
            tx.announce(UPSERT, TAG, row.id);
            load(tx, row.id, now)
        })
        .await?;
    Ok(Private(dto))
}

/// Deletes a tag.
///
/// It is removed from every article (public ones appear changed in the change feed). Editors
/// and admins.
#[utoipa::path(
    tag = "tags",
    security(("bearer" = [])),
    params(("ref" = ResourceRef, Path, description = "Tag id or slug")),
    responses(
        (status = 204, description = "Deleted"),
        SignedIn, Forbidden, NotFound,
    )
)]
#[delete("/tags/{ref}")]
pub async fn delete_tag(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<NoContent, ApiError> {
    let r = Ref::parse(&path)?;
    let now = state.clock.now_naive();
    state
        .write(move |tx| {
            let row = queries::find(tx, &r)?.ok_or_else(|| ApiError::not_found("no such tag"))?;
            announce_articles(tx, row.id, now)?;
            queries::delete(tx, row.id)?;
            tx.announce(DELETE, TAG, row.id);
            Ok(())
        })
        .await?;
    Ok(NoContent)
}
