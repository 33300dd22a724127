#!/usr/bin/env bash
# Billing's cap under concurrency: N orders of one shop charged by T threads released together (one barrier), on real
# PostgreSQL, against the HTTP-level fake Shopify, with the `bench` plan of billing's module tests (0.01 USD per
# order, capped at 1.00 USD: room for exactly 100 charges). Fails unless the cap held in the database and at Shopify;
# reports chargeForOrder's throughput and the time until every accepted charge is SUCCEEDED at Shopify.
# Usage: bench/billing-cap-race.sh [orders=2000] [threads=50]
# Results: bench/results/billing-cap-race-<UTC time>/ (summary.md, environment.txt, maven.log)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib.sh

orders=${1:-2000}
threads=${2:-50}
out=bench/results/billing-cap-race-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
{
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$out/environment.txt"

bench_log "charging $orders orders of one shop on $threads threads (results in $out)"
# The benchmark is a module test (CapRaceBenchmarkTests) run with more orders; Maven offline when it can be.
offline=$([ -d "$HOME/.m2/repository/org/springframework/boot" ] && echo -o || true)
if ! ./mvnw -B $offline -pl modules/billing -am verify -Dtest=CapRaceBenchmarkTests \
    -Dsurefire.failIfNoSpecifiedTests=false -Dshelf.bench.orders="$orders" -Dshelf.bench.threads="$threads" \
    -Dshelf.bench.output="$PWD/$out/summary.md" >"$out/maven.log" 2>&1; then
  tail -60 "$out/maven.log" >&2
  bench_die "the benchmark failed (cap exceeded or build error); see $out/maven.log"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/environment.txt"
cat "$out/environment.txt" "$out/summary.md"
