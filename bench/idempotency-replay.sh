#!/usr/bin/env bash
# The Idempotency-Key benchmark, all in one run on one freshly started Shelf (packaged jar, dev profile, embedded
# PostgreSQL, new SHELF_DATA_DIR under /tmp):
#   warm-up: --warmup seconds each of the replay path and of { shop { id } } as a separate shop (the JIT needs
#       minutes on a busy 2-core machine; its own key, executed once before);
#   then, as a new shop:
#   (a) burst: --requests concurrent requests of one `productCreate` with one Idempotency-Key, sent at the same
#       moment on as many connections; a 409 is retried after its Retry-After. Checks exactly one execution (one
#       200 without Idempotent-Replayed, every other 200 replayed with the same bytes, one product in the shop,
#       and Shelf's own counter shelf.idempotency.requests{outcome=executed} grows by 1 over (a) and (b)); reports
#       the answers by outcome, wall time, answers/s and latency percentiles per outcome (bench/idempotency-replay.mjs);
#   (b) replay path, sustained: the same request and key in a closed loop on --connections connections for
#       --duration seconds after 10 s more of warm-up (bench/graphql-load.mjs; every answer must be a 200 with
#       Idempotent-Replayed: true): requests/s, p50/p90/p99, and CPU per request of the JVM and of PostgreSQL;
#   (c) for scale, the cheapest authenticated GraphQL request, `{ shop { id } }`, measured the same way.
# Writes raw outputs to bench/results/idempotency-replay-<UTC time>/ and prints a summary.
#
# Usage: bench/idempotency-replay.sh [--requests 1000] [--connections 16] [--duration 30] [--warmup 120] [--build]
#   --build: delete app/target/shelf.jar and package it again first (it is not repackaged when only a module
#   changed); without it the jar is built only when missing.
# Ports: SERVER_PORT (default 18280) and SHELF_EMBEDDED_DB_PORT (default 18281), both must be free.
# Needs: JDK 17+, Node.js 18+, curl.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. bench/lib.sh

requests=1000 connections=16 duration=30 warmup=120 build=0
while [ $# -gt 0 ]; do
  case $1 in
    --requests) requests=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --build) build=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) bench_die "unknown option $1 (see --help)" ;;
  esac
done
for n in "$requests" "$connections" "$duration" "$warmup"; do
  [[ $n =~ ^[0-9]+$ ]] || bench_die "options take whole numbers, got '$n'"
done

export SERVER_PORT=${SERVER_PORT:-18280} SHELF_EMBEDDED_DB_PORT=${SHELF_EMBEDDED_DB_PORT:-18281}
# One shop's sustained flood would be throttled by its rate limit (100 points/s); this benchmark measures the replay
# path, not the rate limit, so the limit is off (its own benchmark measures it).
export SHELF_GRAPHQL_THROTTLE=${SHELF_GRAPHQL_THROTTLE:-false}
url="http://localhost:$SERVER_PORT/graphql"
operator_password=bench-operator-$RANDOM$RANDOM

# --- preflight
command -v curl >/dev/null || bench_die "curl not found"
command -v node >/dev/null || bench_die "node not found (Node.js 18+ runs the load drivers)"
bench_require_free_ports "$SERVER_PORT" "$SHELF_EMBEDDED_DB_PORT"
[ "$build" = 1 ] && rm -f app/target/shelf.jar
bench_require_jar

bench_prepare_run idempotency-replay

export SHELF_DATA_DIR=$data_dir SHELF_OPERATOR_PASSWORD=$operator_password
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "node: $(node --version)"
  echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "options: requests=$requests connections=$connections duration=${duration}s warmup=${warmup}s"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$results/environment.txt" >&2

bench_start_shelf "$data_dir"
postmaster=$(head -1 "$data_dir/postgres/postmaster.pid")
token_for() { java -jar "$jar" dev-token --shop="$1" --ttl-seconds=7200 || bench_die "dev-token failed"; }
token=$(token_for bench-idempotency.myshopify.com)
warmup_token=$(token_for bench-idempotency-warmup.myshopify.com)
key=$(cat /proc/sys/kernel/random/uuid)
warmup_key=$(cat /proc/sys/kernel/random/uuid)
title="Idempotent Lamp"
mutation='mutation Create($input: ProductInput!) { productCreate(input: $input) { product { id title handle } userErrors { field code message } } }'
variables=$(node -p "JSON.stringify({ input: { title: process.argv[1] } })" "$title")
gql() { # $1 token, $2 JSON body, rest: curl options
  local token=$1 body=$2
  shift 2
  curl -fsS "$url" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary "$body" "$@"
}
executed_count() {
  curl -fsS -u "operator:$operator_password" \
    "localhost:$SERVER_PORT/actuator/metrics/shelf.idempotency.requests?tag=outcome:executed" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).measurements[0].value))'
}

cpu_mark() { echo "$(bench_cpu_ms "$SHELF_PID") $(bench_cpu_ms "$postmaster" 1)"; }
cpu_per_request() { # $1 before, $2 after, $3 requests: "jvm_us pg_us"
  read -r j0 p0 <<<"$1"; read -r j1 p1 <<<"$2"
  awk -v n="$3" -v j="$((j1 - j0))" -v p="$((p1 - p0))" 'BEGIN { printf "%.0f %.0f\n", 1000 * j / n, 1000 * p / n }'
}
json_field() { node -p "const r=require('./$1'); $2"; }
warm() { # $1 label, $2 token, $3 seconds, rest: graphql-load.mjs options
  local label=$1 token=$2 seconds=$3
  shift 3
  SHELF_TOKEN=$token node bench/graphql-load.mjs --url "$url" --label "$label" --connections "$connections" \
    --duration "$seconds" --allow-empty "$@" | tee -a "$results/load.txt" >&2
}
load() { # $1 label, rest: graphql-load.mjs options; 10 s of warm-up, then the measured run with CPU per request
  local label=$1 before after
  shift
  warm "$label-warmup" "$token" 10 "$@"
  before=$(cpu_mark)
  SHELF_TOKEN=$token node bench/graphql-load.mjs --url "$url" --label "$label" --connections "$connections" \
    --duration "$duration" --json "$results/$label.json" "$@" | tee -a "$results/load.txt" >&2
  after=$(cpu_mark)
  cpu_per_request "$before" "$after" "$(json_field "$results/$label.json" r.requests)" > "$results/$label.cpu"
}

# --- warm-up, as another shop: its key executes once here, then is replayed
bench_log "warm-up: ${warmup}s of the replay path, ${warmup}s of { shop { id } }, as bench-idempotency-warmup"
gql "$warmup_token" "$(node -p 'JSON.stringify({ query: process.argv[1], variables: JSON.parse(process.argv[2]) })' "$mutation" "$variables")" \
  -H "Idempotency-Key: $warmup_key" -o /dev/null
warm replay-warmup "$warmup_token" "$warmup" --query "$mutation" --variables "$variables" \
  --header "Idempotency-Key: $warmup_key" --expect-header "Idempotent-Replayed: true"
warm shop-query-warmup "$warmup_token" "$warmup" --query '{ shop { id } }'
executed_before=$(executed_count)

# --- (a) the burst
bench_log "(a) $requests concurrent requests of productCreate with Idempotency-Key $key"
SHELF_TOKEN=$token node bench/idempotency-replay.mjs --url "$url" --requests "$requests" --key "$key" --title "$title" \
  --json "$results/burst.json" | tee "$results/burst.txt" >&2

# --- (b) the replay path, sustained; (c) { shop { id } } for scale
bench_log "(b) replay path: the same request and key, $connections connections, ${duration}s after 10 s more of warm-up"
load replay --query "$mutation" --variables "$variables" --header "Idempotency-Key: $key" \
  --expect-header "Idempotent-Replayed: true" --sample-every 1
bench_log "(c) { shop { id } } for scale, same connections and duration"
load shop-query --query '{ shop { id } }'

# --- exactly one execution, by Shelf's own count and by the catalog
executed=$(( $(executed_count) - executed_before ))
products=$(gql "$token" '{"query":"{ products(first: 250) { nodes { id } } }"}' \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).data.products.nodes.length))')

read -r replay_jvm replay_pg < "$results/replay.cpu"
read -r shop_jvm shop_pg < "$results/shop-query.cpu"
summary() {
  echo "Idempotency-Key benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "(a) $(cat "$results/burst.txt")"
  echo "(b) $(json_field "$results/replay.json" '`${r.requests} replays in ${r.durationSeconds} s on ${r.connections} connections: ${r.requestsPerSecond.toFixed(1)} req/s, p50 ${r.latencyMs.p50.toFixed(2)} ms, p90 ${r.latencyMs.p90.toFixed(2)} ms, p99 ${r.latencyMs.p99.toFixed(2)} ms, max ${r.latencyMs.max.toFixed(2)} ms`'); CPU per request: JVM ${replay_jvm} us, PostgreSQL ${replay_pg} us"
  echo "(c) $(json_field "$results/shop-query.json" '`{ shop { id } }: ${r.requests} requests in ${r.durationSeconds} s: ${r.requestsPerSecond.toFixed(1)} req/s, p50 ${r.latencyMs.p50.toFixed(2)} ms, p90 ${r.latencyMs.p90.toFixed(2)} ms, p99 ${r.latencyMs.p99.toFixed(2)} ms`'); CPU per request: JVM ${shop_jvm} us, PostgreSQL ${shop_pg} us"
  echo "executions counted by Shelf during (a) and (b) (shelf.idempotency.requests{outcome=executed}): $executed; products in the shop: $products"
}
summary | tee "$results/summary.txt"
[ "$products" = 1 ] && [ "$executed" = 1 ] || bench_die "expected exactly one execution and one product"
bench_log "done; raw outputs in $results"
