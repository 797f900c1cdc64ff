#!/usr/bin/env bash
# Install what build.sh needs, idempotently: the AssemblyScript compiler pinned in
# package-lock.json, into node_modules/. Nothing else: the plugins are plain core modules.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../setup-lib.sh
source "$here/../setup-lib.sh"

npm_ensure "$here" asc "the AssemblyScript compiler"
echo "    AssemblyScript guests: asc $("$NODE_MODULES/.bin/asc" --version)"
