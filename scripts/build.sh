#!/usr/bin/env bash
# scripts/build.sh [TRUNK ARGS...]: build the static site into dist/ (serve it with any static
# file server): the JS package for <svcflow-view> (scripts/build-js.sh, copied in by trunk), then
# `trunk build --release`, then print the first-load size.
#
# The app's wasm is built with std rebuilt for size when std's sources are there (scripts/setup.sh
# sets SVCFLOW_SMALL_STD): -Zbuild-std with std's `optimize_for_size` (smaller sort and format
# code), -Zlocation-detail=none (no source paths in panic messages) and -Cpanic=immediate-abort
# (a panic is a trap at once: no panic formatting in the wasm; the page's handler in
# crates/svcflow-web/src/infra/panic.js shows the error banner and keeps the text). All are
# unstable cargo/rustc features, enabled on the stable toolchain with RUSTC_BOOTSTRAP=1 for this
# one build, as the offline route already does (scripts/shim/cargo). Measured: about 42 KB less
# gzipped wasm (BENCHMARKS.md). It builds in its own target/small-std/ so the other wasm builds
# keep theirs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
[ "${SKIP_JS:-0}" = 1 ] || scripts/build-js.sh
if [ "$SVCFLOW_SMALL_STD" = 1 ]; then
  export RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort"
  export CARGO_TARGET_DIR=$PWD/target/small-std
  # std's `optimize_for_size` feature, where this std has it (rustup's, or Debian's rust-web-src)
  if grep -qs '^optimize_for_size' "$(rustc --print sysroot)/lib/rustlib/src/rust/library/std/Cargo.toml" \
     /usr/lib/rustlib/src/rust/library/std/Cargo.toml; then
    export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  fi
else
  echo "build.sh: std's sources are missing: building with the prebuilt std (bigger wasm)" >&2
fi
trunk build --release "$@"
scripts/size.sh dist "${SIZE_LIMIT_KB:-}"
