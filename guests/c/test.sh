#!/usr/bin/env bash
# Run the SDKs' unit tests natively: the helpers that need neither wasm nor a host (JSON,
# base64url, text, time, and in the frozen 0.1 SDK its own SHA-256 and HMAC). Both SDKs are
# tested: sdk/ against wit/0.2.0 and the frozen sdk-0.1/ against wit/0.1.0. (The plugins
# themselves are tested against a real host by the conformance suite: tests/conformance.rs.)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
CC="${CC:-clang-19}"

run_sdk_tests() { # sdk folder, wit folder, sources (under src/) the tests need...
    local sdk="$1" wit="$2" out
    shift 2
    out="$work/$(basename "$sdk")"
    mkdir -p "$out"
    # The SDK's sources include the generated bindings' types; any world's will do.
    wit-bindgen c "$wit" --world auth-plugin --rename-world mockforge --out-dir "$out" >/dev/null 2>&1
    local sources=()
    for source in "$@"; do
        sources+=("$sdk/src/$source.c")
    done
    "$CC" -std=c11 -Wall -Wextra -Werror -g -fsanitize=undefined -fsanitize-trap=undefined \
        -I "$sdk/include" -I "$out" -o "$out/sdk_tests" "$sdk/tests/sdk_tests.c" "${sources[@]}" -lm
    echo "==> $(basename "$sdk")"
    "$out/sdk_tests"
}

run_sdk_tests "$here/sdk-0.1" "$here/../../wit/0.1.0" arena json crypto clock
run_sdk_tests "$here/sdk" "$here/../../wit/0.2.0" arena json base64url clock
