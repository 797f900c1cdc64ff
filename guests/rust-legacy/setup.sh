#!/usr/bin/env bash
# Install what guests/rust-legacy/build.sh needs, idempotently: the wasm32-unknown-unknown
# Rust target (legacy plugins are plain core modules with no WASI imports).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../setup-lib.sh
source "$here/../setup-lib.sh"
rust_target_ensure wasm32-unknown-unknown "legacy Rust plugins are plain core modules"
