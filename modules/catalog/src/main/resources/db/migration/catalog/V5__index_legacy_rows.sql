-- squawk-disable-assume-in-transaction
-- Runs outside a transaction (V5__index_legacy_rows.sql.conf). Partial indexes of exactly the rows the background
-- migrations of V6 still have to migrate: empty once they are done, so the registration below, each job's estimate
-- and its final check ("no old-style row left") cost an index probe instead of a scan of a big table.
SET lock_timeout = '5s';
SET statement_timeout = '30min';

CREATE INDEX CONCURRENTLY IF NOT EXISTS shopify_products_unlinked_idx
    ON catalog.shopify_products (shop_id, id) WHERE product_id IS NULL;
-- The legacy variants, by their mirror: each backfill batch re-points those of its key range with one range scan.
-- Across shops on purpose (a batch spans shops); empty once the backfill is done, dropped with the legacy column.
CREATE INDEX CONCURRENTLY IF NOT EXISTS product_variants_unlinked_idx
    ON catalog.product_variants (shopify_product_id) WHERE product_id IS NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS bundles_legacy_components_idx
    ON catalog.bundles (shop_id, id) WHERE jsonb_path_exists(components, '$[*].shopify_product_id');

RESET lock_timeout;
RESET statement_timeout;
