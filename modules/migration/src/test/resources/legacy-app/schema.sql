-- The sample legacy app whose tenants Shelf imports (tests and bench/tenant-import.sh): the database of an older
-- PHP/MySQL-era Shopify app, transcribed to PostgreSQL with its habits kept — nullable tinyint flags where NULL means
-- false, dates as text (with MySQL's '0000-00-00 00:00:00'), timestamps without a time zone (UTC by convention),
-- money and ids as varchar, and each shop's settings as one JSON blob whose keys are spelled the legacy app's way
-- (product-with-link where Shelf says title-with-link). Not a Shelf schema: it lives in a database of its own.

CREATE TABLE shops (
    id                  serial PRIMARY KEY,
    domain              varchar(255) NOT NULL UNIQUE,   -- as the app stored it: sometimes mixed case
    owner_email         varchar(255),
    currency            char(3),                        -- NULL on shops older than multi-currency
    timezone            varchar(64),                    -- IANA, an abbreviation ('EST'), or ''
    status              varchar(16),                    -- 'installed', 'uninstalled', NULL (= installed)
    show_branding       smallint,                       -- tinyint(1): NULL, 0, 1
    email_notifications smallint,
    review_requests     smallint,
    created             varchar(19)                     -- 'YYYY-MM-DD HH:MM:SS', or '0000-00-00 00:00:00'
);

-- One settings blob per shop, PHP's json_encode of the settings form: every value a string ("1", "0", "#ff0000") or null.
CREATE TABLE shop_settings (
    shop_id  integer PRIMARY KEY,
    settings text,
    updated  timestamp
);

CREATE TABLE orders (
    id               bigserial PRIMARY KEY,
    shop_id          integer NOT NULL,
    shopify_order_id varchar(32),                       -- digits, or NULL/garbage on rows of an old bug
    total_price      varchar(20),
    currency         char(3),                           -- NULL: the shop's currency
    customer_id      bigint,
    created_at       timestamp
);
CREATE INDEX orders_shop_created_idx ON orders (shop_id, created_at DESC, id DESC);

-- The generator: `tenants` shops named <prefix>-<n>.myshopify.com with settings blobs and between min_orders and
-- max_orders orders each, set-based (generate_series), deterministic in n. Every so many shops carry one of the legacy
-- app's known quirks, so that imports and their reports meet them:
--   n % 3 picks each flag column's NULL/0/1;  n % 7 = 0: no currency;  n % 13 = 0: created '0000-00-00 00:00:00';
--   n % 4 timezone: IANA, IANA, 'EST', '';  n % 97 = 0: domain in mixed case;  n % 50 = 0: uninstalled (skipped);
--   n % 11 = 0: an unknown setting ('legacy-widget-mode');  n % 17 = 0: products per row "four" (not a number);
--   n % 23 = 0: no settings row;  n % 997 = 0: a truncated settings blob (skipped: its settings cannot be read);
--   every 101st order has no Shopify order id.
CREATE FUNCTION generate_tenants(prefix text, tenants integer, min_orders integer, max_orders integer)
    RETURNS bigint
    LANGUAGE plpgsql
AS $$
DECLARE
    first_id integer;
    order_rows bigint;
BEGIN
    -- From the sequence, not max(id): tenants generated after a TRUNCATE never reuse a legacy id.
    first_id := nextval(pg_get_serial_sequence('shops', 'id'));
    INSERT INTO shops (id, domain, owner_email, currency, timezone, status, show_branding, email_notifications,
                       review_requests, created)
    SELECT first_id + n - 1,
           CASE WHEN n % 97 = 0 THEN initcap(prefix) || '-' || n || '.MyShopify.com'
                ELSE prefix || '-' || n || '.myshopify.com' END,
           'owner' || n || '@example.com',
           CASE WHEN n % 7 = 0 THEN NULL WHEN n % 2 = 0 THEN 'EUR' ELSE 'USD' END,
           (ARRAY['America/New_York', 'Europe/Berlin', 'EST', ''])[n % 4 + 1],
           CASE WHEN n % 50 = 0 THEN 'uninstalled' WHEN n % 5 = 0 THEN NULL ELSE 'installed' END,
           (ARRAY[NULL, 0, 1])[n % 3 + 1],
           (ARRAY[1, NULL, 0])[n % 3 + 1],
           (ARRAY[0, 1, NULL])[n % 3 + 1],
           CASE WHEN n % 13 = 0 THEN '0000-00-00 00:00:00'
                ELSE to_char(timestamp '2016-01-01' + n * interval '37 minutes', 'YYYY-MM-DD HH24:MI:SS') END
    FROM generate_series(1, tenants) n;
    PERFORM setval(pg_get_serial_sequence('shops', 'id'), first_id + tenants - 1);

    INSERT INTO shop_settings (shop_id, settings, updated)
    SELECT first_id + n - 1,
           CASE WHEN n % 997 = 0 THEN text '{"btn-text": "Buy now", "product-with-li'
                ELSE (jsonb_build_object(
                            'product-with-link', (ARRAY['1', '0', NULL, 'yes'])[n % 4 + 1],
                            'showPrice', (ARRAY['0', '1', ''])[n % 3 + 1],
                            'hide_sold_out', (ARRAY[NULL, '1'])[n % 2 + 1],
                            'btn-text', 'Buy ' || n,
                            'btn-color', (ARRAY['#ff6600', '#00AA00', 'blue'])[n % 3 + 1],
                            'per-row', CASE WHEN n % 17 = 0 THEN 'four' ELSE (n % 6 + 1)::text END,
                            'img-size', (ARRAY['small', 'medium', 'large', 'huge'])[n % 4 + 1],
                            'custom_css', CASE WHEN n % 5 = 0 THEN '.shelf { margin: 0 }' END,
                            'lang', (ARRAY['en', 'de', 'fr'])[n % 3 + 1])
                     || CASE WHEN n % 11 = 0 THEN jsonb_build_object('legacy-widget-mode', 'compact')
                             ELSE '{}'::jsonb END)::text
           END,
           timestamp '2020-01-01' + n * interval '1 minute'
    FROM generate_series(1, tenants) n
    WHERE n % 23 <> 0;

    INSERT INTO orders (shop_id, shopify_order_id, total_price, currency, customer_id, created_at)
    SELECT first_id + n - 1,
           CASE WHEN (n + k) % 101 = 0 THEN NULL ELSE (5000000000000 + (first_id + n - 1)::bigint * 1000 + k)::text END,
           to_char(((n * 7 + k * 13) % 50000) / 100.0 + 1, 'FM99999990.00'),
           CASE WHEN k % 9 = 0 THEN NULL WHEN n % 2 = 0 THEN 'EUR' ELSE 'USD' END,
           CASE WHEN k % 4 = 0 THEN NULL ELSE 7000000000 + (n * 31 + k) % 100000 END,
           timestamp '2025-06-01' - (n % 100) * interval '1 day' + k * interval '97 minutes'
    FROM generate_series(1, tenants) n
    CROSS JOIN LATERAL generate_series(1, min_orders + (n * 37) % (max_orders - min_orders + 1)) k;
    GET DIAGNOSTICS order_rows = ROW_COUNT;
    RETURN order_rows;
END
$$;
