#!/usr/bin/env bash
# Installs the remote-plugin Python SDK and its pinned dependencies from PyPI (idempotent):
# the Rust tests in tests/remote_plugins.rs and the benchmark start its example under uvicorn.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"
if "$python" -c 'import mockforge_remote, fastapi, uvicorn, httpx, pytest, yaml' 2>/dev/null; then
    exit 0
fi
"$python" -m pip install --quiet --disable-pip-version-check --editable "$here[test]"
