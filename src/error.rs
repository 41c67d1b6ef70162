//! The one error type of the HTTP layer, answered as RFC 9457 `application/problem+json`.
//!
//! Every variant has a stable machine `code` and an explicit status. Internal failures are
//! logged with their cause and answered with a generic body: the cause never reaches a client.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// One problem with one input field.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// The query parameter, path parameter or JSON field at fault.
    #[schema(example = "limit")]
    pub field: String,
    /// Stable machine code of what is wrong with it.
    #[schema(example = "out_of_range")]
    pub code: String,
    /// Human-readable explanation.
    #[schema(example = "must be between 1 and 100")]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.to_string(),
            message: message.into(),
        }
    }
}

/// RFC 9457 problem details, the body of every error response.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:newsdesk:problem:invalid_parameter",
    "title": "Bad Request",
    "status": 400,
    "detail": "query parameter `limit` is invalid",
    "code": "invalid_parameter",
    "errors": [{"field": "limit", "code": "out_of_range", "message": "must be between 1 and 100"}]
}))]
pub struct Problem {
    /// URI identifying the problem type: `urn:newsdesk:problem:<code>`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Short summary of the status.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this request.
    pub detail: String,
    /// Stable machine code: `invalid_parameter`, `invalid_cursor`, `not_found`, ...
    pub code: String,
    /// One entry per offending field, when the problem is about input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// 400: malformed query string, path parameter or JSON body.
    #[error("{detail}")]
    BadRequest {
        code: &'static str,
        detail: String,
        errors: Vec<FieldError>,
    },
    /// 401: no valid credentials; always carries `WWW-Authenticate: Bearer`.
    #[error("{detail}")]
    Unauthorized { code: &'static str, detail: String },
    /// 403: signed in, but the role lacks the right.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such resource (or not visible to this caller).
    #[error("{0}")]
    NotFound(String),
    /// 405: the path exists, the method does not.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409: the request conflicts with the current state.
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    /// 413: body over the configured limit.
    #[error("{}", payload_message(*.limit))]
    PayloadTooLarge { limit: Option<usize> },
    /// 415: the body is not JSON.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: well-formed input that fails validation, one entry per field.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// 429: rate limited; `Retry-After` in seconds.
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    /// 503: the database cannot be reached.
    #[error("service unavailable")]
    ServiceUnavailable,
    /// 503: the database is too busy to take this write now (SQLite's write lock was held
    /// past the busy timeout, or PostgreSQL kept aborting the transaction as conflicting).
    /// `transient`: a PostgreSQL conflict, worth retrying at once.
    #[error("the database is busy")]
    DatabaseBusy { transient: bool },
    /// 503: the search index is being built (at the first start, or after it was lost) and
    /// cannot answer yet.
    #[error("the search index is being built")]
    SearchWarmingUp,
    /// 500: logged with its cause, answered generically.
    #[error("internal error: {0}")]
    Internal(String),
}

fn payload_message(limit: Option<usize>) -> String {
    match limit {
        Some(limit) => format!("the request body is larger than the limit of {limit} bytes"),
        None => "the request body is too large".to_string(),
    }
}

impl ApiError {
    pub fn internal(cause: impl Into<String>) -> Self {
        ApiError::Internal(cause.into())
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        ApiError::NotFound(what.into())
    }

    /// A malformed query parameter: 400 `invalid_parameter` naming it.
    pub fn invalid_param(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::invalid_params(vec![FieldError::new(field, code, message)])
    }

    /// Several malformed parameters at once.
    pub fn invalid_params(errors: Vec<FieldError>) -> Self {
        let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        let detail = match names.as_slice() {
            [one] => format!("parameter `{one}` is invalid"),
            many => format!("parameters {} are invalid", many.join(", ")),
        };
        ApiError::BadRequest {
            code: "invalid_parameter",
            detail,
            errors,
        }
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code,
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. } => code,
            ApiError::Unauthorized { code, .. } => code,
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Conflict { code, .. } => code,
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::Validation(_) => "validation_failed",
            ApiError::TooManyRequests { .. } => "rate_limited",
            ApiError::ServiceUnavailable => "service_unavailable",
            ApiError::DatabaseBusy { .. } => "database_busy",
            ApiError::SearchWarmingUp => "search_warming_up",
            ApiError::Internal(_) => "internal_error",
        }
    }

    /// One line for a terminal: the detail and each field's problem.
    pub fn describe(&self) -> String {
        let problem = self.problem();
        let mut out = problem.detail;
        for e in &problem.errors {
            out.push_str(&format!("; {}: {}", e.field, e.message));
        }
        out
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            ApiError::Internal(_) => "an unexpected error occurred; it has been logged".into(),
            ApiError::ServiceUnavailable => "the database is unreachable; try again shortly".into(),
            ApiError::DatabaseBusy { .. } => {
                "the database is busy with other writes; nothing was changed, try again shortly"
                    .into()
            }
            ApiError::SearchWarmingUp => {
                "the search index is being built from the database; search again shortly".into()
            }
            ApiError::Validation(errors) => match errors.as_slice() {
                [one] => format!("`{}` {}", one.field, one.message),
                _ => format!("{} fields are invalid", errors.len()),
            },
            other => other.to_string(),
        };
        let errors = match self {
            ApiError::BadRequest { errors, .. } | ApiError::Validation(errors) => errors.clone(),
            _ => Vec::new(),
        };
        Problem {
            type_: format!("urn:newsdesk:problem:{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail,
            code: self.code().to_string(),
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::ServiceUnavailable
            | ApiError::DatabaseBusy { .. }
            | ApiError::SearchWarmingUp => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(cause = %cause, "internal error");
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, PROBLEM_JSON))
            .insert_header((header::CACHE_CONTROL, "no-store"));
        match self {
            ApiError::Unauthorized { code, .. } => {
                let challenge = match *code {
                    "missing_token" => "Bearer realm=\"newsdesk\"".to_string(),
                    other => format!(
                        "Bearer realm=\"newsdesk\", error=\"invalid_token\", error_description=\"{other}\""
                    ),
                };
                if let Ok(v) = HeaderValue::from_str(&challenge) {
                    res.insert_header((header::WWW_AUTHENTICATE, v));
                }
            }
            ApiError::TooManyRequests { retry_after } => {
                res.insert_header((header::RETRY_AFTER, retry_after.max(&1).to_string()));
            }
            ApiError::ServiceUnavailable | ApiError::SearchWarmingUp => {
                res.insert_header((header::RETRY_AFTER, "5"));
            }
            ApiError::DatabaseBusy { .. } => {
                res.insert_header((header::RETRY_AFTER, "1"));
            }
            _ => {}
        }
        res.body(body)
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => ApiError::NotFound("not found".into()),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => ApiError::Conflict {
                code: "conflict",
                detail: format!("already exists: {}", info.message()),
            },
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                ApiError::Conflict {
                    code: "in_use",
                    detail: format!("still referenced: {}", info.message()),
                }
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                ApiError::ServiceUnavailable
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                ApiError::DatabaseBusy { transient: true }
            }
            Error::DatabaseError(_, info) if is_deadlock(info.message()) => {
                ApiError::DatabaseBusy { transient: true }
            }
            Error::DatabaseError(_, info) if is_sqlite_busy(info.message()) => {
                ApiError::DatabaseBusy { transient: false }
            }
            other => ApiError::Internal(format!("database: {other}")),
        }
    }
}

/// PostgreSQL's message for a transaction it aborted to break a deadlock (SQLSTATE 40P01,
/// which diesel does not classify).
fn is_deadlock(message: &str) -> bool {
    message.starts_with("deadlock detected")
}

/// SQLite's messages for SQLITE_BUSY / SQLITE_LOCKED: the lock was not granted in time.
fn is_sqlite_busy(message: &str) -> bool {
    matches!(
        message,
        "database is locked" | "database table is locked" | "database is busy"
    )
}

impl ApiError {
    /// Whether running the transaction again may succeed: a PostgreSQL conflict, or a unique
    /// key taken by a concurrent write (which the retry then sees, and answers properly).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ApiError::DatabaseBusy { transient: true }
                | ApiError::Conflict {
                    code: "conflict",
                    ..
                }
        )
    }
}

/// Error helpers for actix's extractors, so malformed input is problem+json too.
pub mod handlers {
    use super::{ApiError, FieldError};
    use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
    use actix_web::{Error, HttpRequest};

    pub fn query(err: QueryPayloadError, _req: &HttpRequest) -> Error {
        query_error(err).into()
    }

    /// The problem for a query string that does not parse, naming a duplicated field.
    pub fn query_error(err: QueryPayloadError) -> ApiError {
        let message = match &err {
            QueryPayloadError::Deserialize(e) => e.to_string(),
            other => other.to_string(),
        };
        let field = duplicate_field(&message).unwrap_or("query");
        ApiError::BadRequest {
            code: "invalid_parameter",
            detail: format!("the query string is malformed: {message}"),
            errors: vec![FieldError::new(field, "malformed", message.clone())],
        }
    }

    fn duplicate_field(message: &str) -> Option<&str> {
        let rest = message.strip_prefix("duplicate field `")?;
        rest.split('`').next()
    }

    pub fn path(err: PathError, _req: &HttpRequest) -> Error {
        ApiError::bad_request(
            "invalid_parameter",
            format!("path parameter is invalid: {err}"),
        )
        .into()
    }

    pub fn json(err: JsonPayloadError, _req: &HttpRequest) -> Error {
        json_error(err).into()
    }

    pub fn json_error(err: JsonPayloadError) -> ApiError {
        match err {
            JsonPayloadError::OverflowKnownLength { limit, .. }
            | JsonPayloadError::Overflow { limit } => {
                ApiError::PayloadTooLarge { limit: Some(limit) }
            }
            JsonPayloadError::ContentType => ApiError::UnsupportedMediaType(
                "the body must be JSON: send `Content-Type: application/json`".into(),
            ),
            JsonPayloadError::Deserialize(e) => {
                if e.is_data() {
                    ApiError::BadRequest {
                        code: "invalid_body",
                        detail: format!("the JSON body does not fit the expected shape: {e}"),
                        errors: Vec::new(),
                    }
                } else {
                    ApiError::bad_request(
                        "malformed_json",
                        format!("the body is not valid JSON: {e}"),
                    )
                }
            }
            JsonPayloadError::Serialize(e) => ApiError::internal(format!("serialize: {e}")),
            JsonPayloadError::Payload(e) => {
                ApiError::bad_request("invalid_body", format!("the body could not be read: {e}"))
            }
            other => ApiError::bad_request("invalid_body", other.to_string()),
        }
    }
}
