//! An article's life cycle: publish (now or at a time), unpublish, archive, delete. Each is one
//! move of status and publish time with its revision, link keys and change-feed entry.

use actix_web::{delete, post, web};
use chrono::{DateTime, NaiveDateTime, Utc};

use super::{
    article_id, editorial_view, live_article, load_editorial, not_found, policy, revisions,
};
use crate::articles::dto::{EditorialArticle, PublishRequest};
use crate::articles::model::ArticleChanges;
use crate::articles::queries;
use crate::auth::{CurrentUser, RequireEditor};
use crate::domain::{Exposure, Status};
use crate::error::{ApiError, FieldError};
use crate::http::docs::{Forbidden, JsonBody, NotFound, SignedIn};
use crate::http::json::{MaybeJson, NoBody};
use crate::http::respond::{NoContent, Private};
use crate::state::{AppState, Ctx};
use crate::write::Tx;

/// Where a move takes an article.
#[derive(Debug, Clone, Copy)]
enum Move {
    /// Public from this time on (now, or later: scheduled).
    Publish(NaiveDateTime),
    /// Back to draft, with no publish time.
    Unpublish,
    /// Out of public view, keeping its publish time.
    Archive,
    /// A tombstone.
    Delete,
}

/// Moves article `id` (by its id in `path`) as `to` says, with its revision, link keys and
/// change-feed entry, in one write.
async fn make(
    state: &AppState,
    user: CurrentUser,
    path: &str,
    to: Move,
) -> Result<EditorialArticle, ApiError> {
    let id = article_id(path)?;
    let ctx = state.ctx();
    state
        .write(move |tx| transition(tx, &ctx, &user, id, to))
        .await
}

fn transition(
    tx: &mut Tx<'_>,
    ctx: &Ctx,
    user: &CurrentUser,
    id: i64,
    to: Move,
) -> Result<EditorialArticle, ApiError> {
    queries::lock(tx, id)?;
    let (row, current) = live_article(tx, id)?;
    let (status, published_at) = match to {
        Move::Publish(at) => (Status::Published, Some(at)),
        Move::Unpublish => (Status::Draft, None),
        Move::Archive => (Status::Archived, row.published_at),
        Move::Delete => {
            policy::check_may_edit(user, &row, current.created_by)?;
            (Status::Deleted, None)
        }
    };
    let before = Exposure::of(row.status, row.published_at, ctx.now);
    let mut changes = ArticleChanges {
        status: Some(status.into()),
        published_at: Some(published_at),
        updated_at: Some(ctx.now),
        ..ArticleChanges::default()
    };
    if status == Status::Deleted {
        // The tombstone keeps its id; its slug is released for new articles.
        changes.slug = Some(format!("{}--deleted-{id}", row.slug));
    }
    queries::update(tx, id, &changes)?;
    queries::sync_feed_at(tx, id, queries::feed_at(status, published_at))?;
    revisions::record(tx, id, user.id, ctx.now)?;
    tx.article_moved(id, before, Exposure::of(status, published_at, ctx.now));
    if status == Status::Deleted {
        let (row, body) = queries::find_by_id(tx, id)?.ok_or_else(not_found)?;
        return editorial_view(tx, ctx, row, body);
    }
    load_editorial(tx, ctx, id)
}

/// Deletes an article.
///
/// It disappears everywhere and leaves a tombstone (a `delete` in the change feed); its slug
/// becomes free. Writers may delete only their own drafts.
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("ref" = i64, Path, minimum = 1, description = "Article id")),
    responses(
        (status = 204, description = "Deleted"),
        SignedIn, Forbidden, NotFound,
    )
)]
#[delete("/articles/{ref}")]
pub async fn delete_article(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _body: NoBody,
) -> Result<NoContent, ApiError> {
    make(&state, user, &path, Move::Delete).await?;
    Ok(NoContent)
}

/// The publish time a request asks for, or now.
fn publish_time(
    body: Option<PublishRequest>,
    now: NaiveDateTime,
) -> Result<NaiveDateTime, ApiError> {
    let invalid = || {
        ApiError::Validation(vec![FieldError::new(
            "at",
            "invalid_datetime",
            "must be an RFC 3339 timestamp such as 2026-03-02T06:00:00Z",
        )])
    };
    match body.and_then(|b| b.at) {
        None | Some(serde_json::Value::Null) => Ok(now),
        Some(serde_json::Value::String(s)) => DateTime::parse_from_rfc3339(s.trim())
            .map(|t| t.with_timezone(&Utc).naive_utc())
            .map_err(|_| invalid()),
        Some(_) => Err(invalid()),
    }
}

/// Publishes an article now, or schedules it with `{"at": "<RFC 3339>"}`.
///
/// A scheduled article becomes public at its time with no job having to run, and appears in
/// the change feed then. Editors and admins only.
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("ref" = i64, Path, minimum = 1, description = "Article id")),
    request_body(content = Option<PublishRequest>, description = "Optional: `{\"at\": ...}` to schedule"),
    responses(
        (status = 200, description = "Published or scheduled", body = EditorialArticle),
        SignedIn, Forbidden, NotFound, JsonBody,
    )
)]
#[post("/articles/{ref}/publish")]
pub async fn publish_article(
    editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: MaybeJson<PublishRequest>,
) -> Result<Private<EditorialArticle>, ApiError> {
    let when = publish_time(body.0, state.ctx().now)?;
    Ok(Private(
        make(&state, editor.0, &path, Move::Publish(when)).await?,
    ))
}

/// Takes an article back to draft.
///
/// It disappears from public view (a `delete` in the change feed if it was public). Editors
/// and admins only.
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("ref" = i64, Path, minimum = 1, description = "Article id")),
    responses(
        (status = 200, description = "Now a draft", body = EditorialArticle),
        SignedIn, Forbidden, NotFound,
    )
)]
#[post("/articles/{ref}/unpublish")]
pub async fn unpublish_article(
    editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _body: NoBody,
) -> Result<Private<EditorialArticle>, ApiError> {
    Ok(Private(
        make(&state, editor.0, &path, Move::Unpublish).await?,
    ))
}

/// Archives an article.
///
/// It leaves public view but keeps its publish time. Editors and admins.
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("ref" = i64, Path, minimum = 1, description = "Article id")),
    responses(
        (status = 200, description = "Archived", body = EditorialArticle),
        SignedIn, Forbidden, NotFound,
    )
)]
#[post("/articles/{ref}/archive")]
pub async fn archive_article(
    editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _body: NoBody,
) -> Result<Private<EditorialArticle>, ApiError> {
    Ok(Private(make(&state, editor.0, &path, Move::Archive).await?))
}
