SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

-- Each shop's leaky bucket of GraphQL query cost (Shopify's model): `available` points at `updated_at`, refilling at
-- `restore_rate` points per second up to `size`, the limits of the shop's plan when last used. One row per shop,
-- updated by one statement per request, so every instance of Shelf sees the same bucket.
CREATE TABLE billing.api_buckets (
    shop_id      bigint        PRIMARY KEY,
    available    numeric(12,3) NOT NULL,
    updated_at   timestamptz   NOT NULL,
    size         bigint        NOT NULL,
    restore_rate bigint        NOT NULL,
    -- Whether the last request was admitted: lets the one admission statement report its own decision.
    admitted   boolean       NOT NULL
);

-- The points a bucket holds at `now`, refilled since `since`; no more than its size.
CREATE FUNCTION billing.refilled(available numeric, since timestamptz, now timestamptz, size numeric, rate numeric)
    RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN least(size, available + rate * greatest(0, extract(epoch FROM now - since)));
