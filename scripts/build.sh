#!/usr/bin/env bash
# scripts/build.sh: build the static site into dist/ (serve it with any static file server).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
trunk build --release "$@"
scripts/size.sh dist
