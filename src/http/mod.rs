//! HTTP conventions shared by every resource: parameter parsing, cursors, public caching
//! (ETag, Cache-Control, the in-process response cache) and problem responses for failures
//! that happen before a handler runs.

pub mod cache;
pub mod client;
pub mod cursor;
pub mod docs;
pub mod json;
pub mod pagination;
pub mod params;
pub mod respond;
pub mod schema;

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::{ErrorHandlerResponse, Next};
use actix_web::{HttpRequest, HttpResponse, ResponseError};

use crate::error::{ApiError, PROBLEM_JSON};

/// The methods each documented path answers, read from the OpenAPI document: the `Allow`
/// header of a 405 and of an `OPTIONS` answer.
#[derive(Debug, Default)]
pub struct AllowedMethods(Vec<(Vec<Segment>, Vec<&'static str>)>);

#[derive(Debug, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param,
}

impl AllowedMethods {
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi) -> Self {
        let mut table = Vec::new();
        for (path, item) in &doc.paths.paths {
            let segments = path
                .split('/')
                .map(|s| {
                    if s.starts_with('{') && s.ends_with('}') {
                        Segment::Param
                    } else {
                        Segment::Literal(s.to_string())
                    }
                })
                .collect();
            let mut methods = Vec::new();
            for (method, op) in [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PUT", &item.put),
                ("PATCH", &item.patch),
                ("DELETE", &item.delete),
            ] {
                if op.is_some() {
                    methods.push(method);
                    if method == "GET" {
                        methods.push("HEAD");
                    }
                }
            }
            table.push((segments, methods));
        }
        Self(table)
    }

    /// The `Allow` value for `path`: every method of every documented path it matches, and
    /// `OPTIONS`; `None` for a path no operation has.
    pub fn for_path(&self, path: &str) -> Option<String> {
        let parts: Vec<&str> = path.split('/').collect();
        let mut allowed: Vec<&str> = Vec::new();
        for (segments, methods) in &self.0 {
            let matches = segments.len() == parts.len()
                && segments.iter().zip(&parts).all(|(s, p)| match s {
                    Segment::Literal(l) => l == p,
                    Segment::Param => !p.is_empty(),
                });
            if matches {
                for m in methods {
                    if !allowed.contains(m) {
                        allowed.push(m);
                    }
                }
            }
        }
        if allowed.is_empty() {
            return None;
        }
        const ORDER: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
        allowed.push("OPTIONS");
        allowed.sort_by_key(|m| ORDER.iter().position(|o| o == m));
        Some(allowed.join(", "))
    }
}

/// Answers any request no route takes: for a path that exists, `OPTIONS` is 204 and any other
/// method a 405, both with `Allow`; else 404. Errors are problem+json, never actix's
/// plain-text default.
pub async fn route_not_found(req: HttpRequest) -> HttpResponse {
    let allow = req
        .app_data::<actix_web::web::Data<AllowedMethods>>()
        .and_then(|table| table.for_path(req.path()));
    if let Some(allow) = allow.filter(|_| req.resource_map().has_resource(req.path())) {
        let mut res = if req.method() == Method::OPTIONS {
            HttpResponse::NoContent().finish()
        } else {
            ApiError::MethodNotAllowed.error_response()
        };
        if let Ok(value) = header::HeaderValue::from_str(&allow) {
            res.headers_mut().insert(header::ALLOW, value);
        }
        return res;
    }
    if req.resource_map().has_resource(req.path()) {
        return ApiError::MethodNotAllowed.error_response();
    }
    ApiError::NotFound(format!("no route for {} {}", req.method(), req.path())).error_response()
}

/// Serves `HEAD` like `GET`: the handler runs, and actix sends the headers without the body.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}

/// Rewrites any error response that is not already problem+json (actix's own 405 for a wrong
/// method, 413 from a payload limit, ...) so clients always get one error format.
pub fn problem_for_foreign_errors<B>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .response()
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let err = match status.as_u16() {
        404 => ApiError::NotFound(format!("no route for {}", res.request().path())),
        405 => ApiError::MethodNotAllowed,
        413 => ApiError::PayloadTooLarge { limit: None },
        415 => ApiError::UnsupportedMediaType("unsupported media type".into()),
        503 => ApiError::ServiceUnavailable,
        400..=499 => ApiError::bad_request("bad_request", "the request could not be understood"),
        _ => ApiError::internal(format!("unhandled {status} response")),
    };
    let (req, original) = res.into_parts();
    let mut response = err.error_response();
    // Keep what outer layers added (CORS, Vary, Allow, request id); the body is ours.
    for (name, value) in original.headers() {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && name != header::CONTENT_ENCODING
        {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    let res = ServiceResponse::new(req, response)
        .map_body(|_, body: BoxBody| EitherBody::<B, BoxBody>::right(body));
    Ok(ErrorHandlerResponse::Response(res))
}
