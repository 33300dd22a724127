#!/usr/bin/env bash
# Compares the JVM CPU per request of two (or more) builds of Shelf side by side, on a shared machine where single
# runs swing 2x: every jar runs at once, each with its own data directory and embedded PostgreSQL, the same generated
# data and a warm-up; then the jars take turns in short rounds of the same GraphQL load, and each round reads the
# loaded JVM's CPU time from /proc. Other engineers' load hits all jars alike, so compare within one invocation.
#
# Usage: bench/paired-jars.sh [options] LABEL=JAR LABEL=JAR [...]
#   --rounds N           rounds per jar (default 4), in turn: a b a b ...
#   --seconds N          length of a round (default 20)
#   --warmup N           requests each jar answers before the rounds (default 12000; the JIT needs minutes here)
#   --connections N      (default 16)
#   --query DOC          (default: the products page of issue #3; every sampled body must hold 50 products)
#   --shops N --products N   data set (default 20 / 20000; the biggest shop, bench-0001, gets the load)
#   --jfr                record each JVM with JFR from start-up (profile settings, stack depth 256) into the results;
#                        read with java bench/JfrAreas.java <file> http-nio <from> <to> (the rounds' times are printed)
#   --port N             first port (default 18480): jar i gets SERVER_PORT N+2i, SHELF_EMBEDDED_DB_PORT N+2i+1
#   --java LABEL=PATH    the java launcher for one label only (default: java on the PATH), e.g. another JDK
#   --java-opts LABEL=OPTS   JVM options for one label only (e.g. a garbage collector, or -Dshelf.…=… settings); the
#                        same jar may run under two labels to compare options
# Writes bench/results/paired-jars-<time>/: rounds.tsv (label, start, end, requests, req/s, JVM CPU ms per request,
# load average, and the part of it in request threads and in the JIT's compiler threads), each JVM's log and recording. Prints a summary per jar (mean and each round).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. bench/lib.sh

rounds=4 seconds=20 warmup=12000 connections=16 shops=20 products=20000 jfr=0 port=18480
query='{ products(first: 50) { nodes { id title variants(first: 10) { nodes { id price { amount } } } } } }'
labels=() jars=()
declare -A java_opts=() java_bins=()
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --query) query=$2; shift 2 ;;
    --shops) shops=$2; shift 2 ;;
    --products) products=$2; shift 2 ;;
    --jfr) jfr=1; shift ;;
    --port) port=$2; shift 2 ;;
    --java-opts) java_opts[${2%%=*}]=${2#*=}; shift 2 ;;
    --java) java_bins[${2%%=*}]=${2#*=}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *=*) labels+=("${1%%=*}"); jars+=("$(realpath "${1#*=}")"); shift ;;
    *) bench_die "unknown argument $1 (--help)" ;;
  esac
done
[ "${#jars[@]}" -ge 2 ] || bench_die "give at least two LABEL=JAR"
for jar in "${jars[@]}"; do [ -f "$jar" ] || bench_die "$jar not found"; done
bench_require psql postgresql-client
command -v node >/dev/null || bench_die "node not found"

# As bench/catalog-products.sh: the request path without the rate-limit bucket (bench/api-guard.sh measures that),
# and a cost limit the page with variants (cost 1,152) stays under.
export SHELF_GRAPHQL_THROTTLE=${SHELF_GRAPHQL_THROTTLE:-false} SHELF_GRAPHQL_MAX_QUERY_COST=${SHELF_GRAPHQL_MAX_QUERY_COST:-100000}
results=bench/results/paired-jars-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$results"
pids=() dirs=()
cleanup() {
  local i
  trap - EXIT INT TERM
  for i in "${!dirs[@]}"; do
    SHELF_PID=${pids[$i]:-} bench_stop_shelf "${dirs[$i]}"
    cp "${dirs[$i]}/shelf.log" "$results/${labels[$i]}.log" 2>/dev/null || true
    rm -rf "${dirs[$i]}"
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for i in "${!jars[@]}"; do
  dirs[$i]=$(mktemp -d /tmp/shelf-paired.XXXXXX)
  opts=${java_opts[${labels[$i]}]:-}
  [ "$jfr" = 1 ] && opts="$opts -XX:FlightRecorderOptions:stackdepth=256 -XX:StartFlightRecording:settings=profile,filename=$root/$results/${labels[$i]}.jfr,dumponexit=true"
  java_bin=${java_bins[${labels[$i]}]:-java}
  echo "${labels[$i]}: ${jars[$i]} on $("$java_bin" -version 2>&1 | head -1) ${opts:-(default JVM options)}" >>"$results/jars.txt"
  export SERVER_PORT=$((port + 2 * i)) SHELF_EMBEDDED_DB_PORT=$((port + 2 * i + 1))
  bench_require_free_ports "$SERVER_PORT" "$SHELF_EMBEDDED_DB_PORT"
  BENCH_JAR=${jars[$i]} BENCH_JAVA=$java_bin BENCH_JAVA_OPTS=$opts bench_start_shelf "${dirs[$i]}"
  pids[$i]=$SHELF_PID
  bench/generate-data.sh --db "host=localhost port=$SHELF_EMBEDDED_DB_PORT user=postgres dbname=postgres" \
    --shops "$shops" --products "$products" >"$results/${labels[$i]}-data.txt" 2>&1
done

tokens=()
for i in "${!jars[@]}"; do
  tokens[$i]=$(SHELF_DATA_DIR=${dirs[$i]} java -jar "${jars[$i]}" dev-token --shop=bench-0001.myshopify.com --ttl-seconds=7200)
done
load() { # $1 jar index, $2 seconds, $3 json file; no warm-up inside: all of a round's CPU is its requests'
  SHELF_TOKEN=${tokens[$1]} node bench/graphql-load.mjs --url "http://localhost:$((port + 2 * $1))/graphql" \
    --query "$query" --connections "$connections" --duration "$2" --warmup 0 \
    --expect-path data.products.nodes --expect-length 50 --json "$3" >/dev/null
}
requests() { node -e "console.log(JSON.parse(require('fs').readFileSync(process.argv[1])).requests)" "$1"; }

for i in "${!jars[@]}"; do
  done_requests=0 w=0
  while [ "$done_requests" -lt "$warmup" ]; do
    w=$((w + 1))
    load "$i" 20 "$results/${labels[$i]}-warmup$w.json"
    done_requests=$((done_requests + $(requests "$results/${labels[$i]}-warmup$w.json")))
  done
  bench_log "warmed ${labels[$i]}: $done_requests requests"
done

printf 'label\tstart\tend\trequests\treq_per_s\tjvm_cpu_ms_per_request\tload_average\trequest_threads_ms\tjit_ms\n' >"$results/rounds.tsv"
for r in $(seq 1 "$rounds"); do
  for i in "${!jars[@]}"; do
    start=$(date -u +%FT%TZ) before=$(bench_cpu_ms "${pids[$i]}")
    http_before=$(bench_threads_cpu_ms "${pids[$i]}" http-nio) jit_before=$(bench_threads_cpu_ms "${pids[$i]}" 'C[12] Compiler')
    load "$i" "$seconds" "$results/${labels[$i]}-round$r.json"
    after=$(bench_cpu_ms "${pids[$i]}") end=$(date -u +%FT%TZ)
    http_after=$(bench_threads_cpu_ms "${pids[$i]}" http-nio) jit_after=$(bench_threads_cpu_ms "${pids[$i]}" 'C[12] Compiler')
    n=$(requests "$results/${labels[$i]}-round$r.json")
    printf '%s\t%s\t%s\t%s\t%.1f\t%.3f\t%s\t%.3f\t%.3f\n' "${labels[$i]}" "$start" "$end" "$n" "$(echo "$n / $seconds" | bc -l)" \
      "$(echo "($after - $before) / $n" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)" \
      "$(echo "($http_after - $http_before) / $n" | bc -l)" "$(echo "($jit_after - $jit_before) / $n" | bc -l)" \
      | tee -a "$results/rounds.tsv" >&2
  done
done

echo "JVM CPU per request (ms), $rounds rounds of ${seconds}s at $connections connections; raw: $results"
awk -F'\t' 'NR > 1 { s[$1] += $6; h[$1] += $8; j[$1] += $9; n[$1]++; v[$1] = v[$1] sprintf(" %.2f", $6); l[$1] = l[$1] " " $7 }
  END { for (k in s) printf "%s: mean %.2f (rounds%s; load average%s); request threads %.2f, JIT compilers %.2f\n",
    k, s[k] / n[k], v[k], l[k], h[k] / n[k], j[k] / n[k] }' "$results/rounds.tsv"
