#!/usr/bin/env bash
# scripts/bench-compare.sh: svcflow against Monokle (@monokle/validation), whole process
# (spawn -> exit), on the same generated manifests (Deployments + Services + NetworkPolicies).
#
#   scripts/bench-compare.sh                 # sizes 174 1000 10000
#   scripts/bench-compare.sh 174 1000        # other sizes (objects per file)
#
# Times, per file: `svcflow lint FILE` (the `native` profile build: opt-level 3), the engine as
# wasm under node (`node -e` requiring target/pkg-node and calling analyze()), Monokle's validator
# (createDefaultMonokleValidator's plugins less kubernetes-schema, which downloads its schema; see
# scripts/bench-compare.mjs), and `node -e 0` as the floor of anything run by node. Prints a
# Markdown table with medians and the ratios Monokle / svcflow.
#
# Environment: BENCH_RUNS (7), BENCH_RUNS_SLOW (1), BENCH_TIMEOUT (600 s): see
# scripts/bench-compare.mjs. CARGO_TARGET_DIR is honoured for the svcflow build.
#
# Scratch folder: target/bench-compare (git-ignored): node_modules with @monokle/validation,
# manifests/app-N.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/setup.sh
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(174 1000 10000)
scratch=$root/target/bench-compare
target_dir=${CARGO_TARGET_DIR:-$root/target}
case $target_dir in /*) ;; *) target_dir=$root/$target_dir ;; esac

echo "== svcflow CLI: cargo build --profile native -p svcflow-cli" >&2
cargo build --quiet --profile native -p svcflow-cli
svcflow=$target_dir/native/svcflow

# The wasm package: built when missing or older than the engine's sources.
pkg=$root/target/pkg-node
if [ ! -f "$pkg/svcflow_js_bg.wasm" ] ||
   [ -n "$(find crates/svcflow-js crates/svcflow-core crates/svcflow-source crates/svcflow-proxy crates/svcflow-lint \
             Cargo.lock -newer "$pkg/svcflow_js_bg.wasm" -type f -print -quit)" ]; then
  echo "== target/pkg-node missing or stale: scripts/build-js.sh" >&2
  scripts/build-js.sh >&2
fi

mkdir -p "$scratch"
if [ ! -d "$scratch/node_modules/@monokle/validation" ]; then
  echo "== npm install @monokle/validation (in $scratch)" >&2
  [ -f "$scratch/package.json" ] || echo '{ "name": "svcflow-bench-compare", "private": true }' >"$scratch/package.json"
  (cd "$scratch" && npm install --silent --no-audit --no-fund @monokle/validation)
fi
monokle_version=$(node -p "require('$scratch/node_modules/@monokle/validation/package.json').version")

files=()
while IFS= read -r f; do files+=("$f"); done < <(node scripts/bench-compare.mjs gen "$scratch/manifests" "${sizes[@]}")

cpuinfo() { grep -m1 "^$1" /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'; }
echo "machine: $(nproc) cores, $(cpuinfo 'model name') (family $(cpuinfo 'cpu family'), model $(cpuinfo 'model'), $(cpuinfo 'cpu MHz') MHz)$(grep -q hypervisor /proc/cpuinfo && echo ', virtual machine')"
echo "node $(node --version), @monokle/validation $monokle_version, $("$svcflow" --version) (native profile)"
echo "start: $(uptime)"
echo
node scripts/bench-compare.mjs run "$scratch" "$svcflow" "$pkg" "${files[@]}"
echo
echo "end: $(uptime)"
