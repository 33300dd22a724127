-- squawk-disable-assume-in-transaction
-- Runs outside a transaction (V5__index_bodies_by_shop.sql.conf): CONCURRENTLY builds the index without blocking
-- Shopify's deliveries.
SET lock_timeout = '5s';
SET statement_timeout = '30min';

-- A customer's privacy request (PrivacyTopics) reads the shop's deliveries that still have a body, in id order:
-- this index holds exactly those (7 days of them, bodyRetention), so the search never reads purged rows or other
-- shops' deliveries.
CREATE INDEX CONCURRENTLY IF NOT EXISTS deliveries_shop_body_idx
    ON webhooks.deliveries (shop_id, id) WHERE body IS NOT NULL;

RESET lock_timeout;
RESET statement_timeout;
