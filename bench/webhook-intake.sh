#!/usr/bin/env bash
# The webhook intake benchmark, on one freshly started Shelf (packaged jar, dev profile, embedded PostgreSQL, new
# SHELF_DATA_DIR under /tmp), in one run:
#   (a) intake: --connections connections post signed products/update deliveries (bench/webhook-intake.mjs) for
#       --duration seconds after --warmup seconds; every --duplicate-every-th one repeats the webhook id before it.
#       Deliveries acknowledged per second and p50/p90/p99 of the acknowledgement (target >= 2,000/s, p99 < 50 ms).
#       The workers process the inbox at the same time, on the same 2 cores: the acknowledgement is measured while
#       the processing behind it competes with it, as in production.
#   (b) processing: deliveries processed per second during (a), and while the backlog (a) left drains afterwards.
#   (c) checks: inbox rows = unique webhook ids sent (duplicates stored once), every delivery PROCESSED, none dead,
#       one product per product id.
#   With --workers 0 nothing is processed: (a) measures the acknowledgement alone, (b) and the processing checks are
#   skipped. CPU per acknowledged delivery (Shelf's JVM, PostgreSQL) is reported either way.
# Writes raw outputs to bench/results/webhook-intake-<UTC time>/ and prints a summary.
#
# Usage: bench/webhook-intake.sh [--connections 16] [--duration 30] [--warmup 20] [--products 1000]
#          [--duplicate-every 50] [--workers 2]
# Ports: SERVER_PORT (default 18180) and SHELF_EMBEDDED_DB_PORT (default 18181), both must be free.
# Needs: JDK 17+, Node.js 18+, psql (Debian postgresql-client, installed with apt-get when missing and root), curl.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. bench/lib.sh

connections=16 duration=30 warmup=20 products=1000 duplicate_every=50 workers=2
while [ $# -gt 0 ]; do
  case $1 in
    --connections) connections=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --products) products=$2; shift 2 ;;
    --duplicate-every) duplicate_every=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) bench_die "unknown option $1 (see --help)" ;;
  esac
done
for n in "$connections" "$duration" "$warmup" "$products" "$duplicate_every" "$workers"; do
  [[ $n =~ ^[0-9]+$ ]] || bench_die "options take whole numbers, got '$n'"
done

export SERVER_PORT=${SERVER_PORT:-18180} SHELF_EMBEDDED_DB_PORT=${SHELF_EMBEDDED_DB_PORT:-18181}
export SHELF_WEBHOOKS_WORKERS=$workers
# Known credentials, so the load driver signs with the secret the server verifies with.
export SHOPIFY_API_KEY=bench-api-key SHOPIFY_API_SECRET=bench-secret-0123456789abcdef0123456789abcdef
shop=bench-hooks.myshopify.com

bench_require psql postgresql-client
command -v curl >/dev/null || bench_die "curl not found"
command -v node >/dev/null || bench_die "node not found (Node.js 18+ runs the load driver)"
bench_require_free_ports "$SERVER_PORT" "$SHELF_EMBEDDED_DB_PORT"
bench_require_jar

bench_prepare_run webhook-intake

export SHELF_DATA_DIR=$data_dir
bench_resolve_db "host=localhost port=$SHELF_EMBEDDED_DB_PORT user=postgres dbname=postgres"
{
  bench_environment_header
  echo "options: connections=$connections duration=${duration}s warmup=${warmup}s products=$products duplicate_every=$duplicate_every workers=$workers"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$results/environment.txt" >&2

bench_start_shelf "$data_dir"

count() { bench_psql -Atc "SELECT count(*) FROM webhooks.deliveries WHERE $1"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
drain() { # waits until nothing is pending; prints the time it took (ms)
  local from deadline
  from=$(now_ms) deadline=$((SECONDS + 600))
  until [ "$(count "status = 'PENDING'")" = 0 ]; do
    [ "$SECONDS" -lt "$deadline" ] || bench_die "backlog not drained after 600 s"
    sleep 0.2
  done
  echo $(( $(now_ms) - from ))
}
intake() { # $1 label, $2 seconds, $3 first updated_at (later than every update of an earlier run)
  node bench/webhook-intake.mjs --updated-from "$3" --url "http://localhost:$SERVER_PORT/webhooks/shopify" --secret "$SHOPIFY_API_SECRET" \
    --shop "$shop" --connections "$connections" --products "$products" --duplicate-every "$duplicate_every" \
    --duration "$2" --label "$1" --json "$results/$1.json" | tee -a "$results/intake.txt" >&2
}
field() { node -p "const r=require('./$1'); $2"; }

postmaster=$(head -1 "$data_dir/postgres/postmaster.pid")
cpu_mark() { echo "$(bench_cpu_ms "$SHELF_PID") $(bench_cpu_ms "$postmaster" 1)"; }

if [ "$warmup" -gt 0 ]; then
  intake warmup "$warmup" 2026-01-01T00:00:00Z
  [ "$workers" = 0 ] || bench_log "warm-up backlog drained in $(drain) ms"
fi

processed_before=$(count "status = 'PROCESSED'")
started=$(now_ms)
cpu_before=$(cpu_mark)
intake measured "$duration" 2028-01-01T00:00:00Z
cpu_after=$(cpu_mark)
ended=$(now_ms)
processed_during=$(( $(count "status = 'PROCESSED'") - processed_before ))
backlog=$(count "status = 'PENDING'")
if [ "$workers" = 0 ]; then
  drain_ms=0 processed_after=0
else
  drain_ms=$(drain)
  processed_after=$(( $(count "status = 'PROCESSED'") - processed_before - processed_during ))
fi
read -r jvm0 pg0 <<<"$cpu_before"; read -r jvm1 pg1 <<<"$cpu_after"

# --- checks
sent_unique=0
for run in warmup measured; do
  [ -f "$results/$run.json" ] || continue
  sent_unique=$(( sent_unique + $(field "$results/$run.json" 'r.deliveries - r.duplicates') ))
done
rows=$(count "true")
dead=$(count "status = 'DEAD'")
not_processed=$(count "status <> 'PROCESSED'")
product_rows=$(bench_psql -Atc "SELECT count(*) FROM catalog.shopify_products m JOIN catalog.shops s ON s.id = m.shop_id WHERE s.shopify_domain = '$shop'")
distinct_products=$(( sent_unique < products ? sent_unique : products ))

acks=$(field "$results/measured.json" 'r.deliveriesPerSecond.toFixed(0)')
{
  echo
  echo "intake (measured run): $acks deliveries acknowledged/s; latency p50 $(field "$results/measured.json" 'r.latencyMs.p50.toFixed(2)') ms, p90 $(field "$results/measured.json" 'r.latencyMs.p90.toFixed(2)') ms, p99 $(field "$results/measured.json" 'r.latencyMs.p99.toFixed(2)') ms, max $(field "$results/measured.json" 'r.latencyMs.max.toFixed(2)') ms ($connections connections, ${duration} s)"
  echo "processing: $processed_during processed during the run ($(( processed_during * 1000 / (ended - started) ))/s, sharing the cores with the intake); backlog at the end $backlog, drained in $drain_ms ms ($(( drain_ms > 0 ? processed_after * 1000 / drain_ms : 0 ))/s alone)"
  echo "CPU per acknowledged delivery during the run: JVM $(( (jvm1 - jvm0) * 1000 / $(field "$results/measured.json" r.deliveries) )) us, PostgreSQL $(( (pg1 - pg0) * 1000 / $(field "$results/measured.json" r.deliveries) )) us (processing included when workers > 0)"
  echo "checks: inbox rows $rows = unique webhook ids sent $sent_unique; not processed $not_processed; dead $dead; products $product_rows = $distinct_products"
} | tee "$results/summary.txt"

[ "$rows" = "$sent_unique" ] || bench_die "inbox rows ($rows) differ from unique deliveries sent ($sent_unique)"
[ "$workers" = 0 ] && exit 0
[ "$not_processed" = 0 ] || bench_die "$not_processed deliveries not processed"
[ "$product_rows" = "$distinct_products" ] || bench_die "$product_rows products, expected $distinct_products"
