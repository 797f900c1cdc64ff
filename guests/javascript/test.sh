#!/usr/bin/env bash
# The JavaScript SDK's own tests, in Node with the host stood in for (tests/host/): how plugin
# answers and failures are lowered, the request wrapper, the crypto, kv and files wrappers,
# strict JSON and UTF-8 with and without the engine's text codecs (QuickJS has none). The
# plugins themselves are checked by the conformance suite (`just test-guests --languages
# javascript`). Needs only Node 20 or later.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
node --import ./tests/register.mjs --test tests/
