#!/usr/bin/env bash
# Puts GraphQL load on a running Shelf as one shop: mints a session token for the shop with the packaged jar
# (`java -jar app/target/shelf.jar dev-token`, signed with the dev credentials in SHELF_DATA_DIR, so the server
# must run in the dev profile on that same data directory, or both must see the same SHOPIFY_API_SECRET/KEY),
# then runs bench/graphql-load.mjs (Node.js, no dependencies) with the remaining options.
#
# Usage: SHELF_DATA_DIR=<dir> bench/graphql-load.sh --shop <name>.myshopify.com [graphql-load.mjs options]
#   e.g. bench/graphql-load.sh --shop bench-0001.myshopify.com --url http://localhost:18180/graphql \
#          --query '{ products(first: 50) { nodes { id title } } }' --connections 16 --duration 30
# Prints requests/s and p50/p90/p99 latency; exits 1 on any non-200 or GraphQL error in the sampled responses.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

shop=''
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --shop) shop=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ -n "$shop" ] || bench_die "give --shop <name>.myshopify.com"
command -v node >/dev/null || bench_die "node not found (Node.js 18+ runs the load driver)"
jar=${BENCH_JAR:-$root/app/target/shelf.jar}
[ -f "$jar" ] || bench_die "$jar not found: build it with ./mvnw -q -B -o package -DskipTests"
token=$(java -jar "$jar" dev-token --shop="$shop" --ttl-seconds=${BENCH_TOKEN_TTL:-7200}) || bench_die "dev-token failed"
SHELF_TOKEN=$token exec node "$root/bench/graphql-load.mjs" "${args[@]}"
