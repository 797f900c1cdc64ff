#!/usr/bin/env bash
# Test the Go component guests: gofmt; go vet of the SDK, the plugins and the tools (compiled
# for wasip1, and natively for what builds natively; the generated bindings are not vetted);
# `go test` natively (the strict JSON reader, the SDK's types, the post-link tool, each
# plugin's logic); then a build of every plugin into a scratch folder, which checks each
# component with `wasm-tools validate`. The built components are tested through the host by
# `cargo test -p mockforge-component-tests --test conformance` (MOCKFORGE_LANGUAGES=go) and
# `--test go_components` (20,000 warm calls per plugin, collections, 1 MiB bodies).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=toolchain.sh
source "$here/toolchain.sh"
require_go
cd "$here"
generate_bindings

echo "==> gofmt, go vet"
unformatted="$("$(dirname "$GO")/gofmt" -l mockforge internal/worlds internal/hooks plugins test-plugins tools)"
if [[ -n "$unformatted" ]]; then
    echo "error: not gofmt-formatted: $unformatted" >&2
    exit 1
fi
mapfile -t wasip1_packages < <(GOOS=wasip1 GOARCH=wasm "$GO" list ./... | grep -v /internal/wit/)
GOOS=wasip1 GOARCH=wasm "$GO" vet "${wasip1_packages[@]}"
native_packages=(./mockforge ./tools/... ./plugins/...)
"$GO" vet "${native_packages[@]}"

echo "==> go test (native)"
"$GO" test -count=1 "${native_packages[@]}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bash "$here/build.sh" "$work/plugins"
