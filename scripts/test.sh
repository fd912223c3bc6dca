#!/usr/bin/env bash
# Runs every test of changemakers on a fresh machine: installs and starts what
# is missing (idempotently), then runs the Rust suite on SQLite and on
# PostgreSQL, the frontend's unit tests, and the end-to-end tests in headless
# Chromium. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS="$ROOT/.tools"
WORK=$(mktemp -d)
mkdir -p "$TOOLS"
START=$(date +%s)
PIDS=()
# Stops a background job and what it started (a job that is a shell function
# runs its command as a child of the job's subshell).
stop() { pkill -P "$1" 2>/dev/null || true; kill "$1" 2>/dev/null || true; }
cleanup() {
  for pid in "${PIDS[@]}"; do stop "$pid"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { # URL, seconds
  for _ in $(seq 1 "$2"); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "timed out waiting for $1" >&2; return 1
}

# --- System packages -------------------------------------------------------
apt_updated=0
apt_install() {
  [ $apt_updated = 1 ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
command -v curl >/dev/null || apt_install curl
command -v chromium >/dev/null || { log "installing Chromium"; apt_install chromium; }
command -v node >/dev/null || { log "installing Node.js"; apt_install nodejs npm; }

# --- PostgreSQL ------------------------------------------------------------
PG_URL=${CHANGEMAKERS_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if ! command -v pg_isready >/dev/null; then apt_install postgresql-client; fi
# The restart test runs a cluster of its own (initdb, pg_ctl).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
if ! pg_up; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    log "installing PostgreSQL"
    apt_install postgresql
    hba=$(ls /etc/postgresql/*/main/pg_hba.conf | head -n 1)
    as_root sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  fi
  log "starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "PostgreSQL did not start" >&2; exit 1; }
fi

# --- SMTP server (aiosmtpd from PyPI) -----------------------------------------
if [ ! -x "$TOOLS/venv/bin/python" ]; then python3 -m venv "$TOOLS/venv"; fi
"$TOOLS/venv/bin/python" -c 'import aiosmtpd' 2>/dev/null \
  || "$TOOLS/venv/bin/pip" install -q 'aiosmtpd==1.4.6'
# schemathesis (PyPI) checks the API document against the running server.
SCHEMATHESIS_VERSION=4.32.5
[ "$("$TOOLS/venv/bin/st" --version 2>/dev/null)" = "st, version $SCHEMATHESIS_VERSION" ] \
  || "$TOOLS/venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
SMTP_PORT=$(free_port)
SMTP_DIR="$WORK/smtp"
"$TOOLS/venv/bin/python" tests/support/smtp_sink.py "$SMTP_PORT" "$SMTP_DIR" >"$WORK/smtp.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 30); do (echo >"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null && break; sleep 0.5; done

# --- Frontend dependencies ---------------------------------------------------
if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
  log "installing frontend dependencies"
  (cd frontend && npm ci --no-audit --no-fund)
fi
# Built first: the Rust tests check how its files are served, and the build
# itself checks the first-load budget.
log "Building the web app"
(cd frontend && npm run build) 2>&1 | tee "$WORK/frontend-build.log"
grep -E '^(first load|embed.js)' "$WORK/frontend-build.log" >"$WORK/sizes" || true

# --- OpenID Connect provider (oauth2-mock-server from npm) -------------------
OIDC_PORT=$(free_port)
(cd frontend && exec node e2e/oidc-provider.mjs "$OIDC_PORT") >"$WORK/oidc.log" 2>&1 &
PIDS+=($!)
wait_for "http://localhost:$OIDC_PORT/.well-known/openid-configuration" 30
export CHANGEMAKERS_TEST_OIDC_ISSUER="http://localhost:$OIDC_PORT"

# An S3-compatible server that checks request signatures; each storage test
# starts its own instance of it (so it can stop and restart it).
S3_SERVER="$TOOLS/s3s/bin/s3s-fs"
if [ ! -x "$S3_SERVER" ]; then
  log "installing s3s-fs (an S3-compatible test server)"
  cargo install --quiet --locked --root "$TOOLS/s3s" --features binary s3s-fs@0.14.1
fi
export CHANGEMAKERS_TEST_S3_SERVER="$S3_SERVER"

export CHANGEMAKERS_TEST_REQUIRE_SERVICES=1
export CHANGEMAKERS_TEST_SMTP="127.0.0.1:$SMTP_PORT"
export CHANGEMAKERS_TEST_SMTP_DIR="$SMTP_DIR"
# The outage test runs its own sink with this Python, to stop and start it.
export CHANGEMAKERS_TEST_SMTP_PYTHON="$TOOLS/venv/bin/python"
RESULTS="$WORK/results"
: >"$RESULTS"
count() { # label, log file
  local n; n=$(grep -Eo 'test result: ok\. [0-9]+ passed' "$2" | awk '{s+=$4} END {print s+0}')
  echo "$1: $n tests passed" >>"$RESULTS"
}

# --- Rust: style, then SQLite, then PostgreSQL -------------------------------
log "Rust formatting and lints"
cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings

log "Rust tests on SQLite"
cargo test --locked -- --skip mixed_load 2>&1 | tee "$WORK/sqlite.log"
# The short load run (20 clients, 10 s), with its figures shown.
cargo test --locked --test load mixed_load_on_sqlite -- --nocapture 2>&1 | tee "$WORK/load-sqlite.log"
count "Rust (SQLite)" "$WORK/sqlite.log"

log "Rust tests on PostgreSQL"
CHANGEMAKERS_TEST_POSTGRES_URL="$PG_URL" cargo test --locked --test api --test crash --test crash_points 2>&1 | tee "$WORK/postgres.log"
# The short load run on PostgreSQL.
CHANGEMAKERS_TEST_POSTGRES_URL="$PG_URL" cargo test --locked --test load mixed_load_on_postgres -- --nocapture 2>&1 \
  | tee "$WORK/load-postgres.log"
grep -hA1 '^== load' "$WORK/load-sqlite.log" "$WORK/load-postgres.log" | grep -E 'load on|requests/s' >"$WORK/load-figures" || true
count "Rust (PostgreSQL)" "$WORK/postgres.log"
psql "$PG_URL" -qAtc "SELECT 'DROP DATABASE \"' || datname || '\" WITH (FORCE);' FROM pg_database WHERE datname LIKE 'cm_test_%'" \
  | psql "$PG_URL" -q >/dev/null 2>&1 || true

# --- Frontend unit tests -----------------------------------------------------
log "Frontend unit tests"
(cd frontend && npm run gen:api >/dev/null && npm run check && NO_COLOR=1 FORCE_COLOR=0 npm test) 2>&1 | tee "$WORK/vitest.log"
echo "Frontend unit: $(grep -Eo 'Tests +[0-9]+ passed' "$WORK/vitest.log" | grep -Eo '[0-9]+' | head -n 1) tests passed" >>"$RESULTS"

# --- The API document against the server: schemathesis -----------------------
log "The API document against the running server (schemathesis)"
cargo build --locked --bin changemakers
ST_PORT=$(free_port)
ST_DATA="$WORK/st-data"
ST_RESULTS="$ROOT/target/schemathesis"
rm -rf "$ST_RESULTS"
st_env() {
  env CHANGEMAKERS__LISTEN="127.0.0.1:$ST_PORT" CHANGEMAKERS__PUBLIC_URL="http://127.0.0.1:$ST_PORT" \
    CHANGEMAKERS__DATA_DIR="$ST_DATA" CHANGEMAKERS__LOG__FILTER=warn \
    CHANGEMAKERS__AUTH__LINKS_PER_ADDRESS_PER_HOUR=1000000 \
    CHANGEMAKERS__AUTH__REQUESTS_PER_CLIENT_PER_HOUR=1000000 \
    CHANGEMAKERS__MODERATION__REPORTS_PER_CLIENT_PER_HOUR=1000000 \
    CHANGEMAKERS__TEAMS__MAX_OPEN_CAMPAIGNS=1000000 "$@"
}
st_env target/debug/changemakers seed-demo >/dev/null
st_env target/debug/changemakers create-admin admin@schemathesis.example >/dev/null
st_env target/debug/changemakers serve >"$WORK/st-server.log" 2>&1 &
ST_PID=$!
PIDS+=($ST_PID)
wait_for "http://127.0.0.1:$ST_PORT/readyz" 60
"$TOOLS/venv/bin/python" tests/schemathesis/run.py "$TOOLS/venv/bin/st" "http://127.0.0.1:$ST_PORT" \
  "$ST_DATA/outbox" "$ST_RESULTS" "${SCHEMATHESIS_EXAMPLES:-40}" 2>&1 | tee "$WORK/schemathesis.log" \
  || { tail -n 50 "$WORK/st-server.log"; exit 1; }
stop "$ST_PID"
grep -E '^schemathesis: ' "$WORK/schemathesis.log" >>"$RESULTS"
echo "(JUnit reports in target/schemathesis/)" >>"$RESULTS"

# --- End to end in headless Chromium -----------------------------------------
log "End-to-end tests in Chromium"
cargo build --locked --bin changemakers
E2E_PORT=$(free_port)
export CHANGEMAKERS__LISTEN="127.0.0.1:$E2E_PORT"
export CHANGEMAKERS__PUBLIC_URL="http://127.0.0.1:$E2E_PORT"
export CHANGEMAKERS__DATA_DIR="$WORK/e2e-data"
export CHANGEMAKERS__LOG__FILTER="warn"
# Every end-to-end test signs the admin in once; the per-address limit is for people.
export CHANGEMAKERS__AUTH__LINKS_PER_ADDRESS_PER_HOUR=100
# Every sign-in of the suite comes from this one machine; the per-client limit is for the internet.
export CHANGEMAKERS__AUTH__REQUESTS_PER_CLIENT_PER_HOUR=1000
cat >"$WORK/e2e.toml" <<TOML
[[auth.providers]]
id = "schoolid"
name = "School ID"
kind = "oidc"
issuer = "http://localhost:$OIDC_PORT"
client_id = "changemakers-e2e"
client_secret = "e2e-secret"
TOML
export CHANGEMAKERS_CONFIG="$WORK/e2e.toml"
target/debug/changemakers create-admin admin@e2e.example >/dev/null
target/debug/changemakers serve >"$WORK/e2e-server.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$E2E_PORT/readyz" 60
E2E_BASE_URL="http://127.0.0.1:$E2E_PORT" E2E_OUTBOX="$WORK/e2e-data/outbox" \
  bash -c 'cd frontend && npm run e2e' 2>&1 | tee "$WORK/e2e.log" || { cat "$WORK/e2e-server.log"; exit 1; }
echo "End to end: $(grep -Eo '^# pass [0-9]+' "$WORK/e2e.log" | grep -Eo '[0-9]+') tests passed" >>"$RESULTS"

log "Summary"
cat "$RESULTS"
cat "$WORK/sizes"
cat "$WORK/load-figures" 2>/dev/null || true
echo "took $(( $(date +%s) - START )) s"
total=$(grep -Eo '[0-9]+ tests passed' "$RESULTS" | awk '{s+=$1} END {print s+0}')
echo "all suites: $total passed, 0 failed"
