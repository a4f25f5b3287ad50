#!/usr/bin/env bash
# scripts/fuzz.sh [RUNS] [TARGET...]: run every cargo-fuzz target (or the ones named) (fuzz/fuzz_targets/*.rs) for RUNS executions
# each (default 10,000,000) on rustup's nightly toolchain, seeded with the test fixtures.
#
# Settings (environment): SANITIZER (default none: no ASAN; the code forbids `unsafe`, so the
# fuzzers look for panics, aborts, hangs and memory blow-ups, and run ~30x faster than under ASAN),
# MAX_LEN (default 1024 bytes: YAML structure bugs show in small inputs, and 4x shorter inputs
# give ~2.5x the executions; the large-input paths are the hostile fixtures' job, tests/hostile.rs).
# A crash leaves its input in fuzz/artifacts/<target>/; copy it to fuzz/regressions/<target>/ so
# that `cargo test` (tests/fuzz_regressions.rs) replays it forever.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10000000}
shift || true
targets=${*:-analyze lint proxy yaml_fast}
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
for target in $targets; do
  corpus=fuzz/corpus/$target
  mkdir -p "$corpus"
  # seed with every fixture (YAML inputs) once
  if [ "$target" != proxy ] && [ -z "$(ls -A "$corpus")" ]; then
    find tests/fixtures crates/svcflow-lint/tests/fixtures www/examples -name '*.yaml' -exec cp {} "$corpus"/ \; 2>/dev/null || true
  fi
  echo "==> fuzz $target ($runs runs)" >&2
  (cd fuzz && cargo +nightly fuzz run -s "${SANITIZER:-none}" "$target" "../$corpus" -- -runs="$runs" \
      -max_len="${MAX_LEN:-1024}" -rss_limit_mb=4096 -print_final_stats=1 2>&1 |
    grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==|SUMMARY|Done)" || true)
done
# A crash, a timeout or an out-of-memory leaves its input in fuzz/artifacts/<target>/.
if compgen -G "fuzz/artifacts/*/*" >/dev/null; then
  echo "fuzz.sh: findings in fuzz/artifacts/ (copy each to fuzz/regressions/<target>/ once fixed):" >&2
  ls fuzz/artifacts/*/* >&2
  exit 1
fi
