#!/usr/bin/env bash
# Smoke test of what a developer does on a fresh clone: start the packaged jar in the dev profile on a new,
# empty data directory (embedded PostgreSQL, generated credentials), then check health, a GraphQL query with a
# minted session token, and the 401 without one. Needs app/target/shelf.jar (built by `./mvnw -B verify`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jar=app/target/shelf.jar
port=${SMOKE_PORT:-18090}
data_dir=$(mktemp -d)
export SHELF_DATA_DIR=$data_dir SERVER_PORT=$port SHELF_EMBEDDED_DB_PORT=$((port + 1)) SPRING_PROFILES_ACTIVE=dev

java -jar "$jar" >"$data_dir/shelf.log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data_dir"; }
trap cleanup EXIT
fail() { echo "smoke test FAILED: $*" >&2; tail -50 "$data_dir/shelf.log" >&2; exit 1; }

for _ in $(seq 1 600); do
  curl -fs "localhost:$port/actuator/health" 2>/dev/null | grep -q '"status":"UP"' && break
  kill -0 "$pid" 2>/dev/null || fail "Shelf exited during start-up"
  sleep 0.1
done
curl -fs "localhost:$port/actuator/health" | grep -q '"status":"UP"' || fail "health is not UP"

token=$(java -jar "$jar" dev-token --shop=smoke.myshopify.com)
body='{"query":"{ shop { myshopifyDomain } }"}'
answer=$(curl -s "localhost:$port/graphql" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body")
case $answer in
  '{"data":{"shop":{"myshopifyDomain":"smoke.myshopify.com"}},"extensions":{"cost":{"requestedQueryCost":1,'*) ;;
  *) fail "query answered: $answer" ;;
esac

status=$(curl -s -o /dev/null -w '%{http_code}' "localhost:$port/graphql" -H 'Content-Type: application/json' -d "$body")
[ "$status" = 401 ] || fail "without a token the status was $status, not 401"

echo "smoke test passed: health UP, token query answered, no token -> 401"
