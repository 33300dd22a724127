#!/usr/bin/env bash
# Lints every Flyway migration script with squawk (rules and settings: .squawk.toml).
# Exits non-zero on any violation. Installs squawk from package-lock.json first if needed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# node_modules is up to date when it was installed from the current package.json and package-lock.json.
stamp=node_modules/.installed-from.sha256
if [[ ! -x node_modules/.bin/squawk ]] || ! sha256sum --check --status "$stamp" 2>/dev/null; then
  npm ci --no-audit --no-fund
  sha256sum package.json package-lock.json > "$stamp"
fi

shopt -s globstar nullglob
scripts=(modules/*/src/main/resources/db/migration/**/*.sql app/src/main/resources/db/migration/**/*.sql)
if (( ${#scripts[@]} == 0 )); then
  echo "lint-migrations: no migration scripts found; has the layout changed?" >&2
  exit 1
fi

echo "lint-migrations: squawk $(node_modules/.bin/squawk --version | cut -d' ' -f2) on ${#scripts[@]} script(s)"
node_modules/.bin/squawk --config .squawk.toml "${scripts[@]}"
