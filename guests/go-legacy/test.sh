#!/usr/bin/env bash
# Test the Go guests: gofmt and go vet (native and wasip1); `go test` natively (strictjson, the
# SDK, and each plugin against tests/conformance/vectors/0.1) and again compiled to wasip1 under
# Node's WASI (test/wasip1-exec.mjs), where the SDK's allocator and exports are tested too;
# then build the modules and drive them as the host's adapter does (test/wasi-smoke.mjs):
# every call `go test` made must get the same answer from the module, byte for byte, and
# 10,000 more calls must not grow its memory.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=toolchain.sh
source "$here/toolchain.sh"
require_go
node_major="$(node --version 2>/dev/null | sed -n 's/^v\([0-9]*\).*/\1/p')"
if [[ -z "$node_major" || "$node_major" -lt 20 ]]; then
    echo "error: the WebAssembly smoke test needs Node.js 20 or later (node:wasi preview1)" >&2
    exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/transcript"
cd "$here"

echo "==> gofmt, go vet"
unformatted="$("$("$GO" env GOROOT)/bin/gofmt" -l .)"
if [[ -n "$unformatted" ]]; then
    echo "error: not gofmt-formatted: $unformatted" >&2
    exit 1
fi
"$GO" vet ./...
GOOS=wasip1 GOARCH=wasm "$GO" vet ./...

echo "==> go test (native)"
MOCKFORGE_GO_TRANSCRIPT="$work/transcript" "$GO" test -count=1 ./...

echo "==> go test (wasip1, under Node)"
GOOS=wasip1 GOARCH=wasm "$GO" test -count=1 -exec "node --no-warnings $here/test/wasip1-exec.mjs" ./...

bash "$here/build.sh" "$work/plugins"

echo "==> WebAssembly smoke test (Node $(node --version), WASI preview 1)"
node --no-warnings "$here/test/wasi-smoke.mjs" "$work/plugins" "$work/transcript" "${SMOKE_CALLS:-10000}"
