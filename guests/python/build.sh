#!/usr/bin/env bash
# Build every Python plugin into a component and stage it for the host:
#
#   OUT_DIR/<name>/plugin.wasm   the component
#   OUT_DIR/<name>/plugin.toml   its manifest
#
# A plugin is a folder under plugins/ with a plugin.toml and a plugin.py; the folder's name and
# the manifest's `name` must agree. The manifest's `kind` picks the WIT world; an optional
# `build.args` holds extra `componentize-py componentize` flags. (`--stub-wasi` is not used:
# it links one stub module per WASI interface, 38 core instances in all, past the host's
# pooling cap of 32 per component.)
# Run setup.sh first.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../plugin-manifest.sh
source "$here/../plugin-manifest.sh"
wit="$(cd "$here/../../wit" && pwd)"
out="$(staging_dir "$@")"

for tool in componentize-py wasm-tools; do
    if ! command -v "$tool" >/dev/null; then
        echo "error: $tool is not installed; run: bash $here/setup.sh" >&2
        exit 1
    fi
done

staged=0
for manifest in "$here"/plugins/*/plugin.toml; do
    [[ -e "$manifest" ]] || continue
    src="$(dirname "$manifest")"
    name="$(manifest_name "$manifest")"
    world="$(manifest_world "$manifest")"
    extra=()
    if [[ -f "$src/build.args" ]]; then
        read -r -a extra <"$src/build.args"
    fi

    dest="$out/$name"
    rm -rf "$dest"
    mkdir -p "$dest"
    started=$SECONDS
    # componentize-py generates the bindings from wit/ as it builds; nothing is committed.
    componentize-py --quiet -d "$wit" -w "$world" componentize "${extra[@]}" \
        -p "$src" -p "$here/sdk" plugin -o "$dest/plugin.wasm"
    wasm-tools validate "$dest/plugin.wasm"
    cp "$manifest" "$dest/plugin.toml"
    printf '    staged %-20s %9d bytes  %3ds  (world %s)\n' \
        "$name" "$(wc -c <"$dest/plugin.wasm")" "$((SECONDS - started))" "$world"
    staged=$((staged + 1))
done

echo "==> staged $staged Python plugins in $out"
