#!/usr/bin/env bash
# The main job: builds the web app and serves it at http://127.0.0.1:8080 (Trunk, release
# build, rebuilt when a source changes). Installs what it needs on the first run.
#   scripts/run.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
ensure_build_tools
build_tools
log "serving the app at http://127.0.0.1:8080 (Ctrl-C stops it)"
exec trunk serve --release
