#!/usr/bin/env bash
# The catalog benchmark, all in one run on one freshly started Shelf (packaged jar, dev profile, embedded
# PostgreSQL, new SHELF_DATA_DIR under /tmp):
#   (a) GraphQL: `products(first: 50) { nodes { id title variants(first: 10) { nodes { id price { amount } } } } }`
#       for the biggest of --shops shops (~--products products in all, Zipf-distributed), --connections
#       connections for --duration seconds, load from the Node.js driver (bench/graphql-load.mjs, which checks
#       the response bodies): requests/s, p50/p99, CPU per request;
#   (b) pgbench running the SQL the app runs for that query (ProductQueries.listProducts + variantsOf, the same
#       statement texts and parameters, prepared like pgjdbc does) on the same database, same connections and
#       duration: transactions/s, p50/p99. A second pgbench script adds a look-up of the shop by domain
#       (3 statements): requests made it until the shop's id was remembered per instance (third session), so it is
#       no longer the request's SQL; kept for information;
#   (a) x (b) the ratio GraphQL req/s / pgbench tps (target >= 30 %): --pairs rounds of each, --pair-seconds long,
#       taking turns (GraphQL, pgbench, pgbench, GraphQL, ...), the GraphQL load from wrk (C, like pgbench's
#       client); the overall ratio and the median of the pairs' ratios with a 95 % bootstrap interval;
#   (c) deep keyset pages: --deep-products products in one new shop; `products(first: 50, after: <cursor>)` at
#       position 999,950 (of 1,000,000) vs `products(first: 50)`, for sortKey ID and TITLE, under the same load
#       as (a) (and once more with 1 connection: latency without queueing); ratio deep/first (target <= 1.2).
# Writes raw outputs and EXPLAIN ANALYZE plans to bench/results/catalog-products-<UTC time>/ and prints a table.
#
# Usage: bench/catalog-products.sh [--connections 16] [--duration 30] [--warmup 600] [--pairs 6]
#          [--pair-seconds 15] [--shops 200] [--products 100000] [--deep-products 1000000] [--deep-warmup 15] [--single-duration 15] [--skip-deep]
#   --warmup: at most this many seconds of load before (a), discarded, in rounds of 30 s: it ends once the JIT's
#   compiler threads used less than 2 % of the JVM's CPU in a round (after at least 60 s). The JIT needs minutes
#   on a 2-core machine, and while it compiles it takes 15-25 % of the JVM's CPU: measured then, (a) would be a
#   figure of start-up, not of a running service. The summary gives the compilers' part of the measured run.
#   --deep-warmup: seconds of each of the four (c) queries before the (c) runs; each run then has its own 5 s
#   (3 s with 1 connection) warm-up. --single-duration: seconds of each 1-connection run.
# Ports: SERVER_PORT (default 18180) and SHELF_EMBEDDED_DB_PORT (default 18181), both must be free.
# Needs: JDK 17+, Node.js 18+ (the load driver bench/graphql-load.mjs), psql, pgbench and wrk (Debian
# postgresql-client, postgresql-contrib and wrk, installed with apt-get when missing and running as root), curl.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. bench/lib.sh

connections=16 duration=30 warmup=600 pairs=6 pair_seconds=15 deep_warmup=15 shops=200 products=100000 deep_products=1000000 single_duration=15 deep=1
while [ $# -gt 0 ]; do
  case $1 in
    --connections) connections=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --pairs) pairs=$2; shift 2 ;;
    --pair-seconds) pair_seconds=$2; shift 2 ;;
    --deep-warmup) deep_warmup=$2; shift 2 ;;
    --shops) shops=$2; shift 2 ;;
    --products) products=$2; shift 2 ;;
    --deep-products) deep_products=$2; shift 2 ;;
    --single-duration) single_duration=$2; shift 2 ;;
    --skip-deep) deep=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) bench_die "unknown option $1 (see --help)" ;;
  esac
done
for n in "$connections" "$duration" "$warmup" "$pairs" "$pair_seconds" "$deep_warmup" "$shops" "$products" "$deep_products" "$single_duration"; do
  [[ $n =~ ^[0-9]+$ ]] || bench_die "options take whole numbers, got '$n'"
done
[ "$deep_products" -ge 1000 ] || bench_die "--deep-products must be at least 1000"

export SERVER_PORT=${SERVER_PORT:-18180} SHELF_EMBEDDED_DB_PORT=${SHELF_EMBEDDED_DB_PORT:-18181}
# This benchmark measures the catalog's request path against pgbench; the API guard rails (query cost limit and
# per-shop rate limit, which would refuse the 1,152-point query and throttle one shop's flood) are measured by their
# own benchmark. Off here, so the figures stay comparable with earlier runs.
export SHELF_GRAPHQL_THROTTLE=${SHELF_GRAPHQL_THROTTLE:-false} SHELF_GRAPHQL_MAX_QUERY_COST=${SHELF_GRAPHQL_MAX_QUERY_COST:-100000}
export PGCLIENTENCODING=UTF8
url="http://localhost:$SERVER_PORT/graphql"

# --- preflight
bench_require psql postgresql-client
bench_require pgbench postgresql-contrib
bench_require wrk wrk
command -v curl >/dev/null || bench_die "curl not found"
command -v node >/dev/null || bench_die "node not found (Node.js 18+ runs the load driver)"
bench_require_free_ports "$SERVER_PORT" "$SHELF_EMBEDDED_DB_PORT"
bench_require_jar

bench_prepare_run catalog-products

export SHELF_DATA_DIR=$data_dir
bench_resolve_db "host=localhost port=$SHELF_EMBEDDED_DB_PORT user=postgres dbname=postgres"
load_average() { cut -d' ' -f1-3 /proc/loadavg; }
{
  bench_environment_header
  echo "pgbench: $(pgbench --version)"
  echo "options: connections=$connections duration=${duration}s warmup=${warmup}s shops=$shops products=$products deep_products=$deep_products"
  echo "load average at start: $(load_average)"
} | tee "$results/environment.txt" >&2

started=$(date +%s%N)
bench_start_shelf "$data_dir"
echo "start-up to ready: $(( ($(date +%s%N) - started) / 1000000 )) ms (fresh data directory)" | tee -a "$results/environment.txt" >&2
echo "postgresql: $(bench_psql -Atc 'SELECT version()')" | tee -a "$results/environment.txt" >&2
postmaster=$(head -1 "$data_dir/postgres/postmaster.pid")

token_for() { java -jar "$jar" dev-token --shop="$1" --ttl-seconds=10800; }
gql() { # one request: $1 token, $2 JSON body; prints the response, fails on non-200
  curl -fsS "$url" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' --data-binary "$2"
}
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
# CPU time (ms) so far of: Shelf's JVM, the embedded PostgreSQL (postmaster + all its processes), and this
# script's finished children (pgbench). Differences around a measurement give CPU per request, which other
# load on the machine does not change much (unlike requests/s).
cpu_mark() {
  echo "$(bench_cpu_ms "$SHELF_PID") $(bench_cpu_ms "$postmaster" 1) $(sed 's/.*) //' /proc/$$/stat | awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }')"
}
cpu_per() { # $1 mark before, $2 mark after, $3 count, $4 file: writes "jvm_us pg_us children_us" per unit
  read -r j0 p0 c0 <<<"$1"; read -r j1 p1 c1 <<<"$2"
  awk -v n="$3" -v j="$((j1 - j0))" -v p="$((p1 - p0))" -v c="$((c1 - c0))" \
    'BEGIN { printf "%.0f %.0f %.0f\n", 1000 * j / n, 1000 * p / n, 1000 * c / n }' > "$4"
}
jit_ms() { bench_threads_cpu_ms "$SHELF_PID" 'C[12] Compiler'; }
warm_until_jit_quiet() { # $1 label, $2 token, $3 most seconds, rest: graphql-load.mjs options (without --duration)
  local label=$1 token=$2 most=$3 warmed=0 round=0 jvm0 jit0 share
  shift 3
  while [ "$warmed" -lt "$most" ]; do
    round=$((round + 1)) jvm0=$(bench_cpu_ms "$SHELF_PID") jit0=$(jit_ms)
    SHELF_TOKEN=$token node bench/graphql-load.mjs --url "$url" --label "$label-warmup$round" \
      --json "$results/graphql-$label-warmup$round.json" "$@" --duration 30 --allow-empty >/dev/null
    warmed=$((warmed + 30))
    share=$(awk -v jit="$(($(jit_ms) - jit0))" -v jvm="$(($(bench_cpu_ms "$SHELF_PID") - jvm0))" 'BEGIN { printf "%.1f", 100 * jit / jvm }')
    bench_log "warm-up round $round: $(json_field "$results/graphql-$label-warmup$round.json" 'r.requestsPerSecond.toFixed(1)') req/s, JIT compilers $share % of the JVM's CPU"
    echo "warm-up round $round (30 s): JIT compilers $share % of the JVM's CPU" >> "$results/graphql-$label.warmup"
    if [ "$warmed" -ge 60 ] && awk -v s="$share" 'BEGIN { exit !(s < 2) }'; then return; fi
  done
  echo "warm-up ended after ${most} s with the JIT still compiling" >> "$results/graphql-$label.warmup"
}
load() { # $1 label, $2 token, $3 warm-up seconds, rest: graphql-load.mjs options
  local label=$1 token=$2 warm=$3 before after jit_before
  shift 3
  if [ "$warm" -gt 0 ]; then
    SHELF_TOKEN=$token node bench/graphql-load.mjs --url "$url" --label "$label-warmup" --json "$results/graphql-$label-warmup.json" \
      "$@" --duration "$warm" --allow-empty | tee -a "$results/graphql.txt" >&2
  fi
  before=$(cpu_mark) jit_before=$(jit_ms)
  SHELF_TOKEN=$token node bench/graphql-load.mjs --url "$url" --label "$label" --json "$results/graphql-$label.json" "$@" \
    | tee -a "$results/graphql.txt" >&2
  after=$(cpu_mark)
  cpu_per "$before" "$after" "$(json_field "$results/graphql-$label.json" r.requests)" "$results/graphql-$label.cpu"
  awk -v jit="$(($(jit_ms) - jit_before))" -v jvm="$(( ${after%% *} - ${before%% *} ))" \
    'BEGIN { printf "%.1f\n", 100 * jit / jvm }' > "$results/graphql-$label.jit"
}
json_field() { node -p "const r=require('./$1'); $2"; }

# --- data
bench_log "generating the multi-shop data set"
bench/generate-data.sh --db "$BENCH_DB" --shops "$shops" --products "$products" --shop-prefix bench \
  | tee "$results/generate-shops.txt" >&2
big_shop=bench-0001.myshopify.com
read -r big_id big_count < <(bench_psql -Atc "SELECT s.id, count(p.id) FROM catalog.shops s JOIN catalog.products p
  ON p.shop_id = s.id WHERE s.shopify_domain = '$big_shop' GROUP BY s.id" | tr '|' ' ')
bench_log "big shop $big_shop: id $big_id, $big_count products"
big_token=$(token_for "$big_shop")

# --- (a) GraphQL, first page of the big shop
query_a='{ products(first: 50) { nodes { id title variants(first: 10) { nodes { id price { amount } } } } } }'
gql "$big_token" "$(node -e 'console.log(JSON.stringify({query: process.argv[1]}))' "$query_a")" > "$results/a-sample-response.json"
bench_log "(a) GraphQL products(first: 50) with variants: $connections connections, warm-up until the JIT is quiet (at most ${warmup}s) + ${duration}s"
warm_until_jit_quiet a-graphql "$big_token" "$warmup" --query "$query_a" --connections "$connections"
load a-graphql "$big_token" 0 --query "$query_a" --connections "$connections" --duration "$duration" \
  --expect-path data.products.nodes --expect-length 50

# --- (b) pgbench, the same SQL (texts from ProductQueries / ProductRows / ShopRegistry)
page_ids=$(bench_psql -Atc "SELECT '{' || string_agg(id::text, ',' ORDER BY id) || '}' FROM
  (SELECT id FROM catalog.products WHERE shop_id = $big_id ORDER BY id LIMIT 50) t")
cat > "$results/pgbench-products-page.sql" <<'SQL'
-- ProductQueries.listProducts for products(first: 50), sortKey ID, no filter: limit = page size + 1
SELECT p.id, p.shop_id, p.kind, p.title, p.description_html, p.handle, p.vendor, p.product_type, p.status, p.tags, p.merchant_edited_fields, p.created_at, p.updated_at, p.version FROM catalog.products p WHERE p.shop_id = :shop ORDER BY p.id ASC LIMIT :limit;
-- ProductQueries.variantsOf for the page's 50 products (the DataLoader batch); max = ProductPageRequest.MAX_SIZE
SELECT v.id, v.product_id, v.title, v.sku, v.price, v.currency_code, v.compare_at_price, v.inventory_quantity, v.position, v.shopify_variant_id FROM (
    SELECT v.*, row_number() OVER (PARTITION BY v.product_id ORDER BY v.position, v.id) AS rank
    FROM catalog.product_variants v WHERE v.shop_id = :shop AND v.product_id = ANY(:ids)) v
WHERE v.rank <= :max ORDER BY v.product_id, v.position, v.id;
SQL
{
  echo "-- ShopRegistry.findByDomain: the shop look-up by domain (registerOnFirstSight), which requests no longer make (Shops.registeredId remembers it)"
  echo "SELECT id, shopify_domain, iana_timezone, currency_code, created_at FROM catalog.shops WHERE shopify_domain = :domain;"
  cat "$results/pgbench-products-page.sql"
} > "$results/pgbench-request.sql"
pgbench_run() { # $1 label, $2 script, $3 seconds, $4 log? (1 = per-transaction log for percentiles)
  local label=$1 script=$2 seconds=$3 log=${4:-0} extra=()
  [ "$log" = 1 ] && extra=(-l --log-prefix="$results/pgbench-$label-log")
  pgbench "$BENCH_DB" -n -M prepared -c "$connections" -j "$(nproc)" -T "$seconds" -P 10 "${extra[@]}" -f "$script" \
    -D shop="$big_id" -D limit=51 -D max=250 -D ids="$page_ids" -D domain="$big_shop" > "$results/pgbench-$label.txt" 2>&1 \
    || { cat "$results/pgbench-$label.txt" >&2; bench_die "pgbench $label failed"; }
}
pgbench_summary() { # $1 label -> "tps p50 p99 transactions"
  local label=$1 tps
  tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$results/pgbench-$label.txt" | tail -1)
  # per-transaction log: client_id transaction_no latency_us script_no epoch epoch_us
  cat "$results"/pgbench-"$label"-log.* | awk '{print $3}' | sort -n | awk -v tps="$tps" '
    { v[NR] = $1 } END { p50 = v[int(NR * 0.50 + 0.999999)]; p99 = v[int(NR * 0.99 + 0.999999)];
      printf "%s %.2f %.2f %d\n", tps, p50 / 1000, p99 / 1000, NR }'
  rm -f "$results"/pgbench-"$label"-log.*
}
for script in products-page request; do
  n=$(grep -c ';$' "$results/pgbench-$script.sql")
  bench_log "(b) pgbench $script.sql ($n statements per transaction): $connections connections, 5s warm-up + ${duration}s"
  pgbench_run "$script-warmup" "$results/pgbench-$script.sql" 5
  before=$(cpu_mark)
  pgbench_run "$script" "$results/pgbench-$script.sql" "$duration" 1
  after=$(cpu_mark)
  pgbench_summary "$script" > "$results/pgbench-$script.summary"
  cpu_per "$before" "$after" "$(awk '{ print $4 }' "$results/pgbench-$script.summary")" "$results/pgbench-$script.cpu"
  bench_log "pgbench $script: $(awk '{printf "%.1f tps, p50 %.2f ms, p99 %.2f ms (%d transactions)", $1, $2, $3, $4}' "$results/pgbench-$script.summary")"
done

# --- the ratio: GraphQL and pgbench in alternating rounds. Run one after the other, each once, the two figures
# also measured how fast the machine was at the time: on this shared machine pgbench of the same script ran at
# 2,337-3,538 tps in different runs, and its PostgreSQL CPU per transaction moved with it. So the GraphQL load (from
# wrk) and pgbench of the two statements take turns, --pairs times each in the order GraphQL, pgbench, pgbench,
# GraphQL, …, and each pair of neighbouring rounds gives one ratio. wrk is written in C like pgbench's client: the
# Node.js driver above spends ~0.2 ms of these two cores' CPU per request (it checked the response bodies), pgbench's
# client ~0.07-0.1 ms per transaction. wrk counts statuses other than 200 and socket errors; either fails the run.
export WRK_TOKEN=$big_token WRK_BODY
WRK_BODY=$(node -e 'console.log(JSON.stringify({query: process.argv[1]}))' "$query_a")
wrk_round() { # $1 round
  local before after
  before=$(cpu_mark)
  wrk -t "$(nproc)" -c "$connections" -d "${pair_seconds}s" --latency -s bench/wrk-graphql.lua "$url" > "$results/wrk-$1.txt"
  after=$(cpu_mark)
  ! grep -E 'Non-2xx|Socket errors' "$results/wrk-$1.txt" >&2 || bench_die "wrk round $1: failed requests (above)"
  # "N requests in 15.00s", and the latency distribution's 50% and 99% lines (in us, ms or s)
  awk '/requests in/ { n = $1 } /^ +(50|99)%/ { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
       ms[$1] = v * (u == "us" ? 0.001 : u == "s" ? 1000 : 1) }
       END { printf "%d %.2f %.2f\n", n, ms["50%"], ms["99%"] }' "$results/wrk-$1.txt" > "$results/wrk-$1.summary"
  cpu_per "$before" "$after" "$(awk '{ print $1 }' "$results/wrk-$1.summary")" "$results/wrk-$1.cpu"
}
pgbench_round() { # $1 round
  local before after
  before=$(cpu_mark)
  pgbench_run "round-$1" "$results/pgbench-products-page.sql" "$pair_seconds"
  after=$(cpu_mark)
  sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$results/pgbench-round-$1.txt" > "$results/pgbench-round-$1.summary"
  cpu_per "$before" "$after" "$(cat "$results/pgbench-round-$1.summary")" "$results/pgbench-round-$1.cpu"
}
bench_log "GraphQL (wrk) and pgbench in turns: $pairs rounds of ${pair_seconds} s each, after 5 s of wrk"
wrk -t "$(nproc)" -c "$connections" -d 5s -s bench/wrk-graphql.lua "$url" > "$results/wrk-warmup.txt"
for round in $(seq 1 "$pairs"); do
  if [ $((round % 2)) = 1 ]; then wrk_round "$round"; pgbench_round "$round"; else pgbench_round "$round"; wrk_round "$round"; fi
  bench_log "round $round: GraphQL $(awk -v s="$pair_seconds" '{ printf "%.1f req/s", $1 / s }' "$results/wrk-$round.summary"), pgbench $(awk -v s="$pair_seconds" '{ printf "%.1f tps", $1 / s }' "$results/pgbench-round-$round.summary")"
done
node --input-type=module - "$results" "$pairs" "$pair_seconds" <<'JS' > "$results/pairs.txt"
import fs from 'fs';
import { describe } from './bench/pair-stats.mjs';
const [dir, pairs, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const numbers = (file) => fs.readFileSync(`${dir}/${file}`, 'utf8').trim().split(/\s+/).map(Number);
const total = { requests: 0, transactions: 0, graphqlCpu: 0, pgbenchCpu: 0, p50: [], p99: [], jvm: 0, pg: 0, wrk: 0 };
const ratios = [];
for (let r = 1; r <= pairs; r++) {
  const [requests, p50, p99] = numbers(`wrk-${r}.summary`);
  const [transactions] = numbers(`pgbench-round-${r}.summary`);
  const [jvm, pg, wrk] = numbers(`wrk-${r}.cpu`);
  const [, pgbenchPg, pgbenchClient] = numbers(`pgbench-round-${r}.cpu`);
  total.requests += requests; total.transactions += transactions; total.p50.push(p50); total.p99.push(p99);
  total.jvm += jvm * requests; total.pg += pg * requests; total.wrk += wrk * requests;
  total.pgbenchCpu += (pgbenchPg + pgbenchClient) * transactions;
  ratios.push(requests / transactions);
}
const perRequest = (us) => (us / total.requests / 1000).toFixed(2);
// one line per figure: graphql, pgbench, ratio (read by the table below)
console.log(`${(total.requests / pairs / seconds).toFixed(1)} req/s, p50 ${Math.min(...total.p50).toFixed(1)}-${Math.max(...total.p50).toFixed(1)} ms, ` +
  `p99 ${Math.min(...total.p99).toFixed(1)}-${Math.max(...total.p99).toFixed(1)} ms (ranges over the rounds); CPU per request: ` +
  `JVM ${perRequest(total.jvm)} + PostgreSQL ${perRequest(total.pg)} + wrk ${perRequest(total.wrk)} ms`);
console.log(`${(total.transactions / pairs / seconds).toFixed(1)} tps; CPU per transaction: PostgreSQL + pgbench ` +
  `${(total.pgbenchCpu / total.transactions / 1000).toFixed(2)} ms`);
console.log(`${Math.round(100 * total.requests / total.transactions)}`);
console.log(`${Math.round(100 * (total.pgbenchCpu / total.transactions) / ((total.jvm + total.pg + total.wrk) / total.requests))}`);
console.log(`per round: ${ratios.map((x) => (100 * x).toFixed(1)).join(' ')} %; median ${describe(ratios)}`);
JS
bench_log "GraphQL ÷ pgbench over the rounds: $(sed -n 3p "$results/pairs.txt") %; $(sed -n 5p "$results/pairs.txt")"

# Plans of the benchmarked statements, for the record (actual rows, buffers): the custom plan a statement gets
# for its actual parameters, and the generic plan a prepared statement (pgjdbc prepares from the 5th execution)
# may switch to.
product_columns="p.id, p.shop_id, p.kind, p.title, p.description_html, p.handle, p.vendor, p.product_type, p.status, p.tags, p.merchant_edited_fields, p.created_at, p.updated_at, p.version"
explain_plans() { # $1 title, $2 parameter types, $3 statement with $1.. parameters, $4 arguments (SQL literals)
  echo "== $1"
  bench_psql <<SQL
PREPARE q($2) AS $3;
SET plan_cache_mode = force_custom_plan;
\echo '-- custom plan'
EXPLAIN (ANALYZE, BUFFERS) EXECUTE q($4);
SET plan_cache_mode = force_generic_plan;
\echo '-- generic plan'
EXPLAIN (ANALYZE, BUFFERS) EXECUTE q($4);
SQL
}
{
  explain_plans "products page, big shop (shop_id $big_id)" "bigint, int" \
    "SELECT $product_columns FROM catalog.products p WHERE p.shop_id = \$1 ORDER BY p.id ASC LIMIT \$2" "$big_id, 51"
  explain_plans "variants of the page" "bigint, bigint[], int" \
    "SELECT v.id, v.product_id, v.title, v.sku, v.price, v.currency_code, v.compare_at_price, v.inventory_quantity, v.position, v.shopify_variant_id FROM (SELECT v.*, row_number() OVER (PARTITION BY v.product_id ORDER BY v.position, v.id) AS rank FROM catalog.product_variants v WHERE v.shop_id = \$1 AND v.product_id = ANY(\$2)) v WHERE v.rank <= \$3 ORDER BY v.product_id, v.position, v.id" \
    "$big_id, '$page_ids', 250"
} > "$results/explain-products-page.txt" 2>&1

# --- (c) deep cursors in one shop with --deep-products products
deep_rows=()
if [ "$deep" = 1 ]; then
  deep_shop=bench-deep.myshopify.com
  bench_log "(c) generating $deep_products products in one shop ($deep_shop)"
  bench/generate-data.sh --db "$BENCH_DB" --one-shop "$deep_shop" --products "$deep_products" \
    | tee "$results/generate-deep.txt" >&2
  deep_id=$(bench_psql -Atc "SELECT id FROM catalog.shops WHERE shopify_domain = '$deep_shop'")
  deep_token=$(token_for "$deep_shop")
  position=$((deep_products - 50)) # the page after it holds the last 50 products
  # Cursors are base64url("p:<SORT KEY>:<id>:<value>") (graphql/Cursors.java); built here from the row at
  # position N of the sort order (a one-off OFFSET in the benchmark set-up, never in the app), and checked
  # against the cursor the app itself returns for that row.
  cursor_at() { # $1 sort key, $2 1-based position -> cursor
    local order=p.id row
    [ "$1" = TITLE ] && order="p.title, p.id"
    row=$(bench_psql -Atc "SELECT CASE WHEN '$1' = 'ID' THEN 'p:ID:' || id || ':' ELSE 'p:TITLE:' || id || ':' || title END
      FROM catalog.products p WHERE p.shop_id = $deep_id ORDER BY $order OFFSET $(($2 - 1)) LIMIT 1")
    [ -n "$row" ] || bench_die "no product at position $2 of shop $deep_shop"
    printf '%s' "$row" | b64url
  }
  query_c='query ($after: String, $sortKey: ProductSortKeys) { products(first: 50, after: $after, sortKey: $sortKey) { nodes { id title variants(first: 10) { nodes { id price { amount } } } } } }'
  for sort_key in ID TITLE; do
    cursor=$(cursor_at "$sort_key" "$position")
    before=$(cursor_at "$sort_key" $((position - 1)))
    check=$(gql "$deep_token" "$(node -e 'console.log(JSON.stringify({query: "query ($after: String, $sortKey: ProductSortKeys) { products(first: 1, after: $after, sortKey: $sortKey) { edges { cursor } } }", variables: {after: process.argv[1], sortKey: process.argv[2]}}))' "$before" "$sort_key")")
    app_cursor=$(node -p 'JSON.parse(process.argv[1]).data.products.edges[0].cursor' "$check")
    [ "$app_cursor" = "$cursor" ] || bench_die "$sort_key cursor mismatch: built $cursor, the app says $app_cursor ($check)"
    page=$(gql "$deep_token" "$(node -e 'console.log(JSON.stringify({query: "query ($after: String, $sortKey: ProductSortKeys) { products(first: 50, after: $after, sortKey: $sortKey) { pageInfo { hasNextPage hasPreviousPage } nodes { id } } }", variables: {after: process.argv[1], sortKey: process.argv[2]}}))' "$cursor" "$sort_key")")
    echo "$sort_key deep cursor at position $position: $cursor -> $(node -p 'const p=JSON.parse(process.argv[1]).data.products; `${p.nodes.length} nodes, hasNextPage ${p.pageInfo.hasNextPage}, hasPreviousPage ${p.pageInfo.hasPreviousPage}`' "$page")" \
      | tee -a "$results/deep-cursors.txt" >&2
    printf '%s' "$cursor" > "$results/cursor-$sort_key.txt"
  done
  {
    id_at=$(bench_psql -Atc "SELECT id FROM catalog.products p WHERE p.shop_id = $deep_id ORDER BY p.id OFFSET $((position - 1)) LIMIT 1")
    title_at=$(bench_psql -Atc "SELECT format('%L, %s', title, id) FROM catalog.products p WHERE p.shop_id = $deep_id ORDER BY p.title, p.id OFFSET $((position - 1)) LIMIT 1")
    explain_plans "sortKey ID, first page" "bigint, int" \
      "SELECT $product_columns FROM catalog.products p WHERE p.shop_id = \$1 ORDER BY p.id ASC LIMIT \$2" "$deep_id, 51"
    explain_plans "sortKey ID, page after position $position" "bigint, bigint, int" \
      "SELECT $product_columns FROM catalog.products p WHERE p.shop_id = \$1 AND p.id > \$2 ORDER BY p.id ASC LIMIT \$3" "$deep_id, $id_at, 51"
    explain_plans "sortKey ID, hasPreviousPage probe after position $position" "bigint, bigint" \
      "SELECT EXISTS (SELECT 1 FROM catalog.products p WHERE p.shop_id = \$1 AND p.id <= \$2)" "$deep_id, $id_at"
    explain_plans "sortKey TITLE, first page" "bigint, int" \
      "SELECT $product_columns FROM catalog.products p WHERE p.shop_id = \$1 ORDER BY p.title ASC, p.id ASC LIMIT \$2" "$deep_id, 51"
    explain_plans "sortKey TITLE, page after position $position" "bigint, text, bigint, int" \
      "SELECT $product_columns FROM catalog.products p WHERE p.shop_id = \$1 AND (p.title, p.id) > (\$2, \$3) ORDER BY p.title ASC, p.id ASC LIMIT \$4" "$deep_id, $title_at, 51"
    explain_plans "sortKey TITLE, hasPreviousPage probe after position $position" "bigint, text, bigint" \
      "SELECT EXISTS (SELECT 1 FROM catalog.products p WHERE p.shop_id = \$1 AND (p.title, p.id) <= (\$2, \$3))" "$deep_id, $title_at"
  } > "$results/explain-deep.txt" 2>&1
  # One warm-up over all four queries first, so that no measured run pays for JIT-compiling code paths the
  # runs before it did not take (e.g. the TITLE keyset); then a short warm-up before each run.
  for sort_key in ID TITLE; do
    for page in first deep; do
      if [ "$page" = first ]; then vars="{\"sortKey\":\"$sort_key\"}"; else vars="{\"sortKey\":\"$sort_key\",\"after\":\"$(cat "$results/cursor-$sort_key.txt")\"}"; fi
      bench_log "(c) warm-up: $sort_key $page page, $connections connections, ${deep_warmup}s"
      SHELF_TOKEN=$deep_token node bench/graphql-load.mjs --url "$url" --label "c-$sort_key-$page-warmup" --query "$query_c" \
        --variables "$vars" --connections "$connections" --duration "$deep_warmup" --allow-empty \
        --expect-path data.products.nodes --expect-length 50 | tee -a "$results/graphql.txt" >&2
    done
  done
  for run in "$connections:$duration:5" "1:$single_duration:3"; do
    IFS=: read -r c d w <<<"$run"
    for sort_key in ID TITLE; do
      for page in first deep; do
        if [ "$page" = first ]; then vars="{\"sortKey\":\"$sort_key\"}"; else vars="{\"sortKey\":\"$sort_key\",\"after\":\"$(cat "$results/cursor-$sort_key.txt")\"}"; fi
        bench_log "(c) $sort_key $page page: $c connection(s), ${w}s warm-up + ${d}s"
        load "c-$sort_key-$page-c$c" "$deep_token" "$w" --query "$query_c" --variables "$vars" --connections "$c" \
          --duration "$d" --expect-path data.products.nodes --expect-length 50
      done
      deep_rows+=("$sort_key:$c")
    done
  done
fi
echo "load average at end: $(load_average)" | tee -a "$results/environment.txt" >&2

# --- result table
graphql_figure() { # $1 label -> "N req/s, p50/p99 a / b ms"
  json_field "$results/graphql-$1.json" \
    'r.requestsPerSecond.toFixed(1) + " req/s, p50/p99 " + r.latencyMs.p50.toFixed(1) + " / " + r.latencyMs.p99.toFixed(1) + " ms"'
}
graphql_cpu() { # $1 label, $2 "total" for the sum in µs -> "CPU per request: JVM a + PostgreSQL b + load generator c ms"
  local jvm pg _ gen
  read -r jvm pg _ < "$results/graphql-$1.cpu"
  gen=$(json_field "$results/graphql-$1.json" '(1e6 * r.loadGeneratorCpuCores * r.durationSeconds / r.requests).toFixed(0)')
  if [ "${2:-}" = total ]; then echo $((jvm + pg + gen)); return; fi
  awk -v j="$jvm" -v p="$pg" -v g="$gen" 'BEGIN { printf "CPU per request: JVM %.2f + PostgreSQL %.2f + load generator %.2f ms", j / 1000, p / 1000, g / 1000 }'
}
pgbench_cpu() { # $1 script, $2 "total" for the sum in µs -> "CPU per transaction: PostgreSQL a + pgbench b ms"
  local _ pg client
  read -r _ pg client < "$results/pgbench-$1.cpu"
  if [ "${2:-}" = total ]; then echo $((pg + client)); return; fi
  awk -v p="$pg" -v c="$client" 'BEGIN { printf "CPU per transaction: PostgreSQL %.2f + pgbench %.2f ms", p / 1000, c / 1000 }'
}
{
  echo
  echo "| benchmark | figure | target | met |"
  echo "|---|---|---|---|"
  a_rps=$(json_field "$results/graphql-a-graphql.json" 'r.requestsPerSecond.toFixed(1)')
  echo "| (a) GraphQL products(first: 50) + variants(first: 10), shop of $big_count products, $connections connections, ${duration} s after $(grep -c '^warm-up round' "$results/graphql-a-graphql.warmup") × 30 s of warm-up | $(graphql_figure a-graphql); $(graphql_cpu a-graphql); JIT compilers $(cat "$results/graphql-a-graphql.jit") % of the JVM's CPU | | |"
  a_cpu=$(graphql_cpu a-graphql total)
  for script in products-page request; do
    read -r tps p50 p99 _ < "$results/pgbench-$script.summary"
    if [ "$script" = products-page ]; then what="page + variants SQL (2 statements)"; else what="page + variants + a shop look-up by domain (3 statements; requests no longer make the look-up)"; fi
    echo "| (b) pgbench, $what, $connections connections, ${duration} s | $(printf '%.1f' "$tps") tps, p50/p99 $p50 / $p99 ms; $(pgbench_cpu "$script") | | |"
    ratio=$(awk -v a="$a_rps" -v b="$tps" 'BEGIN { printf "%.0f", 100 * a / b }')
    cpu_ratio=$(awk -v a="$a_cpu" -v b="$(pgbench_cpu "$script" total)" 'BEGIN { printf "%.0f", 100 * b / a }')
    if [ "$script" = products-page ]; then
      echo "| (b) GraphQL req/s (Node.js driver, above) ÷ this pgbench run's tps, one after the other | $ratio % (CPU per pgbench transaction ÷ CPU per GraphQL request: $cpu_ratio %) | | |"
      echo "| (a) × (b) in turns, $pairs rounds of ${pair_seconds} s each: GraphQL, load from wrk | $(sed -n 1p "$results/pairs.txt") | | |"
      echo "| (a) × (b) in turns: pgbench, page + variants SQL (2 statements) | $(sed -n 2p "$results/pairs.txt") | | |"
      pair_ratio=$(sed -n 3p "$results/pairs.txt")
      echo "| (a) × (b) in turns: GraphQL req/s ÷ pgbench tps | **$pair_ratio %** (CPU ratio $(sed -n 4p "$results/pairs.txt") %); $(sed -n 5p "$results/pairs.txt") | ≥ 30 % | $([ "$pair_ratio" -ge 30 ] && echo yes || echo '**no**') |"
    else
      echo "| (b) GraphQL req/s ÷ pgbench tps (3 statements) | $ratio % (CPU ratio $cpu_ratio %) | (for information) | |"
    fi
  done
  for row in "${deep_rows[@]}"; do
    IFS=: read -r sort_key c <<<"$row"
    first=$results/graphql-c-$sort_key-first-c$c.json deep_file=$results/graphql-c-$sort_key-deep-c$c.json
    p50=$(node -p "(require('./$deep_file').latencyMs.p50 / require('./$first').latencyMs.p50).toFixed(2)")
    p99=$(node -p "(require('./$deep_file').latencyMs.p99 / require('./$first').latencyMs.p99).toFixed(2)")
    met=$(awk -v a="$p50" -v b="$p99" 'BEGIN { print (a <= 1.2 && b <= 1.2) ? "yes" : "**no**" }')
    echo "| (c) sortKey $sort_key, $c connection(s), ${deep_products}-product shop: first page | $(graphql_figure "c-$sort_key-first-c$c"); $(graphql_cpu "c-$sort_key-first-c$c") | | |"
    echo "| (c) sortKey $sort_key, $c connection(s): page after position $position | $(graphql_figure "c-$sort_key-deep-c$c"); $(graphql_cpu "c-$sort_key-deep-c$c") | | |"
    echo "| (c) sortKey $sort_key, $c connection(s): deep ÷ first, p50 / p99 | **${p50}× / ${p99}×** | ≤ 1.2× | $met |"
  done
} | tee "$results/summary.md"
echo
echo "raw outputs: $results"
