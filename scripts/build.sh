#!/usr/bin/env bash
# Builds what you deploy, without serving it: the web app and the widget into dist/ (copy that
# folder to any static host, at any path), and the npm package into crates/js/pkg. Installs
# the tools it needs on the first run, like scripts/run.sh.
#   scripts/build.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
ensure_build_tools
build_app
build_package
log "done: dist/ (the app, ecs-iam-builder.js and embed-example.html) and crates/js/pkg (the npm package)"
