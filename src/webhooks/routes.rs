//! `/webhooks`: subscriptions, their deliveries, test sends and re-sends, for admins.

use actix_web::{delete, get, patch, post, web};
use chrono::NaiveDateTime;

use super::dto::{
    DeliveriesQuery, DeliveryDto, NewWebhookDto, NewWebhookRequest, SiteEvent,
    UpdateWebhookRequest, WebhookDto,
};
use super::events::{MAX_PATTERNS, TEST_EVENT, is_pattern};
use super::model::{
    DELIVERED, FAILED, NewDelivery, NewWebhook, PENDING, SENDING, WebhookChanges, WebhookRow,
};
use super::queries::{self, After};
use super::sign;
use crate::auth::RequireAdmin;
use crate::clock::utc;
use crate::error::{ApiError, FieldError};
use crate::http::docs::{Conflict, Forbidden, JsonBody, NotFound, SignedIn};
use crate::http::json::{JsonForm, NoBody};
use crate::http::pagination::{Page, PageQuery, seq_page};
use crate::http::params::{Query, positive_id};
use crate::http::respond::{Created, NoContent, Private};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_webhooks)
        .service(create_webhook)
        .service(get_webhook)
        .service(update_webhook)
        .service(delete_webhook)
        .service(test_webhook)
        .service(list_deliveries)
        .service(resend_delivery);
}

const ORDER: &str = "webhook";
const DELIVERY_ORDER: &str = "webhook_delivery";
const MAX_DESCRIPTION: usize = 500;

fn not_found() -> ApiError {
    ApiError::not_found("no such webhook")
}

/// The patterns as stored (a JSON array), or a field error.
fn check_events(events: &[String]) -> Result<String, FieldError> {
    let invalid = |message: String| Err(FieldError::new("events", "invalid_events", message));
    if events.is_empty() || events.len() > MAX_PATTERNS {
        return invalid(format!("must list 1 to {MAX_PATTERNS} events"));
    }
    let mut patterns: Vec<String> = Vec::new();
    for e in events {
        let e = e.trim();
        if !is_pattern(e) {
            return invalid(format!(
                "{:?} is not an event, a family like `article.*`, or `*`",
                e.chars().take(60).collect::<String>()
            ));
        }
        if !patterns.iter().any(|p| p == e) {
            patterns.push(e.to_string());
        }
    }
    Ok(serde_json::Value::from(patterns).to_string())
}

fn check_description(raw: &str) -> Result<String, FieldError> {
    let d = raw.trim();
    if d.chars().count() > MAX_DESCRIPTION {
        Err(FieldError::new(
            "description",
            "invalid_length",
            format!("must be at most {MAX_DESCRIPTION} characters"),
        ))
    } else {
        Ok(d.to_string())
    }
}

/// The subscriptions, by id.
///
/// Admins only. Secrets are never listed.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of webhooks", body = Page<WebhookDto>),
        SignedIn, Forbidden,
    )
)]
#[get("/webhooks")]
pub async fn list_webhooks(
    _admin: RequireAdmin,
    state: web::Data<AppState>,
    query: Query<PageQuery>,
) -> Result<Private<Page<WebhookDto>>, ApiError> {
    let (limit, after) = query.parse_seq(&state.cursors, ORDER)?;
    let cursors = state.cursors.clone();
    let page = state
        .db
        .run(move |conn| {
            let rows = queries::list(conn, after, limit.probe())?;
            Ok(seq_page(
                rows,
                limit,
                &cursors,
                ORDER,
                |r| r.id,
                WebhookDto::from,
            ))
        })
        .await?;
    Ok(Private(page))
}

/// Subscribes a URL to events.
///
/// Admins only. The answer carries the signing secret, shown this once. The URL must be
/// `https` and must not resolve to a private, loopback, link-local or reserved address (422
/// `forbidden_address`); `http` to loopback only where the server allows local targets.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    request_body = NewWebhookRequest,
    responses(
        (status = 201, description = "Created, with its secret", body = NewWebhookDto, headers(("Location" = String, description = "The new webhook"))),
        SignedIn, Forbidden, JsonBody,
    )
)]
#[post("/webhooks")]
pub async fn create_webhook(
    _admin: RequireAdmin,
    state: web::Data<AppState>,
    body: JsonForm<NewWebhookRequest>,
) -> Result<Created<NewWebhookDto>, ApiError> {
    let JsonForm {
        value: body,
        mut errors,
    } = body;
    let url = match errors.required("url", body.url) {
        Some(raw) => errors.take(state.webhooks.policy.check(&raw).await),
        None => None,
    };
    let events = errors.take(check_events(
        body.events.as_deref().unwrap_or(&["*".to_string()]),
    ));
    let description = errors.take(check_description(body.description.as_deref().unwrap_or("")));
    let (Some(url), Some(events), Some(description)) = (url, events, description) else {
        return Err(errors.into_validation());
    };
    errors.check()?;
    let now = state.clock.now_naive();
    let secret = sign::new_secret();
    let active = body.active.unwrap_or(true);
    let (row, secret) = state
        .db
        .run(move |conn| {
            let id = queries::insert(
                conn,
                &NewWebhook {
                    url: url.as_str(),
                    description: &description,
                    events: &events,
                    secret: &secret,
                    active,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            let row = queries::find(conn, id)?
                .ok_or_else(|| ApiError::internal("inserted webhook vanished"))?;
            Ok((row, secret))
        })
        .await?;
    Ok(Created {
        location: format!("/api/v1/webhooks/{}", row.id),
        body: NewWebhookDto {
            webhook: WebhookDto::from(row),
            secret,
        },
    })
}

async fn load(state: &AppState, id: i64) -> Result<WebhookRow, ApiError> {
    state
        .db
        .run(move |conn| queries::find(conn, id)?.ok_or_else(not_found))
        .await
}

/// One subscription.
///
/// Admins only. The secret is not shown again.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "Webhook id")),
    responses(
        (status = 200, description = "The webhook", body = WebhookDto),
        SignedIn, Forbidden, NotFound,
    )
)]
#[get("/webhooks/{id}")]
pub async fn get_webhook(
    _admin: RequireAdmin,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<Private<WebhookDto>, ApiError> {
    let id = positive_id("id", &path)?;
    Ok(Private(WebhookDto::from(load(&state, id).await?)))
}

/// Changes a subscription.
///
/// Admins only. `active: true` enables a subscription newsdesk disabled, and its queued
/// deliveries go out again.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "Webhook id")),
    request_body = UpdateWebhookRequest,
    responses(
        (status = 200, description = "Updated", body = WebhookDto),
        SignedIn, Forbidden, NotFound, JsonBody,
    )
)]
#[patch("/webhooks/{id}")]
pub async fn update_webhook(
    _admin: RequireAdmin,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: JsonForm<UpdateWebhookRequest>,
) -> Result<Private<WebhookDto>, ApiError> {
    let id = positive_id("id", &path)?;
    let JsonForm {
        value: body,
        mut errors,
    } = body;
    let url = match body.url {
        Some(raw) => errors.take(state.webhooks.policy.check(&raw).await),
        None => None,
    };
    let events = body
        .events
        .as_deref()
        .map(check_events)
        .and_then(|r| errors.take(r));
    let description = body
        .description
        .as_deref()
        .map(check_description)
        .and_then(|r| errors.take(r));
    errors.check()?;
    let now = state.clock.now_naive();
    let changes = WebhookChanges {
        url: url.map(String::from),
        description,
        events,
        active: body.active,
        disabled_reason: body.active.filter(|a| *a).map(|_| None),
        updated_at: Some(now),
    };
    let row = state
        .db
        .run(move |conn| {
            if queries::update(conn, id, &changes)? == 0 {
                return Err(not_found());
            }
            queries::find(conn, id)?.ok_or_else(not_found)
        })
        .await?;
    if row.active {
        state.webhooks.wake();
    }
    Ok(Private(WebhookDto::from(row)))
}

/// Deletes a subscription.
///
/// Admins only. Its queued and past deliveries go with it; nothing more is sent to its URL.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "Webhook id")),
    responses(
        (status = 204, description = "Deleted"),
        SignedIn, Forbidden, NotFound,
    )
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(
    _admin: RequireAdmin,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _body: NoBody,
) -> Result<NoContent, ApiError> {
    let id = positive_id("id", &path)?;
    state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                if queries::delete(conn, id)? == 0 {
                    return Err(not_found());
                }
                Ok(())
            })
        })
        .await?;
    Ok(NoContent)
}

/// Sends a `webhook.test` event now and answers how it went.
///
/// Admins only. Signed like every delivery; not retried, and a failure does not count toward
/// disabling the subscription. Works on inactive subscriptions too, to check a receiver
/// before enabling it.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "Webhook id")),
    responses(
        (status = 200, description = "The test delivery with its attempt", body = DeliveryDto),
        SignedIn, Forbidden, NotFound,
    )
)]
#[post("/webhooks/{id}/test")]
pub async fn test_webhook(
    _admin: RequireAdmin,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _body: NoBody,
) -> Result<Private<DeliveryDto>, ApiError> {
    let id = positive_id("id", &path)?;
    let now = state.clock.now_naive();
    let payload = serde_json::to_string(&SiteEvent {
        kind: TEST_EVENT.to_string(),
        timestamp: utc(now),
        data: serde_json::json!({ "webhook_id": id }),
    })
    .map_err(|e| ApiError::internal(e.to_string()))?;
    let (delivery, url, secret) = state
        .db
        .run(move |conn| {
            let hook = queries::find(conn, id)?.ok_or_else(not_found)?;
            let message_id = sign::new_message_id();
            let delivery = queries::insert_sending(
                conn,
                &NewDelivery {
                    webhook_id: id,
                    message_id: &message_id,
                    event: TEST_EVENT,
                    entity: "webhook",
                    entity_id: id,
                    payload: &payload,
                    state: SENDING,
                    attempts: 0,
                    next_attempt_at: now,
                    created_at: now,
                },
            )?;
            Ok((delivery, hook.url, hook.secret))
        })
        .await?;
    let outcome = state.webhooks.attempt(&delivery, &url, &secret, now).await;
    let after = if outcome.succeeded() {
        After::Delivered
    } else {
        After::Failed { disable: false }
    };
    let dto = state
        .db
        .run(move |conn| {
            queries::record(conn, &delivery, &outcome, after)?;
            delivery_dto(conn, id, delivery.id)
        })
        .await?;
    Ok(Private(dto))
}

fn delivery_dto(
    conn: &mut crate::db::DbConnection,
    webhook: i64,
    id: i64,
) -> Result<DeliveryDto, ApiError> {
    let d = queries::find_delivery(conn, webhook, id)?
        .ok_or_else(|| ApiError::not_found("no such delivery"))?;
    let attempts = queries::attempts(conn, &[id])?;
    Ok(DeliveryDto::new(d, attempts))
}

/// A subscription's deliveries, newest first, with every attempt.
///
/// Admins only. `state` narrows the list (`failed` to find what to re-send).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "Webhook id"), DeliveriesQuery),
    responses(
        (status = 200, description = "A page of deliveries", body = Page<DeliveryDto>),
        SignedIn, Forbidden, NotFound,
    )
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_deliveries(
    _admin: RequireAdmin,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: Query<DeliveriesQuery>,
) -> Result<Private<Page<DeliveryDto>>, ApiError> {
    let id = positive_id("id", &path)?;
    let query = query.into_inner();
    let filter = match query.state.as_deref() {
        None => None,
        Some(s @ (PENDING | SENDING | DELIVERED | FAILED)) => Some(s.to_string()),
        Some(_) => {
            return Err(ApiError::invalid_param(
                "state",
                "invalid_state",
                "must be one of: pending, sending, delivered, failed",
            ));
        }
    };
    let paging = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    };
    let (limit, before) = paging.parse_seq(&state.cursors, DELIVERY_ORDER)?;
    let cursors = state.cursors.clone();
    let page = state
        .db
        .run(move |conn| {
            queries::find(conn, id)?.ok_or_else(not_found)?;
            let rows = queries::deliveries(conn, id, filter.as_deref(), before, limit.probe())?;
            let ids: Vec<i64> = rows.iter().map(|d| d.id).collect();
            let mut attempts = queries::attempts(conn, &ids)?;
            Ok(seq_page(
                rows,
                limit,
                &cursors,
                DELIVERY_ORDER,
                |d| d.id,
                |d| {
                    let (mine, rest): (Vec<_>, Vec<_>) =
                        attempts.drain(..).partition(|a| a.delivery_id == d.id);
                    attempts = rest;
                    DeliveryDto::new(d, mine)
                },
            ))
        })
        .await?;
    Ok(Private(page))
}

/// Sends a delivered or failed delivery again, with a fresh round of retries.
///
/// Admins only. The message keeps its `webhook-id`, so a receiver that got it drops the
/// repeat. 409 `delivery_pending` while it is still queued; 409 `webhook_disabled` while the
/// subscription is inactive (enable it first).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "Webhook id"),
        ("delivery" = i64, Path, minimum = 1, description = "Delivery id"),
    ),
    responses(
        (status = 200, description = "Queued again", body = DeliveryDto),
        SignedIn, Forbidden, NotFound, Conflict,
    )
)]
#[post("/webhooks/{id}/deliveries/{delivery}/resend")]
pub async fn resend_delivery(
    _admin: RequireAdmin,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _body: NoBody,
) -> Result<Private<DeliveryDto>, ApiError> {
    let id = positive_id("id", &path.0)?;
    let delivery = positive_id("delivery", &path.1)?;
    let now: NaiveDateTime = state.clock.now_naive();
    let dto = state
        .db
        .run(move |conn| {
            crate::db::transaction(conn, |conn| {
                let hook = queries::find(conn, id)?.ok_or_else(not_found)?;
                let d = queries::find_delivery(conn, id, delivery)?
                    .ok_or_else(|| ApiError::not_found("no such delivery"))?;
                if !hook.active {
                    return Err(ApiError::Conflict {
                        code: "webhook_disabled",
                        detail: "the webhook is inactive; enable it first".into(),
                    });
                }
                if d.state == PENDING || d.state == SENDING {
                    return Err(ApiError::Conflict {
                        code: "delivery_pending",
                        detail: "the delivery is still queued".into(),
                    });
                }
                queries::resend(conn, delivery, now)?;
                delivery_dto(conn, id, delivery)
            })
        })
        .await?;
    state.webhooks.wake();
    Ok(Private(dto))
}
