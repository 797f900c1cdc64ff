#!/usr/bin/env bash
# Install what build.sh needs, idempotently: the AssemblyScript compiler pinned in
# package-lock.json, into node_modules/. Nothing else: the plugins are plain core modules.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    cat >&2 <<'MSG'
error: Node.js and npm are needed (Node.js 20 or later), to run the AssemblyScript compiler.
  Debian/Ubuntu:  apt-get install nodejs npm
  macOS:          brew install node
  elsewhere:      https://nodejs.org/en/download
MSG
    exit 1
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
if ((major < 20)); then
    echo "error: Node.js $(node --version) is too old; assemblyscript needs 20 or later" >&2
    exit 1
fi

# `npm ci` reinstalls from scratch; skip it when the lock file is already what is installed.
stamp="$here/node_modules/.package-lock.json.installed"
if ! cmp -s "$here/package-lock.json" "$stamp" 2>/dev/null || [[ ! -x "$here/node_modules/.bin/asc" ]]; then
    npm ci --prefix "$here" --no-audit --no-fund
    cp "$here/package-lock.json" "$stamp"
fi
echo "asc $("$here/node_modules/.bin/asc" --version)"
