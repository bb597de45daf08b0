#!/usr/bin/env bash
# Runs the coverage-guided fuzz targets of fuzz/ (libFuzzer through libfuzzer-sys, on the
# pinned stable toolchain) on their committed corpus.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

TARGETS=(config share import diff diagnose evaluate)

usage() {
  cat <<'EOF'
Usage: scripts/fuzz.sh [--seconds N] [TARGET...] [-- LIBFUZZER-OPTION...]

Builds the fuzz targets with coverage instrumentation and runs each one named (or all) for N
seconds (20 unless told) on its corpus: fuzz/corpus/TARGET (committed) and
target/fuzz/corpus/TARGET (what the runs found, kept between runs). A crash, a panic, a hang of
more than 10 s or more than 2 GB of memory fails the run; the input is written to
target/fuzz/artifacts/TARGET/ and the command to reproduce it is printed.

  config    the configuration parser and, for what it accepts, every renderer
  share     the share-link decoder
  import    task definitions, container definitions, CloudFormation JSON and YAML
  diff      what IAM returns, templates and renderings, against a configuration
  diagnose  error text
  evaluate  policy documents in the IAM evaluator (a Deny of everything must win)

Examples: scripts/fuzz.sh                         (what the test command runs)
          scripts/fuzz.sh --seconds 3600 import   (a long run of one target)
          scripts/fuzz.sh import -- -jobs=2       (libFuzzer's own options after --)
          target/fuzz/x86_64-unknown-linux-gnu/release/import FILE   (replays one input)
EOF
}

seconds=20
chosen=()
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *)
      if [[ " ${TARGETS[*]} " != *" $1 "* ]]; then
        echo "scripts/fuzz.sh: unknown target $1 (one of: ${TARGETS[*]})" >&2
        exit 2
      fi
      chosen+=("$1")
      shift
      ;;
  esac
done
[ ${#chosen[@]} -eq 0 ] && chosen=("${TARGETS[@]}")

ensure_cargo
host="$(rustc -vV | sed -n 's/^host: //p')"
out="$ROOT/target/fuzz"
log "building the fuzz targets with coverage instrumentation"
# cargo fuzz's instrumentation, without a sanitizer (which would need a nightly compiler):
# libFuzzer's coverage counters, its comparison tracing, and Rust's debug assertions and
# overflow checks. With --target, the flags reach the targets' code but not build scripts.
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks" \
  cargo build --manifest-path fuzz/Cargo.toml --release --locked --target "$host" \
  --target-dir "$out" --bins

failed=()
for t in "${chosen[@]}"; do
  bin="$out/$host/release/$t"
  work="$out/corpus/$t"
  artifacts="$out/artifacts/$t/"
  mkdir -p "$work" "$artifacts"
  log "fuzzing $t for ${seconds}s"
  report="$out/$t.log"
  if "$bin" "$work" "fuzz/corpus/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=2048 -artifact_prefix="$artifacts" -print_final_stats=1 "${extra[@]}" \
    >"$report" 2>&1; then
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$report" | tail -1)"
    cov="$(grep -o 'cov: [0-9]*' "$report" | tail -1)"
    echo "$t: ${runs:-?} runs, ${cov:-cov: ?} edges, no crash" >&2
  else
    tail -40 "$report" >&2
    echo "$t: FAILED; the input is in $artifacts (replay: $bin <file>)" >&2
    failed+=("$t")
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz targets failed: ${failed[*]}" >&2; exit 1; }
