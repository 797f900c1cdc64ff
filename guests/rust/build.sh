#!/usr/bin/env bash
# Build the Rust guests and stage each plugin for the host:
#
#   usage: build.sh OUT_DIR [PLUGIN...]     (no PLUGIN: every plugin)
#
#   OUT_DIR/<name>/plugin.wasm       the component (mockforge:plugin@0.2.0)
#   OUT_DIR/<name>/plugin.toml       its manifest
#   OUT_DIR/<name>/data/             its data folder, when it has one
#   OUT_DIR/0.1/<name>/plugin.wasm   a frozen 0.1 plugin (plugins-0.1/, built against sdk-0.1)
#   OUT_DIR/0.1/<name>/plugin.toml
#
# A plugin is any crate under plugins/, test-plugins/ or plugins-0.1/ with a plugin.toml; its
# directory and the manifest's `name` must agree, so each component is found by name. A frozen
# 0.1 plugin is asked for as `0.1/<name>` (`build.sh OUT 0.1/auth-jwt`); its cargo package is
# `<name>-v0-1`, so that it never collides with the current plugin of the same name.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../plugin-manifest.sh
source "$here/../plugin-manifest.sh"
parse_build_args "$@"
target="wasm32-wasip2"
frozen="0.1"

# Which plugins: the current ones and the frozen ones asked for (all of both when none is named).
all_wanted=("${WANTED[@]}")
current_wanted=()
frozen_wanted=()
for name in "${all_wanted[@]}"; do
    case "$name" in
        "$frozen"/*) frozen_wanted+=("${name#"$frozen"/}") ;;
        *) current_wanted+=("$name") ;;
    esac
done
CURRENT=()
FROZEN=()
if ((${#all_wanted[@]} == 0 || ${#current_wanted[@]})); then
    WANTED=("${current_wanted[@]}")
    select_plugins "$here/plugins" "$here/test-plugins"
    CURRENT=("${MANIFESTS[@]}")
fi
if ((${#all_wanted[@]} == 0 || ${#frozen_wanted[@]})); then
    WANTED=("${frozen_wanted[@]}")
    select_plugins "$here/plugins-$frozen"
    FROZEN=("${MANIFESTS[@]}")
fi

# The cargo package of a plugin's crate (the first `name` of its Cargo.toml).
package_of() { # manifest
    local package
    package="$(sed -n 's/^name *= *"\([^"]*\)".*/\1/p' "$(dirname "$1")/Cargo.toml" | head -n 1)"
    if [[ -z "$package" ]]; then
        echo "error: $(dirname "$1")/Cargo.toml names no package" >&2
        exit 1
    fi
    echo "$package"
}

# The default target dir of the workspace unless the caller chose one.
artifacts="${CARGO_TARGET_DIR:-$here/target}/$target/release"
# Without bulk memory, LLVM calls the guest's own `memcpy` (a loop in wasm) for copies whose
# length it does not know; with it, every such copy is a `memory.copy`, which Cranelift turns
# into a call out to the host runtime. Guests copy many small buffers: auth-jwt's call is ~16%
# faster without (BENCHMARKS.md). A caller's own flags for the target win.
export CARGO_TARGET_WASM32_WASIP2_RUSTFLAGS="${CARGO_TARGET_WASM32_WASIP2_RUSTFLAGS:--C target-feature=-bulk-memory}"

if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
    echo "error: the Rust target $target is not installed; run: bash $here/setup.sh" >&2
    exit 1
fi
packages=(--workspace)
if ((${#all_wanted[@]})); then
    packages=()
    for manifest in "${CURRENT[@]}" "${FROZEN[@]}"; do
        packages+=(-p "$(package_of "$manifest")")
    done
fi
echo "==> building the Rust guests (release, $target)"
if ! cargo build --manifest-path "$here/Cargo.toml" "${packages[@]}" --release --target "$target" --locked; then
    # Nothing of this build is staged, and no staged copy of a plugin asked for stays behind
    # to run stale code.
    for manifest in "${CURRENT[@]}"; do
        rm -rf "${OUT:?}/$(basename "$(dirname "$manifest")")"
    done
    for manifest in "${FROZEN[@]}"; do
        rm -rf "${OUT:?}/$frozen/$(basename "$(dirname "$manifest")")"
    done
    echo "error: the Rust guests failed to build (cargo names the crate above); nothing was staged" >&2
    exit 1
fi

# Stage the plugins of MANIFESTS into $OUT.
stage_all() {
    local manifest crate name package wasm
    for manifest in "${MANIFESTS[@]}"; do
        crate="$(dirname "$manifest")"
        name="$(manifest_name "$manifest")"
        building "$name"
        package="$(package_of "$manifest")"
        # Cargo names a library's output after the crate (hyphens become underscores) and a
        # binary's after the package.
        if [[ -f "$crate/src/main.rs" ]]; then
            wasm="$artifacts/$package.wasm"
        else
            wasm="$artifacts/${package//-/_}.wasm"
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
}

staged=0
root="$OUT"
MANIFESTS=("${CURRENT[@]}")
stage_all
if ((${#FROZEN[@]})); then
    # stage_plugin writes under $OUT, and a failure removes $OUT/<name>: point both at 0.1/.
    OUT="$root/$frozen"
    mkdir -p "$OUT"
    MANIFESTS=("${FROZEN[@]}")
    stage_all
    OUT="$root"
fi

echo "==> staged $staged Rust plugins in $OUT (the frozen 0.1 ones in $OUT/$frozen)"
