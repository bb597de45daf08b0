#!/usr/bin/env bash
# Runs every test of the repository; installs what it needs when missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

ensure_cargo
ensure_wasm_target
ensure_python_tools
ensure_wasm_tools
ensure_node_tools
ensure_chromium

log "format"
cargo fmt --all --check

log "lints (native, and the web app for wasm32)"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p ecs-iam-app --all-targets --target wasm32-unknown-unknown --locked -- -D warnings

log "the core crate stays pure Rust (no wasm or web dependency)"
if cargo tree -p ecs-iam-core -e normal --prefix none --locked | grep -E '^(wasm-bindgen|web-sys|js-sys|yew|gloo)'; then
  echo "crates/core depends on a wasm/web crate" >&2
  exit 1
fi

log "the core crate builds for wasm32-unknown-unknown"
cargo build -p ecs-iam-core --target wasm32-unknown-unknown --locked

log "Rust tests (unit, golden snapshots, catalogue invariants, properties, the app's SSR)"
cargo test --workspace --locked

log "the app in headless Chromium (wasm-bindgen-test)"
cargo test -p ecs-iam-app --target wasm32-unknown-unknown --test browser --locked

log "the pinned Service Authorization Reference extract equals parliament's data"
"$VENV/bin/python" scripts/sar-extract.py --check

log "oracles: cfn-lint, parliament, moto (AWS CLI script and CloudFormation), hostile inputs, CLI"
cargo build -p ecs-iam --locked
ECS_IAM_BIN="$ROOT/target/debug/ecs-iam" PATH="$VENV/bin:$PATH" "$VENV/bin/python" -m pytest tests/oracles -q -p no:cacheprovider

build_package
log "the npm package against the CLI (node --test)"
ECS_IAM_BIN="$ROOT/target/debug/ecs-iam" node --test tests/js/

build_app
log "end to end: the release build in headless Chromium (playwright-core, axe-core)"
ECS_IAM_BIN="$ROOT/target/debug/ecs-iam" ECS_IAM_DIST="$ROOT/dist" node --test --test-reporter=spec tests/e2e/
