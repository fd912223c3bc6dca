#!/usr/bin/env bash
# Runs the whole platform on its embedded defaults (SQLite, media directory and
# mail outbox under ./data) at http://localhost:8080. `--demo` first fills a
# demo city (Larvik) with a KomINN programme.
set -euo pipefail
cd "$(dirname "$0")/.."
(
  cd frontend
  [ -d node_modules ] || npm ci --no-audit --no-fund
  npm run build
)
cargo build --release --locked --bin changemakers
if [ "${1:-}" = "--demo" ]; then target/release/changemakers seed-demo; fi
echo "changemakers: open http://localhost:8080 (sign-in links appear in this log and in ./data/outbox)"
exec target/release/changemakers serve
