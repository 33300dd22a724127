#!/usr/bin/env bash
# The API guard rails' cost per request: the same products query, the same data, the same load, on one instance of
# Shelf whose guard (query cost computed and limited, the shop's rate-limit bucket admitted, extensions.cost written)
# is turned off and on between rounds through its operator-only switch (/actuator/graphqlcost,
# SHELF_GRAPHQL_COST_SWITCHABLE=true). One JVM, because two launches of the same jar differ by more than the guard
# costs (an A/A run of two instances differed by 14 %, BENCHMARKS §8): each gets its own JIT decisions. The instance
# is warmed up with the guard off and on, then loaded --rounds times each in the order on, off, off, on, on, … so slow
# drift of the machine hits both alike, and each pair of neighbouring rounds gives one ratio. The bucket is sized so
# nothing is throttled: what is measured is the check, not the refusals. Reports requests/s and p50/p99 of each, CPU
# per request (the JVM and PostgreSQL, from /proc), the ratios guard/no guard over all rounds and the median of the
# per-pair ratios (target: throughput overhead <= 5 %).
#
# How the guard admitted: from this instance's lease of a bucket or by a statement (counted by the instance);
# SHELF_GRAPHQL_BUCKET_LEASE=0 measures one statement per request. --aa leaves the guard on in every round (an A/A
# run): its ratios show what the method itself swings by.
#
# The load is many shops' traffic: each request is sent as the next of --shops shops in turn (60 products of 3 variants
# each), so the bucket statement touches many rows as in production, not one hot row; a single shop's traffic is
# --shops 1.
#
# Usage: bench/api-guard.sh [--connections 8] [--duration 15] [--warmup 60] [--rounds 10] [--shops 100] [--aa]
#   --warmup: seconds of load with the guard off, then as many with it on, before the rounds (not measured)
# Ports: SERVER_PORT (default 18180) and SHELF_EMBEDDED_DB_PORT (default 18181), both must be free.
# Needs: JDK 17+, Node.js 18+, psql (Debian postgresql-client), curl.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. bench/lib.sh

connections=8 duration=15 warmup=60 rounds=10 shops=100 aa=false
while [ $# -gt 0 ]; do
  case $1 in
    --connections) connections=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --shops) shops=$2; shift 2 ;;
    --aa) aa=true; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) bench_die "unknown option $1 (see --help)" ;;
  esac
done
for n in "$connections" "$duration" "$warmup" "$rounds" "$shops"; do
  [[ $n =~ ^[0-9]+$ ]] || bench_die "options take whole numbers, got '$n'"
done

export SERVER_PORT=${SERVER_PORT:-18180} SHELF_EMBEDDED_DB_PORT=${SHELF_EMBEDDED_DB_PORT:-18181}
# Nothing is throttled: a bucket far larger than the run can use (the largest a bucket may be is 999,999,999).
export SHELF_GRAPHQL_BUCKET_SIZE=100000000 SHELF_GRAPHQL_RESTORE_RATE=100000000
export SHELF_OPERATOR_PASSWORD=bench-operator-password SHELF_GRAPHQL_COST_SWITCHABLE=true
bench_require psql postgresql-client
command -v node >/dev/null || bench_die "node not found (Node.js 18+ runs the load driver)"
bench_require_free_ports "$SERVER_PORT" "$SHELF_EMBEDDED_DB_PORT"
bench_require_jar

bench_prepare_run api-guard
export SHELF_DATA_DIR=$data_dir
bench_resolve_db "host=localhost port=$SHELF_EMBEDDED_DB_PORT user=postgres dbname=postgres"
{
  bench_environment_header
  echo "options: connections=$connections duration=${duration}s warmup=${warmup}s rounds=$rounds shops=$shops aa=$aa"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$results/environment.txt" >&2

query='{ products(first: 20) { nodes { id title variants(first: 5) { nodes { id price { amount } } } } } }'

# --- one instance, with the embedded PostgreSQL; data: --shops shops of 60 products of 3 variants
bench_start_shelf "$data_dir"
pid=$SHELF_PID
bench/generate-data.sh --db "$BENCH_DB" --shops "$shops" --products $((shops * 60)) --skew 0 --variants 3-3 \
  --shop-prefix bench-guard | tee "$results/generate.txt" >&2
mapfile -t shop_domains < <(bench_psql -Atc "SELECT shopify_domain FROM catalog.shops WHERE shopify_domain LIKE 'bench-guard%' ORDER BY id")
[ "${#shop_domains[@]}" = "$shops" ] || bench_die "the generator made ${#shop_domains[@]} bench-guard shops, not $shops"
postmaster=$(head -1 "$data_dir/postgres/postmaster.pid")
java -jar "$jar" dev-token "${shop_domains[@]/#/--shop=}" --ttl-seconds=7200 > "$data_dir/tokens.txt"

switch_guard() { # $1 true|false
  local state
  state=$(curl -fsS -u "operator:$SHELF_OPERATOR_PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"enabled\":$1}" "localhost:$SERVER_PORT/actuator/graphqlcost")
  [ "$state" = "{\"enabled\":$1}" ] || bench_die "the guard switch answered $state"
}
load() { # $1 label (guard|noguard), $2 round (warmup: not measured)
  local label=$1 round=$2 before after
  if [ "$aa" = true ] || [ "$label" = guard ]; then switch_guard true; else switch_guard false; fi
  if [ "$round" = warmup ]; then
    node bench/graphql-load.mjs --url "http://localhost:$SERVER_PORT/graphql" --query "$query" --tokens-file "$data_dir/tokens.txt" \
      --connections "$connections" --duration "$warmup" --label "$label-warmup" --allow-empty >/dev/null
    return
  fi
  before="$(bench_cpu_ms "$pid") $(bench_cpu_ms "$postmaster" 1)"
  node bench/graphql-load.mjs --url "http://localhost:$SERVER_PORT/graphql" --query "$query" --tokens-file "$data_dir/tokens.txt" \
    --connections "$connections" --duration "$duration" --label "$label-$round" --expect-path data.products.nodes \
    --json "$results/$label-$round.json" | tee -a "$results/load.txt" >&2
  after="$(bench_cpu_ms "$pid") $(bench_cpu_ms "$postmaster" 1)"
  echo "$before $after" > "$results/$label-$round.cpu"
}
bench_log "warming up, ${warmup} s with the guard off and ${warmup} s with it on"
load noguard warmup
load guard warmup
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then load guard "$round"; load noguard "$round"
  else load noguard "$round"; load guard "$round"; fi
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results/environment.txt" >&2
admissions() { # $1 via (lease|statement): the instance's count of admitted requests
  curl -fs -u "operator:$SHELF_OPERATOR_PASSWORD" \
    "localhost:$SERVER_PORT/actuator/metrics/shelf.api.throttle.admissions?tag=outcome:admitted&tag=via:$1" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).measurements[0].value))'
}
echo "admitted from a lease: $(admissions lease), by a statement: $(admissions statement) (lease: ${SHELF_GRAPHQL_BUCKET_LEASE:-1s})" |
  tee "$results/admissions.txt" >&2

node --input-type=module - "$results" "$rounds" "$aa" <<'JS' | tee "$results/summary.txt"
import fs from 'fs';
import { describe } from './bench/pair-stats.mjs';
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
if (process.argv[4] === 'true') console.log('A/A run: the guard was on in every round; "noguard" names the other half');
console.log(line('guard'));
console.log(line('noguard'));
const g = sum.guard, n = sum.noguard;
const throughput = (g.req / g.s) / (n.req / n.s);
const cpu = ((g.jvm + g.pg) / g.req) / ((n.jvm + n.pg) / n.req);
const pairs = [];
for (let r = 1; r <= rounds; r++) {
  const g = JSON.parse(fs.readFileSync(`${dir}/guard-${r}.json`)), n = JSON.parse(fs.readFileSync(`${dir}/noguard-${r}.json`));
  const [gj0, gp0, gj1, gp1] = fs.readFileSync(`${dir}/guard-${r}.cpu`, 'utf8').trim().split(/\s+/).map(Number);
  const [nj0, np0, nj1, np1] = fs.readFileSync(`${dir}/noguard-${r}.cpu`, 'utf8').trim().split(/\s+/).map(Number);
  pairs.push({ throughput: (g.requests / g.durationSeconds) / (n.requests / n.durationSeconds),
    cpu: ((gj1 - gj0 + gp1 - gp0) / g.requests) / ((nj1 - nj0 + np1 - np0) / n.requests) });
}
console.log(`per round, throughput with / without: ${pairs.map((p) => (100 * p.throughput).toFixed(1)).join(' ')} %`);
console.log(`per round, CPU per request with / without: ${pairs.map((p) => (100 * p.cpu).toFixed(1)).join(' ')} %`);
console.log(`median of the rounds: throughput ${describe(pairs.map((p) => p.throughput))}, ` +
  `CPU per request ${describe(pairs.map((p) => p.cpu))}`);
console.log(`throughput with guard / without: ${(100 * throughput).toFixed(1)} % (overhead ${(100 * (1 - throughput)).toFixed(1)} %); ` +
  `CPU per request with / without: ${(100 * cpu).toFixed(1)} % (overhead ${(100 * (cpu - 1)).toFixed(1)} %)`);
JS
