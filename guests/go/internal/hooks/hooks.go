//go:build wasip1

// Package hooks connects the export glue of each world (internal/worlds/<world>) to the SDK
// (package mockforge), which sets these functions in its init: the glue holds only the
// `//go:wasmexport` declarations a world needs, and the SDK's public API stays free of the
// canonical ABI.
//
// Each export takes the canonical ABI's flat parameters and returns the address of its
// answer in the SDK's return area; PostReturn is every export's `cabi_post_` function, called
// by the host once it has read the answer.
package hooks

// Authenticate runs the registered auth plugin on the owned request handle.
var Authenticate func(request int32) uintptr

// Respond runs the registered response plugin's Respond on the owned request handle.
var Respond func(request int32) uintptr

// Modify runs the registered response plugin's Modify on the owned request handle and the
// response the host lowered: its status, its headers (count pairs of strings at headers) and
// its body (bodyLen bytes at body).
var Modify func(request, status int32, headers uintptr, count uint32, body uintptr, bodyLen uint32) uintptr

// PostReturn releases what the last answer kept for the host to read.
var PostReturn func()
