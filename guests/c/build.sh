#!/usr/bin/env bash
# Build every C guest and stage each plugin for the host:
#
#   OUT_DIR/<name>/plugin.wasm   the component
#   OUT_DIR/<name>/plugin.toml   its manifest
#
# A plugin is any folder under plugins/ with a plugin.toml; the folder and the manifest's
# `name` must agree. Its `kind` picks the WIT world it is linked against: `auth` ->
# auth-plugin, `response` -> response-plugin, `both` -> plugin. The toolchain comes from
# setup.sh, which this script only checks for.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../plugin-manifest.sh
source "$here/../plugin-manifest.sh"
wit="$(cd "$here/../../wit" && pwd)"
out="$(staging_dir "$@")"
build="$here/build"
adapter="$here/.tools/wasi_snapshot_preview1.reactor.wasm"
CC="${CC:-clang-19}"

for tool in "$CC" wit-bindgen wasm-tools; do
    if ! command -v "$tool" >/dev/null; then
        echo "error: $tool is not installed; run: bash guests/c/setup.sh" >&2
        exit 1
    fi
done
if [[ ! -f "$adapter" ]]; then
    echo "error: the WASI adapter is missing ($adapter); run: bash guests/c/setup.sh" >&2
    exit 1
fi

# wasm32-wasi is WASI preview 1, the target Debian's wasi-libc is installed for; the adapter
# turns the preview 1 imports into WASI 0.2 ones.
CFLAGS=(--target=wasm32-wasi -mexec-model=reactor -Os -std=c11 -Wall -Wextra -Werror
    -Wno-unused-parameter -I "$here/sdk/include")
LDFLAGS=(-Wl,--gc-sections -Wl,--strip-all)

echo "==> generating the WIT bindings (wit-bindgen $(wit-bindgen --version | awk '{print $2}'))"
rm -rf "$build"
for world in auth-plugin response-plugin plugin; do
    # One name for every world, so that the SDK's sources compile against any of them.
    if ! log="$(wit-bindgen c "$wit" --world "$world" --rename-world mockforge \
        --autodrop-borrows yes --out-dir "$build/bindings/$world" 2>&1)"; then
        echo "$log" >&2
        exit 1
    fi
done

sdk_common=("$here"/sdk/src/{arena,request,config,outcome,json,crypto,clock,random}.c)

staged=0
for manifest in "$here"/plugins/*/plugin.toml; do
    [[ -e "$manifest" ]] || continue
    dir="$(dirname "$manifest")"
    name="$(manifest_name "$manifest")"
    world="$(manifest_world "$manifest")"
    case "$world" in
    auth-plugin) exports=(export_auth) ;;
    response-plugin) exports=(export_responder) ;;
    plugin) exports=(export_auth export_responder) ;;
    esac
    bindings="$build/bindings/$world"
    work="$build/$name"
    mkdir -p "$work"

    sources=("${sdk_common[@]}")
    for export in "${exports[@]}"; do
        sources+=("$here/sdk/src/$export.c")
    done
    "$CC" "${CFLAGS[@]}" -I "$bindings" "${LDFLAGS[@]}" -o "$work/core.wasm" \
        "$dir"/*.c "${sources[@]}" "$bindings/mockforge.c" "$bindings/mockforge_component_type.o"
    wasm-tools component new "$work/core.wasm" \
        --adapt "wasi_snapshot_preview1=$adapter" -o "$work/plugin.wasm"
    wasm-tools validate "$work/plugin.wasm"

    stage_plugin "$work/plugin.wasm" "$manifest" "$out"
    staged=$((staged + 1))
done

echo "==> staged $staged plugins in $out"
