#!/usr/bin/env bash
# The main job. Until the web app lands, it builds the ecs-iam CLI and renders the example
# configuration (or the one given) in every format, then checks it.
#   scripts/run.sh [CONFIG]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
ensure_cargo
config="${1:-examples/task-execution.json}"
cargo build --release -p ecs-iam --locked
bin="$ROOT/target/release/ecs-iam"
for format in cloudformation-yaml aws-cli json task-definition; do
  printf '\n----- %s -----\n' "$format"
  "$bin" render "$config" --format "$format"
done
printf '\n----- check -----\n'
"$bin" check "$config" || true
printf '\nThe CLI is at %s (try: %s --help)\n' "$bin" "$bin"
