SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30min';

-- VALIDATE takes only a SHARE UPDATE EXCLUSIVE lock: reads and writes go on while existing rows are checked.
ALTER TABLE catalog.shopify_products VALIDATE CONSTRAINT shopify_products_product_id_fkey;
ALTER TABLE catalog.product_variants VALIDATE CONSTRAINT product_variants_product_id_fkey;
ALTER TABLE catalog.bundles VALIDATE CONSTRAINT bundles_product_id_fkey;
