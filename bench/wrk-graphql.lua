-- wrk script: every request POSTs one GraphQL document (WRK_BODY, a JSON request body) with a shop's session token
-- (WRK_TOKEN). Used by bench/catalog-products.sh for a load generator as lean as pgbench's own client. No response()
-- function: wrk would then copy every body into Lua; failures show as wrk's non-2xx and socket error counts instead.
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("WRK_TOKEN")
