SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

-- How often an operator replayed a delivery, and when last: a replay is part of a delivery's history.
-- Bounded by operators' actions, not an id.
-- squawk-ignore prefer-bigint-over-int
ALTER TABLE webhooks.deliveries ADD COLUMN replays integer NOT NULL DEFAULT 0;
ALTER TABLE webhooks.deliveries ADD COLUMN last_replayed_at timestamptz;

-- Shopify's mandatory privacy (GDPR) requests and what Shelf did about each: the export produced for a
-- customers/data_request, the rows anonymised for a customers/redact, the rows deleted for a shop/redact.
-- A shop/redact's row outlives the shop it erased: shop_id and shop_domain are cleared when the erasure completes and
-- only a SHA-256 of the domain remains, so an operator can still show that a given shop was erased.
CREATE TABLE webhooks.privacy_requests (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- catalog.shops(id); NULL once the shop itself has been erased.
    shop_id            bigint,
    shop_domain        text,
    shop_domain_sha256 text        NOT NULL,
    kind               text        NOT NULL,
    -- Shopify's customer id (customers/data_request, customers/redact).
    customer_id        bigint,
    -- Shopify's data_request.id (customers/data_request).
    shopify_request_id bigint,
    delivery_id        bigint      NOT NULL,
    status             text        NOT NULL DEFAULT 'PENDING',
    requested_at       timestamptz NOT NULL DEFAULT now(),
    completed_at       timestamptz,
    -- Whoever works on a PENDING request holds it until then; a crashed worker's lease runs out.
    leased_until       timestamptz,
    -- The export (customers/data_request) or the rows changed per table (the redactions), kept up to date batch by
    -- batch.
    result             jsonb       NOT NULL DEFAULT '{}',
    CONSTRAINT privacy_requests_kind_check CHECK (kind IN ('CUSTOMER_DATA_REQUEST', 'CUSTOMER_REDACT', 'SHOP_REDACT')),
    CONSTRAINT privacy_requests_status_check CHECK (status IN ('PENDING', 'COMPLETED')),
    CONSTRAINT privacy_requests_delivery_key UNIQUE (delivery_id)
);
CREATE INDEX privacy_requests_shop_idx ON webhooks.privacy_requests (shop_id, id);
-- Shop erasures waiting for the erasure runner: as small as the queue.
CREATE INDEX privacy_requests_pending_erasure_idx ON webhooks.privacy_requests (id)
    WHERE kind = 'SHOP_REDACT' AND status = 'PENDING';
