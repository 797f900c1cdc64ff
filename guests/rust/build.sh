#!/usr/bin/env bash
# Build every Rust guest once and stage each plugin for the host:
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
out="$(staging_dir "$@")"
target="wasm32-wasip2"
# The workspace's default target dir unless the caller chose one.
artifacts="${CARGO_TARGET_DIR:-$here/target}/$target/release"

if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
    echo "error: the Rust target $target is not installed; run: rustup target add $target" >&2
    exit 1
fi

echo "==> building the guest workspace (release, $target)"
cargo build --manifest-path "$here/Cargo.toml" --workspace --release --target "$target" --locked

staged=0
for manifest in "$here"/plugins/*/plugin.toml "$here"/test-plugins/*/plugin.toml; do
    [[ -e "$manifest" ]] || continue
    crate="$(dirname "$manifest")"
    name="$(manifest_name "$manifest")"

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

    stage_plugin "$wasm" "$manifest" "$out"
    if [[ -d "$crate/data" ]]; then
        cp -R "$crate/data" "$out/$name/data"
    fi
    staged=$((staged + 1))
done

echo "==> staged $staged plugins in $out"
