//! Webhooks: subscriptions of front ends and caches to content events, delivered with the
//! Standard Webhooks signature.
//!
//! - [`outbox`]: a content write queues its deliveries in its own transaction;
//! - the worker of each process ([`spawn_worker`]) claims due deliveries ([`queries::claim`]:
//!   `FOR UPDATE SKIP LOCKED` on PostgreSQL, the single writer on SQLite), POSTs them and
//!   records each attempt; failures are retried after [`RETRY_DELAYS`] (about a day, with
//!   jitter), then the delivery fails and, when nothing reached the subscription since it was
//!   first tried, the subscription is disabled;
//! - [`target`]: where deliveries may go (no private addresses, checked after DNS).

pub mod dto;
pub mod events;
pub mod model;
pub mod outbox;
pub mod queries;
pub mod routes;
pub mod sign;
pub mod target;

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::web;
use chrono::NaiveDateTime;
use rand::RngExt;
use tokio::sync::Notify;

use crate::config::WebhookConfig;
use crate::error::ApiError;
use crate::state::AppState;
use model::{DeliveryRow, Outcome};
use queries::After;
use target::{GuardedResolver, Policy};

/// Seconds to wait after each failed attempt: 11 attempts over about 23.7 hours.
pub const RETRY_DELAYS: [i64; 10] = [5, 30, 120, 600, 1_800, 3_600, 7_200, 14_400, 28_800, 28_800];

/// At most this many deliveries are sent at once by one process.
const BATCH: i64 = 16;

/// At most this much of a receiver's answer is read (and the first 512 bytes kept).
const MAX_RESPONSE_BYTES: usize = 4_096;
const KEPT_RESPONSE_BYTES: usize = 512;

/// The delivery client and the worker's wake-up call.
pub struct Webhooks {
    client: reqwest::Client,
    /// Attempts by outcome (`delivered`, `retry`, `failed`), in `/metrics`.
    attempts: prometheus::IntCounterVec,
    pub policy: Policy,
    timeout: Duration,
    wake: Arc<Notify>,
}

impl Webhooks {
    pub fn new(config: &WebhookConfig, registry: &prometheus::Registry) -> anyhow::Result<Self> {
        let attempts = prometheus::IntCounterVec::new(
            prometheus::Opts::new(
                "newsdesk_webhook_attempts_total",
                "Webhook delivery attempts by outcome: delivered, retry (failed, tried again later), failed (given up)",
            ),
            &["outcome"],
        )?;
        registry.register(Box::new(attempts.clone()))?;
        let policy = Policy::new(config.allow_local, config.pinned_hosts.clone());
        let resolver: Arc<dyn reqwest::dns::Resolve> = Arc::new(GuardedResolver(policy.clone()));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // A proxy would connect wherever it likes: the address checks must see the target.
            .no_proxy()
            .dns_resolver(resolver)
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .user_agent(concat!("newsdesk-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Webhooks {
            client,
            attempts,
            policy,
            timeout: config.timeout,
            wake: Arc::new(Notify::new()),
        })
    }

    /// Tells this process's worker that deliveries were queued.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// One attempt: POSTs `delivery` to `url`, signed with `secret`.
    pub async fn attempt(
        &self,
        delivery: &DeliveryRow,
        url: &str,
        secret: &str,
        at: NaiveDateTime,
    ) -> Outcome {
        let started = Instant::now();
        let result = self.post(delivery, url, secret).await;
        let latency_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
        match result {
            Ok((status, response)) => Outcome {
                at,
                status: Some(status),
                latency_ms,
                error: None,
                response: Some(response),
            },
            Err(error) => Outcome {
                at,
                status: None,
                latency_ms,
                error: Some(error),
                response: None,
            },
        }
    }

    async fn post(
        &self,
        delivery: &DeliveryRow,
        url: &str,
        secret: &str,
    ) -> Result<(u16, String), String> {
        let url = url::Url::parse(url).map_err(|e| format!("invalid URL: {e}"))?;
        self.policy.check_literal(&url)?;
        // The time of sending, from the wall clock: receivers compare it with theirs.
        let timestamp = chrono::Utc::now().timestamp();
        let body = delivery.payload.clone().into_bytes();
        let signature = sign::signature(secret, &delivery.message_id, timestamp, &body);
        let mut response = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &delivery.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await
            .map_err(describe)?;
        let status = response.status().as_u16();
        let mut read = Vec::new();
        let reading = async {
            while read.len() < MAX_RESPONSE_BYTES {
                match response.chunk().await {
                    Ok(Some(chunk)) => read.extend_from_slice(&chunk),
                    _ => break,
                }
            }
        };
        // The status decides; a receiver slow to finish its body is not waited for.
        let _ = tokio::time::timeout(self.timeout, reading).await;
        read.truncate(KEPT_RESPONSE_BYTES);
        Ok((status, String::from_utf8_lossy(&read).into_owned()))
    }
}

/// A short account of why a request failed, with the cause reqwest wraps.
fn describe(e: reqwest::Error) -> String {
    use std::error::Error;
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    let mut cause = String::new();
    let mut source = e.source();
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    if cause.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {cause}")
    }
}

/// When to try again after `attempts` failed attempts, or `None` when it is time to give up.
pub fn retry_at(attempts: i32, now: NaiveDateTime) -> Option<NaiveDateTime> {
    let base = *RETRY_DELAYS.get(usize::try_from(attempts).ok()?.checked_sub(1)?)?;
    // ±20% so receivers coming back are not hit by every sender at the same second.
    let jitter = rand::rng().random_range(0.8..1.2);
    Some(now + chrono::Duration::milliseconds((base as f64 * 1000.0 * jitter) as i64))
}

/// Claims and sends every delivery due now, batch after batch, until none is left. Returns
/// how many were attempted.
pub async fn run_due(state: &AppState) -> Result<usize, ApiError> {
    let mut total = 0;
    loop {
        let now = state.clock.now_naive();
        let lease =
            now + chrono::Duration::from_std(state.webhooks.timeout * 3).unwrap_or_default();
        let claimed = state
            .db
            .run(move |conn| {
                if !queries::any_due(conn, now)? {
                    return Ok((Vec::new(), Vec::new()));
                }
                crate::db::transaction(conn, |conn| {
                    let rows = queries::claim(conn, now, lease, BATCH)?;
                    let mut ids: Vec<i64> = rows.iter().map(|d| d.webhook_id).collect();
                    ids.sort_unstable();
                    ids.dedup();
                    let targets = queries::targets(conn, &ids)?;
                    Ok::<_, ApiError>((rows, targets))
                })
            })
            .await?;
        let (rows, targets) = claimed;
        if rows.is_empty() {
            return Ok(total);
        }
        total += rows.len();
        let sends = rows.into_iter().filter_map(|d| {
            let (_, url, secret) = targets.iter().find(|t| t.0 == d.webhook_id)?.clone();
            Some(deliver(state, d, url, secret))
        });
        for result in futures_util::future::join_all(sends).await {
            result?;
        }
    }
}

/// Sends one claimed delivery and records the attempt.
async fn deliver(
    state: &AppState,
    delivery: DeliveryRow,
    url: String,
    secret: String,
) -> Result<(), ApiError> {
    let at = state.clock.now_naive();
    let outcome = state.webhooks.attempt(&delivery, &url, &secret, at).await;
    let attempts = delivery.attempts + 1;
    let after = if outcome.succeeded() {
        After::Delivered
    } else {
        match retry_at(attempts, at) {
            Some(t) => After::RetryAt(t),
            None => After::Failed { disable: true },
        }
    };
    let label = match after {
        After::Delivered => "delivered",
        After::RetryAt(_) => "retry",
        After::Failed { .. } => "failed",
    };
    state.webhooks.attempts.with_label_values(&[label]).inc();
    if !outcome.succeeded() {
        tracing::info!(
            webhook = delivery.webhook_id,
            delivery = delivery.id,
            event = %delivery.event,
            attempts,
            status = ?outcome.status,
            error = ?outcome.error,
            "webhook delivery failed"
        );
    }
    let disabled = state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                Ok(queries::record(conn, &delivery, &outcome, after)?)
            })
        })
        .await?;
    if disabled {
        tracing::warn!(webhook = %url, "webhook disabled: its deliveries failed for a day");
    }
    Ok(())
}

/// Sends due deliveries for as long as the process runs: at once when a write of this process
/// queued some, and every second for those of other processes, retries and scheduled times.
pub fn spawn_worker(state: web::Data<AppState>) {
    actix_web::rt::spawn(async move {
        loop {
            if let Err(e) = run_due(&state).await {
                tracing::warn!(error = %e, "sending webhooks failed; trying again");
            }
            let wake = state.webhooks.wake.clone();
            let _ = tokio::time::timeout(Duration::from_secs(1), wake.notified()).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_last_about_a_day() {
        let total: i64 = RETRY_DELAYS.iter().sum();
        assert!((20 * 3600..26 * 3600).contains(&total), "{total}");
        let now = chrono::DateTime::from_timestamp(0, 0).unwrap().naive_utc();
        for (i, base) in RETRY_DELAYS.iter().enumerate() {
            let t = retry_at(i as i32 + 1, now).unwrap();
            let waited = (t - now).num_milliseconds() as f64 / 1000.0;
            assert!(waited >= *base as f64 * 0.8 && waited <= *base as f64 * 1.2);
        }
        assert!(retry_at(RETRY_DELAYS.len() as i32 + 1, now).is_none());
    }
}
