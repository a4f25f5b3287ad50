#!/usr/bin/env bash
# scripts/size.sh DIR: gzipped size of the wasm, JS and CSS a browser loads on first visit.
set -euo pipefail
dir=${1:-dist}
total=0
for f in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css "$dir"/index.html; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  printf '%-48s %9d bytes  %8d gzipped\n' "$(basename "$f")" "$raw" "$gz"
  total=$((total + gz))
done
printf '%-48s %9s        %8d gzipped (%d KB)\n' "first load total" "" "$total" "$((total / 1024))"
