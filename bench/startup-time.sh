#!/usr/bin/env bash
# Measures Shelf's start-up: from `java -jar` to /actuator/health/readiness answering UP, on the embedded
# PostgreSQL, with a fresh data directory (first run: initdb + all migrations) and with the kept one.
# Usage: bench/startup-time.sh [runs]   (builds the jar first if missing)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs=${1:-3}
port=${SERVER_PORT:-18080}
jar=app/target/shelf.jar
[ -f "$jar" ] || ./mvnw -q -B package -DskipTests
data_dir=$(mktemp -d)
trap 'rm -rf "$data_dir"' EXIT

measure() {
  local start end pid
  start=$(date +%s%N)
  SHELF_DATA_DIR="$data_dir" SERVER_PORT=$port SHELF_EMBEDDED_DB_PORT=$((port + 1)) SPRING_PROFILES_ACTIVE=dev \
    java -jar "$jar" >"$data_dir/run.log" 2>&1 &
  pid=$!
  until curl -fs "localhost:$port/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
    kill -0 "$pid" 2>/dev/null || { echo "Shelf exited; see $data_dir/run.log" >&2; cat "$data_dir/run.log" >&2; exit 1; }
    sleep 0.1
  done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
for i in $(seq 1 "$runs"); do
  rm -rf "${data_dir:?}"/*
  echo "fresh data directory, run $i: $(measure) ms to ready"
done
for i in $(seq 1 "$runs"); do
  echo "kept data directory,  run $i: $(measure) ms to ready"
done
