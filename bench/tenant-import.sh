#!/usr/bin/env bash
# Legacy-tenant import benchmark, on one freshly started Shelf (packaged jar, dev profile, embedded PostgreSQL, new
# SHELF_DATA_DIR under /tmp) whose legacy database is a database `legacy` of its own on the same PostgreSQL server
# (its own JDBC URL, SHELF_MIGRATION_LEGACY_URL), loaded with the sample legacy app (the schema and set-based
# generator of modules/migration/src/test/resources/legacy-app/schema.sql): --tenants shops with settings blobs and
# between --min-orders and --max-orders orders each. Then, through the operator CLI:
#   (a) a dry run (`java -jar shelf.jar import-tenants --dry-run`): every tenant mapped and checked, nothing written;
#   (b) the import (`import-tenants --run`): shop + settings, the last 50 orders, per tenant, --concurrency at once;
#   (c) the import again: every tenant settled, nothing written.
# Reports wall time, tenants/s, orders/s and CPU (Shelf's JVM, PostgreSQL) of each, checks the result (shops, orders,
# every imported shop marked imported, no failure) and keeps the CLI's outputs and JSON report.
# Writes raw outputs to bench/results/tenant-import-<UTC time>/ and prints a summary (target: 10,000 tenants <= 5 min).
#
# Usage: bench/tenant-import.sh [--tenants 10000] [--min-orders 60] [--max-orders 200] [--concurrency 8]
# Ports: SERVER_PORT (default 18380) and SHELF_EMBEDDED_DB_PORT (default 18381), both must be free.
# Needs: JDK 17+, psql (Debian postgresql-client, installed with apt-get when missing and root), curl.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. bench/lib.sh

tenants=10000 min_orders=60 max_orders=200 concurrency=8
while [ $# -gt 0 ]; do
  case $1 in
    --tenants) tenants=$2; shift 2 ;;
    --min-orders) min_orders=$2; shift 2 ;;
    --max-orders) max_orders=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) bench_die "unknown option $1 (see --help)" ;;
  esac
done
for n in "$tenants" "$min_orders" "$max_orders" "$concurrency"; do
  [[ $n =~ ^[0-9]+$ ]] || bench_die "options take whole numbers, got '$n'"
done
[ "$min_orders" -le "$max_orders" ] || bench_die "--min-orders must not exceed --max-orders"

export SERVER_PORT=${SERVER_PORT:-18380} SHELF_EMBEDDED_DB_PORT=${SHELF_EMBEDDED_DB_PORT:-18381}
export SHOPIFY_API_KEY=bench-api-key SHOPIFY_API_SECRET=bench-secret-0123456789abcdef0123456789abcdef
export SHELF_OPERATOR_PASSWORD=bench-operator-password
export SHELF_MIGRATION_LEGACY_URL="jdbc:postgresql://localhost:$SHELF_EMBEDDED_DB_PORT/legacy"
export SHELF_MIGRATION_LEGACY_USERNAME=postgres SHELF_MIGRATION_LEGACY_PASSWORD=
bench_require psql postgresql-client
bench_require_free_ports "$SERVER_PORT" "$SHELF_EMBEDDED_DB_PORT"
bench_require_jar

bench_prepare_run tenant-import
bench_resolve_db "host=localhost port=$SHELF_EMBEDDED_DB_PORT user=postgres dbname=postgres"
legacy_db="host=localhost port=$SHELF_EMBEDDED_DB_PORT user=postgres dbname=legacy"
{
  bench_environment_header
  echo "options: tenants=$tenants orders=$min_orders..$max_orders concurrency=$concurrency"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$results/environment.txt" >&2

bench_start_shelf "$data_dir"
postmaster=$(head -1 "$data_dir/postgres/postmaster.pid")
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
q() { bench_psql -Atc "$1"; }
ql() { psql "$legacy_db" -X -v ON_ERROR_STOP=1 -q -Atc "$1"; }

started=$(now_ms)
bench_psql -c "CREATE DATABASE legacy"
psql "$legacy_db" -X -v ON_ERROR_STOP=1 -q -f modules/migration/src/test/resources/legacy-app/schema.sql
legacy_orders=$(ql "SELECT generate_tenants('bench', $tenants, $min_orders, $max_orders)")
psql "$legacy_db" -X -q -c "VACUUM (ANALYZE) shops, shop_settings, orders"
bench_log "legacy app: $tenants tenants, $legacy_orders orders in $(( $(now_ms) - started )) ms"

# $1 label, rest: import-tenants options. Sets ms, jvm_ms, pg_ms of the run.
measure() {
  local label=$1; shift
  local jvm0 pg0 t0 status=0
  jvm0=$(bench_cpu_ms "$SHELF_PID"); pg0=$(bench_cpu_ms "$postmaster" 1); t0=$(now_ms)
  java -jar "$jar" import-tenants "$@" --concurrency="$concurrency" --poll-ms=2000 \
    --url="http://localhost:$SERVER_PORT/graphql" >"$results/$label.txt" 2>&1 || status=$?
  ms=$(( $(now_ms) - t0 )); jvm_ms=$(( $(bench_cpu_ms "$SHELF_PID") - jvm0 )); pg_ms=$(( $(bench_cpu_ms "$postmaster" 1) - pg0 ))
  bench_log "$label: exit $status in $ms ms: $(grep -m1 -E '^(Dry run|Import run)' "$results/$label.txt" || tail -1 "$results/$label.txt")"
  [ "$status" = 0 ] || bench_die "import-tenants $* failed: $(tail -5 "$results/$label.txt")"
}
rate() { echo "$(( $1 * 1000 / ($2 > 0 ? $2 : 1) ))"; }

orders_before=$(q "SELECT count(*) FROM billing.orders")
measure dry-run --dry-run
dry_ms=$ms dry_jvm=$jvm_ms dry_pg=$pg_ms
orders_after_dry=$(q "SELECT count(*) FROM billing.orders")
shops_after_dry=$(q "SELECT count(*) FROM catalog.shops WHERE imported_at IS NOT NULL")

measure run --run --report="$results/report.json"
run_ms=$ms run_jvm=$jvm_ms run_pg=$pg_ms
imported=$(q "SELECT count(*) FROM migration.tenant_imports WHERE status = 'IMPORTED'")
skipped=$(q "SELECT count(*) FROM migration.tenant_imports WHERE status = 'SKIPPED'")
failed=$(q "SELECT count(*) FROM migration.tenant_imports WHERE status <> 'IMPORTED' AND status <> 'SKIPPED'")
problems=$(q "SELECT coalesce(sum(problems), 0) FROM migration.tenant_import_runs WHERE id = (SELECT max(id) FROM migration.tenant_import_runs)")
# The run's own length (its record: start to last tenant), without the CLI's JVM start and report download.
engine_ms=$(q "SELECT round(extract(epoch FROM finished_at - started_at) * 1000) FROM migration.tenant_import_runs WHERE id = (SELECT max(id) FROM migration.tenant_import_runs)")
orders=$(( $(q "SELECT count(*) FROM billing.orders") - orders_before ))
shops=$(q "SELECT count(*) FROM catalog.shops WHERE imported_at IS NOT NULL")
# Every imported shop: as many orders as its 50 newest legacy orders hold valid ones (exact check, per shop).
expected_orders=$(ql "SELECT coalesce(sum(n), 0) FROM (SELECT s.id, (SELECT count(*) FROM (SELECT o.shopify_order_id FROM orders o WHERE o.shop_id = s.id AND o.created_at IS NOT NULL ORDER BY o.created_at DESC, o.id DESC LIMIT 50) r WHERE r.shopify_order_id ~ '^[0-9]+\$') AS n FROM shops s WHERE coalesce(s.status, '') <> 'uninstalled' AND s.id % 997 <> 0) x")
left=$(q "SELECT coalesce(sum(older_orders_left), 0) FROM billing.legacy_order_imports")

measure rerun --run
rerun_ms=$ms
orders_after_rerun=$(( $(q "SELECT count(*) FROM billing.orders") - orders_before ))

{
  echo "| figure | value | target |"
  echo "|---|---|---|"
  echo "| legacy app | $tenants tenants, $legacy_orders orders ($min_orders-$max_orders per tenant) | |"
  echo "| import (--run, concurrency $concurrency): wall time of the CLI, start to report written | **$(awk "BEGIN { printf \"%.1f\", $run_ms / 1000 }") s** | <= 300 s |"
  echo "| ... of which the run itself (its record: first to last tenant) | **$(awk "BEGIN { printf \"%.1f\", $engine_ms / 1000 }") s**; the rest is the CLI's JVM start, polling and downloading the report of every tenant | |"
  echo "| ... tenants/s, orders/s (CLI wall time / the run itself) | $(rate "$(( imported + skipped ))" "$run_ms") / $(rate "$(( imported + skipped ))" "$engine_ms") tenants/s, $(rate "$orders" "$run_ms") / $(rate "$orders" "$engine_ms") orders/s | |"
  echo "| ... CPU: Shelf JVM / PostgreSQL (all backends) | $run_jvm ms / $run_pg ms ($(awk "BEGIN { printf \"%.2f\", ($run_jvm + $run_pg) / $run_ms }") cores busy on average) | |"
  echo "| ... result | $imported imported, $skipped skipped, $failed failed, $problems mapping problems; $shops shops marked imported; $orders orders imported (expected $expected_orders), $left older orders left in the legacy app | 0 failed |"
  echo "| dry run: wall time, CPU JVM / PostgreSQL | $(awk "BEGIN { printf \"%.1f\", $dry_ms / 1000 }") s, $dry_jvm ms / $dry_pg ms; wrote $(( orders_after_dry - orders_before )) orders, $shops_after_dry shops | writes nothing |"
  echo "| re-run: wall time, orders after | $(awk "BEGIN { printf \"%.1f\", $rerun_ms / 1000 }") s, $orders_after_rerun orders | unchanged |"
  echo "| load average at the end | $(cut -d' ' -f1-3 /proc/loadavg) | |"
} | tee "$results/summary.md"
[ "$failed" = 0 ] && [ "$orders" = "$expected_orders" ] && [ "$orders_after_rerun" = "$orders" ] \
  && [ "$orders_after_dry" = "$orders_before" ] && [ "$shops_after_dry" = 0 ] || bench_die "the import's result is wrong"
