#!/usr/bin/env bash
# Build the Python floor probes (see README.md) into components, staged for the
# `python_floor` bench:
#
#   usage: build.sh OUT_DIR     ->  OUT_DIR/<probe>/plugin.{wasm,toml}
#
# Each probe is built as the Python guests are (componentize-py against wit/0.2.0, world
# auth-plugin), without the SDK: it uses the generated bindings directly. Run
# guests/python/setup.sh first (`just bench-python-floor` does).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
wit="$(cd "$here/../../wit/0.2.0" && pwd)"
out="${1:?usage: build.sh OUT_DIR}"

for tool in componentize-py wasm-tools; do
    if ! command -v "$tool" >/dev/null; then
        echo "error: $tool is not installed; run: bash guests/python/setup.sh" >&2
        exit 1
    fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for src in "$here"/*/; do
    probe="$(basename "$src")"
    echo "==> building the $probe probe"
    componentize-py --quiet -d "$wit" -w auth-plugin componentize -p "$src" plugin \
        -o "$work/$probe.wasm"
    wasm-tools validate "$work/$probe.wasm"
    rm -rf "${out:?}/$probe"
    mkdir -p "$out/$probe"
    cp "$work/$probe.wasm" "$out/$probe/plugin.wasm"
    cp "$src/plugin.toml" "$out/$probe/plugin.toml"
done
