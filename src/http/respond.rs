//! Public GET responses: JSON body, strong ETag, `Cache-Control: public, max-age=N`, 304 on a
//! matching `If-None-Match`, and the `Link` header of paged lists.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, EntityTag, IfNoneMatch};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::cache::CachedResponse;
use super::pagination::Page;
use crate::error::ApiError;

/// A serialized response body, and the cursor of the next page when it is a page.
pub struct Rendered {
    pub body: Bytes,
    pub next_cursor: Option<String>,
}

impl Rendered {
    pub fn json<T: Serialize>(value: &T) -> Result<Self, ApiError> {
        let body = serde_json::to_vec(value)
            .map_err(|e| ApiError::internal(format!("serialize response: {e}")))?;
        Ok(Self {
            body: Bytes::from(body),
            next_cursor: None,
        })
    }

    pub fn page<T: Serialize + utoipa::ToSchema>(page: &Page<T>) -> Result<Self, ApiError> {
        let mut rendered = Self::json(page)?;
        rendered.next_cursor = page.meta.next_cursor.clone();
        Ok(rendered)
    }
}

/// Strong validator: a digest of the exact bytes sent.
pub fn etag_for(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("\"{}\"", URL_SAFE_NO_PAD.encode(&digest[..18]))
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for this header).
pub fn not_modified(req: &HttpRequest, etag: &str) -> bool {
    match req.get_header::<IfNoneMatch>() {
        None => false,
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(tags)) => {
            let ours = EntityTag::new_strong(etag.trim_matches('"').to_string());
            tags.iter().any(|t| t.weak_eq(&ours))
        }
    }
}

/// Builds the response for a public representation (from the cache or freshly rendered).
pub fn public_response(req: &HttpRequest, entry: &CachedResponse, max_age: u32) -> HttpResponse {
    let cache_control = format!("public, max-age={max_age}");
    if not_modified(req, &entry.etag) {
        return HttpResponse::build(StatusCode::NOT_MODIFIED)
            .insert_header((header::ETAG, entry.etag.as_str()))
            .insert_header((header::CACHE_CONTROL, cache_control))
            .finish();
    }
    let mut res = HttpResponse::Ok();
    res.content_type("application/json")
        .insert_header((header::ETAG, entry.etag.as_str()))
        .insert_header((header::CACHE_CONTROL, cache_control));
    if let Some(link) = &entry.link {
        res.insert_header((header::LINK, link.as_str()));
    }
    res.body(entry.body.clone())
}
