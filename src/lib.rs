//! newsdesk: the content API behind a news publisher.
//!
//! [`build_app`] assembles the actix-web application exactly as the server runs it; the
//! integration tests use the same function. [`openapi`] is the document generated from the
//! routes as they are registered.

pub mod articles;
pub mod auth;
pub mod authors;
pub mod changes;
pub mod clock;
pub mod config;
pub mod counter;
pub mod credentials;
pub mod db;
pub mod domain;
pub mod error;
pub mod export;
pub mod http;
pub mod import;
pub mod index;
pub mod jobs;
pub mod markup;
pub mod media;
pub mod preview;
pub mod redirects;
pub mod search;
pub mod sections;
pub mod seed;
pub mod service;
pub mod settings;
pub mod site;
pub mod startup;
pub mod state;
pub mod syndication;
pub mod tags;
pub mod taxonomy;
pub mod telemetry;
pub mod users;
pub mod views;
pub mod webhooks;
pub mod write;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Compress, Condition, ErrorHandlers, from_fn};
use actix_web::{App, web};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_actix_web::scope::scope;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::CorsOrigins;
use crate::error::handlers;
use crate::state::AppState;

/// Top-level description of the API; paths and schemas are collected from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "newsdesk",
        description = "Content API of a news publisher: sections, articles, authors, tags, search, view counts and the editorial workflow.\n\n\
Conventions: JSON bodies with `snake_case` fields; RFC 3339 UTC timestamps; lists are `{\"data\": [...], \"meta\": {\"limit\", \"next_cursor\"}}` \
paged by opaque cursor (with a `Link: rel=\"next\"` header); every error is an RFC 9457 `application/problem+json` body with a stable `code`; \
public GETs carry a strong `ETag` and `Cache-Control: public, max-age=N` and answer `If-None-Match` with 304.",
        license(name = "MIT OR Apache-2.0"),
        contact(name = "newsdesk")
    ),
    servers((url = "/", description = "The server that serves this document")),
    tags(
        (name = "site", description = "Site settings an app needs at start"),
        (name = "sections", description = "Sections (menu) and their feeds"),
        (name = "articles", description = "The public article feed and article pages"),
        (name = "authors", description = "Authors and their articles"),
        (name = "tags", description = "Tags and their articles"),
        (name = "editorial", description = "Writing, scheduling and publishing articles (bearer token)"),
        (name = "search", description = "Full-text search and title suggestions"),
        (name = "views", description = "View counting and most-read lists"),
        (name = "changes", description = "The change feed for offline copies"),
        (name = "media", description = "Uploaded images: the editors' library and the files with their renditions"),
        (name = "syndication", description = "RSS, Atom and JSON feeds, sitemaps and the Google News sitemap, served from the site's root"),
        (name = "auth", description = "Sign-in and tokens for the editorial API"),
        (name = "users", description = "Newsroom accounts (admins)"),
        (name = "webhooks", description = "Signed event deliveries to front ends and caches (admins); the payloads are under `webhooks`"),
        (name = "service", description = "Health, readiness and metrics for operators"),
    ),
    components(schemas(error::Problem, error::FieldError)),
    modifiers(&Components)
)]
pub struct ApiDoc;

/// Adds the named formats ([`http::schema`]) and the bearer scheme the editorial endpoints
/// require.
struct Components;

impl utoipa::Modify for Components {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.schemas.extend(http::schema::components());
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Access token from `POST /api/v1/auth/token`, sent as `Authorization: Bearer <token>`",
                    ))
                    .build(),
            ),
        );
    }
}

/// Every documented route. Registered through utoipa-actix-web, so a route cannot exist
/// without its OpenAPI description.
fn routes(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/api/v1")
            // actix tries routes in order, running each dynamic route's pattern: the most
            // frequent requests come first (view beacons, then the reads of feeds and
            // articles), the editorial writes last.
            .configure(views::routes::configure)
            .configure(articles::routes::configure)
            .configure(articles::scoped::configure)
            .configure(sections::routes::configure)
            .configure(site::routes::configure)
            .configure(authors::routes::configure)
            .configure(tags::routes::configure)
            .configure(search::routes::configure)
            .configure(changes::routes::configure)
            .configure(redirects::routes::configure)
            .configure(articles::editorial::configure)
            .configure(media::routes::configure)
            .configure(auth::routes::configure)
            .configure(users::routes::configure)
            .configure(webhooks::routes::configure),
    );
    syndication::routes::configure(cfg);
    media::files::configure(cfg);
    service::routes::configure(cfg);
}

/// The OpenAPI document, as served at `/api-docs/openapi.json` and printed by
/// `newsdesk openapi`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes)
        .split_for_parts()
        .1;
    webhooks::dto::document(&mut doc);
    http::schema::conventions(&mut doc);
    doc
}

/// Builds the application as the server runs it.
pub fn build_app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let cors = cors(&state.config.cors_origins);
    let prometheus = state.http_metrics.clone();
    let max_body = state.config.max_body;
    let (app, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .app_data(state)
        .app_data(http::json::BodyLimit(max_body))
        .app_data(web::QueryConfig::default().error_handler(handlers::query))
        .app_data(web::PathConfig::default().error_handler(handlers::path))
        .app_data(
            web::JsonConfig::default()
                .limit(max_body)
                .error_handler(handlers::json),
        )
        .configure(routes)
        .split_for_parts();
    let mut api = api;
    webhooks::dto::document(&mut api);
    http::schema::conventions(&mut api);
    let allowed = web::Data::new(http::AllowedMethods::from_openapi(&api));
    app.app_data(allowed)
        .app_data(web::Data::new(api))
        .route(
            "/api-docs/openapi.json",
            web::get().to(service::routes::openapi_document),
        )
        .service(
            SwaggerUi::new("/docs/{_:.*}")
                .config(utoipa_swagger_ui::Config::from("/api-docs/openapi.json")),
        )
        .service(web::redirect("/docs", "/docs/"))
        .default_service(web::to(http::route_not_found))
        .wrap(from_fn(http::head_as_get))
        .wrap(Condition::new(cors.is_some(), cors.unwrap_or_default()))
        .wrap(Compress::default())
        .wrap(ErrorHandlers::new().default_handler(http::problem_for_foreign_errors))
        .wrap(prometheus)
        .wrap(from_fn(telemetry::request_id_header))
        .wrap(tracing_actix_web::TracingLogger::default())
}

fn cors(origins: &CorsOrigins) -> Option<Cors> {
    let base = Cors::default()
        .allowed_methods(["GET", "POST", "PATCH", "DELETE", "OPTIONS"])
        .allowed_headers([
            actix_web::http::header::AUTHORIZATION,
            actix_web::http::header::CONTENT_TYPE,
            actix_web::http::header::IF_NONE_MATCH,
            actix_web::http::header::HeaderName::from_static("x-visitor-id"),
        ])
        .expose_headers([
            actix_web::http::header::ETAG,
            actix_web::http::header::LINK,
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderName::from_static("x-request-id"),
        ])
        .max_age(3600);
    match origins {
        CorsOrigins::Any => Some(base.allow_any_origin().send_wildcard()),
        CorsOrigins::List(list) => Some(
            list.iter()
                .fold(base, |cors, origin| cors.allowed_origin(origin)),
        ),
        CorsOrigins::None => None,
    }
}
