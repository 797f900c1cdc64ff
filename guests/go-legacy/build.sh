#!/usr/bin/env bash
# Build the Go plugins and stage each for the host:
#
#   usage: build.sh OUT_DIR [PLUGIN...]     (no PLUGIN: every plugin)
#
#   OUT_DIR/<name>/plugin.wasm   a WASI preview 1 core module in the legacy Go convention
#                                (the host adapts it when loading)
#   OUT_DIR/<name>/plugin.toml   its manifest
#
# A plugin is any folder under plugins/ (ours, built with our SDK) or upstream/ (built with
# the shapes of MockForge's published Go SDK, upstream/README.md) with a plugin.toml; the
# folder and the manifest's `name` must agree. Each is built with standard Go as a reactor (`-buildmode=c-shared`
# exports `_initialize`), and its manifest's name and version are stamped into the module's
# capabilities. Go's build cache stays where go keeps it, shared between runs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../plugin-manifest.sh
source "$here/../plugin-manifest.sh"
# shellcheck source=toolchain.sh
source "$here/toolchain.sh"
require_go
parse_build_args "$@"
select_plugins "$here/plugins" "$here/upstream"
scratch_dir artifacts
sdk="mockforge.dev/guest/mockforge"

echo "==> building the Go plugins ($("$GO" env GOVERSION), wasip1/wasm, c-shared)"
staged=0
for manifest in "${MANIFESTS[@]}"; do
    name="$(manifest_name "$manifest")"
    building "$name"
    version="$(manifest_value "$manifest" version)"
    wasm="$artifacts/$name.wasm"
    (cd "$here" && GOOS=wasip1 GOARCH=wasm "$GO" build -buildmode=c-shared -trimpath \
        -ldflags="-s -X $sdk.stampedName=$name -X $sdk.stampedVersion=$version" \
        -o "$wasm" "./$(dirname "${manifest#"$here/"}")")
    stage_plugin "$wasm" "$manifest"
    staged=$((staged + 1))
done

echo "==> staged $staged Go plugins in $OUT"
