//! `GET /healthz`, `GET /readyz`, `GET /metrics`.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(healthz).service(readyz).service(metrics);
}

/// Health of the process or its dependencies.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: String,
    /// Database backend in use (`/readyz` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "sqlite")]
    pub database: Option<String>,
    /// The search index of this process (`/readyz` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<SearchHealth>,
}

/// The state of a process's search index.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHealth {
    /// Whether searches are answered; `false` while the index is first built (searches
    /// answer 503 `search_warming_up`, everything else is served).
    pub ready: bool,
    /// Articles in the index.
    pub documents: u64,
    /// Change-feed rows not yet applied (as of the index's last look, about every second).
    pub lag: i64,
    /// Bytes on disk.
    pub size_bytes: u64,
    /// While the index is rebuilt: articles indexed so far and in all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rebuild: Option<RebuildProgress>,
}

/// How far a rebuild of the search index is.
#[derive(Debug, Serialize, ToSchema)]
pub struct RebuildProgress {
    pub done: u64,
    pub total: u64,
}

impl SearchHealth {
    fn of(index: &crate::index::engine::SearchIndex) -> Self {
        use std::sync::atomic::Ordering::Relaxed;
        let p = &index.progress;
        SearchHealth {
            ready: index.is_ready(),
            documents: index.documents(),
            lag: index.lag(),
            size_bytes: index.size_on_disk(),
            rebuild: p.running.load(Relaxed).then(|| RebuildProgress {
                done: p.done.load(Relaxed),
                total: p.total.load(Relaxed),
            }),
        }
    }
}

/// Liveness: the process is up and serving.
///
/// Touches nothing else: a load balancer's or orchestrator's liveness probe.
#[utoipa::path(
    tag = "service",
    responses((status = 200, description = "The process is up", body = Health)
    )
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(Health {
            status: "ok".into(),
            database: None,
            search: None,
        })
}

/// Readiness: the database answers and every migration is applied.
///
/// A readiness probe: 503 while the database is unreachable or migrations are pending. The
/// body also reports this process's search index: while it is first built, the process is
/// ready (feeds and articles are served) and `search.ready` is `false`.
#[utoipa::path(
    tag = "service",
    responses(
        (status = 200, description = "Ready to serve", body = Health),
        (status = 503, description = "Database unreachable or migrations pending", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let backend = state.db.backend();
    let pending = state
        .db
        .run(|conn| {
            db::has_pending_migrations(conn).map_err(|e| {
                tracing::warn!(error = %e, "readiness check failed");
                ApiError::ServiceUnavailable
            })
        })
        .await?;
    if pending {
        return Err(ApiError::ServiceUnavailable);
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(Health {
            status: "ok".into(),
            database: Some(backend.name().into()),
            search: Some(SearchHealth::of(&state.search)),
        }))
}

/// `GET /api-docs/openapi.json`: the OpenAPI document, with the site's languages.
pub async fn openapi_document(
    state: web::Data<AppState>,
    doc: web::Data<utoipa::openapi::OpenApi>,
) -> HttpResponse {
    let mut doc = doc.as_ref().clone();
    let site = state.site();
    crate::http::schema::for_site(&mut doc, &site.languages, &site.default_language);
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(doc)
}

/// Prometheus metrics.
///
/// Request counts and latencies per route and status, and newsdesk's own gauges, in the text
/// exposition format.
#[utoipa::path(
    tag = "service",
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain; version=0.0.4")
    )
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    use prometheus::Encoder;
    state.search_gauges.observe(&state.search);
    let encoder = prometheus::TextEncoder::new();
    let mut body = Vec::new();
    encoder
        .encode(&state.metrics.gather(), &mut body)
        .map_err(|e| ApiError::internal(format!("encode metrics: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type(encoder.format_type())
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}
