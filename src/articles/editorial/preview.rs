//! Draft preview links (see [`crate::preview`]): made and revoked by whoever may edit the
//! article, read by anyone holding one.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use chrono::Duration;

use super::{article_id, live_article, policy};
use crate::articles::dto::Article;
use crate::articles::{feed, queries};
use crate::auth::CurrentUser;
use crate::credentials::tokens::{hash_token, random_token};
use crate::domain::Status;
use crate::error::{ApiError, FieldError};
use crate::http::docs::{Forbidden, JsonBody, NotFound, SignedIn};
use crate::http::json::MaybeJson;
use crate::http::respond::{Created, NoContent, Private};
use crate::preview::dto::{
    DEFAULT_HOURS, MAX_HOURS, NewPreviewLink, NewPreviewRequest, PreviewLink, PreviewLinkList,
};
use crate::preview::model::NewPreview;
use crate::preview::queries as links;
use crate::state::AppState;

/// The article `id` if `user` may edit it (404 when it is gone, 403 when not theirs to edit).
fn editable(
    conn: &mut crate::db::DbConnection,
    user: &CurrentUser,
    id: i64,
) -> Result<(), ApiError> {
    let (row, body) = live_article(conn, id)?;
    policy::check_may_edit(user, &row, body.created_by)
}

/// Makes a preview link of an article (anyone who may edit it).
///
/// The link shows the article as it is now, draft or not, to anyone who holds it, without a
/// bearer token: hand it to a front end's draft mode. It works for `expires_in_hours`
/// (default 24, at most 720) unless revoked. The token is shown only in this answer.
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("ref" = i64, Path, minimum = 1, description = "Article id")),
    request_body(content = Option<NewPreviewRequest>, description = "Optional; `{}` or no body for the defaults"),
    responses(
        (status = 201, description = "The new link", body = NewPreviewLink,
            headers(("Location" = String, description = "The article's preview links"))),
        SignedIn, Forbidden, NotFound, JsonBody,
    )
)]
#[post("/articles/{ref}/preview")]
pub async fn create_preview(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: MaybeJson<NewPreviewRequest>,
) -> Result<Created<NewPreviewLink>, ApiError> {
    let id = article_id(&path)?;
    let hours = body
        .0
        .and_then(|b| b.expires_in_hours)
        .unwrap_or(DEFAULT_HOURS);
    if !(1..=MAX_HOURS).contains(&hours) {
        return Err(ApiError::Validation(vec![FieldError::new(
            "expires_in_hours",
            "out_of_range",
            format!("must be 1 to {MAX_HOURS} hours"),
        )]));
    }
    let token = random_token(32);
    let now = state.clock.now_naive();
    let expires_at = now + Duration::hours(hours);
    let new = NewPreview {
        article_id: id,
        token_hash: hash_token(&token),
        created_by: Some(user.id),
        created_at: now,
        expires_at,
    };
    let link = state
        .db
        .run(move |conn| {
            editable(conn, &user, id)?;
            Ok(links::insert(conn, &new)?)
        })
        .await?;
    let url = format!(
        "{}/api/v1/preview/{token}",
        state.config.base_url.trim_end_matches('/')
    );
    Ok(Created {
        location: format!("/api/v1/articles/{id}/preview"),
        body: NewPreviewLink {
            id: link,
            article_id: id,
            token,
            url,
            expires_at: crate::clock::utc(expires_at),
        },
    })
}

/// An article's working preview links (anyone who may edit it).
///
/// Newest first, without their tokens.
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("ref" = i64, Path, minimum = 1, description = "Article id")),
    responses(
        (status = 200, description = "The links", body = PreviewLinkList),
        SignedIn, Forbidden, NotFound,
    )
)]
#[get("/articles/{ref}/preview")]
pub async fn list_previews(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<Private<PreviewLinkList>, ApiError> {
    let id = article_id(&path)?;
    let now = state.clock.now_naive();
    let rows = state
        .db
        .run(move |conn| {
            editable(conn, &user, id)?;
            Ok(links::active(conn, id, now)?)
        })
        .await?;
    Ok(Private(PreviewLinkList {
        data: rows.into_iter().map(PreviewLink::from).collect(),
    }))
}

/// Revokes a preview link (anyone who may edit the article): it stops working at once.
///
/// Revoking a link that does not exist, has expired or was revoked already is a 404.
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(
        ("ref" = i64, Path, minimum = 1, description = "Article id"),
        ("link" = i64, Path, minimum = 1, description = "Preview link id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        SignedIn, Forbidden, NotFound,
    )
)]
#[delete("/articles/{ref}/preview/{link}")]
pub async fn revoke_preview(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<NoContent, ApiError> {
    let (article, link) = path.into_inner();
    let id = article_id(&article)?;
    let link: i64 = link.parse().ok().filter(|l| *l > 0).ok_or_else(|| {
        ApiError::invalid_param("link", "invalid_id", "must be a positive integer link id")
    })?;
    let now = state.clock.now_naive();
    state
        .db
        .run(move |conn| {
            editable(conn, &user, id)?;
            match links::revoke(conn, id, link, now)? {
                0 => Err(ApiError::not_found("no working preview link with that id")),
                _ => Ok(()),
            }
        })
        .await?;
    Ok(NoContent)
}

/// An article through a preview link: as it is now, in the public shape, draft or not.
///
/// No bearer token: the link is the credential. Never cached (`Cache-Control: no-store`) or
/// indexed (`X-Robots-Tag: noindex`); not counted as a view. A tampered, expired or revoked
/// link, or one of a deleted article, is a 404.
#[utoipa::path(
    tag = "articles",
    params(("token" = String, Path, description = "The token of a preview link")),
    responses(
        (status = 200, description = "The article", body = Article,
            headers(("X-Robots-Tag" = String, description = "`noindex`"))),
        NotFound,
    )
)]
#[get("/preview/{token}")]
pub async fn show_preview(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let hash = hash_token(&token);
    let ctx = state.ctx();
    let article = state
        .db
        .run(move |conn| {
            let gone = || ApiError::not_found("no such preview link, or it expired or was revoked");
            let id = links::article_of(conn, &hash, ctx.now)?.ok_or_else(gone)?;
            let (row, body) = queries::find_by_id(conn, id)?
                .filter(|(s, _)| s.status != Status::Deleted)
                .ok_or_else(gone)?;
            feed::public_page(conn, &ctx, row, body, None)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("X-Robots-Tag", "noindex"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .json(article))
}
