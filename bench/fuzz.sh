#!/usr/bin/env bash
# Fuzzes each parser of the platform for a while (60 s each unless
# FUZZ_SECONDS says otherwise) with cargo fuzz on the stable toolchain
# (`-s none`: coverage-guided, without a sanitizer). What the fuzzers keep
# goes to fuzz/corpus/<target>/ and any crash to fuzz/artifacts/<target>/;
# commit both: the test command replays them (tests/fuzz_corpus.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz@0.13.2
TARGETS=${*:-sniffer photo_header video_container markup identity_numbers json_body}
# Real files of each kind to start from (a JPEG, an MP4, a WebM, text, JSON).
cargo test --quiet --locked --test fuzz_corpus -- --ignored write_seeds_into_the_corpus >/dev/null
status=0
for target in $TARGETS; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  echo "==> $target for ${SECONDS_EACH}s"
  # Inputs stay small enough to commit; a crash is kept and reported.
  if ! cargo fuzz run -s none --fuzz-dir fuzz "$target" "fuzz/corpus/$target" -- \
      -max_total_time="$SECONDS_EACH" -max_len=16384 -rss_limit_mb=1024 -timeout=10 \
      -artifact_prefix="fuzz/artifacts/$target/" -print_final_stats=1 2>&1 \
      | grep -E '^(#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|.*deadly)'; then
    status=1
  fi
  # Keep the corpus minimal: only inputs that add coverage.
  cargo fuzz cmin -s none --fuzz-dir fuzz "$target" "fuzz/corpus/$target" >/dev/null 2>&1 || true
done
if find fuzz/artifacts -type f | grep -q .; then echo "crashes found: see fuzz/artifacts"; else echo "no crashes"; fi
exit $status
