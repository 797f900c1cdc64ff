#!/usr/bin/env bash
# Install what guests/rust/build.sh needs, idempotently: the wasm32-wasip2 Rust target.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../setup-lib.sh
source "$here/../setup-lib.sh"
rust_target_ensure wasm32-wasip2 "Rust plugins are WASI 0.2 components"
