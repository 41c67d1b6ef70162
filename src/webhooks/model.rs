//! Rows of the webhook tables.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{webhook_attempts, webhook_deliveries, webhooks};

/// Delivery states.
pub const PENDING: &str = "pending";
pub const SENDING: &str = "sending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";

/// A subscription. Not `Debug`: it holds the signing secret.
#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    pub id: i64,
    pub url: String,
    pub description: String,
    /// JSON array of event patterns.
    pub events: String,
    pub secret: String,
    pub active: bool,
    pub disabled_reason: Option<String>,
    pub last_success_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl WebhookRow {
    pub fn patterns(&self) -> Vec<String> {
        serde_json::from_str(&self.events).unwrap_or_default()
    }
}

#[derive(Insertable)]
#[diesel(table_name = webhooks)]
pub struct NewWebhook<'a> {
    pub url: &'a str,
    pub description: &'a str,
    pub events: &'a str,
    pub secret: &'a str,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = webhooks)]
pub struct WebhookChanges {
    pub url: Option<String>,
    pub description: Option<String>,
    pub events: Option<String>,
    pub active: Option<bool>,
    pub disabled_reason: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, QueryableByName)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    pub id: i64,
    pub webhook_id: i64,
    pub message_id: String,
    pub event: String,
    pub entity: String,
    pub entity_id: i64,
    pub payload: String,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub first_attempt_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = webhook_deliveries)]
pub struct NewDelivery<'a> {
    pub webhook_id: i64,
    pub message_id: &'a str,
    pub event: &'a str,
    pub entity: &'a str,
    pub entity_id: i64,
    pub payload: &'a str,
    pub state: &'a str,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_attempts)]
pub struct AttemptRow {
    pub id: i64,
    pub delivery_id: i64,
    pub at: NaiveDateTime,
    pub status: Option<i32>,
    pub latency_ms: i32,
    pub error: Option<String>,
    pub response: Option<String>,
}

/// What one attempt found.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub at: NaiveDateTime,
    pub status: Option<u16>,
    pub latency_ms: i32,
    pub error: Option<String>,
    /// The start of the receiver's answer, as text.
    pub response: Option<String>,
}

impl Outcome {
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}
