#!/usr/bin/env bash
# Generates a realistic catalog into a running Shelf's database (set-based SQL: bench/sql/generate-data.sql), then
# VACUUM ANALYZE, and prints what it made and the rows/s achieved.
#
# Usage: bench/generate-data.sh [options]
#   --shops N            shops to create (default 200)
#   --products N         products in all (default 100000), spread over the shops by a Zipf law:
#                        the shop of rank r gets N * r^-s / sum(k^-s for k=1..shops), at least 1
#   --skew S             the Zipf exponent s (default 1.0: with 200 shops and 100k products the biggest shop
#                        has ~17k products, the 2nd ~8.5k, the 10th ~1.7k, the 200th ~85)
#   --variants MIN-MAX   variants per product (default 1-5), skewed to few: MIN + floor(u^1.5 * (MAX-MIN+1)),
#                        which for 1-5 gives 34 % / 20 % / 17 % / 15 % / 14 %, mean 2.5
#   --shopify-share F    share of SHOPIFY products, each with a catalog.shopify_products mirror (default 0.7)
#   --statuses A:D:R     relative weights of ACTIVE, DRAFT, ARCHIVED (default 80:12:8)
#   --shop-prefix P      shop domains P-0001.myshopify.com ... (default bench); rank 1 = biggest
#   --one-shop DOMAIN    put all products into this one new shop (the 1,000,000-product deep-cursor data set)
#   --seed F             setseed() value in [-1, 1] (default 0.42)
#   --db CONN            libpq conninfo, postgresql:// URI or jdbc:postgresql:// URL; default SPRING_DATASOURCE_URL
#                        if set (with SPRING_DATASOURCE_USERNAME/PASSWORD), else Shelf's embedded PostgreSQL:
#                        host=localhost port=${SHELF_EMBEDDED_DB_PORT:-54329} user=postgres dbname=postgres
#   --no-vacuum          skip VACUUM (ANALYZE still runs)
# The target database must have Shelf's catalog schema (start Shelf once on it). New shops only: a shop domain
# that already exists is an error (choose another --shop-prefix). Needs psql (Debian postgresql-client; installed
# with apt-get when missing and running as root).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

shops=200 products=100000 skew=1.0 variants=1-5 shopify_share=0.7 statuses=80:12:8 prefix=bench one_shop='' seed=0.42
db='' vacuum=1
while [ $# -gt 0 ]; do
  case $1 in
    --shops) shops=$2; shift 2 ;;
    --products) products=$2; shift 2 ;;
    --skew) skew=$2; shift 2 ;;
    --variants) variants=$2; shift 2 ;;
    --shopify-share) shopify_share=$2; shift 2 ;;
    --statuses) statuses=$2; shift 2 ;;
    --shop-prefix) prefix=$2; shift 2 ;;
    --one-shop) one_shop=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --db) db=$2; shift 2 ;;
    --no-vacuum) vacuum=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) bench_die "unknown option $1 (see --help)" ;;
  esac
done

[[ $shops =~ ^[1-9][0-9]*$ ]] || bench_die "--shops must be a positive integer"
[[ $products =~ ^[1-9][0-9]*$ ]] || bench_die "--products must be a positive integer"
[[ $skew =~ ^[0-9]+(\.[0-9]+)?$ ]] || bench_die "--skew must be a number >= 0"
[[ $variants =~ ^([1-9][0-9]*)-([1-9][0-9]*)$ ]] || bench_die "--variants must be MIN-MAX, e.g. 1-5"
vmin=${BASH_REMATCH[1]} vmax=${BASH_REMATCH[2]}
[ "$vmin" -le "$vmax" ] && [ "$vmax" -le 5 ] || bench_die "--variants: need 1 <= MIN <= MAX <= 5 (variant titles use 5 sizes)"
[[ $shopify_share =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || bench_die "--shopify-share must be in [0, 1]"
[[ $statuses =~ ^([0-9]+):([0-9]+):([0-9]+)$ ]] || bench_die "--statuses must be A:D:R weights, e.g. 80:12:8"
w_active=${BASH_REMATCH[1]} w_draft=${BASH_REMATCH[2]} w_archived=${BASH_REMATCH[3]}
[ $((w_active + w_draft + w_archived)) -gt 0 ] || bench_die "--statuses: weights sum to 0"
[[ $prefix =~ ^[a-z0-9][a-z0-9-]*$ ]] || bench_die "--shop-prefix: lowercase letters, digits and '-' only"
[ -z "$one_shop" ] || [[ $one_shop =~ ^[a-z0-9][a-z0-9-]*\.myshopify\.com$ ]] || bench_die "--one-shop must be <name>.myshopify.com"
[[ $seed =~ ^-?(0(\.[0-9]+)?|1(\.0+)?)$ ]] || bench_die "--seed must be in [-1, 1]"

bench_require psql postgresql-client
bench_resolve_db "$db"
bench_psql -c 'SELECT 1' >/dev/null 2>&1 || bench_die "cannot connect to the database ($BENCH_DB): is Shelf running?"
bench_psql -Atc "SELECT to_regclass('catalog.products') IS NOT NULL" | grep -q t \
  || bench_die "no catalog.products table in $BENCH_DB: start Shelf once on this database so its migrations run"
if [ -n "$one_shop" ]; then
  shop_filter="s.shopify_domain = '$one_shop'"
else
  shop_filter="s.shopify_domain ~ '^$prefix-[0-9]{4}\.myshopify\.com\$'"
fi
existing=$(bench_psql -Atc "SELECT count(*) FROM catalog.shops s WHERE $shop_filter")
[ "$existing" = 0 ] || bench_die "$existing shop(s) named like ${one_shop:-$prefix-0001.myshopify.com} exist already: use another --shop-prefix/--one-shop or a fresh database"

counts() { bench_psql -Atc "SELECT (SELECT count(*) FROM catalog.shops) + (SELECT count(*) FROM catalog.products)
  + (SELECT count(*) FROM catalog.shopify_products) + (SELECT count(*) FROM catalog.product_variants)"; }
before=$(counts)
if [ -n "$one_shop" ]; then
  bench_log "generating $products products into one shop $one_shop (variants $variants, SHOPIFY share $shopify_share)"
else
  bench_log "generating $products products over $shops shops (Zipf s=$skew, variants $variants, SHOPIFY share $shopify_share, statuses $statuses)"
fi
start=$(date +%s%N)
bench_psql -v shops="$shops" -v products="$products" -v skew="$skew" -v vmin="$vmin" -v vmax="$vmax" \
  -v shopify_share="$shopify_share" -v w_active="$w_active" -v w_draft="$w_draft" -v w_archived="$w_archived" \
  -v prefix="$prefix" -v one_shop="$one_shop" -v seed="$seed" -f "$here/sql/generate-data.sql"
loaded=$(date +%s%N)
if [ "$vacuum" = 1 ]; then
  # VACUUM too: sets hint bits and the visibility map now, so the first benchmark reads do not pay for it.
  bench_psql -c 'VACUUM (ANALYZE) catalog.shops, catalog.products, catalog.shopify_products, catalog.product_variants'
else
  bench_psql -c 'ANALYZE catalog.shops, catalog.products, catalog.shopify_products, catalog.product_variants'
fi
done_at=$(date +%s%N)
rows=$(( $(counts) - before ))
load_ms=$(( (loaded - start) / 1000000 )) total_ms=$(( (done_at - start) / 1000000 ))

bench_psql -P footer=off <<SQL
\\echo '--- generated'
SELECT count(DISTINCT s.id) AS shops, count(p.id) AS products,
       count(p.id) FILTER (WHERE p.kind = 'SHOPIFY') AS shopify, count(p.id) FILTER (WHERE p.kind = 'CUSTOM') AS custom,
       count(p.id) FILTER (WHERE p.status = 'ACTIVE') AS active, count(p.id) FILTER (WHERE p.status = 'DRAFT') AS draft,
       count(p.id) FILTER (WHERE p.status = 'ARCHIVED') AS archived,
       (SELECT count(*) FROM catalog.product_variants v JOIN catalog.shops s ON s.id = v.shop_id WHERE $shop_filter) AS variants,
       count(DISTINCT (p.shop_id, p.title)) AS distinct_titles
FROM catalog.shops s LEFT JOIN catalog.products p ON p.shop_id = s.id WHERE $shop_filter;
\\echo '--- products per shop (by size rank)'
SELECT row_number() OVER (ORDER BY n DESC) AS rank, shopify_domain, currency_code, n AS products
FROM (SELECT s.shopify_domain, s.currency_code, count(p.id) AS n FROM catalog.shops s
      JOIN catalog.products p ON p.shop_id = s.id WHERE $shop_filter GROUP BY 1, 2) t
ORDER BY n DESC LIMIT 5;
SELECT percentile_disc(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY n) AS "p50/p90/p99 products per shop"
FROM (SELECT count(p.id) AS n FROM catalog.shops s JOIN catalog.products p ON p.shop_id = s.id WHERE $shop_filter GROUP BY s.id) t;
SQL
awk -v rows="$rows" -v load="$load_ms" -v total="$total_ms" 'BEGIN {
  printf "rows inserted: %d (shops + products + mirrors + variants) in %.1f s: %.0f rows/s; with VACUUM ANALYZE %.1f s: %.0f rows/s\n",
    rows, load / 1000, rows / (load / 1000), total / 1000, rows / (total / 1000) }'
