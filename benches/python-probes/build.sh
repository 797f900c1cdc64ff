#!/usr/bin/env bash
# Build the Python floor probes (see README.md) into components, staged for the
# `python_floor` bench:
#
#   usage: build.sh OUT_DIR [PROBE...]     ->  OUT_DIR/<probe>/plugin.{wasm,toml}
#
# Each probe is built as the Python guests are (componentize-py against wit/0.2.0, the world
# of its manifest's kind), without the SDK: it uses the generated bindings directly. Run
# guests/python/setup.sh first (`just bench-python-floor` does).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../guests/plugin-manifest.sh
source "$here/../../guests/plugin-manifest.sh"
wit="$(cd "$here/../../wit/0.2.0" && pwd)"
parse_build_args "$@"
select_plugins "$here"
scratch_dir work
require_tools guests/python/setup.sh componentize-py wasm-tools

for manifest in "${MANIFESTS[@]}"; do
    src="$(dirname "$manifest")"
    name="$(manifest_name "$manifest")"
    building "$name"
    componentize-py --quiet -d "$wit" -w "$(manifest_world "$manifest")" componentize \
        -p "$src" plugin -o "$work/$name.wasm"
    wasm-tools validate "$work/$name.wasm"
    stage_plugin "$work/$name.wasm" "$manifest"
done
