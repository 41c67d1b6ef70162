//! SQL of webhooks: subscriptions, the outbox of deliveries and their attempts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{
    AttemptRow, DELIVERED, DeliveryRow, FAILED, NewDelivery, NewWebhook, Outcome, PENDING, SENDING,
    WebhookChanges, WebhookRow,
};
use crate::db::DbConnection;
use crate::db::schema::{webhook_attempts, webhook_deliveries, webhooks};
use crate::db::sql::{Bind, Sql};
use crate::domain::change::ARTICLE;

pub fn insert(conn: &mut DbConnection, new: &NewWebhook<'_>) -> QueryResult<i64> {
    diesel::insert_into(webhooks::table)
        .values(new)
        .returning(webhooks::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<WebhookRow>> {
    webhooks::table
        .find(id)
        .select(WebhookRow::as_select())
        .first(conn)
        .optional()
}

/// One page by id, after `after`.
pub fn list(
    conn: &mut DbConnection,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<WebhookRow>> {
    webhooks::table
        .filter(webhooks::id.gt(after.unwrap_or(0)))
        .order(webhooks::id.asc())
        .limit(limit)
        .select(WebhookRow::as_select())
        .load(conn)
}

pub fn update(conn: &mut DbConnection, id: i64, changes: &WebhookChanges) -> QueryResult<usize> {
    diesel::update(webhooks::table.find(id))
        .set(changes)
        .execute(conn)
}

/// Deletes a subscription with its deliveries and their attempts.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    let deliveries = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(id))
        .select(webhook_deliveries::id);
    diesel::delete(
        webhook_attempts::table.filter(webhook_attempts::delivery_id.eq_any(deliveries)),
    )
    .execute(conn)?;
    diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::webhook_id.eq(id)))
        .execute(conn)?;
    diesel::delete(webhooks::table.find(id)).execute(conn)
}

/// The active subscriptions with their event patterns.
pub fn active(conn: &mut DbConnection) -> QueryResult<Vec<(i64, String)>> {
    webhooks::table
        .filter(webhooks::active.eq(true))
        .select((webhooks::id, webhooks::events))
        .order(webhooks::id.asc())
        .load(conn)
}

pub fn enqueue(conn: &mut DbConnection, rows: &[NewDelivery<'_>]) -> QueryResult<()> {
    crate::on_backend!(conn, |c| {
        for chunk in rows.chunks(500) {
            diesel::insert_into(webhook_deliveries::table)
                .values(chunk)
                .execute(c)?;
        }
    });
    Ok(())
}

/// Withdraws an article's publish announcement still waiting for its scheduled time: the
/// write that calls this decides anew what is announced.
pub fn withdraw_scheduled(
    conn: &mut DbConnection,
    article: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        webhook_deliveries::table
            .filter(webhook_deliveries::entity.eq(ARTICLE))
            .filter(webhook_deliveries::entity_id.eq(article))
            .filter(webhook_deliveries::state.eq(PENDING))
            .filter(webhook_deliveries::attempts.eq(0))
            .filter(webhook_deliveries::event.eq("article.published"))
            .filter(webhook_deliveries::next_attempt_at.gt(now)),
    )
    .execute(conn)
}

/// Whether any delivery may be due at `now` (read first, so an idle worker takes no write
/// lock).
pub fn any_due(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        webhook_deliveries::table
            .filter(webhook_deliveries::state.eq_any([PENDING, SENDING]))
            .filter(webhook_deliveries::next_attempt_at.le(now)),
    ))
    .get_result(conn)
}

/// Claims up to `limit` due deliveries of active subscriptions, marking them `sending` until
/// `lease_until`. A delivery waits while an earlier one about the same entity to the same
/// subscription is still pending, so each receiver sees an entity's events in order. On
/// PostgreSQL, rows another process is claiming are skipped (`FOR UPDATE SKIP LOCKED`); on
/// SQLite the claim runs under the single write lock.
pub fn claim(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<DeliveryRow>> {
    let lock = match conn {
        DbConnection::Pg(_) => " FOR UPDATE OF d SKIP LOCKED",
        DbConnection::Sqlite(_) => "",
    };
    let mut sql = Sql::default();
    let lease = sql.bind(Bind::Timestamp(lease_until));
    let now = sql.bind(Bind::Timestamp(now));
    let limit = sql.bind(Bind::BigInt(limit));
    sql.push(&format!(
        "UPDATE webhook_deliveries SET state = '{SENDING}', next_attempt_at = {lease} \
         WHERE id IN (\
           SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
           WHERE w.active AND d.state IN ('{PENDING}', '{SENDING}') AND d.next_attempt_at <= {now} \
             AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e \
               WHERE e.webhook_id = d.webhook_id AND e.entity = d.entity \
                 AND e.entity_id = d.entity_id AND e.id < d.id \
                 AND e.state IN ('{PENDING}', '{SENDING}')) \
           ORDER BY d.next_attempt_at, d.id LIMIT {limit}{lock}) \
         RETURNING *"
    ));
    let mut rows: Vec<DeliveryRow> = sql.load(conn)?;
    rows.sort_by_key(|d| d.id);
    Ok(rows)
}

/// The URL and secret of each subscription in `ids`.
pub fn targets(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String, String)>> {
    webhooks::table
        .filter(webhooks::id.eq_any(ids))
        .select((webhooks::id, webhooks::url, webhooks::secret))
        .load(conn)
}

/// How a recorded attempt leaves its delivery.
pub enum After {
    Delivered,
    RetryAt(NaiveDateTime),
    /// Given up; `disable` also disables the subscription when nothing reached it since the
    /// delivery's first attempt.
    Failed {
        disable: bool,
    },
}

/// Records an attempt of a claimed delivery and moves it on as `after` says. Returns whether
/// the subscription was disabled.
pub fn record(
    conn: &mut DbConnection,
    delivery: &DeliveryRow,
    outcome: &Outcome,
    after: After,
) -> QueryResult<bool> {
    let status = outcome.status.map(i32::from);
    diesel::insert_into(webhook_attempts::table)
        .values((
            webhook_attempts::delivery_id.eq(delivery.id),
            webhook_attempts::at.eq(outcome.at),
            webhook_attempts::status.eq(status),
            webhook_attempts::latency_ms.eq(outcome.latency_ms),
            webhook_attempts::error.eq(outcome.error.as_deref()),
            webhook_attempts::response.eq(outcome.response.as_deref()),
        ))
        .execute(conn)?;
    let first = delivery.first_attempt_at.unwrap_or(outcome.at);
    let (state, next, finished) = match after {
        After::Delivered => (DELIVERED, delivery.next_attempt_at, Some(outcome.at)),
        After::RetryAt(t) => (PENDING, t, None),
        After::Failed { .. } => (FAILED, delivery.next_attempt_at, Some(outcome.at)),
    };
    diesel::update(webhook_deliveries::table.find(delivery.id))
        .set((
            webhook_deliveries::state.eq(state),
            webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
            webhook_deliveries::next_attempt_at.eq(next),
            webhook_deliveries::first_attempt_at.eq(Some(first)),
            webhook_deliveries::finished_at.eq(finished),
            webhook_deliveries::last_status.eq(status),
            webhook_deliveries::last_error.eq(outcome.error.as_deref()),
        ))
        .execute(conn)?;
    match after {
        After::Delivered => {
            diesel::update(webhooks::table.find(delivery.webhook_id))
                .set(webhooks::last_success_at.eq(Some(outcome.at)))
                .execute(conn)?;
            Ok(false)
        }
        After::Failed { disable: true } => {
            let reason = format!(
                "every delivery failed since {}; the last: {}",
                first
                    .and_utc()
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                outcome
                    .error
                    .clone()
                    .or(status.map(|s| format!("HTTP {s}")))
                    .unwrap_or_default()
            );
            let n = diesel::update(
                webhooks::table
                    .find(delivery.webhook_id)
                    .filter(webhooks::active.eq(true))
                    .filter(
                        webhooks::last_success_at
                            .is_null()
                            .or(webhooks::last_success_at.lt(first)),
                    ),
            )
            .set((
                webhooks::active.eq(false),
                webhooks::disabled_reason.eq(Some(reason)),
            ))
            .execute(conn)?;
            Ok(n > 0)
        }
        _ => Ok(false),
    }
}

pub fn find_delivery(
    conn: &mut DbConnection,
    webhook: i64,
    id: i64,
) -> QueryResult<Option<DeliveryRow>> {
    webhook_deliveries::table
        .find(id)
        .filter(webhook_deliveries::webhook_id.eq(webhook))
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()
}

/// A subscription's deliveries, newest first, before `before`, optionally in one state.
pub fn deliveries(
    conn: &mut DbConnection,
    webhook: i64,
    state: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<DeliveryRow>> {
    let mut q = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook))
        .into_boxed();
    if let Some(s) = state {
        q = q.filter(webhook_deliveries::state.eq(s.to_string()));
    }
    if let Some(b) = before {
        q = q.filter(webhook_deliveries::id.lt(b));
    }
    q.order(webhook_deliveries::id.desc())
        .limit(limit)
        .select(DeliveryRow::as_select())
        .load(conn)
}

/// The attempts of the deliveries `ids`, oldest first.
pub fn attempts(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<AttemptRow>> {
    webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(ids))
        .order(webhook_attempts::id.asc())
        .select(AttemptRow::as_select())
        .load(conn)
}

/// Puts a finished delivery back in the queue, due now, with a fresh round of retries.
pub fn resend(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        webhook_deliveries::table
            .find(id)
            .filter(webhook_deliveries::state.eq_any([DELIVERED, FAILED])),
    )
    .set((
        webhook_deliveries::state.eq(PENDING),
        webhook_deliveries::attempts.eq(0),
        webhook_deliveries::next_attempt_at.eq(now),
        webhook_deliveries::first_attempt_at.eq(None::<NaiveDateTime>),
        webhook_deliveries::finished_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
}

/// Inserts a delivery already being sent (a test send), returning it.
pub fn insert_sending(conn: &mut DbConnection, new: &NewDelivery<'_>) -> QueryResult<DeliveryRow> {
    let id: i64 = diesel::insert_into(webhook_deliveries::table)
        .values(new)
        .returning(webhook_deliveries::id)
        .get_result(conn)?;
    webhook_deliveries::table
        .find(id)
        .select(DeliveryRow::as_select())
        .first(conn)
}
