#!/usr/bin/env bash
# Build the AssemblyScript plugins and stage each for the host:
#
#   usage: build.sh OUT_DIR [PLUGIN...]     (no PLUGIN: every plugin)
#
#   OUT_DIR/<name>/plugin.wasm   the family-A core module (the host adapts it when loading)
#   OUT_DIR/<name>/plugin.toml   its manifest
#
# A plugin is any folder under plugins/ with a plugin.toml and an index.ts; the folder's name
# and the manifest's `name` must agree.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../plugin-manifest.sh
source "$here/../plugin-manifest.sh"
parse_build_args "$@"
select_plugins "$here/plugins"
asc="$here/node_modules/.bin/asc"

if [[ ! -x "$asc" ]] || ! cmp -s "$here/package-lock.json" "$here/node_modules/.package-lock.json.installed"; then
    echo "error: the AssemblyScript compiler is missing or not the locked version; run: bash $here/setup.sh" >&2
    exit 1
fi

# The family-A shape the host's adapter accepts: the runtime exported (`__new`, `__pin`,
# `__unpin`, `__collect`) for passing strings in, the incremental collector so that a
# long-lived instance frees what each call allocated, and the default `env.abort` import.
asc_flags=(--runtime incremental --exportRuntime --optimizeLevel 3 --shrinkLevel 0)

scratch_dir build_dir

echo "==> building the AssemblyScript plugins (asc $("$asc" --version), -O3)"
staged=0
for manifest in "${MANIFESTS[@]}"; do
    name="$(manifest_name "$manifest")"
    building "$name"
    entry="$(dirname "$manifest")/index.ts"
    if [[ ! -f "$entry" ]]; then
        echo "error: $name: no $entry" >&2
        exit 1
    fi
    wasm="$build_dir/$name.wasm"
    "$asc" "$entry" --outFile "$wasm" "${asc_flags[@]}"
    stage_plugin "$wasm" "$manifest"
    staged=$((staged + 1))
done

echo "==> staged $staged AssemblyScript plugins in $OUT"
