#!/usr/bin/env bash
# Build the legacy Rust core-module plugins and stage each for the host:
#
#   OUT_DIR/<name>/plugin.wasm   the legacy core module (the host adapts it when loading)
#   OUT_DIR/<name>/plugin.toml   its manifest
#
# A plugin is any crate under plugins/ with a plugin.toml; its directory, its cargo package
# and the manifest's `name` must agree.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../plugin-manifest.sh
source "$here/../plugin-manifest.sh"
out="$(staging_dir "$@")"
target="wasm32-unknown-unknown"
artifacts="${CARGO_TARGET_DIR:-$here/target}/$target/release"

if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
    echo "error: the Rust target $target is not installed; run: bash $here/setup.sh" >&2
    exit 1
fi

echo "==> building the legacy Rust plugins (release, $target)"
cargo build --manifest-path "$here/Cargo.toml" --workspace --release --target "$target" --locked

staged=0
for manifest in "$here"/plugins/*/plugin.toml; do
    [[ -e "$manifest" ]] || continue
    name="$(manifest_name "$manifest")"
    wasm="$artifacts/${name//-/_}.wasm"
    if [[ ! -f "$wasm" ]]; then
        echo "error: $name: cargo produced no $wasm" >&2
        exit 1
    fi
    stage_plugin "$wasm" "$manifest" "$out"
    staged=$((staged + 1))
done

echo "==> staged $staged legacy plugins in $out"
