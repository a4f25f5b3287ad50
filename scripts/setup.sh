#!/usr/bin/env bash
# scripts/setup.sh: install what svcflow needs to build and test wasm, then set up the environment.
#
#   source scripts/setup.sh        # set up this (bash) shell (scripts/test.sh and serve.sh do this)
#   scripts/setup.sh CMD [ARGS...] # or run one command in that environment
#
# Idempotent and quick when everything is there. It installs only what is missing:
#   rustup  the wasm32-unknown-unknown target (`rustup target add`), when it can be fetched, and
#           rust-src (scripts/build.sh rebuilds std for size);
#   apt     chromium + chromium-driver (browser tests); and, only when rustup cannot provide the
#           wasm32 std (an offline machine), Debian's rustc-web toolchain + its std sources, used
#           with -Zbuild-std through scripts/shim/cargo;
#   cargo   wasm-bindgen-cli, trunk, wasm-pack at pinned versions (cargo install --locked);
#   npm     binaryen (wasm-opt 132; Debian's binaryen is too old for current rustc output),
#           terser (minifies the release build's JS: trunk's own JS minifier fails on it), and
#           playwright-core for tests/e2e (it drives Debian's chromium; no browser download).

WASM_BINDGEN_VERSION=0.2.129 # must equal wasm-bindgen in Cargo.toml (pinned with "="): bump both together
TRUNK_VERSION=0.21.14        # trunk 0.22.x needs rustc >= 1.96.1
WASM_PACK_VERSION=0.15.1
BINARYEN_VERSION=132.0.0
TERSER_VERSION=5.51.2
SVCFLOW_TOOLS=${SVCFLOW_TOOLS:-wasm-bindgen-cli trunk wasm-pack}

_sf_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SVCFLOW_CACHE=${SVCFLOW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/svcflow}

_sf_has_rustup_wasm() {
  local libdir
  libdir=$(rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null) || return 1
  compgen -G "$libdir/libcore-*.rlib" >/dev/null
}

_sf_setup() {
  local sudo='' p npmbin="$SVCFLOW_CACHE/npm/node_modules/.bin" pkgs=(chromium chromium-driver) missing=()
  [ "$(id -u)" = 0 ] || sudo=sudo
  # 1. The wasm32 standard library: rustup's target first; Debian's rustc-web when offline.
  if ! _sf_has_rustup_wasm && command -v rustup >/dev/null; then
    echo "svcflow-setup: rustup target add wasm32-unknown-unknown" >&2
    rustup target add wasm32-unknown-unknown >&2 || echo "svcflow-setup: rustup could not fetch the target; using Debian's rustc-web" >&2
  fi
  if _sf_has_rustup_wasm; then SVCFLOW_WASM_MODE=rustup
  else SVCFLOW_WASM_MODE=debian; pkgs+=(rustc-web cargo-web rust-web-src rust-web-llvm lld-22 rust-web-clippy); fi
  # 1b. std's sources: scripts/build.sh rebuilds std for size for the app (-Zbuild-std with
  #     optimize_for_size: about 30 KB less gzipped wasm). Without them it uses the prebuilt std.
  if [ $SVCFLOW_WASM_MODE = rustup ] && [ ! -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library/std" ]; then
    echo "svcflow-setup: rustup component add rust-src" >&2
    rustup component add rust-src >&2 || echo "svcflow-setup: no rust-src: the app will be built with the prebuilt std (bigger)" >&2
  fi
  SVCFLOW_SMALL_STD=0
  if [ $SVCFLOW_WASM_MODE = debian ] || [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library/std" ]; then
    SVCFLOW_SMALL_STD=1
  fi
  # 2. Debian packages.
  for p in "${pkgs[@]}"; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == *" installed" ]] || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "svcflow-setup: apt-get install ${missing[*]}" >&2
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null || return 1
  fi
  if [ $SVCFLOW_WASM_MODE = debian ] &&
     [ "$(dpkg-query -W -f='${Version}' rustc-web)" != "$(dpkg-query -W -f='${Version}' rust-web-src)" ]; then
    echo "svcflow-setup: rustc-web and rust-web-src versions differ; -Zbuild-std needs them equal" >&2; return 1
  fi
  # 3. Cargo tools at pinned versions (`<bin> --version` prints "<bin> <version>").
  for p in $SVCFLOW_TOOLS; do
    local bin=${p%-cli} ver
    case $p in wasm-bindgen-cli) ver=$WASM_BINDGEN_VERSION ;; trunk) ver=$TRUNK_VERSION ;; wasm-pack) ver=$WASM_PACK_VERSION ;; esac
    [ "$("$bin" --version 2>/dev/null)" = "$bin $ver" ] && continue
    echo "svcflow-setup: cargo install $p@$ver (a few minutes, once)" >&2
    # dev tools only: no LTO and many codegen units build ~35% faster on 2 cores
    CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install --locked --quiet --version "$ver" "$p" || return 1
  done
  # 4. wasm-opt and terser from npm, in a private prefix.
  if [[ $("$npmbin/wasm-opt" --version 2>/dev/null) != *"(version_${BINARYEN_VERSION%%.*})" ]]; then
    echo "svcflow-setup: npm install binaryen@$BINARYEN_VERSION" >&2
    npm install --silent --no-audit --no-fund --prefix "$SVCFLOW_CACHE/npm" "binaryen@$BINARYEN_VERSION" || return 1
  fi
  if [ "$("$npmbin/terser" --version 2>/dev/null)" != "terser $TERSER_VERSION" ]; then
    echo "svcflow-setup: npm install terser@$TERSER_VERSION" >&2
    npm install --silent --no-audit --no-fund --prefix "$SVCFLOW_CACHE/npm" "terser@$TERSER_VERSION" || return 1
  fi
  # 5. playwright-core for the end-to-end checks of dist/ (it drives Debian's chromium; no download).
  if [ ! -d "$_sf_dir/../tests/e2e/node_modules/playwright-core" ]; then
    echo "svcflow-setup: npm ci (tests/e2e)" >&2
    (cd "$_sf_dir/../tests/e2e" && npm ci --silent --no-audit --no-fund) || return 1
  fi
  # 6. Environment. The shims go first on PATH only in debian mode.
  p=$npmbin; [ $SVCFLOW_WASM_MODE = debian ] && p="$_sf_dir/shim:$p"
  case ":$PATH:" in *":$p:"*) ;; *) PATH="$p:$HOME/.cargo/bin:$PATH" ;; esac
  export PATH SVCFLOW_WASM_MODE SVCFLOW_SMALL_STD
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
  export CHROMEDRIVER=/usr/bin/chromedriver
  export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$_sf_dir/webdriver.json"
  export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-120}
  export TRUNK_SKIP_VERSION_CHECK=true
  echo "svcflow-setup: ready (wasm32 std from $SVCFLOW_WASM_MODE)" >&2
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  _sf_setup || exit 1
  [ $# -eq 0 ] || exec "$@"
else
  _sf_setup
fi
