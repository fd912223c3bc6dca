#!/usr/bin/env bash
# The figures at the scale of the alliance (see bench/stats.rs): the goal and
# the monthly series from the rollups, over HTTP, against a scan of the raw
# rows, on SQLite and on PostgreSQL (the local server, trust auth, unless
# CHANGEMAKERS_BENCH_POSTGRES_URL names another; set it empty to skip).
set -euo pipefail
cd "$(dirname "$0")/.."
export CHANGEMAKERS_BENCH_POSTGRES_URL=${CHANGEMAKERS_BENCH_POSTGRES_URL-postgres://postgres@127.0.0.1:5432/postgres}
[ -n "$CHANGEMAKERS_BENCH_POSTGRES_URL" ] || unset CHANGEMAKERS_BENCH_POSTGRES_URL
exec cargo bench --bench stats
