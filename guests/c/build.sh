#!/usr/bin/env bash
# Build the C guests and stage each plugin for the host:
#
#   usage: build.sh OUT_DIR [PLUGIN...]     (no PLUGIN: every plugin)
#
#   OUT_DIR/<name>/plugin.wasm       a plugin of plugins/ (mockforge:plugin@0.2.0, sdk/)
#   OUT_DIR/<name>/plugin.toml       its manifest
#   OUT_DIR/0.1/<name>/plugin.wasm   a plugin of plugins-0.1/ (the frozen mockforge:plugin@0.1.0
#   OUT_DIR/0.1/<name>/plugin.toml   contract, built with the frozen sdk-0.1/)
#
# A plugin is any folder under plugins/ (or plugins-0.1/) with a plugin.toml; the folder and
# the manifest's `name` must agree. Its `kind` picks the WIT world it is linked against: `auth`
# -> auth-plugin, `response` -> response-plugin, `both` -> plugin. A PLUGIN named builds the
# plugin of that name in both sets where it exists. The toolchain comes from setup.sh, which
# this script only checks for.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../plugin-manifest.sh
source "$here/../plugin-manifest.sh"
parse_build_args "$@"
select_plugins "$here/plugins"
current=("${MANIFESTS[@]}")
# The frozen 0.1 plugins: all of them, or those of the names asked for that exist there.
frozen=()
for manifest in "$here"/plugins-0.1/*/plugin.toml; do
    [[ -e "$manifest" ]] || continue
    name="$(basename "$(dirname "$manifest")")"
    if ((${#WANTED[@]} == 0)) || [[ " ${WANTED[*]} " == *" $name "* ]]; then
        frozen+=("$manifest")
    fi
done
build="$here/build"
adapter="$here/.tools/wasi_snapshot_preview1.reactor.wasm"
CC="${CC:-clang-19}"

require_tools guests/c/setup.sh "$CC" wit-bindgen wasm-tools
if [[ ! -f "$adapter" ]]; then
    echo "error: the WASI adapter is missing ($adapter); run: bash guests/c/setup.sh" >&2
    exit 1
fi

# wasm32-wasi is WASI preview 1, the target Debian's wasi-libc is installed for; the adapter
# turns the preview 1 imports into WASI 0.2 ones.
CFLAGS=(--target=wasm32-wasi -mexec-model=reactor -Os -std=c11 -Wall -Wextra -Werror
    -Wno-unused-parameter)
LDFLAGS=(-Wl,--gc-sections -Wl,--strip-all)

# The registration macro a plugin's `kind` needs, and a sentence for a link that finds it missing
# (wasm-ld alone says only "undefined symbol: mf__auth_plugin").
registration_hint() { # name, manifest, kind, link log
    local name="$1" manifest="$2" kind="$3" log="$4" missing="" macro other=""
    grep -q "undefined symbol: mf__auth_plugin" <<<"$log" && missing="auth"
    grep -q "undefined symbol: mf__response_plugin" <<<"$log" && missing="${missing:+$missing and }response"
    [[ -n "$missing" ]] || return 0
    case "$kind" in
    auth) macro="MF_AUTH_PLUGIN(.authenticate = your_function)" ;;
    response) macro="MF_RESPONSE_PLUGIN(.respond = your_function)" ;;
    both) macro="MF_PLUGIN((.authenticate = a), (.respond = r))" ;;
    esac
    if grep -qE '^[[:space:]]*MF_RESPONSE_PLUGIN[[:space:]]*\(' "$(dirname "$manifest")"/*.c; then
        other="response"
    elif grep -qE '^[[:space:]]*MF_AUTH_PLUGIN[[:space:]]*\(' "$(dirname "$manifest")"/*.c; then
        other="auth"
    fi
    echo "error: plugin '$name': $manifest says kind = \"$kind\", but its sources register no $missing plugin." >&2
    if [[ -n "$other" && "$other" != "$kind" && "$kind" != "both" ]]; then
        local article="a"
        [[ "$other" == auth ]] && article="an"
        echo "       They register $article $other plugin: set kind = \"$other\" in plugin.toml, or register with $macro." >&2
    else
        echo "       Add, once, at file scope: $macro" >&2
    fi
}

staged=0
# Build one set of plugins with one SDK against one WIT package, staged under `$OUT`.
build_set() { # sdk folder, wit folder, build folder, manifest...
    local sdk="$1" wit="$2" work_root="$3" world manifest dir name kind bindings work exported log source
    shift 3
    (($#)) || return 0
    echo "==> $(basename "$sdk") against $(sed -n 's/^package \(.*\);/\1/p' "$wit/worlds.wit"): generating the WIT bindings (wit-bindgen $(wit-bindgen --version | awk '{print $2}'))"
    rm -rf "$work_root"
    for world in auth-plugin response-plugin plugin; do
        # One name for every world, so that the SDK's sources compile against any of them.
        if ! log="$(wit-bindgen c "$wit" --world "$world" --rename-world mockforge \
            --autodrop-borrows yes --out-dir "$work_root/bindings/$world" 2>&1)"; then
            echo "$log" >&2
            exit 1
        fi
    done
    # Every SDK source but the exports, which are linked by the plugin's kind.
    local sdk_common=()
    for source in "$sdk"/src/*.c; do
        [[ "$(basename "$source")" == export_* ]] || sdk_common+=("$source")
    done

    for manifest in "$@"; do
        dir="$(dirname "$manifest")"
        name="$(manifest_name "$manifest")"
        world="$(manifest_world "$manifest")"
        kind="$(manifest_value "$manifest" kind)"
        building "$name"
        local exports=()
        case "$world" in
        auth-plugin) exports=(export_auth) ;;
        response-plugin) exports=(export_responder) ;;
        plugin) exports=(export_auth export_responder) ;;
        esac
        bindings="$work_root/bindings/$world"
        work="$work_root/$name"
        mkdir -p "$work"

        local sources=("${sdk_common[@]}")
        for exported in "${exports[@]}"; do
            sources+=("$sdk/src/$exported.c")
        done
        if ! log="$("$CC" "${CFLAGS[@]}" -I "$sdk/include" -I "$bindings" "${LDFLAGS[@]}" -o "$work/core.wasm" \
            "$dir"/*.c "${sources[@]}" "$bindings/mockforge.c" "$bindings/mockforge_component_type.o" 2>&1)"; then
            echo "$log" >&2
            registration_hint "$name" "$manifest" "$kind" "$log"
            exit 1
        fi
        [[ -z "$log" ]] || echo "$log" >&2
        wasm-tools component new "$work/core.wasm" \
            --adapt "wasi_snapshot_preview1=$adapter" -o "$work/plugin.wasm"
        wasm-tools validate "$work/plugin.wasm"

        stage_plugin "$work/plugin.wasm" "$manifest"
        staged=$((staged + 1))
    done
}

root="$OUT"
rm -rf "$build"
build_set "$here/sdk" "$(cd "$here/../../wit/0.2.0" && pwd)" "$build/0.2" "${current[@]}"
OUT="$root/0.1"
mkdir -p "$OUT"
build_set "$here/sdk-0.1" "$(cd "$here/../../wit/0.1.0" && pwd)" "$build/0.1" "${frozen[@]}"
OUT="$root"

echo "==> staged $staged C plugins in $OUT"
