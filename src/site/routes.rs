//! `GET /site` and `PATCH /site`.

use actix_web::{HttpRequest, get, patch, web};

use super::dto::{SiteDto, SitePatch};
use super::settings::Changes;
use crate::auth::RequireAdmin;
use crate::domain::change;
use crate::error::ApiError;
use crate::http::docs::{Forbidden, JsonBody, PublicRead, SignedIn};
use crate::http::json::JsonForm;
use crate::http::respond::{Private, Public, Rendered};
use crate::settings::{Site, queries};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_site).service(update_site);
}

/// The site: name, languages, time zone, notices, social and app links, feeds and sitemaps.
///
/// The first call an app makes. Cached like every public read.
#[utoipa::path(
    tag = "site",
    responses(
        (status = 200, description = "The site", body = SiteDto),
        PublicRead,
    )
)]
#[get("/site")]
pub async fn get_site(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<Public<SiteDto>, ApiError> {
    state
        .public(&req, |_, ctx| {
            Rendered::json(&SiteDto::new(&ctx.site, &ctx.base_url))
        })
        .await
}

/// Changes the site settings (JSON merge patch; admins).
///
/// Every field is checked and every problem reported in one 422. The change is announced in
/// the change feed (`type: site`) and every process serves the new settings within a second.
#[utoipa::path(
    tag = "site",
    security(("bearer" = [])),
    request_body = SitePatch,
    responses(
        (status = 200, description = "The site as it is now", body = SiteDto),
        SignedIn, Forbidden, JsonBody,
    )
)]
#[patch("/site")]
pub async fn update_site(
    _admin: RequireAdmin,
    state: web::Data<AppState>,
    body: JsonForm<SitePatch>,
) -> Result<Private<SiteDto>, ApiError> {
    let JsonForm {
        value: patch,
        errors: shape,
    } = body;
    let base_url = state.config.base_url.clone();
    let site = state
        .write(move |tx| {
            let current = Site::from_row(queries::load(tx)?);
            // Only a new list of languages can drop one that articles use.
            let in_use = match patch.languages {
                Some(_) => queries::languages_in_use(tx)?,
                None => Vec::new(),
            };
            let changes = Changes::apply(&current, &patch, &in_use, shape.clone())?;
            let now = tx.now();
            queries::update(tx, &changes.update(now))?;
            tx.announce(change::UPSERT, change::SITE, 1);
            Ok(Site::from_row(queries::load(tx)?))
        })
        .await?;
    Ok(Private(SiteDto::new(&site, &base_url)))
}
