//! `GET /site`.

use actix_web::{HttpRequest, get, web};

use super::dto::SiteDto;
use crate::error::ApiError;
use crate::http::docs::PublicRead;
use crate::http::respond::{Public, Rendered};
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
