module mockforge.dev/component

go 1.25

require go.bytecodealliance.org/pkg v0.2.3

// The runtime package of wit-bindgen's Go bindings, unpacked by setup.sh from the
// wit-bindgen-go crate (no Go module proxy is needed).
replace go.bytecodealliance.org/pkg => ./.tools/wit-bindgen-go-pkg
