SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

-- The data side of the move from the legacy mirror model (V1) to the generic one (V2), as background migrations the
-- catalog implements (dev.shelf.catalog.internal.ProductBackfill, BundleComponentRewrite) and the migration module
-- runs in short batches after the deploy. Registered here, not only at start-up, so that a contract script of a
-- later release can gate on them (migration.require_completed). A database with no legacy row (a fresh one) gets
-- them FINISHED at once: nothing to wait for. Both probes read V5's partial indexes.
SELECT migration.register_background_migration(
    'catalog.products-backfill',
    'Gives every legacy Shopify mirror its product (same id as the mirror, the merchant''s personalization as edits) and re-points its variants; then moves the products id sequence past the highest id plus headroom.',
    NOT EXISTS (SELECT 1 FROM catalog.shopify_products WHERE product_id IS NULL));

SELECT migration.register_background_migration(
    'catalog.bundle-components-rewrite',
    'Rewrites legacy bundle components {"shopify_product_id": <Shopify id>} to {"product_id": <Shelf product id>}.',
    NOT EXISTS (SELECT 1 FROM catalog.bundles WHERE jsonb_path_exists(components, '$[*].shopify_product_id')));
