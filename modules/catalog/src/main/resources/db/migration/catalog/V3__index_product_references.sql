-- squawk-disable-assume-in-transaction
-- Runs outside a transaction (V3__index_product_references.sql.conf): CONCURRENTLY builds each index without
-- blocking writes to tables that may already be large.
SET lock_timeout = '5s';
SET statement_timeout = '30min';

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS shopify_products_product_key
    ON catalog.shopify_products (shop_id, product_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS product_variants_product_idx
    ON catalog.product_variants (shop_id, product_id, position);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS bundles_product_key
    ON catalog.bundles (shop_id, product_id);

RESET lock_timeout;
RESET statement_timeout;
