#!/usr/bin/env bash
# scripts/build-js.sh: build the engine's JavaScript package (crates/svcflow-js) with wasm-pack.
#
#   target/pkg-web   --target web: an ES module that fetches its .wasm (pages, <svcflow-view>)
#   target/pkg-node  --target nodejs: CommonJS that reads its .wasm from disk (Node, tests)
#
# and copies the web build into www/embed/pkg/ (git-ignored), where <svcflow-view>
# (www/embed/svcflow-view.js) loads it and from where trunk's copy-dir of www/embed ships it.
#
#   scripts/build-js.sh          # release (size-tuned, wasm-opt -Oz)
#   scripts/build-js.sh --dev    # quick, unoptimised: for iterating
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
profile=--release
case ${1:-} in
  --dev) profile=--dev ;;
  "") ;;
  *) echo "usage: scripts/build-js.sh [--dev]" >&2; exit 2 ;;
esac
# both builds share one cargo build; the second only re-runs wasm-bindgen (and wasm-opt)
wasm-pack --quiet build crates/svcflow-js --target web --out-dir ../../target/pkg-web $profile
wasm-pack --quiet build crates/svcflow-js --target nodejs --out-dir ../../target/pkg-node $profile
rm -rf www/embed/pkg
mkdir -p www/embed/pkg
cp target/pkg-web/svcflow_js.js target/pkg-web/svcflow_js_bg.wasm target/pkg-web/svcflow_js.d.ts \
  target/pkg-web/svcflow_js_bg.wasm.d.ts www/embed/pkg/
# what a page with <svcflow-view> downloads (gzipped: what a server sends)
total=0
for f in www/embed/pkg/svcflow_js_bg.wasm www/embed/pkg/svcflow_js.js www/embed/svcflow-view.js www/embed/svcflow-view.css; do
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  printf '%-40s %9d bytes  %8d gzipped\n' "$f" "$raw" "$gz"
  total=$((total + gz))
done
printf '%-40s %9s        %8d gzipped (%d KB)\n' "<svcflow-view> total" "" "$total" "$((total / 1024))"
