#!/usr/bin/env bash
# scripts/bench-browser.sh [SIZES...]: the browser benchmark (tests/e2e/bench-browser.mjs) on a
# release build of the app: first load, paste and keystroke → diagram at 200 / 2,000 / 50,000
# objects (default), in headless Chromium. Prints a Markdown table, also kept in
# target/bench/browser.md. Builds dist/ first unless SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  scripts/build-js.sh
  trunk build --release --quiet
fi
mkdir -p target/bench
scripts/size.sh dist | tee target/bench/browser.md
node tests/e2e/bench-browser.mjs dist "$@" | tee -a target/bench/browser.md
