SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

-- Orders of shops imported from the legacy app (dev.shelf.billing.internal.LegacyOrders): the import brings only the
-- most recent ones into billing.orders; this row says which legacy shop the rest belong to, how many older ones are
-- left there, and where the next page of them starts (the oldest order imported so far: placed_at, legacy id — a
-- keyset cursor over the legacy index (shop_id, created_at DESC, id DESC)).
CREATE TABLE billing.legacy_order_imports (
    shop_id                 bigint      PRIMARY KEY,
    legacy_shop_id          bigint      NOT NULL,
    imported_orders         bigint      NOT NULL DEFAULT 0,
    older_orders_left       bigint      NOT NULL DEFAULT 0,
    oldest_placed_at        timestamptz,
    oldest_legacy_order_id  bigint,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now()
);
