#!/usr/bin/env bash
# Build the Python plugins into components and stage each for the host:
#
#   usage: build.sh OUT_DIR [PLUGIN...]     (no PLUGIN: every plugin)
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
wit="$(cd "$here/../../wit/0.1.0" && pwd)"
parse_build_args "$@"
select_plugins "$here/plugins"
scratch_dir work
python="${PYTHON:-python3}"

for tool in componentize-py wasm-tools; do
    if ! command -v "$tool" >/dev/null; then
        echo "error: $tool is not installed; run: bash $here/setup.sh" >&2
        exit 1
    fi
done

staged=0
for manifest in "${MANIFESTS[@]}"; do
    src="$(dirname "$manifest")"
    name="$(manifest_name "$manifest")"
    world="$(manifest_world "$manifest")"
    building "$name"
    extra=()
    if [[ -f "$src/build.args" ]]; then
        read -r -a extra <"$src/build.args"
    fi

    started=$SECONDS
    # Registration mistakes (no @register, a misspelled method, a kind that does not match the
    # class) are found here, in plain Python, with a sentence that says what to change;
    # componentize-py would report them later and cryptically.
    "$python" "$here/check_plugin.py" "$src" "$(manifest_value "$manifest" kind)"
    # componentize-py generates the bindings from wit/ as it builds; nothing is committed.
    componentize-py --quiet -d "$wit" -w "$world" componentize "${extra[@]}" \
        -p "$src" -p "$here/sdk" plugin -o "$work/$name.wasm"
    wasm-tools validate "$work/$name.wasm"
    stage_plugin "$work/$name.wasm" "$manifest"
    echo "$((SECONDS - started))" >"$OUT/$name/build-seconds"
    staged=$((staged + 1))
done

echo "==> staged $staged Python plugins in $OUT"
