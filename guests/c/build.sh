#!/usr/bin/env bash
# Build the C guests and stage each plugin for the host:
#
#   usage: build.sh OUT_DIR [PLUGIN...]     (no PLUGIN: every plugin)
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
wit="$(cd "$here/../../wit/0.1.0" && pwd)"
parse_build_args "$@"
select_plugins "$here/plugins"
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
for manifest in "${MANIFESTS[@]}"; do
    dir="$(dirname "$manifest")"
    name="$(manifest_name "$manifest")"
    world="$(manifest_world "$manifest")"
    kind="$(manifest_value "$manifest" kind)"
    building "$name"
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
    if ! log="$("$CC" "${CFLAGS[@]}" -I "$bindings" "${LDFLAGS[@]}" -o "$work/core.wasm" \
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

echo "==> staged $staged C plugins in $OUT"
