#!/usr/bin/env bash
# Build the JavaScript plugins into components and stage each for the host:
#
#   usage: build.sh OUT_DIR [PLUGIN...]     (no PLUGIN: every plugin)
#
#   OUT_DIR/<name>/plugin.wasm      a plugin of plugins/ (against wit/0.2.0, with sdk/)
#   OUT_DIR/<name>/plugin.toml      its manifest
#   OUT_DIR/<name>/build-seconds    how long building it took
#   OUT_DIR/0.1/<name>/...          a plugin of plugins-0.1/ (frozen: against wit/0.1.0, with
#                                   the frozen sdk-0.1/)
#
# A named PLUGIN is built from plugins/, and from plugins-0.1/ too when it is there.
# A plugin is a folder with a plugin.toml and a plugin.js; the folder's name and
# the manifest's `name` must agree. The manifest's `kind` picks the WIT world.
#
# MOCKFORGE_JS_ENGINE picks the engine of the plugins/ ones: `qjs` (QuickJS, componentize-qjs;
# the default) or `starlingmonkey` (componentize-js, with its generated bindings rewritten to
# cost less per call: bindings-rewrite.mjs); the frozen 0.1 ones are always built with
# StarlingMonkey, as released. An optional `build.args` holds extra componentize-js flags
# (such as `--disable random clocks`), used with StarlingMonkey. componentize.mjs runs either.
# Run setup.sh first.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../plugin-manifest.sh
source "$here/../plugin-manifest.sh"
wit_root="$(cd "$here/../../wit" && pwd)"
parse_build_args "$@"
scratch_dir work
# The engine of the 0.2 plugins (see README.md): qjs (QuickJS, componentize-qjs) or
# starlingmonkey (componentize-js).
engine="${MOCKFORGE_JS_ENGINE:-qjs}"
case "$engine" in
    qjs | starlingmonkey) ;;
    *)
        echo "error: MOCKFORGE_JS_ENGINE=$engine: expected qjs or starlingmonkey" >&2
        exit 2
        ;;
esac

for tool in componentize-js componentize-qjs; do
    if [[ ! -x "$here/node_modules/.bin/$tool" ]]; then
        echo "error: $tool is not installed; run: bash $here/setup.sh" >&2
        exit 1
    fi
done
if ! command -v wasm-tools >/dev/null; then
    echo "error: wasm-tools is not installed; run: bash $here/setup.sh" >&2
    exit 1
fi

staged=0
build_plugins() { # the engine, the WIT folder, where to stage; MANIFESTS: what to build
    local engine="$1" wit="$2" out="$3" manifest src name world started extra
    for manifest in "${MANIFESTS[@]}"; do
        src="$(dirname "$manifest")"
        name="$(manifest_name "$manifest")"
        world="$(manifest_world "$manifest")"
        OUT="$out"
        building "$name"
        if [[ ! -f "$src/plugin.js" ]]; then
            echo "error: plugin '$name': no $src/plugin.js" >&2
            exit 1
        fi
        extra=()
        if [[ -f "$src/build.args" ]]; then
            read -r -a extra <"$src/build.args"
        fi

        started=$(date +%s.%N)
        # The host links no wasi:http: no plugin may import it. Console output is not wired to
        # the host's log either; plugins log through the SDK's `log`.
        node "$here/componentize.mjs" "$src/plugin.js" --wit "$wit" --world-name "$world" \
            --engine "$engine" --disable http fetch-event stdio "${extra[@]}" --out "$work/$name.wasm" >/dev/null
        wasm-tools validate "$work/$name.wasm"
        stage_plugin "$work/$name.wasm" "$manifest"
        # Read by benches/report.py for the per-language tables.
        awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }' >"$OUT/$name/build-seconds"
        staged=$((staged + 1))
    done
}

# The worlds the 0.2 plugins are built for: those of wit/0.2.0, each with WASI's preopened
# folders imported too, so that a plugin reads the files of the folders its manifest grants
# (sdk/files.js; JavaScript has no file API of its own in a component). WASI's WIT comes from
# the jco package componentize-js installs, at the WASI version both engines import.
wasi_wit="$here/node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12"
guest_wit="$work/wit-0.2"
mkdir -p "$guest_wit/deps/mockforge-plugin"
cp "$wit_root"/0.2.0/*.wit "$guest_wit/deps/mockforge-plugin/"
for package in filesystem io clocks; do
    if [[ ! -f "$wasi_wit/wasi-$package/package.wit" ]]; then
        echo "error: $wasi_wit/wasi-$package/package.wit is missing; run: bash $here/setup.sh" >&2
        exit 1
    fi
    mkdir -p "$guest_wit/deps/wasi-$package"
    cp "$wasi_wit/wasi-$package/package.wit" "$guest_wit/deps/wasi-$package/"
done
{
    echo "package mockforge:javascript-guest@0.2.0;"
    for world in auth-plugin response-plugin plugin; do
        printf '\nworld %s {\n    include mockforge:plugin/%s@0.2.0;\n    import wasi:filesystem/preopens@0.2.12;\n}\n' "$world" "$world"
    done
} >"$guest_wit/worlds.wit"

out_dir="$OUT"

select_plugins "$here/plugins"
build_plugins "$engine" "$guest_wit" "$out_dir"

# The frozen 0.1 plugins: every one, or those of the names asked for that are frozen.
frozen=()
for name in "${WANTED[@]}"; do
    [[ -f "$here/plugins-0.1/$name/plugin.toml" ]] && frozen+=("$name")
done
if ((${#WANTED[@]} == 0 || ${#frozen[@]} > 0)); then
    WANTED=("${frozen[@]}")
    select_plugins "$here/plugins-0.1"
    mkdir -p "$out_dir/0.1"
    # 0.1 lends the request as a borrow, which the QuickJS engine cannot take: the frozen
    # plugins are built as they were released, with StarlingMonkey.
    build_plugins starlingmonkey "$wit_root/0.1.0" "$out_dir/0.1"
fi
OUT="$out_dir"

echo "==> staged $staged JavaScript plugins in $OUT"
