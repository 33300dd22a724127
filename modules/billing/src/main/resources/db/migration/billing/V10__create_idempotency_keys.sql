SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

-- Idempotency-Key of GraphQL mutations (IdempotencyStore): one row per (shop, key) while the key lives, 24 h by
-- default. The first request claims the row with INSERT ... ON CONFLICT, so of any number of concurrent requests with
-- one key exactly one executes; the others find the row IN_PROGRESS (409) or COMPLETED (the stored response is
-- replayed).
CREATE TABLE billing.idempotency_keys (
    shop_id               bigint      NOT NULL,
    -- SHA-256 of the key: the unique index goes through the hash, not the client's text (DESIGN.md §2).
    key_hash              bytea       NOT NULL,
    -- The key as the client sent it, for an operator looking at a row.
    key                   text        NOT NULL,
    -- SHA-256 of the canonical operation document, operation name and variables: the same key with another request
    -- is refused (422), never replayed.
    request_fingerprint   bytea       NOT NULL,
    status                text        NOT NULL,
    -- IN_PROGRESS: which execution holds the key, and until when; after that a retry may take the key over (the
    -- executor crashed). Both NULL once COMPLETED.
    lease_token           uuid,
    locked_until          timestamptz,
    -- COMPLETED: the response replayed to retries, byte for byte.
    response_status       bigint,
    response_content_type text,
    response_body         bytea,
    created_at            timestamptz NOT NULL,
    completed_at          timestamptz,
    expires_at            timestamptz NOT NULL,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (shop_id, key_hash),
    CONSTRAINT idempotency_keys_key_hash_check CHECK (octet_length(key_hash) = 32),
    CONSTRAINT idempotency_keys_key_check CHECK (length(key) BETWEEN 1 AND 255),
    CONSTRAINT idempotency_keys_fingerprint_check CHECK (octet_length(request_fingerprint) = 32),
    CONSTRAINT idempotency_keys_response_status_check CHECK (response_status BETWEEN 100 AND 599),
    CONSTRAINT idempotency_keys_status_check CHECK (
        (status = 'IN_PROGRESS' AND lease_token IS NOT NULL AND locked_until IS NOT NULL AND response_status IS NULL)
        OR (status = 'COMPLETED' AND lease_token IS NULL AND locked_until IS NULL AND response_status IS NOT NULL
            AND response_body IS NOT NULL AND completed_at IS NOT NULL))
);

-- The purge (IdempotencyKeyPurge) deletes expired keys of every shop, oldest first, in batches.
CREATE INDEX idempotency_keys_expiry_idx ON billing.idempotency_keys (expires_at);
