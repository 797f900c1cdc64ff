#!/usr/bin/env bash
# Build the Python plugins into components and stage each for the host:
#
#   usage: build.sh OUT_DIR [PLUGIN...]     (no PLUGIN: every plugin)
#
#   OUT_DIR/<name>/plugin.{wasm,toml}       a plugin of plugins/, against wit/0.2.0 and sdk/
#   OUT_DIR/0.1/<name>/plugin.{wasm,toml}   a plugin of plugins-0.1/ (frozen), against
#                                           wit/0.1.0 and the frozen sdk-0.1/
#
# A named PLUGIN is built from plugins/, and from plugins-0.1/ too when it is there.
# A plugin is a folder with a plugin.toml and a plugin.py; the folder's name and the manifest's
# `name` must agree. The manifest's `kind` picks the WIT world; an optional `build.args` holds
# extra `componentize-py componentize` flags. (`--stub-wasi` is not used: it links one stub
# module per WASI interface, 38 core instances in all, past the host's pooling cap of 32 per
# component.)
# Run setup.sh first.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../plugin-manifest.sh
source "$here/../plugin-manifest.sh"
wit_root="$(cd "$here/../../wit" && pwd)"
parse_build_args "$@"
scratch_dir work
python="${PYTHON:-python3}"

require_tools "$here/setup.sh" componentize-py wasm-tools

staged=0
build_plugins() { # the SDK folder, the WIT folder, where to stage; MANIFESTS: what to build
    local sdk="$1" wit="$2" out="$3" manifest src name world started extra
    for manifest in "${MANIFESTS[@]}"; do
        src="$(dirname "$manifest")"
        name="$(manifest_name "$manifest")"
        world="$(manifest_world "$manifest")"
        OUT="$out"
        building "$name"
        extra=()
        if [[ -f "$src/build.args" ]]; then
            read -r -a extra <"$src/build.args"
        fi

        started=$SECONDS
        # Registration mistakes (no @register, a misspelled method, a kind that does not match
        # the class) are found here, in plain Python, with a sentence that says what to change;
        # componentize-py would report them later and cryptically.
        "$python" "$here/check_plugin.py" "$src" "$(manifest_value "$manifest" kind)" "$sdk"
        # componentize-py generates the bindings from the WIT as it builds; nothing is committed.
        componentize-py --quiet -d "$wit" -w "$world" componentize "${extra[@]}" \
            -p "$src" -p "$sdk" plugin -o "$work/$name.wasm"
        wasm-tools validate "$work/$name.wasm"
        stage_plugin "$work/$name.wasm" "$manifest"
        echo "$((SECONDS - started))" >"$OUT/$name/build-seconds"
        staged=$((staged + 1))
    done
}

out_dir="$OUT"

select_plugins "$here/plugins"
build_plugins "$here/sdk" "$wit_root/0.2.0" "$out_dir"

# The frozen 0.1 plugins: every one, or those of the names asked for that are frozen.
frozen=()
for name in "${WANTED[@]}"; do
    [[ -f "$here/plugins-0.1/$name/plugin.toml" ]] && frozen+=("$name")
done
if ((${#WANTED[@]} == 0 || ${#frozen[@]} > 0)); then
    WANTED=("${frozen[@]}")
    select_plugins "$here/plugins-0.1"
    mkdir -p "$out_dir/0.1"
    build_plugins "$here/sdk-0.1" "$wit_root/0.1.0" "$out_dir/0.1"
fi
OUT="$out_dir"

echo "==> staged $staged Python plugins in $OUT"
