-- Generates a realistic catalog into a Shelf database, set-based (generate_series, no row-by-row inserts).
-- Run through bench/generate-data.sh, which sets these psql variables:
--   shops          number of shops to create (ignored when one_shop is set: then 1)
--   products       products in all, spread over the shops by a Zipf law (see skew)
--   skew           Zipf exponent s: the shop of rank r gets products * r^-s / sum(k^-s), at least 1 product
--   vmin, vmax     variants per product, skewed towards few: vmin + floor(u^1.5 * (vmax - vmin + 1)), u uniform
--   shopify_share  share of products of kind SHOPIFY (with a catalog.shopify_products mirror); the rest CUSTOM
--   w_active, w_draft, w_archived   relative weights of the statuses
--   prefix         shops are <prefix>-0001.myshopify.com, <prefix>-0002..., rank 1 the biggest
--   one_shop       '' or a single shop domain that gets all the products (the deep-cursor data set)
--   seed           setseed() argument in [-1, 1], for repeatable data
-- Uses the schema exactly as catalog migrations V1..V4 define it; every CHECK constraint holds by construction.
\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;
-- Bulk load: big sorts in memory; WAL flushes need not wait (the embedded server runs with fsync off anyway).
SET work_mem = '256MB';
SET synchronous_commit = off;
-- Title trigram index: a bigger pending list merges new entries in bigger sorted batches (flushed at the end).
SET gin_pending_list_limit = '64MB';
-- As a superuser, skip the per-row foreign-key triggers (3x faster here) and check every new row's references
-- set-based before COMMIT instead. CHECK, NOT NULL and unique constraints are enforced as always.
SELECT rolsuper AS is_superuser FROM pg_roles WHERE rolname = current_user \gset
\if :is_superuser
SET session_replication_role = replica;
\endif
SELECT setseed(:seed) \gset

BEGIN;

-- Shops: rank 1 is the biggest. Currency mix as seen in a typical Shopify app's installs.
CREATE TEMP TABLE gen_shops ON COMMIT DROP AS
WITH ranks AS (
    SELECT r, power(r::float8, -(:skew)::float8) AS w
    FROM generate_series(1, CASE WHEN :'one_shop' = '' THEN :shops ELSE 1 END) AS r
), drawn AS (
    SELECT r, w, random() AS u FROM ranks
)
SELECT r AS rank,
       CASE WHEN :'one_shop' = '' THEN format('%s-%s.myshopify.com', :'prefix', lpad(r::text, 4, '0'))
            ELSE :'one_shop' END AS domain,
       greatest(1, round(:products * w / sum(w) OVER ()))::int AS product_count,
       c.currency_code, c.iana_timezone, c.rate
FROM drawn
CROSS JOIN LATERAL (
    SELECT * FROM (VALUES
        -- upper bound of u, currency, a timezone of a shop with it, rate from USD
        (0.50, 'USD', 'America/New_York',   1.0::numeric),
        (0.70, 'EUR', 'Europe/Berlin',      0.92),
        (0.80, 'GBP', 'Europe/London',      0.79),
        (0.88, 'CAD', 'America/Toronto',    1.36),
        (0.94, 'AUD', 'Australia/Sydney',   1.52),
        (0.98, 'JPY', 'Asia/Tokyo',       150.0),
        (1.01, 'CHF', 'Europe/Zurich',      0.88)) AS c(upto, currency_code, iana_timezone, rate)
    WHERE drawn.u < c.upto ORDER BY c.upto LIMIT 1) c;

INSERT INTO catalog.shops (shopify_domain, iana_timezone, currency_code, installed_at, created_at, updated_at)
SELECT domain, iana_timezone, currency_code, now() - interval '400 days' * random(), now(), now()
FROM gen_shops ORDER BY rank;

ALTER TABLE gen_shops ADD COLUMN shop_id bigint;
UPDATE gen_shops g SET shop_id = s.id FROM catalog.shops s WHERE s.shopify_domain = g.domain;

-- Products, drawn per shop. Small word lists on purpose: titles repeat within big shops (as real catalogs do),
-- which exercises the (title, id) keyset and the handle de-duplication.
CREATE TEMP TABLE gen_drawn ON COMMIT DROP AS
WITH words AS (
    SELECT
        ARRAY['Classic','Vintage','Organic','Premium','Everyday','Slim','Relaxed','Cozy','Rugged','Lightweight',
              'Heritage','Modern','Essential','Handmade','Recycled','Soft','Waterproof','Signature','Urban','Coastal',
              'Alpine','Minimal','Bold','Washed','Tailored'] AS adjectives,
        ARRAY['Cotton','Linen','Wool','Leather','Denim','Canvas','Cashmere','Bamboo','Silk','Merino','Suede','Fleece',
              'Hemp','Ceramic','Oak'] AS materials,
        ARRAY['T-Shirt','Hoodie','Sweater','Jacket','Tote Bag','Backpack','Beanie','Scarf','Socks','Sneakers','Boots',
              'Cap','Shorts','Chinos','Jeans','Dress','Skirt','Blazer','Wallet','Belt','Mug','Candle','Notebook',
              'Blanket','Pillow Cover','Apron','Water Bottle','Sunglasses','Watch Strap','Phone Case'] AS nouns,
        ARRAY['Apparel','Apparel','Apparel','Apparel','Bags','Bags','Accessories','Accessories','Apparel','Footwear',
              'Footwear','Accessories','Apparel','Apparel','Apparel','Apparel','Apparel','Apparel','Accessories',
              'Accessories','Home','Home','Stationery','Home','Home','Home','Home','Accessories','Accessories',
              'Accessories'] AS types,
        ARRAY['Black','White','Navy','Olive','Sand','Charcoal','Burgundy','Sky Blue','Forest Green','Crème',
              'Bleu Océan','Rust'] AS colors,
        ARRAY['Northwind Goods','Acme Outfitters','Blue Harbor','Juniper & Co','Fjell','Maison Lune','Copper Kettle',
              'Wild Fern','Paperplane','Granite Supply','Sunday Studio','Kōgei','Tidewater','Little Pine','Redwood Row',
              'Otto & Ivy','Saltmarsh','Brightside','Hollow Oak','Marigold'] AS vendors,
        ARRAY['summer','winter','sale','new','bestseller','gift','eco','limited','unisex','kids','men','women',
              'handmade','organic','clearance','bundle-ready','vegan','local','restock','staff-pick','holiday',
              'outdoor','travel','premium','basics'] AS tags,
        ARRAY['Made to last, with reinforced seams and a relaxed fit.',
              'Responsibly sourced materials, finished by hand in small batches.',
              'Machine washable at 30 °C; tumble dry low.',
              'Designed in our studio and tested on the trail for a full season.',
              'Pairs with everything in your wardrobe, from Monday meetings to weekend hikes.',
              'Ships in plastic-free packaging.',
              'Every purchase plants a tree with our reforestation partner.',
              'Limited run: once it is gone, it is gone.',
              'Sizes run true; size up for a looser fit.',
              'Backed by our two-year repair guarantee.'] AS sentences
)
SELECT x.shop_id, x.shop_rank, x.currency_code, x.rate, x.n,
       -- 3 % are the catch-all titles every store has more than once: hundreds of equal titles in a big shop.
       CASE WHEN x.u_dup < 0.03 THEN (ARRAY['Gift Card','Sample Product','Mystery Box','Custom Order'])[1 + floor(x.u_dup / 0.03 * 4)::int]
            ELSE w.adjectives[x.adjective_index] || ' ' || w.materials[x.material_index] || ' ' || w.nouns[x.noun_index]
                 || coalesce(' - ' || w.colors[x.color_index], '') END AS shopify_title,
       w.types[x.noun_index] AS product_type,
       w.vendors[x.vendor_index] AS vendor,
       -- (i in the argument makes these aggregates the subquery's, not the outer query's)
       (SELECT string_agg(w.sentences[1 + (i * 0 + floor(random() * 10))::int], ' ') FROM generate_series(1, 3 + (x.n % 8)) AS i) AS description,
       (SELECT coalesce(array_agg(DISTINCT w.tags[1 + (i * 0 + floor(random() * 25))::int]), '{}')
        FROM generate_series(1, (x.n * 7 + x.shop_rank) % 6) AS i) AS tags,
       x.u_kind, x.u_status, x.u_edit, x.u_variants, x.u_price, x.created_at, x.u_updated, x.u_version
FROM (
    -- Volatile random() keeps this subquery from being flattened: one draw per row.
    SELECT s.shop_id, s.rank AS shop_rank, s.currency_code, s.rate, g.n,
           1 + floor(power(random(), 1.3) * 25)::int AS adjective_index,
           1 + floor(random() * 15)::int AS material_index,
           1 + floor(power(random(), 1.2) * 30)::int AS noun_index,
           CASE WHEN random() < 0.4 THEN 1 + floor(random() * 12)::int END AS color_index,
           1 + ((s.rank * 7 + floor(random() * 4)::int) % 20)::int AS vendor_index,
           random() AS u_kind, random() AS u_status, random() AS u_edit, random() AS u_variants, random() AS u_price,
           now() - interval '1095 days' * random() AS created_at,
           random() AS u_updated, random() AS u_version, random() AS u_dup
    FROM gen_shops s
    CROSS JOIN LATERAL generate_series(1, s.product_count) AS g(n)
) x
CROSS JOIN words w;

-- Ids in creation order across all shops (a shop's products interleave with other shops' in the id space, as
-- in production). Taken from the products sequence, above every existing product and mirror id, for both kinds:
-- a SHOPIFY product has its mirror's id (V2), so the mirror gets the product's id.
SELECT greatest(nextval(pg_get_serial_sequence('catalog.products', 'id')),
                (SELECT coalesce(max(id), 0) + 1 FROM catalog.products),
                (SELECT coalesce(max(id), 0) + 1 FROM catalog.shopify_products)) AS id_base \gset
SELECT setval(pg_get_serial_sequence('catalog.products', 'id'), :id_base + count(*)) FROM gen_drawn \gset

CREATE TEMP TABLE gen_products ON COMMIT DROP AS
WITH titled AS (
    SELECT d.*,
           CASE WHEN d.u_kind < :shopify_share THEN 'SHOPIFY' ELSE 'CUSTOM' END AS kind,
           CASE WHEN d.u_status * (:w_active + :w_draft + :w_archived) < :w_active THEN 'ACTIVE'
                WHEN d.u_status * (:w_active + :w_draft + :w_archived) < :w_active + :w_draft THEN 'DRAFT'
                ELSE 'ARCHIVED' END AS status
    FROM gen_drawn d
), edited AS (
    -- 10 % of Shopify products have a merchant title, 3 % also a merchant description (Shelf's main feature).
    SELECT t.*,
           CASE WHEN t.kind = 'SHOPIFY' AND t.u_edit < 0.03 THEN ARRAY['DESCRIPTION_HTML','TITLE']
                WHEN t.kind = 'SHOPIFY' AND t.u_edit < 0.10 THEN ARRAY['TITLE']
                ELSE '{}'::text[] END AS edited_fields
    FROM titled t
), slugged AS (
    SELECT e.*,
           CASE WHEN 'TITLE' = ANY(e.edited_fields) THEN 'The ' || e.shopify_title || ' Gift Edition'
                ELSE e.shopify_title END AS title,
           -- Titles hold no digits, so "slug-2" style de-duplication can never meet another slug.
           trim(BOTH '-' FROM lower(regexp_replace(translate(e.shopify_title, 'èéō', 'eeo'), '[^A-Za-z0-9]+', '-', 'g'))) AS slug
    FROM edited e
)
SELECT :id_base - 1 + row_number() OVER (ORDER BY sl.created_at, sl.shop_id, sl.n) AS id,
       sl.shop_id, sl.currency_code, sl.rate, sl.kind, sl.title, sl.shopify_title, sl.product_type, sl.vendor,
       sl.status, sl.tags, sl.edited_fields,
       '<p>' || sl.description || '</p>' AS description_html,
       CASE WHEN 'DESCRIPTION_HTML' = ANY(sl.edited_fields) THEN '<p>' || sl.description || ' Curated by our team.</p>'
            ELSE '<p>' || sl.description || '</p>' END AS product_description_html,
       sl.slug || CASE WHEN row_number() OVER (PARTITION BY sl.shop_id, sl.slug ORDER BY sl.created_at, sl.n) > 1
                       THEN '-' || row_number() OVER (PARTITION BY sl.shop_id, sl.slug ORDER BY sl.created_at, sl.n)
                       ELSE '' END AS handle,
       (:vmin)::int + floor(power(sl.u_variants, 1.5) * (:vmax - :vmin + 1))::int AS variant_count,
       -- A base price in USD, mostly under 100, a long tail to 300.
       (5 + power(sl.u_price, 2) * 295)::numeric AS base_usd,
       sl.created_at,
       sl.created_at + (now() - sl.created_at) * power(sl.u_updated, 3) AS updated_at,
       floor(power(sl.u_version, 4) * 6)::bigint AS version
FROM slugged sl;

INSERT INTO catalog.products (id, shop_id, kind, title, description_html, handle, vendor, product_type, status, tags,
                              merchant_edited_fields, created_at, updated_at, version)
SELECT id, shop_id, kind, title, product_description_html, handle, vendor, product_type, status, tags, edited_fields,
       created_at, updated_at, version
FROM gen_products ORDER BY id;

-- The Shopify side of each SHOPIFY product: Shopify's own values; an archived product is sometimes one Shopify
-- deleted. shopify_id is unique per shop (here globally), like Shopify's 13-digit product ids.
INSERT INTO catalog.shopify_products (id, shop_id, shopify_id, title, body_html, vendor, product_type, handle, status,
                                      tags, shopify_updated_at, raw, deleted_at, created_at, updated_at, product_id)
SELECT id, shop_id, 7000000000000 + id, shopify_title, description_html, vendor, product_type, handle,
       lower(status), tags, updated_at,
       jsonb_build_object('id', 7000000000000 + id, 'title', shopify_title, 'handle', handle, 'vendor', vendor,
                          'product_type', product_type, 'status', lower(status), 'tags', array_to_string(tags, ', ')),
       CASE WHEN status = 'ARCHIVED' AND id % 5 = 0 THEN updated_at END,
       created_at, updated_at, id
FROM gen_products WHERE kind = 'SHOPIFY' ORDER BY id;
SELECT setval(pg_get_serial_sequence('catalog.shopify_products', 'id'),
              greatest((SELECT max(id) FROM catalog.shopify_products),
                       (SELECT last_value FROM catalog.shopify_products_id_seq))) \gset

-- Variants: contiguous per product, in the shop's currency, numeric(19,4) prices ending in .99 (whole yen for JPY).
INSERT INTO catalog.product_variants (shop_id, product_id, shopify_product_id, shopify_variant_id, title, sku, price,
                                      currency_code, compare_at_price, inventory_quantity, position, created_at,
                                      updated_at)
SELECT p.shop_id, p.id,
       CASE WHEN p.kind = 'SHOPIFY' THEN p.id END,
       CASE WHEN p.kind = 'SHOPIFY' THEN 40000000000000 + p.id * 8 + v.position END,
       CASE WHEN p.variant_count = 1 THEN 'Default Title'
            ELSE (ARRAY['XS','S','M','L','XL'])[v.position] || ' / ' || (ARRAY['Black','White','Navy'])[1 + p.id % 3] END,
       CASE WHEN p.id % 10 = 0 THEN NULL ELSE 'SH' || p.shop_id || '-' || p.id || '-' || v.position END,
       v.price, p.currency_code,
       CASE WHEN (p.id + v.position) % 5 = 0 THEN round(v.price * 1.25, 2) END,
       floor(power(((p.id * 31 + v.position * 17) % 100) / 100.0, 2) * 205)::int - 5,
       v.position, p.created_at, p.updated_at
FROM gen_products p
CROSS JOIN LATERAL (
    SELECT pos AS position,
           CASE WHEN p.currency_code = 'JPY' THEN round((p.base_usd + (pos - 1) * 2) * p.rate, -1)
                ELSE round((p.base_usd + (pos - 1) * 2) * p.rate) - 0.01 END::numeric(19,4) AS price
    FROM generate_series(1, p.variant_count) AS pos) v
ORDER BY p.id, v.position;

\if :is_superuser
SET session_replication_role = origin;
-- The foreign keys the triggers would have checked, for every new row, in one pass each.
SELECT NOT EXISTS (SELECT 1 FROM gen_products p LEFT JOIN catalog.shops s ON s.id = p.shop_id WHERE s.id IS NULL)
   AND NOT EXISTS (SELECT 1 FROM catalog.shopify_products m LEFT JOIN catalog.products p ON p.id = m.product_id
                   LEFT JOIN catalog.shops s ON s.id = m.shop_id
                   WHERE m.id >= :id_base AND (p.id IS NULL OR s.id IS NULL))
   AND NOT EXISTS (SELECT 1 FROM catalog.product_variants v LEFT JOIN catalog.products p ON p.id = v.product_id
                   LEFT JOIN catalog.shopify_products m ON m.id = v.shopify_product_id
                   LEFT JOIN catalog.shops s ON s.id = v.shop_id
                   WHERE v.product_id >= :id_base
                     AND (p.id IS NULL OR s.id IS NULL OR (v.shopify_product_id IS NOT NULL AND m.id IS NULL)))
       AS references_ok \gset
\if :references_ok
\else
DO $$ BEGIN RAISE EXCEPTION 'generated rows violate a foreign key: nothing committed (a bug in generate-data.sql)'; END $$;
\endif
\endif

COMMIT;

-- Merge the trigram index's pending list now rather than during the first searches.
SELECT gin_clean_pending_list('catalog.products_shop_title_trgm_idx'::regclass) \gset
