#!/usr/bin/env bash
# The long schemathesis run: the same checks as the test command's bounded
# run (every check, every operation, as each of five roles, then stateful
# walks over the document's links), with many more examples per operation,
# against a release-built server with the demo data. At 150 examples per
# operation it took 13 minutes on two cores (75,928 cases, before the
# stateful walks went deep); at the default of 250 it ran 128,182 cases and
# 1,453 stateful scenarios in 66 minutes on two cores that a full test run
# was sharing. SCHEMATHESIS_EXAMPLES sets the examples per operation (the
# test command uses 40), SCHEMATHESIS_SEED the seed.
# Ends non-zero on any failure; the JUnit reports go to target/schemathesis-long/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS="$ROOT/.tools"
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-250}
WORK=$(mktemp -d)
trap 'kill "${PID:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
if [ ! -x "$TOOLS/venv/bin/st" ]; then
  python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install -q 'schemathesis==4.32.5'
fi
cargo build --release --locked --bin changemakers
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export CHANGEMAKERS__LISTEN="127.0.0.1:$PORT" CHANGEMAKERS__PUBLIC_URL="http://127.0.0.1:$PORT" \
  CHANGEMAKERS__DATA_DIR="$WORK/data" CHANGEMAKERS__LOG__FILTER=warn \
  CHANGEMAKERS__AUTH__LINKS_PER_ADDRESS_PER_HOUR=1000000 \
  CHANGEMAKERS__AUTH__REQUESTS_PER_CLIENT_PER_HOUR=1000000 \
  CHANGEMAKERS__MODERATION__REPORTS_PER_CLIENT_PER_HOUR=1000000 \
  CHANGEMAKERS__TEAMS__MAX_OPEN_CAMPAIGNS=1000000
target/release/changemakers seed-demo >/dev/null
target/release/changemakers create-admin admin@schemathesis.example >/dev/null
target/release/changemakers serve >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 1; done
START=$(date +%s)
"$TOOLS/venv/bin/python" tests/schemathesis/run.py "$TOOLS/venv/bin/st" "http://127.0.0.1:$PORT" \
  "$WORK/data/outbox" "$ROOT/target/schemathesis-long" "$EXAMPLES" \
  || { tail -n 50 "$WORK/server.log"; exit 1; }
echo "took $(( $(date +%s) - START )) s at $EXAMPLES examples per operation"
