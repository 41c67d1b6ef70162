-- Subscriptions of front ends and caches to content events. The secret signs every delivery
-- (HMAC-SHA256), so it is kept as it was generated; it is shown once, when created.
CREATE TABLE webhooks (
    id BIGSERIAL PRIMARY KEY,
    url TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    disabled_reason TEXT,
    last_success_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The outbox: one row per event and subscription, written in the transaction of the change it
-- announces. A row is due at next_attempt_at (a scheduled article's publish time, or its next
-- retry); while a process sends it, it is 'sending' until next_attempt_at (the lease).
CREATE TABLE webhook_deliveries (
    id BIGSERIAL PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    event TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    first_attempt_at TIMESTAMP,
    finished_at TIMESTAMP,
    last_status INTEGER,
    last_error TEXT
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
    WHERE state IN ('pending', 'sending');
CREATE INDEX webhook_deliveries_entity_idx
    ON webhook_deliveries (webhook_id, entity, entity_id, id);
CREATE INDEX webhook_deliveries_article_idx ON webhook_deliveries (entity, entity_id)
    WHERE state = 'pending';

-- Every attempt of a delivery: what the receiver answered (or why nothing) and how fast.
CREATE TABLE webhook_attempts (
    id BIGSERIAL PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    status INTEGER,
    latency_ms INTEGER NOT NULL,
    error TEXT,
    response TEXT
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);
