//! `GET /site`.

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::dto::SiteDto;
use crate::error::{ApiError, Problem};
use crate::http::respond::Rendered;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_site);
}

/// The site: name, languages, time zone, notices, social and app links.
///
/// The first call an app makes. Cached like every public read.
#[utoipa::path(
    tag = "site",
    responses(
        (status = 200, description = "The site", body = SiteDto),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 503, description = "Database unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/site")]
pub async fn get_site(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    state
        .public(&req, |_, ctx| {
            Rendered::json(&SiteDto::new(&ctx.site, &ctx.base_url))
        })
        .await
}
