-- Legacy (V1) catalog rows for the backfill benchmark: :mirrors Shopify mirrors without products across :shops new
-- shops, as Shelf's first model kept them — 2 variants each, a personalization on one in ten, one in fifty deleted
-- at Shopify — and 50 bundles per shop naming Shopify product ids in JSONB. Set-based, one transaction.
-- psql -v mirrors=1000000 -v shops=200 -v prefix=bench-legacy -f bench/sql/generate-legacy.sql
\set ON_ERROR_STOP on
BEGIN;
SET LOCAL synchronous_commit = off;

INSERT INTO catalog.shops (shopify_domain)
SELECT :'prefix' || '-' || lpad(s::text, 4, '0') || '.myshopify.com' FROM generate_series(1, :shops) s;

CREATE TEMP TABLE legacy_shops ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY id) - 1 AS position, id FROM catalog.shops
WHERE shopify_domain LIKE :'prefix' || '-%';

INSERT INTO catalog.shopify_products (shop_id, shopify_id, title, body_html, vendor, product_type, handle, status, tags,
                                      shopify_updated_at, deleted_at, raw, created_at, updated_at)
SELECT s.id, 8000000000000 + n, 'Legacy product ' || n, '<p>Legacy description ' || n || '</p>', 'Vendor ' || n % 17,
       'Type ' || n % 9, 'legacy-product-' || n, (ARRAY['active', 'draft', 'archived'])[1 + n % 3],
       ARRAY['tag-' || n % 13, 'tag-' || n % 7], '2024-01-01T00:00:00Z',
       CASE WHEN n % 50 = 0 THEN timestamptz '2024-02-01T00:00:00Z' END, '{"legacy": true}', '2020-01-01', '2020-01-01'
FROM generate_series(1, :mirrors) n
JOIN legacy_shops s ON s.position = n % :shops;

INSERT INTO catalog.personalizations (shop_id, shopify_product_id, customizations)
SELECT m.shop_id, m.id, jsonb_build_object('title', 'Merchant title ' || m.id)
FROM catalog.shopify_products m JOIN legacy_shops s ON s.id = m.shop_id
WHERE m.product_id IS NULL AND m.shopify_id % 10 = 0;

INSERT INTO catalog.product_variants (shop_id, shopify_product_id, shopify_variant_id, title, sku, price, currency_code,
                                      inventory_quantity, position)
SELECT m.shop_id, m.id, m.shopify_id * 10 + v, 'Size ' || v, 'SKU-' || m.shopify_id || '-' || v, 19.99, 'USD', 5, v
FROM catalog.shopify_products m JOIN legacy_shops s ON s.id = m.shop_id CROSS JOIN generate_series(1, 2) v
WHERE m.product_id IS NULL;

INSERT INTO catalog.bundles (shop_id, title, components)
SELECT s.id, 'Legacy bundle ' || b, jsonb_build_array(
           jsonb_build_object('shopify_product_id', 8000000000000 + s.position + :shops * b, 'quantity', 1),
           jsonb_build_object('shopify_product_id', 8000000000000 + s.position + :shops * (b + 1), 'quantity', 2))
FROM legacy_shops s CROSS JOIN generate_series(1, 50) b
WHERE s.position + :shops * (b + 1) BETWEEN 1 AND :mirrors;

-- These rows stand for data older than V2, which moved the products' ids above every mirror's (+ 50,000): do the same.
SELECT setval(pg_get_serial_sequence('catalog.products', 'id'),
              greatest((SELECT last_value FROM catalog.products_id_seq), (SELECT max(id) FROM catalog.shopify_products) + 50000));
COMMIT;
