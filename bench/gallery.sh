#!/usr/bin/env bash
# The public gallery under load (see bench/gallery.rs): wrk against the
# platform and against nginx serving the same bytes, and cold renders, on
# SQLite and on PostgreSQL (the local server, trust auth, unless
# CHANGEMAKERS_BENCH_POSTGRES_URL names another; set it empty to skip).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get install -y -q "${missing[@]}"
fi
export PATH="$PATH:/usr/sbin"
export CHANGEMAKERS_BENCH_POSTGRES_URL=${CHANGEMAKERS_BENCH_POSTGRES_URL-postgres://postgres@127.0.0.1:5432/postgres}
[ -n "$CHANGEMAKERS_BENCH_POSTGRES_URL" ] || unset CHANGEMAKERS_BENCH_POSTGRES_URL
exec cargo bench --bench gallery
