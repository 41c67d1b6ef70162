//! `GET /redirects` (where an old path leads; the list for editors) and
//! `DELETE /redirects/{id}`; the 301 of `GET /articles/{old-slug}`.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{Either, HttpRequest, HttpResponse, Responder, delete, get, web};

use super::dto::{RedirectDto, RedirectLookup, RedirectsAnswer, RedirectsQuery};
use super::queries::{self, RedirectRow};
use super::{article_path, normalize};
use crate::articles::dto::article_url;
use crate::articles::model::SummaryRow;
use crate::articles::queries as articles;
use crate::auth::{MaybeUser, RequireEditor};
use crate::clock::utc;
use crate::db::DbConnection;
use crate::domain::Role;
use crate::error::ApiError;
use crate::http::docs::{Forbidden, NotFound, PublicRead, SignedIn};
use crate::http::json::NoBody;
use crate::http::pagination::{Page, PageQuery, seq_page};
use crate::http::params::{Query, Ref, positive_id};
use crate::http::respond::{NoContent, Private, Public, Rendered};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(redirects).service(delete_redirect);
}

const ORDER: &str = "redirect";

/// The redirect of the first of `paths` that has one, with its article if that is public now.
pub fn resolve(
    conn: &mut DbConnection,
    paths: &[String],
    languages: &[String],
    now: chrono::NaiveDateTime,
) -> Result<Option<(RedirectRow, SummaryRow)>, ApiError> {
    let Some(redirect) = queries::find(conn, paths)? else {
        return Ok(None);
    };
    let article =
        articles::find_visible(conn, &Ref::Id(redirect.article_id), None, languages, now)?;
    Ok(article.map(|(row, _)| (redirect, row)))
}

/// Where an old path leads, or the list of redirects.
///
/// With `path` (public): the current address of the article that path named, to answer a 301
/// with (a front end's or edge server's redirect table); 404 when it leads nowhere public.
/// Old paths are kept when a published article's slug or language changes. Without `path`:
/// every redirect, by id, for editors and admins.
#[utoipa::path(
    tag = "articles",
    params(RedirectsQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "`RedirectLookup` for a path; a page of `RedirectDto` without one (editors)", body = RedirectsAnswer),
        PublicRead, SignedIn, Forbidden, NotFound,
    )
)]
#[get("/redirects")]
pub async fn redirects(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<RedirectsQuery>,
    user: MaybeUser,
) -> Result<Either<Public<RedirectLookup>, Private<Page<RedirectDto>>>, ApiError> {
    let query = query.into_inner();
    if let Some(raw) = query.path {
        let path = normalize(&raw).ok_or_else(|| {
            ApiError::invalid_param(
                "path",
                "invalid_path",
                "must be a path like /en/articles/slug",
            )
        })?;
        return state
            .public(&req, move |conn, ctx| {
                let (_, row) = resolve(
                    conn,
                    std::slice::from_ref(&path),
                    &ctx.site.languages,
                    ctx.now,
                )?
                .ok_or_else(|| ApiError::not_found("no redirect from that path"))?;
                Rendered::json(&RedirectLookup {
                    location: article_url(&ctx.base_url, &row.lang, &row.slug),
                    location_path: article_path(&row.lang, &row.slug),
                    article_id: row.id,
                    status: 301,
                    path,
                })
            })
            .await
            .map(Either::Left);
    }
    let user = user.0.ok_or_else(|| ApiError::Unauthorized {
        code: "missing_token",
        detail: "the list of redirects needs `Authorization: Bearer <access token>`; a lookup needs `path`".into(),
    })?;
    if !Role::is_editor(user.role) {
        return Err(ApiError::Forbidden(
            "this needs the editor or admin role".into(),
        ));
    }
    let paging = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    };
    let (limit, after) = paging.parse_seq(&state.cursors, ORDER)?;
    let ctx = state.ctx();
    let page = state
        .db
        .run(move |conn| {
            let rows = queries::list(conn, after, limit.probe())?;
            // Where each leads now: one query for the page's articles that are public.
            let ids: Vec<i64> = rows.iter().map(|r| r.article_id).collect();
            let live: HashMap<i64, String> =
                articles::visible_summaries_by_ids(conn, &ids, ctx.now)?
                    .into_iter()
                    .map(|row| (row.id, article_url(&ctx.base_url, &row.lang, &row.slug)))
                    .collect();
            let shown: Vec<_> = rows
                .into_iter()
                .map(|r| {
                    let location = live.get(&r.article_id).cloned();
                    (r, location)
                })
                .collect();
            Ok(seq_page(
                shown,
                limit,
                &ctx.cursors,
                ORDER,
                |(r, _)| r.id,
                |(r, location)| RedirectDto {
                    id: r.id,
                    path: r.path,
                    article_id: r.article_id,
                    location,
                    created_at: utc(r.created_at),
                },
            ))
        })
        .await?;
    Ok(Either::Right(Private(page)))
}

/// Deletes a redirect.
///
/// Editors and admins. The old path then leads nowhere (404).
#[utoipa::path(
    tag = "editorial",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "Redirect id")),
    responses(
        (status = 204, description = "Deleted"),
        SignedIn, Forbidden, NotFound,
    )
)]
#[delete("/redirects/{id}")]
pub async fn delete_redirect(
    _editor: RequireEditor,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _body: NoBody,
) -> Result<NoContent, ApiError> {
    let id = positive_id("id", &path)?;
    state
        .write(move |tx| {
            if queries::delete(tx, id)? == 0 {
                return Err(ApiError::not_found("no such redirect"));
            }
            // Cached lookups of its path must go.
            tx.touch();
            Ok(())
        })
        .await?;
    Ok(NoContent)
}

/// A permanent redirect of `GET /articles/{old-slug}` to the article's current slug.
pub struct Moved {
    location: String,
    max_age: u32,
}

impl Moved {
    /// The 301 for an old `slug` (in `lang`, or in any of the site's languages in order), or
    /// `None` when it leads nowhere public.
    pub async fn of(
        state: &AppState,
        slug: &str,
        lang: Option<&str>,
    ) -> Result<Option<Moved>, ApiError> {
        let site = state.site();
        let langs: Vec<String> = match lang {
            Some(l) => vec![l.to_string()],
            None => site.languages.clone(),
        };
        let paths: Vec<String> = langs.iter().map(|l| article_path(l, slug)).collect();
        let languages = site.languages.clone();
        let now = state.clock.now_naive();
        let found = state
            .db
            .run(move |conn| resolve(conn, &paths, &languages, now))
            .await?;
        Ok(found.map(|(_, row)| Moved {
            location: format!("/api/v1/articles/{}?lang={}", row.slug, row.lang),
            max_age: state.config.cache_max_age,
        }))
    }
}

impl Responder for Moved {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::MovedPermanently()
            .insert_header((header::LOCATION, self.location.clone()))
            .insert_header((
                header::CACHE_CONTROL,
                format!("public, max-age={}", self.max_age),
            ))
            .json(serde_json::json!({ "location": self.location }))
    }
}
