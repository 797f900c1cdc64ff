#!/usr/bin/env bash
# Build the Go component plugins and stage each for the host:
#
#   usage: build.sh OUT_DIR [PLUGIN...]     (no PLUGIN: every plugin)
#
#   OUT_DIR/<name>/plugin.wasm   a component of mockforge:plugin@0.2.0
#   OUT_DIR/<name>/plugin.toml   its manifest
#
# A plugin is any folder under plugins/ (the examples) or test-plugins/ (for the host's tests)
# with a plugin.toml; the folder and the manifest's
# `name` must agree, and its `kind` picks the WIT world (auth -> auth-plugin, response ->
# response-plugin, both -> plugin). Each plugin is built in five steps:
#
#   1. the WIT bindings are generated into internal/wit/ (toolchain.sh, generate_bindings);
#   2. `go build` (GOOS=wasip1, -buildmode=c-shared: a reactor) with an overlay that adds to
#      the plugin's package a blank import of its world's export glue;
#   3. tools/postlink adds `cabi_realloc_adapter` (the WASI adapter's arena) and exports the
#      SDK's allocator as `cabi_realloc` (see tools/postlink/main.go);
#   4. `wasm-tools component embed` records the world; 5. `wasm-tools component new` links
#      the WASI preview 1 reactor adapter and makes the component.
#
# The toolchain comes from setup.sh, which this script only checks for.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../plugin-manifest.sh
source "$here/../plugin-manifest.sh"
# shellcheck source=toolchain.sh
source "$here/toolchain.sh"
require_go
parse_build_args "$@"
select_plugins "$here/plugins" "$here/test-plugins"
adapter="$here/.tools/wasi_snapshot_preview1.reactor.wasm"
wit="$(cd "$here/../../wit/0.2.0" && pwd)"
require_tools guests/go/setup.sh wit-bindgen wasm-tools
if [[ ! -f "$adapter" ]]; then
    echo "error: the WASI adapter is missing ($adapter); run: bash guests/go/setup.sh" >&2
    exit 1
fi
scratch_dir work

echo "==> generating the WIT bindings (wit-bindgen $(wit-bindgen --version | awk '{print $2}'))"
generate_bindings
echo "==> building the Go component plugins ($("$GO" env GOVERSION), wasip1/wasm, c-shared)"
(cd "$here" && "$GO" build -o "$work/postlink" ./tools/postlink)
staged=0
for manifest in "${MANIFESTS[@]}"; do
    name="$(manifest_name "$manifest")"
    world="$(manifest_world "$manifest")"
    building "$name"
    dir="$(dirname "$manifest")"
    glue="$work/$name-world.go"
    cat >"$glue" <<GO
package main

// Added by build.sh: the export glue of the $world world.
import _ "mockforge.dev/component/internal/worlds/$world"
GO
    printf '{"Replace":{"%s":"%s"}}' "$dir/zz_mockforge_world.go" "$glue" >"$work/$name-overlay.json"
    (cd "$here" && GOOS=wasip1 GOARCH=wasm "$GO" build -buildmode=c-shared -trimpath -ldflags="-s -checklinkname=0" \
        -overlay "$work/$name-overlay.json" -o "$work/$name.core.wasm" "./${dir#"$here"/}")
    "$work/postlink" "$work/$name.core.wasm" "$work/$name.linked.wasm"
    wasm-tools component embed "$wit" --world "$world" "$work/$name.linked.wasm" -o "$work/$name.embedded.wasm"
    wasm-tools component new "$work/$name.embedded.wasm" \
        --adapt "wasi_snapshot_preview1=$adapter" -o "$work/$name.wasm"
    wasm-tools validate "$work/$name.wasm"
    stage_plugin "$work/$name.wasm" "$manifest"
    staged=$((staged + 1))
done

echo "==> staged $staged Go component plugins in $OUT"
