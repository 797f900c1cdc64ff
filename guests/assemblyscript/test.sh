#!/usr/bin/env bash
# Build the plugins and the test probe, then run the Node tests: every conformance vector of
# the plugins in conformance-plugins, the SDK's pieces, an abort, and 100,000 calls on one
# instance. Needs only Node and npm (setup.sh runs first); no cargo.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$here/build"

bash "$here/setup.sh"
bash "$here/build.sh" "$build/plugins"
echo "==> building the test probe"
"$here/node_modules/.bin/asc" "$here/tests/probe/index.ts" --outFile "$build/probe.wasm" \
    --runtime incremental --exportRuntime --optimizeLevel 3 --shrinkLevel 0

export MOCKFORGE_AS_PLUGINS="$build/plugins"
export MOCKFORGE_AS_PROBE="$build/probe.wasm"
# Legacy AssemblyScript modules are adapted into contract-0.1 components: the 0.1 vectors.
export MOCKFORGE_VECTORS="$root/tests/conformance/vectors/0.1"
cd "$here"
node --test --test-reporter=spec tests/*.test.mjs
