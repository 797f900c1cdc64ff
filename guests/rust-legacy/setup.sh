#!/usr/bin/env bash
# Install what guests/rust-legacy/build.sh needs, idempotently: the wasm32-unknown-unknown
# Rust target (legacy plugins are plain core modules with no WASI imports).
set -euo pipefail
rustup target add wasm32-unknown-unknown
