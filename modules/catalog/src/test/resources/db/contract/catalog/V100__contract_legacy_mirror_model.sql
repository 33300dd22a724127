SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

-- The contract step of the move to the generic model, as a later release will ship it (kept in the tests until the
-- code stops reading personalizations and writing product_variants.shopify_product_id; README "Background
-- migrations"). The gate first: on a database whose backfill has not finished this fails, Flyway rolls the script
-- back and the deploy stops with the job's state in the message.
SELECT migration.require_completed('catalog.products-backfill');
SELECT migration.require_completed('catalog.bundle-components-rewrite');

DROP TABLE catalog.personalizations;
