# Shared helpers of the bench/ scripts. Source it; it expects `set -euo pipefail` in the caller.

bench_die() { echo "error: $*" >&2; exit 1; }
bench_log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# Installs a Debian package when a command is missing (root only; otherwise says what to install).
bench_require() {
  local command=$1 package=$2
  command -v "$command" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    bench_log "$command is missing: installing Debian package $package"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >&2
    command -v "$command" >/dev/null 2>&1 || bench_die "$package installed, but $command is still not on PATH"
  else
    bench_die "$command not found; install the Debian package $package (apt-get install $package) or its equivalent"
  fi
}

# The database to load and measure, as libpq connection parameters, in BENCH_DB:
#   an explicit argument (libpq "key=value" string, postgresql:// URI, or a jdbc:postgresql:// URL), else
#   SPRING_DATASOURCE_URL (+ SPRING_DATASOURCE_USERNAME / _PASSWORD as PGUSER / PGPASSWORD), else
#   Shelf's embedded PostgreSQL on localhost:${SHELF_EMBEDDED_DB_PORT:-54329}, user postgres, db postgres.
bench_resolve_db() {
  local given=${1:-}
  if [ -z "$given" ] && [ -n "${SPRING_DATASOURCE_URL:-}" ]; then
    given=$SPRING_DATASOURCE_URL
    [ -n "${SPRING_DATASOURCE_USERNAME:-}" ] && export PGUSER=$SPRING_DATASOURCE_USERNAME
    [ -n "${SPRING_DATASOURCE_PASSWORD:-}" ] && export PGPASSWORD=$SPRING_DATASOURCE_PASSWORD
  fi
  if [ -z "$given" ]; then
    BENCH_DB="host=localhost port=${SHELF_EMBEDDED_DB_PORT:-54329} user=postgres dbname=postgres"
  else
    BENCH_DB=${given#jdbc:}
  fi
  export BENCH_DB
}

bench_psql() { psql "$BENCH_DB" -X -v ON_ERROR_STOP=1 -q "$@"; }

# Refuses to run when a port is taken (another Shelf, another benchmark).
bench_require_free_ports() {
  local port
  for port in "$@"; do
    ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || bench_die "port $port is in use: set SERVER_PORT / SHELF_EMBEDDED_DB_PORT"
  done
}

# Sets up one benchmark run: $results (bench/results/<$1>-<UTC time>/, created) and $data_dir (a fresh data directory
# under /tmp); on exit, however it exits, stops the Shelf started on $data_dir, keeps its log with the results and
# removes the data directory.
bench_prepare_run() {
  results=bench/results/$1-$(date -u +%Y%m%dT%H%M%SZ)
  mkdir -p "$results"
  data_dir=$(mktemp -d /tmp/shelf-bench.XXXXXX)
  SHELF_PID=
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  local status=$?
  trap - EXIT INT TERM
  bench_stop_shelf "$data_dir"
  [ -f "$data_dir/shelf.log" ] && cp "$data_dir/shelf.log" "$results/shelf.log" 2>/dev/null
  rm -rf "$data_dir"
  [ "$status" = 0 ] || bench_log "FAILED (exit $status); raw outputs in $results"
  exit "$status"
}

# Starts the packaged jar in the dev profile on a given data directory; sets SHELF_PID. Logs to $1/shelf.log.
# BENCH_JAVA: the java launcher (default: java on the PATH); BENCH_JAVA_OPTS: JVM options.
bench_start_shelf() {
  local data_dir=$1 jar=${BENCH_JAR:-app/target/shelf.jar}
  [ -f "$jar" ] || bench_die "$jar not found: build it with ./mvnw -q -B -o package -DskipTests"
  bench_log "starting Shelf (dev profile, data in $data_dir, http :$SERVER_PORT, embedded PostgreSQL :$SHELF_EMBEDDED_DB_PORT)"
  SHELF_DATA_DIR="$data_dir" SPRING_PROFILES_ACTIVE=dev "${BENCH_JAVA:-java}" ${BENCH_JAVA_OPTS:-} -jar "$jar" >"$data_dir/shelf.log" 2>&1 &
  SHELF_PID=$!
  local deadline=$((SECONDS + 180))
  until curl -fs "localhost:$SERVER_PORT/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
    if ! kill -0 "$SHELF_PID" 2>/dev/null; then
      tail -50 "$data_dir/shelf.log" >&2
      SHELF_PID=
      bench_die "Shelf exited during start-up; log above ($data_dir/shelf.log)"
    fi
    [ "$SECONDS" -lt "$deadline" ] || { tail -50 "$data_dir/shelf.log" >&2; bench_die "Shelf not ready after 180 s"; }
    sleep 0.5
  done
  bench_log "Shelf ready (pid $SHELF_PID)"
}

# Stops the Shelf started above (graceful: it stops its embedded PostgreSQL), kills it after 30 s; $1: its data dir.
bench_stop_shelf() {
  [ -n "${SHELF_PID:-}" ] || return 0
  if kill -0 "$SHELF_PID" 2>/dev/null; then
    kill "$SHELF_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 60); do kill -0 "$SHELF_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$SHELF_PID" 2>/dev/null && kill -9 "$SHELF_PID" 2>/dev/null || true
  fi
  wait "$SHELF_PID" 2>/dev/null || true
  SHELF_PID=
  # A Shelf that had to be killed leaves its embedded PostgreSQL running: stop that one server (fast shutdown).
  local pid_file=${1:-}/postgres/postmaster.pid postmaster
  if [ -n "${1:-}" ] && [ -f "$pid_file" ]; then
    postmaster=$(head -1 "$pid_file")
    if [ -n "$postmaster" ] && kill -0 "$postmaster" 2>/dev/null; then
      kill -INT "$postmaster" 2>/dev/null || true
      for i in $(seq 1 20); do kill -0 "$postmaster" 2>/dev/null || break; sleep 0.5; done
    fi
  fi
}

# CPU time (ms, user + system) used so far by a process and, with a postmaster's pid, all its server processes
# (live backends plus those already ended, which the postmaster's cutime/cstime include).
bench_cpu_ms() {
  local pid=$1 with_children=${2:-0} hz ticks=0 child
  hz=$(getconf CLK_TCK)
  [ -r "/proc/$pid/stat" ] || { echo 0; return; }
  # fields after the ")" of the command name: utime=12 stime=13 cutime=14 cstime=15 (1-based after the name)
  ticks=$(sed 's/.*) //' "/proc/$pid/stat" | awk -v c="$with_children" '{ print $12 + $13 + (c ? $14 + $15 : 0) }')
  if [ "$with_children" = 1 ]; then
    for child in $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do
      [ -r "/proc/$child/stat" ] && ticks=$((ticks + $(sed 's/.*) //' "/proc/$child/stat" | awk '{ print $12 + $13 }')))
    done
  fi
  echo $((ticks * 1000 / hz))
}

# CPU time (ms) of the threads of JVM $1 whose name matches the glob $2* (Linux names a Java thread after its first 15
# characters): e.g. the request threads (http-nio) apart from the JIT's compilers (C1/C2 CompilerThread), which still
# work minutes after start-up.
bench_threads_cpu_ms() {
  local hz task ticks=0
  hz=$(getconf CLK_TCK)
  for task in /proc/$1/task/*; do
    case $(cat "$task/comm" 2>/dev/null) in
      $2*) ticks=$((ticks + $(sed 's/.*) //' "$task/stat" 2>/dev/null | awk '{ print $12 + $13 }'))) ;;
    esac
  done
  echo $((ticks * 1000 / hz))
}

# Sets jar to the packaged application, building it when missing. Maven does not repackage it when only a module
# changed: delete it first to benchmark new code (BENCHMARKS.md, "Re-running").
bench_require_jar() {
  jar=app/target/shelf.jar
  if [ ! -f "$jar" ]; then
    bench_log "building $jar"
    ./mvnw -q -B -o -pl app -am package -DskipTests || bench_die "build failed (offline; the first time run ./mvnw -B verify)"
  fi
}

# The lines every benchmark's environment.txt starts with: when, on what, with which Java and Node, at which commit.
bench_environment_header() {
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
  echo "java: $("${BENCH_JAVA:-java}" -version 2>&1 | head -1)"
  echo "node: $(node --version)"
  echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
}
