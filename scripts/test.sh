#!/usr/bin/env bash
# Runs every test of the repository, or the stages named; installs what they need when missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

STAGES=(lint rust browser oracles fuzz js e2e)

usage() {
  cat <<'EOF'
Usage: scripts/test.sh [STAGE...]

Runs the stages named, in this order, or all of them (what CI runs). Each stage installs what
it needs when it is missing.

  lint      cargo fmt --check; clippy -D warnings, natively and for wasm32; the core has no wasm
            or web dependency on any target, and builds for wasm32-unknown-unknown
  rust      cargo test: golden snapshots, catalogue invariants, the architecture checks,
            property tests, error messages, the app's reducer and server-side rendering
  browser   the app in headless Chromium (wasm-bindgen-test)
  oracles   cfn-lint, parliament, moto (AWS CLI script and CloudFormation), real Terraform and
            checkov, the AWS CDK and TypeScript, CommonMark (the hand-off), Ruby (UFO), botocore
            (task definition), hostile values and the CLI (pytest)
  fuzz      every parser of untrusted text under libFuzzer, 20 s a target on its committed corpus
            (FUZZ_SECONDS sets it; scripts/fuzz.sh runs targets longer)
  js        the npm package against the CLI (node --test)
  e2e       the release build in headless Chromium (playwright-core, axe-core)

Example: scripts/test.sh lint rust
EOF
}

chosen=()
for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    *)
      if [[ " ${STAGES[*]} " != *" $arg "* ]]; then
        echo "scripts/test.sh: unknown stage $arg (one of: ${STAGES[*]})" >&2
        exit 2
      fi
      chosen+=("$arg")
      ;;
  esac
done
[ ${#chosen[@]} -eq 0 ] && chosen=("${STAGES[@]}")
wants() { [[ " ${chosen[*]} " == *" $1 "* ]]; }

ensure_cargo

# The CLI the oracles, the package tests and the end-to-end tests compare with.
cli_built=""
ensure_cli() {
  if [ -z "$cli_built" ]; then
    cargo build -p ecs-iam --locked
    cli_built=1
  fi
  export ECS_IAM_BIN="$ROOT/target/debug/ecs-iam"
}

if wants lint; then
  ensure_wasm_target
  log "format"
  cargo fmt --all --check
  cargo fmt --manifest-path fuzz/Cargo.toml --check

  log "lints (native, and the web app for wasm32)"
  cargo clippy --workspace --all-targets --locked -- -D warnings
  cargo clippy -p ecs-iam-app --all-targets --target wasm32-unknown-unknown --locked -- -D warnings
  cargo clippy -p ecs-iam-tools --target wasm32-unknown-unknown --locked -- -D warnings
  # The core as the web app's first download (the base formats) and its tools module (the
  # optional formats) build it.
  cargo clippy -p ecs-iam-core --no-default-features --features base-formats --locked -- -D warnings
  cargo clippy -p ecs-iam-core --no-default-features --features optional-formats --locked -- -D warnings

  log "the core crate stays pure Rust (no wasm or web dependency, on any target)"
  if cargo tree -p ecs-iam-core -e normal --target all --prefix none --locked |
    grep -E '^(wasm-bindgen|web-sys|js-sys|yew|gloo|wasm-|getrandom)'; then
    echo "crates/core depends on a wasm/web crate" >&2
    exit 1
  fi

  log "the core crate builds for wasm32-unknown-unknown"
  cargo build -p ecs-iam-core --target wasm32-unknown-unknown --locked
fi

if wants rust; then
  log "Rust tests (unit, golden snapshots, catalogue invariants, architecture, properties, the app's SSR)"
  cargo test --workspace --locked
  log "the core with half of its renderers, as the web app's first download and its tools module have it"
  cargo test -p ecs-iam-core --no-default-features --features base-formats --test optional_formats --locked
  cargo test -p ecs-iam-core --no-default-features --features optional-formats --test optional_formats --locked
fi

if wants browser; then
  ensure_wasm_tools
  ensure_chromium
  log "the app in headless Chromium (wasm-bindgen-test)"
  cargo test -p ecs-iam-app --target wasm32-unknown-unknown --test browser --locked
fi

if wants oracles; then
  ensure_python_tools
  ensure_ruby
  ensure_cdk_tools
  log "the pinned Service Authorization Reference extract equals parliament's data"
  "$VENV/bin/python" scripts/sar-extract.py --check

  log "oracles: cfn-lint, parliament, moto, Terraform, checkov, the AWS CDK, CommonMark, Ruby, botocore, hostile inputs, CLI"
  ensure_cli
  PATH="$VENV/bin:$PATH" "$VENV/bin/python" -m pytest tests/oracles -q -p no:cacheprovider
fi

if wants fuzz; then
  log "fuzzing (libFuzzer): the configuration, share links, import, diff, diagnose, the evaluator"
  "$ROOT/scripts/fuzz.sh" --seconds "${FUZZ_SECONDS:-20}"
fi

if wants js; then
  ensure_build_tools
  build_package
  ensure_cli
  log "the npm package against the CLI (node --test)"
  node --test tests/js/
fi

if wants e2e; then
  ensure_build_tools
  ensure_chromium
  build_app
  ensure_cli
  log "end to end: the release build in headless Chromium (playwright-core, axe-core)"
  ECS_IAM_DIST="$ROOT/dist" node --test --test-reporter=spec tests/e2e/
fi
