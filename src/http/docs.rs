//! The error answers each kind of operation can give, declared once for the OpenAPI document.
//! An operation lists its success response and the sets that apply to it, e.g.
//! `responses((status = 200, body = T), PublicRead, NotFound)`.

use std::collections::BTreeMap;

use utoipa::IntoResponses;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder, schema};

use crate::error::PROBLEM_JSON;

fn problem(description: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        PROBLEM_JSON,
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("Problem")))
            .build(),
    )
}

fn string_header(description: &str) -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(Some(schema::Object::with_type(schema::Type::String)))
        .description(Some(description))
        .build()
}

fn integer_header(description: &str) -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(Some(schema::Object::with_type(schema::Type::Integer)))
        .description(Some(description))
        .build()
}

/// The one description of each status newsdesk answers with.
fn response(status: u16) -> Response {
    match status {
        304 => ResponseBuilder::new()
            .description("Not modified: the `ETag` sent in `If-None-Match` is still current")
            .header(
                "ETag",
                string_header("Strong validator of the representation"),
            )
            .build(),
        400 => problem(
            "Malformed request: a query or path parameter (`invalid_parameter`, \
             `missing_parameter`, `invalid_query`), a cursor (`invalid_cursor`) or the JSON \
             body (`malformed_json`); `errors[]` names each field",
        )
        .build(),
        401 => problem(
            "No valid credentials: a missing, expired or revoked access token (`missing_token`, \
             `invalid_token`) or wrong sign-in details",
        )
        .header(
            "WWW-Authenticate",
            string_header("`Bearer realm=\"newsdesk\"`, with the error when a token was sent"),
        )
        .build(),
        403 => problem("The signed-in user's role may not do this (`forbidden`)").build(),
        404 => problem("No such resource, or not visible to the caller (`not_found`)").build(),
        409 => problem(
            "Conflicts with the current state: `slug_taken`, `email_taken`, `in_use`, \
             `last_admin`, `translation_exists` or `conflict`",
        )
        .build(),
        413 => problem("The body is larger than `NEWSDESK_MAX_BODY` (`payload_too_large`)").build(),
        415 => problem("The body is not JSON (`unsupported_media_type`)").build(),
        422 => problem(
            "The body does not validate (`validation_failed`): one `errors[]` entry per field, \
             for every problem at once (unknown, missing or mistyped fields and invalid values)",
        )
        .build(),
        429 => problem("Too many attempts (`rate_limited`)")
            .header(
                "Retry-After",
                integer_header("Seconds to wait before trying again"),
            )
            .build(),
        503 => problem(
            "The database is unreachable (`service_unavailable`), too busy with other writes \
             to take this one (`database_busy`; nothing was changed), or, for searches, the \
             search index is still being built (`search_warming_up`)",
        )
        .header(
            "Retry-After",
            integer_header("Seconds to wait before trying again"),
        )
        .build(),
        other => ResponseBuilder::new()
            .description(format!("HTTP {other}"))
            .build(),
    }
}

/// Declares a set of error answers, by status.
macro_rules! response_set {
    ($(#[$doc:meta])* $name:ident: $($status:literal),+) => {
        $(#[$doc])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                [$($status),+]
                    .into_iter()
                    .map(|s: u16| (s.to_string(), RefOr::T(response(s))))
                    .collect()
            }
        }
    };
}

response_set!(
    /// Public reads: conditional requests, malformed parameters, the database unavailable.
    PublicRead: 304, 400, 503
);
response_set!(
    /// Operations on one resource named in the path.
    NotFound: 404
);
response_set!(
    /// Operations that need (or, with a token sent, check) an access token.
    SignedIn: 400, 401, 503
);
response_set!(
    /// Operations some roles may not perform.
    Forbidden: 403
);
response_set!(
    /// Operations that read a JSON body.
    JsonBody: 400, 413, 415, 422, 503
);
response_set!(
    /// Writes that can conflict with the current state.
    Conflict: 409
);
response_set!(
    /// Rate-limited operations.
    RateLimited: 429
);
response_set!(
    /// Public operations without a body that can fail only on their input or the database.
    Malformed: 400, 503
);
