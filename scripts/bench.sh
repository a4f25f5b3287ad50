#!/usr/bin/env bash
# scripts/bench.sh: every benchmark of svcflow, one after the other; the numbers and how they were
# taken are in BENCHMARKS.md.
#
#   scripts/bench.sh                     # everything (~25 min on the 2-core dev machine)
#   SVCFLOW_BENCH_SIZES=10,100 scripts/bench.sh   # the engine stages at these sizes only
#
# 1. cargo bench -p svcflow-tests --bench engine   criterion: parse / load / analyze / iptables /
#    flow_view at SVCFLOW_BENCH_SIZES (10,100,1000,10000,50000), one cargo run per size.
# 2. cargo bench -p svcflow-proxy --bench iptables  10,000 Services x 10 endpoints
# 3. cargo bench -p svcflow-lint --bench lint       10 / 1,000 / 10,000 objects
# 4. scripts/bench-compare.sh                       svcflow vs Monokle, whole process
#
# The bench sets criterion's sample count to 10 (criterion's minimum); what can be cut is the time
# per benchmark, through criterion's own flags (the group does not set them):
#   BENCH_CRITERION_ARGS   default "--warm-up-time 1 --measurement-time 2": with a short
#                          measurement time a slow benchmark runs 10 samples of 1 iteration each
#                          (flat sampling), plus >= 1 warm-up iteration
#   BENCH_QUICK_FROM       10000: at this size and above, flow_view (superlinear) runs in
#                          criterion's --quick mode: 1, 2, 4... iterations until BENCH_QUICK_TIME
#                          (20 s) is spent; a single iteration longer than that is the only one
#   BENCH_STAGE_TIMEOUT    900: seconds for one cargo bench run of one size (a run past it is
#                          killed; its missing stages show as "not measured" in the tables)
#   BENCH_PARSE_OPT_Z      1: also time the parse stage built like the `release` profile
#                          (opt-level "z", fat LTO, 1 codegen unit) at BENCH_PARSE_OPT_Z_SIZES
#                          (1000,10000), in CARGO_TARGET_DIR-z (a second build: minutes); 0 skips
#   BENCH_COMPARE          1: run step 4; 0 skips it. Its own settings (BENCH_RUNS, BENCH_RUNS_SLOW,
#                          BENCH_TIMEOUT) are described in scripts/bench-compare.mjs; here
#                          BENCH_TIMEOUT defaults to 240 s (Monokle needs ~7 CPU-minutes for
#                          10,000 objects; it is reported as "> 240 s")
#
# Output: the console, and target/bench/ (git-ignored): bench.log (everything), engine.md (the
# criterion tables), compare.md (the comparison table).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/setup.sh
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
case $CARGO_TARGET_DIR in /*) ;; *) CARGO_TARGET_DIR=$root/$CARGO_TARGET_DIR ;; esac
sizes=${SVCFLOW_BENCH_SIZES:-10,100,1000,10000,50000}
crit_args=${BENCH_CRITERION_ARGS:---warm-up-time 1 --measurement-time 2}
quick_from=${BENCH_QUICK_FROM:-10000}
quick_time=${BENCH_QUICK_TIME:-20}
stage_timeout=${BENCH_STAGE_TIMEOUT:-900}
out=$root/target/bench
mkdir -p "$out"
exec > >(tee "$out/bench.log") 2>&1

start=$SECONDS
step() { echo; echo "== [$(date +%T), +$((SECONDS - start)) s] $*"; echo "   $(uptime)"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

echo "svcflow benchmarks, $(date -u '+%F %T UTC'), git $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates/svcflow-core crates/svcflow-proxy crates/svcflow-lint crates/svcflow-source || echo ' (engine crates modified)')"
cpuinfo() { grep -m1 "^$1" /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'; }
echo "machine: $(nproc) cores, $(cpuinfo 'model name') (family $(cpuinfo 'cpu family'), model $(cpuinfo 'model'), $(cpuinfo 'cpu MHz') MHz)$(grep -q hypervisor /proc/cpuinfo && echo ', virtual machine'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "$(rustc --version), node $(node --version)"

step "build the benches (not timed): cargo bench --no-run -p svcflow-tests -p svcflow-proxy -p svcflow-lint"
cargo bench --quiet --no-run -p svcflow-tests --bench engine -p svcflow-proxy --bench iptables -p svcflow-lint --bench lint

# 1. criterion, one cargo run per size (the load average is taken before each).
crit=$CARGO_TARGET_DIR/criterion/engine
rm -rf "$crit"
: >"$out/loads.tsv"
for size in ${sizes//,/ }; do
  printf '%s\t%s\n' "$size" "$(loadavg)" >>"$out/loads.tsv"
  if [ "$size" -lt "$quick_from" ]; then
    step "cargo bench -p svcflow-tests --bench engine -- $crit_args   (SVCFLOW_BENCH_SIZES=$size)"
    SVCFLOW_BENCH_SIZES=$size timeout "$stage_timeout" \
      cargo bench --quiet -p svcflow-tests --bench engine -- $crit_args ||
      echo "!! size $size: exit $? (124: killed after $stage_timeout s)"
  else
    step "cargo bench -p svcflow-tests --bench engine -- $crit_args 'engine/(parse|load|analyze|iptables)/'   (SVCFLOW_BENCH_SIZES=$size)"
    SVCFLOW_BENCH_SIZES=$size timeout "$stage_timeout" \
      cargo bench --quiet -p svcflow-tests --bench engine -- $crit_args 'engine/(parse|load|analyze|iptables)/' ||
      echo "!! size $size: exit $? (124: killed after $stage_timeout s)"
    step "cargo bench -p svcflow-tests --bench engine -- --quick --measurement-time $quick_time engine/flow_view/   (SVCFLOW_BENCH_SIZES=$size)"
    SVCFLOW_BENCH_SIZES=$size timeout "$stage_timeout" \
      cargo bench --quiet -p svcflow-tests --bench engine -- --quick --measurement-time "$quick_time" engine/flow_view/ ||
      echo "!! flow_view $size: exit $? (124: killed after $stage_timeout s)"
  fi
done
node scripts/bench-compare.mjs criterion-table "$crit" "$out/loads.tsv" | tee "$out/engine.md"

# The parse stage as the `release` profile (size-tuned, for wasm) compiles it.
if [ "${BENCH_PARSE_OPT_Z:-1}" = 1 ]; then
  zsizes=${BENCH_PARSE_OPT_Z_SIZES:-1000,10000}
  step "parse built like the release profile (opt-level z, fat LTO, 1 CGU), SVCFLOW_BENCH_SIZES=$zsizes"
  zdir=$CARGO_TARGET_DIR-z
  rm -rf "$zdir/criterion/engine"
  : >"$out/loads-z.tsv"
  for size in ${zsizes//,/ }; do
    printf '%s\t%s\n' "$size" "$(loadavg)" >>"$out/loads-z.tsv"
    CARGO_TARGET_DIR=$zdir CARGO_PROFILE_BENCH_OPT_LEVEL=z CARGO_PROFILE_BENCH_LTO=true CARGO_PROFILE_BENCH_CODEGEN_UNITS=1 \
      SVCFLOW_BENCH_SIZES=$size timeout "$stage_timeout" \
      cargo bench --quiet -p svcflow-tests --bench engine -- $crit_args 'engine/parse/' ||
      echo "!! opt-level z parse $size: exit $?"
  done
  node scripts/bench-compare.mjs criterion-table "$zdir/criterion/engine" "$out/loads-z.tsv" | tee "$out/engine-opt-z.md"
fi

# 2. kube-proxy rules for 10,000 Services x 10 endpoints.
step "cargo bench -p svcflow-proxy --bench iptables   (load $(loadavg))"
cargo bench --quiet -p svcflow-proxy --bench iptables

# 3. the linter.
step "cargo bench -p svcflow-lint --bench lint   (load $(loadavg))"
cargo bench --quiet -p svcflow-lint --bench lint

# 4. svcflow vs Monokle.
if [ "${BENCH_COMPARE:-1}" = 1 ]; then
  step "scripts/bench-compare.sh"
  BENCH_TIMEOUT=${BENCH_TIMEOUT:-240} scripts/bench-compare.sh | tee "$out/compare.md"
fi

step "done in $((SECONDS - start)) s"
