//! `GET /media/{key}`: the stored files, when newsdesk serves them itself.

use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{HttpResponse, get, web};

use super::store::parse_key;
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(media_file);
}

/// A media file: an uploaded image's original or one of its renditions.
///
/// Names are content hashes, so a file never changes: it may be cached for a year.
#[utoipa::path(
    tag = "media",
    params(("key" = String, Path, description = "The file's name, as in a media URL")),
    responses(
        (status = 200, description = "The image", content(
            (Vec<u8> = "image/webp"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"),
            (Vec<u8> = "image/gif"),
        )),
        (status = 404, description = "No such file", body = crate::error::Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/media/{key:.+}")]
pub async fn media_file(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let not_found = || ApiError::NotFound("no such media file".into());
    let format = parse_key(&key).ok_or_else(not_found)?;
    let data = state.media.store.get(&key).await?.ok_or_else(not_found)?;
    Ok(HttpResponse::Ok()
        .content_type(format.mime())
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(31_536_000),
            CacheDirective::Extension("immutable".into(), None),
        ]))
        .insert_header((header::ETAG, format!("\"{key}\"")))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(data))
}
