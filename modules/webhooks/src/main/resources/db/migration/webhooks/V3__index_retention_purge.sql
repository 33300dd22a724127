-- squawk-disable-assume-in-transaction
-- Runs outside a transaction (V3__index_retention_purge.sql.conf): CONCURRENTLY builds each index without blocking
-- Shopify's deliveries, which arrive all the time.
SET lock_timeout = '5s';
SET statement_timeout = '30min';

-- The retention purge (DeliveryRetention) spans shops and walks (processed_at, id) up to a cutoff. Each partial index
-- holds exactly the candidates of one of its statements, so a run reads only what it removes: without them the last
-- batch of every run would scan every row still kept (30 days of deliveries) to find that there is nothing left.
-- Bodies still kept: the last 7 days (bodyRetention) plus whatever is due.
CREATE INDEX CONCURRENTLY IF NOT EXISTS deliveries_body_retention_idx
    ON webhooks.deliveries (processed_at, id) WHERE status = 'PROCESSED' AND body_purged_at IS NULL;
-- Rows kept: every processed delivery.
CREATE INDEX CONCURRENTLY IF NOT EXISTS deliveries_row_retention_idx
    ON webhooks.deliveries (processed_at, id) WHERE status = 'PROCESSED';

RESET lock_timeout;
RESET statement_timeout;
