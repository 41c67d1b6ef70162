//! HTTP conventions shared by every resource: parameter parsing, cursors, public caching
//! (ETag, Cache-Control, the in-process response cache) and problem responses for failures
//! that happen before a handler runs.

pub mod cache;
pub mod client;
pub mod cursor;
pub mod json;
pub mod listing;
pub mod pagination;
pub mod params;
pub mod respond;

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::{ErrorHandlerResponse, Next};
use actix_web::{HttpRequest, HttpResponse, ResponseError};

use crate::error::{ApiError, PROBLEM_JSON};

/// Answers any request no route takes: 405 when the path exists for other methods, else 404;
/// problem+json either way, never actix's plain-text default.
pub async fn route_not_found(req: HttpRequest) -> HttpResponse {
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
