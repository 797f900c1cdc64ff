# Shell helpers shared by setup.sh, build.sh and test.sh: the Go toolchain (the same pinned
# standard Go as the legacy Go guests, found and kept off the network the same way) and where
# setup.sh puts the rest. Source it, then call `require_go`; it sets GO.
#
# Go's module proxy is not used: the one module outside the standard library that the
# generated bindings import, go.bytecodealliance.org/pkg, is replaced in go.mod by the copy
# setup.sh unpacks into .tools/wit-bindgen-go-pkg from the wit-bindgen-go crate.

# shellcheck source=../go-legacy/toolchain.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../go-legacy/toolchain.sh"

# The bindings' runtime package needs Go 1.25 (its go.mod says so).
GO_MIN_MINOR=25

# generate_bindings writes the WIT bindings of mockforge:plugin@0.2.0 into internal/wit/
# (generated, not committed): one Go package per interface, those of the world `plugin`, which
# holds every interface. The export glue wit-bindgen writes is not kept: each world's glue is
# the SDK's own (internal/worlds/<world>, committed), which lowers the answers without pinning.
generate_bindings() {
    local here wit out scratch log
    here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
    wit="$(cd "$here/../../wit/0.2.0" && pwd)"
    out="$here/internal/wit"
    if ! command -v wit-bindgen >/dev/null || [[ ! -f "$here/.tools/wit-bindgen-go-pkg/go.mod" ]]; then
        echo "error: wit-bindgen or the Go runtime package of the bindings is missing; run: bash $here/setup.sh" >&2
        exit 1
    fi
    scratch="$(mktemp -d)"
    rm -rf "$out"
    mkdir -p "$out"
    # gofmt (beside go) formats what wit-bindgen writes.
    if ! log="$(PATH="$(dirname "$GO"):$PATH" wit-bindgen go "$wit" --world plugin \
        --pkg-name mockforge.dev/component/internal/wit \
        --export-pkg-name mockforge.dev/component/internal/exports \
        --out-dir "$scratch/plugin" 2>&1)"; then
        echo "$log" >&2
        rm -rf "$scratch"
        exit 1
    fi
    rm -rf "$scratch/plugin/wit_exports"
    cp -r "$scratch/plugin/." "$out/"
    rm -rf "$scratch"
}
