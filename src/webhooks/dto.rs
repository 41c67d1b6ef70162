//! Webhook request and response bodies, and the payloads receivers get (documented under the
//! OpenAPI document's `webhooks`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::model::{AttemptRow, DeliveryRow, WebhookRow};
use crate::clock::utc;

/// A subscription. Its secret is shown only when it is created.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookDto {
    pub id: i64,
    /// Where deliveries are POSTed.
    #[schema(example = "https://front.example.com/api/revalidate")]
    pub url: String,
    pub description: String,
    /// Event names, families (`article.*`) or `*`.
    #[schema(example = json!(["article.*", "site.updated"]))]
    pub events: Vec<String>,
    /// Inactive subscriptions get nothing; their queued deliveries wait.
    pub active: bool,
    /// Why newsdesk disabled it (every delivery failed for a day), until it is enabled again.
    pub disabled_reason: Option<String>,
    /// When a delivery last succeeded.
    pub last_success_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<WebhookRow> for WebhookDto {
    fn from(row: WebhookRow) -> Self {
        WebhookDto {
            events: row.patterns(),
            id: row.id,
            url: row.url,
            description: row.description,
            active: row.active,
            disabled_reason: row.disabled_reason,
            last_success_at: row.last_success_at.map(utc),
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

/// A new subscription, with the secret that signs its deliveries: shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewWebhookDto {
    #[serde(flatten)]
    pub webhook: WebhookDto,
    /// `whsec_` and 32 random bytes in base64: the Standard Webhooks secret format.
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYo=")]
    pub secret: String,
}

/// A new subscription.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhookRequest {
    /// `https` (or `http` to loopback when the server allows it); never a private,
    /// link-local or loopback address.
    #[serde(default)]
    #[schema(required = true, value_type = String, max_length = 2000, example = "https://front.example.com/api/revalidate")]
    pub url: Option<String>,
    /// Event names, families (`article.*`) or `*` (the default): 1 to 32.
    #[serde(default)]
    #[schema(value_type = Option<Vec<String>>, min_items = 1, max_items = 32, example = json!(["article.*"]))]
    pub events: Option<Vec<String>>,
    /// At most 500 characters.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub description: Option<String>,
    /// Default true.
    #[serde(default)]
    pub active: Option<bool>,
}

/// Changes to a subscription: absent fields stay. Enabling a disabled one resumes its queued
/// deliveries.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhookRequest {
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = String, max_length = 2000)]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Vec<String>, min_items = 1, max_items = 32)]
    pub events: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = String, max_length = 500)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = bool)]
    pub active: Option<bool>,
}

/// Where a delivery is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its time: now, a retry, or a scheduled publish time.
    Pending,
    /// Being sent.
    Sending,
    Delivered,
    /// Given up after about a day of retries (or a failed test send).
    Failed,
}

/// One attempt of a delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptDto {
    pub at: DateTime<Utc>,
    /// The receiver's HTTP status; absent when none came.
    pub status: Option<i32>,
    pub latency_ms: i32,
    /// Why no status came (DNS, connection, timeout, refused address).
    pub error: Option<String>,
    /// The start of the receiver's answer (at most 512 bytes).
    pub response: Option<String>,
}

impl From<AttemptRow> for AttemptDto {
    fn from(a: AttemptRow) -> Self {
        AttemptDto {
            at: utc(a.at),
            status: a.status,
            latency_ms: a.latency_ms,
            error: a.error,
            response: a.response,
        }
    }
}

/// One event sent (or to be sent) to one subscription, with its attempts.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryDto {
    pub id: i64,
    #[schema(example = "article.published")]
    pub event: String,
    /// The `webhook-id` header: the same on every attempt, for receivers to drop repeats.
    #[schema(example = "msg_2b7c1f0a9d8e4c6b8a1f3e5d7c9b0a12")]
    pub message_id: String,
    pub state: DeliveryState,
    /// When it is due, while pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// The body sent.
    #[schema(value_type = Object)]
    pub payload: Value,
    /// Oldest first.
    pub attempts: Vec<AttemptDto>,
}

impl DeliveryDto {
    pub fn new(d: DeliveryRow, attempts: Vec<AttemptRow>) -> Self {
        let state = match d.state.as_str() {
            super::model::PENDING => DeliveryState::Pending,
            super::model::SENDING => DeliveryState::Sending,
            super::model::DELIVERED => DeliveryState::Delivered,
            _ => DeliveryState::Failed,
        };
        DeliveryDto {
            id: d.id,
            event: d.event,
            message_id: d.message_id,
            next_attempt_at: matches!(state, DeliveryState::Pending)
                .then(|| utc(d.next_attempt_at)),
            state,
            created_at: utc(d.created_at),
            finished_at: d.finished_at.map(utc),
            payload: serde_json::from_str(&d.payload).unwrap_or(Value::Null),
            attempts: attempts.into_iter().map(AttemptDto::from).collect(),
        }
    }
}

/// Paging and filter of a subscription's deliveries.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// Page size, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// `meta.next_cursor` of the previous page.
    #[param(value_type = Option<crate::http::schema::Cursor>)]
    pub cursor: Option<String>,
    /// Only deliveries in this state.
    #[param(value_type = Option<DeliveryState>)]
    pub state: Option<String>,
}

/// What receivers learn of an article: enough to find its page or purge it from a cache.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleEventData {
    pub id: i64,
    /// Its slug (a deleted article's last one).
    pub slug: String,
    pub lang: String,
    pub title: String,
    /// The section's slug.
    pub section: String,
    pub status: String,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// A section, author or tag.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntityEventData {
    pub id: i64,
    pub slug: Option<String>,
}

/// Declares an event body type: `{"type", "timestamp", "data"}`, Standard Webhooks' shape.
macro_rules! event_body {
    ($(#[$doc:meta])* $name:ident, $data:ty $(, $attr:meta)?) => {
        $(#[$doc])*
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $name {
            /// The event name.
            #[serde(rename = "type")]
            pub kind: String,
            /// When it happened (a scheduled article: its publish time).
            pub timestamp: DateTime<Utc>,
            $(#[$attr])?
            pub data: $data,
        }
    };
}

event_body!(
    /// `article.published`, `article.updated`, `article.unpublished`, `article.deleted`,
    /// `article.scheduled`.
    ArticleEvent,
    ArticleEventData
);
event_body!(
    /// `section.*`, `author.*`, `tag.*`: created, updated, deleted.
    EntityEvent,
    EntityEventData
);
event_body!(
    /// `site.updated` (data `{}`) and `webhook.test` (data `{"webhook_id"}`).
    SiteEvent,
    Value,
    schema(value_type = Object)
);

/// Adds the `webhooks` section (one entry per event, with its body and signature headers) and
/// the payload schemas to the OpenAPI document.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::{
        HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem,
    };
    use utoipa::openapi::request_body::RequestBodyBuilder;
    use utoipa::openapi::{ContentBuilder, PathsBuilder, Ref, Required, ResponseBuilder};

    fn add<T: ToSchema>(
        schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::Schema>)>,
    ) {
        schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(schemas);
    }
    let mut schemas = Vec::new();
    add::<ArticleEvent>(&mut schemas);
    add::<ArticleEventData>(&mut schemas);
    add::<EntityEvent>(&mut schemas);
    add::<EntityEventData>(&mut schemas);
    add::<SiteEvent>(&mut schemas);
    let components = doc.components.get_or_insert_with(Default::default);
    components.schemas.extend(schemas);

    let header = |name: &str, description: &str| {
        ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Header)
            .required(Required::True)
            .description(Some(description))
            .schema(Some(
                utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::String),
            ))
            .build()
    };
    let mut paths = PathsBuilder::new();
    for event in super::events::EVENTS
        .iter()
        .chain([&super::events::TEST_EVENT])
    {
        let body = match event.split_once('.').map(|(family, _)| family) {
            Some("article") => "ArticleEvent",
            Some("site") | Some("webhook") => "SiteEvent",
            _ => "EntityEvent",
        };
        let operation = OperationBuilder::new()
            .tag("webhooks")
            .operation_id(Some(format!("webhook_{}", event.replace('.', "_"))))
            .summary(Some(format!("`{event}`")))
            .description(Some(
                "POSTed to each subscribed URL, signed the Standard Webhooks way: \
                 `webhook-signature` is `v1,` and the base64 HMAC-SHA256, keyed with the \
                 base64-decoded part of the secret after `whsec_`, of \
                 `{webhook-id}.{webhook-timestamp}.{body}`. Retried with backoff for about a \
                 day until a 2xx answer; the same `webhook-id` on every attempt.",
            ))
            .parameters(Some([
                header("webhook-id", "The message id, the same on every attempt: drop repeats."),
                header("webhook-timestamp", "Unix seconds when this attempt was sent; refuse old ones."),
                header("webhook-signature", "`v1,<base64 HMAC-SHA256>`, space-separated when several."),
            ]))
            .request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name(body)))
                            .build(),
                    )
                    .build(),
            ))
            .response(
                "200",
                ResponseBuilder::new()
                    .description("Any 2xx answer acknowledges the delivery; anything else (or no answer within the timeout) is retried")
                    .build(),
            );
        paths = paths.path(*event, PathItem::new(HttpMethod::Post, operation));
    }
    doc.webhooks = Some(paths.build());
}
