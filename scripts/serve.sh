#!/usr/bin/env bash
# scripts/serve.sh: build the app and serve it on http://127.0.0.1:8080 (rebuilds on change).
# Sets up the toolchain on a fresh machine first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
exec trunk serve --address 127.0.0.1 --port 8080 "$@"
