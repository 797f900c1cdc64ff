module mockforge.dev/component

go 1.25

require (
	go.bytecodealliance.org/pkg v0.2.3
	mockforge.dev/guest v0.0.0
)

// The runtime package of wit-bindgen's Go bindings, unpacked by setup.sh from the
// wit-bindgen-go crate (no Go module proxy is needed).
replace go.bytecodealliance.org/pkg => ./.tools/wit-bindgen-go-pkg

// The strict JSON reader (`strictjson`) is the legacy Go SDK's module's: one copy for both SDKs.
replace mockforge.dev/guest => ../go-legacy
