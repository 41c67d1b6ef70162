//! What handlers answer. Each responder names the type of its body, so the type a handler
//! returns is the type its OpenAPI response documents:
//! - [`Public<T>`]: a public representation, from the response cache or freshly rendered, with
//!   a strong ETag, `Cache-Control: public, max-age=N`, 304 on a matching `If-None-Match` and
//!   the `Link` header of paged lists;
//! - [`Private<T>`], [`Created<T>`], [`Accepted<T>`], [`NoContent`]: answers to authenticated
//!   calls and beacons, never cached by anyone.

use std::marker::PhantomData;

use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, EntityTag, HeaderValue, IfNoneMatch};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, Responder};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::cache::CachedResponse;
use super::pagination::Page;
use crate::error::ApiError;

/// A serialized `T`, its media type, and the cursor of the next page when it is a page.
pub struct Rendered<T> {
    pub body: Bytes,
    pub content_type: &'static str,
    pub next_cursor: Option<String>,
    _of: PhantomData<fn() -> T>,
}

impl<T> Rendered<T> {
    /// A body already written in another format than JSON (a feed, a sitemap).
    pub fn bytes(body: impl Into<Bytes>, content_type: &'static str) -> Self {
        Self {
            body: body.into(),
            content_type,
            next_cursor: None,
            _of: PhantomData,
        }
    }
}

impl<T: Serialize> Rendered<T> {
    pub fn json(value: &T) -> Result<Self, ApiError> {
        let body = serde_json::to_vec(value)
            .map_err(|e| ApiError::internal(format!("serialize response: {e}")))?;
        Ok(Self::bytes(body, "application/json"))
    }
}

impl<T: Serialize + utoipa::ToSchema> Rendered<Page<T>> {
    pub fn page(page: &Page<T>) -> Result<Self, ApiError> {
        let mut rendered = Self::json(page)?;
        rendered.next_cursor = page.meta.next_cursor.clone();
        Ok(rendered)
    }
}

/// A public representation of a `T` (see [`public_response`]).
pub struct Public<T> {
    response: HttpResponse,
    _of: PhantomData<fn() -> T>,
}

impl<T> Public<T> {
    pub fn new(response: HttpResponse) -> Self {
        Self {
            response,
            _of: PhantomData,
        }
    }

    /// The same representation answered to a signed-in caller: not to be stored by shared
    /// caches, as it may differ from what the public sees.
    pub fn no_store(mut self) -> Self {
        self.response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        self
    }
}

impl<T> Responder for Public<T> {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        self.response
    }
}

/// `200 OK` with a JSON `T`, `Cache-Control: no-store`.
pub struct Private<T>(pub T);

/// `201 Created` with a JSON `T` and the new resource's `Location`.
pub struct Created<T> {
    pub location: String,
    pub body: T,
}

/// `202 Accepted` with a JSON `T`, `Cache-Control: no-store`.
pub struct Accepted<T>(pub T);

/// `204 No Content`, not cacheable.
pub struct NoContent;

fn private(status: StatusCode, body: &impl Serialize) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}

impl<T: Serialize> Responder for Private<T> {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        private(StatusCode::OK, &self.0)
    }
}

impl<T: Serialize> Responder for Created<T> {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        let mut res = private(StatusCode::CREATED, &self.body);
        if let Ok(v) = HeaderValue::from_str(&self.location) {
            res.headers_mut().insert(header::LOCATION, v);
        }
        res
    }
}

impl<T: Serialize> Responder for Accepted<T> {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        private(StatusCode::ACCEPTED, &self.0)
    }
}

impl Responder for NoContent {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::NoContent()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish()
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
    res.content_type(entry.content_type)
        .insert_header((header::ETAG, entry.etag.as_str()))
        .insert_header((header::CACHE_CONTROL, cache_control));
    if let Some(link) = &entry.link {
        res.insert_header((header::LINK, link.as_str()));
    }
    res.body(entry.body.clone())
}

/// A response built by hand for a `T` (the view beacon answers with constant bodies).
pub struct Prebuilt<T> {
    response: HttpResponse,
    _of: PhantomData<fn() -> T>,
}

impl<T> Prebuilt<T> {
    pub fn new(response: HttpResponse) -> Self {
        Self {
            response,
            _of: PhantomData,
        }
    }
}

impl<T> Responder for Prebuilt<T> {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        self.response
    }
}
