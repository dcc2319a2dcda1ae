#!/usr/bin/env bash
# Install what building and testing need, idempotently: each step is skipped
# when its tool is already there. Usage: scripts/tools.sh [build] [browser] [node] [lint] [mutants]
set -euo pipefail
cd "$(dirname "$0")/.."

want() { for w in "$@"; do [[ " $WANT " == *" $w "* ]] && return 0; done; return 1; }
WANT="${*:-build}"
# wasm-opt comes from npm's binaryen, so a build needs the Node dev tools too.
if want build; then WANT="$WANT node"; fi

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    echo "tools: apt-get update" >&2
    apt-get update -qq >/dev/null
    apt_updated=1
  fi
  echo "tools: apt-get install $*" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if want build; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "tools: rustup target add wasm32-unknown-unknown" >&2
    rustup target add wasm32-unknown-unknown
  fi
  # std's source: the package's wasm builds std with the crate (scripts/build-pkg.sh).
  if ! rustup component list --installed | grep -qx rust-src; then
    echo "tools: rustup component add rust-src" >&2
    rustup component add rust-src
  fi
  # The CLI must be exactly the wasm-bindgen version Cargo.lock resolved.
  [ -f Cargo.lock ] || cargo generate-lockfile
  wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
    # No --locked: the registry index reachable here lags and --locked fails (docs/toolchain notes).
    echo "tools: cargo install wasm-bindgen-cli $wb_version (about 2.5 minutes)" >&2
    cargo install wasm-bindgen-cli --version "$wb_version" --force
  fi
fi

if want lint; then
  for c in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$c"; then
      echo "tools: rustup component add $c" >&2
      rustup component add "$c"
    fi
  done
fi

if want browser; then
  if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
    apt_install chromium chromium-driver
  fi
fi

if want node; then
  # Dev tools from the committed lockfile. Not `npm ci`: the registry
  # reachable here lacks the other platforms' optional binaries (darwin,
  # win32) of deno and workerd, so the lockfile cannot list them and `npm ci`
  # calls it out of sync; `npm install --no-save` installs exactly the locked
  # versions and leaves the lockfile as committed.
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "tools: npm install (from package-lock.json)" >&2
    npm install --no-save --no-audit --no-fund --loglevel=error
  fi
fi

if want mutants; then
  # Mutation testing (`make mutants`, docs/reliability.md). No --locked, as
  # for wasm-bindgen-cli: the registry index reachable here lags.
  if ! cargo mutants --version >/dev/null 2>&1; then
    echo "tools: cargo install cargo-mutants (about 3 minutes)" >&2
    cargo install cargo-mutants
  fi
fi
