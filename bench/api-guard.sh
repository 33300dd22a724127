#!/usr/bin/env bash
# The API guard rails' cost per request: the same products query, the same data, the same load, on Shelf started
# twice in one run — once with the guard (query cost computed and limited, the shop's rate-limit bucket admitted with
# its PostgreSQL upsert, extensions.cost written) and once without it (SHELF_GRAPHQL_COST_ENABLED=false) — alternately,
# --rounds times each, so drift of the machine hits both alike. The bucket is sized so nothing is throttled: what is
# measured is the check, not the refusals. Reports requests/s and p50/p99 of each, CPU per request (Shelf's JVM and
# PostgreSQL, from /proc), and the ratios guard/no guard (target: throughput overhead <= 5 %).
#
# Usage: bench/api-guard.sh [--connections 8] [--duration 20] [--warmup 30] [--rounds 2] [--products 2000]
# Ports: SERVER_PORT (default 18180) and SHELF_EMBEDDED_DB_PORT (default 18181), both must be free.
# Needs: JDK 17+, Node.js 18+, psql (Debian postgresql-client), curl.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. bench/lib.sh

connections=8 duration=20 warmup=30 rounds=2 products=2000
while [ $# -gt 0 ]; do
  case $1 in
    --connections) connections=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --products) products=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) bench_die "unknown option $1 (see --help)" ;;
  esac
done
for n in "$connections" "$duration" "$warmup" "$rounds" "$products"; do
  [[ $n =~ ^[0-9]+$ ]] || bench_die "options take whole numbers, got '$n'"
done

export SERVER_PORT=${SERVER_PORT:-18180} SHELF_EMBEDDED_DB_PORT=${SHELF_EMBEDDED_DB_PORT:-18181}
# Nothing is throttled: a bucket far larger than the run can use.
export SHELF_GRAPHQL_BUCKET_SIZE=1000000000 SHELF_GRAPHQL_RESTORE_RATE=1000000000
bench_require psql postgresql-client
command -v node >/dev/null || bench_die "node not found (Node.js 18+ runs the load driver)"
bench_require_free_ports "$SERVER_PORT" "$SHELF_EMBEDDED_DB_PORT"
bench_require_jar

bench_prepare_run api-guard
export SHELF_DATA_DIR=$data_dir
bench_resolve_db "host=localhost port=$SHELF_EMBEDDED_DB_PORT user=postgres dbname=postgres"
{
  bench_environment_header
  echo "options: connections=$connections duration=${duration}s warmup=${warmup}s rounds=$rounds products=$products"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$results/environment.txt" >&2

query='{ products(first: 20) { nodes { id title variants(first: 5) { nodes { id price { amount } } } } } }'

# --- data, once: one shop with --products products of 3 variants (the generator's SQL, see BENCHMARKS.md)
SHELF_GRAPHQL_COST_ENABLED=true bench_start_shelf "$data_dir"
bench/generate-data.sh --db "$BENCH_DB" --shops 1 --products "$products" --shop-prefix bench-guard \
  | tee "$results/generate.txt" >&2
shop=$(bench_psql -Atc "SELECT shopify_domain FROM catalog.shops WHERE shopify_domain LIKE 'bench-guard%' ORDER BY id LIMIT 1")
[ -n "$shop" ] || bench_die "the generator made no bench-guard shop"
bench_stop_shelf "$data_dir"

run() { # $1 label (guard|noguard), $2 round
  local label=$1 round=$2 postmaster before after token
  SHELF_GRAPHQL_COST_ENABLED=$([ "$label" = guard ] && echo true || echo false) bench_start_shelf "$data_dir"
  token=$(java -jar "$jar" dev-token --shop="$shop" --ttl-seconds=3600)
  postmaster=$(head -1 "$data_dir/postgres/postmaster.pid")
  SHELF_TOKEN=$token node bench/graphql-load.mjs --url "http://localhost:$SERVER_PORT/graphql" --query "$query" \
    --connections "$connections" --duration "$warmup" --label "$label-$round-warmup" --allow-empty >/dev/null
  before="$(bench_cpu_ms "$SHELF_PID") $(bench_cpu_ms "$postmaster" 1)"
  SHELF_TOKEN=$token node bench/graphql-load.mjs --url "http://localhost:$SERVER_PORT/graphql" --query "$query" \
    --connections "$connections" --duration "$duration" --label "$label-$round" --expect-path data.products.nodes \
    --json "$results/$label-$round.json" | tee -a "$results/load.txt" >&2
  after="$(bench_cpu_ms "$SHELF_PID") $(bench_cpu_ms "$postmaster" 1)"
  echo "$before $after" > "$results/$label-$round.cpu"
  bench_stop_shelf "$data_dir"
}
for round in $(seq 1 "$rounds"); do
  run guard "$round"
  run noguard "$round"
done

node - "$results" "$rounds" <<'JS' | tee "$results/summary.txt"
const fs = require('fs');
const [dir, rounds] = [process.argv[2], Number(process.argv[3])];
const sum = { guard: { req: 0, s: 0, jvm: 0, pg: 0, p50: [], p99: [] }, noguard: { req: 0, s: 0, jvm: 0, pg: 0, p50: [], p99: [] } };
for (const label of ['guard', 'noguard']) {
  for (let r = 1; r <= rounds; r++) {
    const j = JSON.parse(fs.readFileSync(`${dir}/${label}-${r}.json`));
    const [j0, p0, j1, p1] = fs.readFileSync(`${dir}/${label}-${r}.cpu`, 'utf8').trim().split(/\s+/).map(Number);
    const t = sum[label];
    t.req += j.requests; t.s += j.durationSeconds; t.jvm += j1 - j0; t.pg += p1 - p0;
    t.p50.push(j.latencyMs.p50); t.p99.push(j.latencyMs.p99);
  }
}
const line = (label) => {
  const t = sum[label];
  return `${label.padEnd(8)} ${(t.req / t.s).toFixed(1)} req/s; p50 ${t.p50.map((v) => v.toFixed(1)).join('/')} ms, ` +
    `p99 ${t.p99.map((v) => v.toFixed(1)).join('/')} ms; CPU per request: JVM ${(1000 * t.jvm / t.req).toFixed(0)} us, ` +
    `PostgreSQL ${(1000 * t.pg / t.req).toFixed(0)} us`;
};
console.log(line('guard'));
console.log(line('noguard'));
const g = sum.guard, n = sum.noguard;
const throughput = (g.req / g.s) / (n.req / n.s);
const cpu = ((g.jvm + g.pg) / g.req) / ((n.jvm + n.pg) / n.req);
console.log(`throughput with guard / without: ${(100 * throughput).toFixed(1)} % (overhead ${(100 * (1 - throughput)).toFixed(1)} %); ` +
  `CPU per request with / without: ${(100 * cpu).toFixed(1)} % (overhead ${(100 * (cpu - 1)).toFixed(1)} %)`);
JS
