#!/usr/bin/env bash
# Load: 200 clients for 60 s on loopback in the mixed scenario of
# tests/load.rs (sign-in, gallery and campaign pages, draft edits, photo
# uploads, submissions, decisions, reach logged and verified), release-built,
# on SQLite and on PostgreSQL (the local server unless
# CHANGEMAKERS_TEST_POSTGRES_URL names another; set it empty to skip).
# Prints requests per second, p50/p95/p99 by operation, errors and the
# server's peak RSS; fails on any error but a rate limit, or a lost write.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHANGEMAKERS_TEST_POSTGRES_URL=${CHANGEMAKERS_TEST_POSTGRES_URL-postgres://postgres@127.0.0.1:5432/postgres}
export LOAD_CLIENTS=${LOAD_CLIENTS:-200} LOAD_SECONDS=${LOAD_SECONDS:-60}
# One database at a time, so each has the machine to itself.
exec cargo test --release --locked --test load -- --nocapture --test-threads=1
