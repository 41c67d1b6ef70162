//! What runs beside the requests, for as long as the process runs: the content-state refresher,
//! the view flusher and the pruning of old hourly view counts; and the last flush of views at
//! shutdown.

use std::time::Duration;

use actix_web::web;

use crate::error::ApiError;
use crate::state::AppState;

/// Writes counted views every `NEWSDESK_VIEW_FLUSH_MS` and prunes hourly view counts
/// past the retention once an hour, for as long as the process runs.
pub fn spawn_view_flusher(state: web::Data<AppState>) {
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(state.config.view_flush);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut pruned_at: Option<std::time::Instant> = None;
        loop {
            tick.tick().await;
            if let Err(e) = state.views.flush(&state.db).await {
                tracing::warn!(error = %e, pending = state.views.pending(), "writing views failed; retrying");
            }
            if pruned_at.is_none_or(|t| t.elapsed() >= Duration::from_secs(3600)) {
                pruned_at = Some(std::time::Instant::now());
                match prune_views(&state).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(buckets = n, "pruned old hourly view counts"),
                    Err(e) => tracing::warn!(error = %e, "pruning hourly view counts failed"),
                }
            }
        }
    });
}

/// Deletes hourly view counts older than `NEWSDESK_VIEW_RETENTION_DAYS`.
pub async fn prune_views(state: &AppState) -> Result<usize, ApiError> {
    let cutoff = crate::counter::hour_of(state.clock.now())
        - chrono::Duration::days(i64::from(state.config.view_retention_days));
    state
        .db
        .run(move |conn| Ok(crate::counter::queries::prune(conn, cutoff)?))
        .await
}

/// At shutdown, after the server stopped taking requests: writes every counted view,
/// retrying up to ten times, half a second apart, if the database is briefly unavailable.
/// Always returns: once the views are written, or with the error that kept them out.
pub async fn flush_views_before_exit(state: &AppState) -> Result<u64, ApiError> {
    const ATTEMPTS: u32 = 10;
    tracing::info!(
        pending = state.views.pending(),
        "server stopped; writing counted views"
    );
    let mut written = 0;
    for attempt in 1..=ATTEMPTS {
        match state.views.flush(&state.db).await {
            // No views are counted any more, so one successful flush writes them all; a
            // periodic flush under way when the server stopped has written its share.
            Ok(n) => {
                written += n;
                if state.views.pending() == 0 {
                    return Ok(written);
                }
            }
            Err(e) if attempt < ATTEMPTS => {
                tracing::warn!(error = %e, attempt, "writing views at shutdown failed; retrying");
            }
            Err(e) => return Err(e),
        }
        actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    }
    Err(ApiError::internal(format!(
        "{} counted views still unwritten after {ATTEMPTS} flushes",
        state.views.pending()
    )))
}

/// Polls the content state every second for as long as the process runs, so changes
/// made through other processes reach this one's cache and site settings.
pub fn spawn_refresher(state: web::Data<AppState>) {
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = state.refresh().await {
                tracing::warn!(error = %e, "content state refresh failed");
            }
        }
    });
}
