SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

-- Every verified Shopify delivery, committed before Shopify gets its 200. Processed asynchronously; failures are
-- retried with backoff, then kept as DEAD with their last error until an operator replays them.
CREATE TABLE webhooks.deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- catalog.shops(id); no cross-schema foreign key: each module owns its schema.
    shop_id         bigint      NOT NULL,
    webhook_id      text        NOT NULL,
    topic           text        NOT NULL,
    shop_domain     text        NOT NULL,
    event_id        text,
    triggered_at    timestamptz,
    api_version     text        NOT NULL,
    -- The raw bytes the HMAC was computed over; NULL once purged after the retention period.
    body            bytea,
    received_at     timestamptz NOT NULL DEFAULT now(),
    status          text        NOT NULL DEFAULT 'PENDING',
    -- Bounded by the retry limit (a handful); not an id.
    -- squawk-ignore prefer-bigint-over-int
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    outcome         text,
    processed_at    timestamptz,
    body_purged_at  timestamptz,
    -- Shopify retries a delivery with the same webhook id: a duplicate, however concurrent, inserts nothing.
    CONSTRAINT deliveries_webhook_id_key UNIQUE (shop_id, webhook_id),
    CONSTRAINT deliveries_status_check CHECK (status IN ('PENDING', 'PROCESSED', 'DEAD'))
);
-- The workers' queue spans shops; a partial index keeps it as small as the backlog.
CREATE INDEX deliveries_due_idx ON webhooks.deliveries (next_attempt_at, id) WHERE status = 'PENDING';
CREATE INDEX deliveries_shop_status_idx ON webhooks.deliveries (shop_id, status, received_at);
-- Dead letters are counted on every health check and metrics scrape; this keeps that as small as the dead letters.
CREATE INDEX deliveries_dead_idx ON webhooks.deliveries (shop_id, received_at) WHERE status = 'DEAD';
