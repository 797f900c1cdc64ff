#!/usr/bin/env bash
# Run the SDK's unit tests natively: the crypto, base64url, JSON, text and time helpers need
# neither wasm nor a host. (The plugins themselves are tested against a real host by the
# conformance suite: tests/conformance.rs.)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
wit="$(cd "$here/../../wit/0.1.0" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
CC="${CC:-clang-19}"

# The SDK's sources include the generated bindings' types; any world's will do.
wit-bindgen c "$wit" --world auth-plugin --rename-world mockforge --out-dir "$work" >/dev/null 2>&1
"$CC" -std=c11 -Wall -Wextra -Werror -g -fsanitize=undefined -fsanitize-trap=undefined -I "$here/sdk/include" -I "$work" \
    -o "$work/sdk_tests" "$here/sdk/tests/sdk_tests.c" \
    "$here"/sdk/src/{arena,json,crypto,clock}.c -lm
"$work/sdk_tests"
