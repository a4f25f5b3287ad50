#!/usr/bin/env bash
# scripts/size.sh DIR [LIMIT_KB]: gzipped size of the wasm, JS and CSS a browser loads on first
# visit (the app's wasm and its JS, wasm-bindgen's snippets, the CSS, the page). Not counted:
# embed/pkg/, the engine package the iptables tab imports when first opened, and docs/. With
# LIMIT_KB, fails when the total is larger (a guard against size regressions).
set -euo pipefail
dir=${1:-dist}
limit=${2:-}
total=0
shopt -s globstar nullglob
for f in "$dir"/*.wasm "$dir"/*.js "$dir"/snippets/**/*.js "$dir"/*.css "$dir"/index.html; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  printf '%-48s %9d bytes  %8d gzipped\n' "${f#"$dir"/}" "$raw" "$gz"
  total=$((total + gz))
done
printf '%-48s %9s        %8d gzipped (%d KB)\n' "first load total" "" "$total" "$((total / 1024))"
if [ -n "$limit" ] && [ "$total" -gt $((limit * 1024)) ]; then
  echo "size.sh: first load is $((total / 1024)) KB gzipped, over the ${limit} KB limit" >&2
  exit 1
fi
