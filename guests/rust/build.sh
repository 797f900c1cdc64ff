#!/usr/bin/env bash
# Build the Rust guests and stage each plugin for the host:
#
#   usage: build.sh OUT_DIR [PLUGIN...]     (no PLUGIN: every plugin)
#
#   OUT_DIR/<name>/plugin.wasm   the component
#   OUT_DIR/<name>/plugin.toml   its manifest
#   OUT_DIR/<name>/data/         its data folder, when it has one
#
# A plugin is any crate under plugins/ or test-plugins/ with a plugin.toml; its directory, its
# cargo package and the manifest's `name` must agree, so each component is found by name.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../plugin-manifest.sh
source "$here/../plugin-manifest.sh"
parse_build_args "$@"
select_plugins "$here/plugins" "$here/test-plugins"
target="wasm32-wasip2"
# The workspace's default target dir unless the caller chose one.
artifacts="${CARGO_TARGET_DIR:-$here/target}/$target/release"
# Without bulk memory, LLVM calls the guest's own `memcpy` (a loop in wasm) for copies whose
# length it does not know; with it, every such copy is a `memory.copy`, which Cranelift turns
# into a call out to the host runtime. Guests copy many small buffers: auth-jwt's call is ~16%
# faster without (BENCHMARKS.md). A caller's own flags for the target win.
export CARGO_TARGET_WASM32_WASIP2_RUSTFLAGS="${CARGO_TARGET_WASM32_WASIP2_RUSTFLAGS:--C target-feature=-bulk-memory}"

cargo_build_plugins "$here/Cargo.toml" "$target" "Rust guests"

staged=0
for manifest in "${MANIFESTS[@]}"; do
    crate="$(dirname "$manifest")"
    name="$(manifest_name "$manifest")"
    building "$name"

    # Cargo names a library's output after the crate (hyphens become underscores) and a
    # binary's after the package.
    if [[ -f "$crate/src/main.rs" ]]; then
        wasm="$artifacts/$name.wasm"
    else
        wasm="$artifacts/${name//-/_}.wasm"
    fi
    if [[ ! -f "$wasm" ]]; then
        echo "error: $name: cargo produced no $wasm" >&2
        exit 1
    fi

    stage_plugin "$wasm" "$manifest"
    if [[ -d "$crate/data" ]]; then
        cp -R "$crate/data" "$OUT/$name/data"
    fi
    staged=$((staged + 1))
done

echo "==> staged $staged Rust plugins in $OUT"
