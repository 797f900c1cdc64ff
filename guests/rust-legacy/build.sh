#!/usr/bin/env bash
# Build the legacy Rust core-module plugins and stage each for the host:
#
#   usage: build.sh OUT_DIR [PLUGIN...]     (no PLUGIN: every plugin)
#
#   OUT_DIR/<name>/plugin.wasm   the legacy core module (the host adapts it when loading)
#   OUT_DIR/<name>/plugin.toml   its manifest
#
# A plugin is any crate under plugins/ with a plugin.toml; its directory, its cargo package
# and the manifest's `name` must agree.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../plugin-manifest.sh
source "$here/../plugin-manifest.sh"
parse_build_args "$@"
select_plugins "$here/plugins"
target="wasm32-unknown-unknown"
artifacts="${CARGO_TARGET_DIR:-$here/target}/$target/release"

cargo_build_plugins "$here/Cargo.toml" "$target" "legacy Rust plugins"

staged=0
for manifest in "${MANIFESTS[@]}"; do
    name="$(manifest_name "$manifest")"
    building "$name"
    wasm="$artifacts/${name//-/_}.wasm"
    if [[ ! -f "$wasm" ]]; then
        echo "error: $name: cargo produced no $wasm" >&2
        exit 1
    fi
    stage_plugin "$wasm" "$manifest"
    staged=$((staged + 1))
done

echo "==> staged $staged legacy plugins in $OUT"
