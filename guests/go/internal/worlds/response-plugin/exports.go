//go:build wasip1

// Package responseplugin is the export glue of the world `response-plugin`: build.sh links it
// into a plugin whose manifest's kind is "response". The SDK does the work (internal/hooks).
package responseplugin

import "mockforge.dev/component/internal/hooks"

//go:wasmexport mockforge:plugin/responder@0.2.0#respond
func respond(request int32) uintptr { return hooks.Respond(request) }

//go:wasmexport cabi_post_mockforge:plugin/responder@0.2.0#respond
func respondPostReturn(uintptr) { hooks.PostReturn() }

//go:wasmexport mockforge:plugin/responder@0.2.0#modify
func modify(request, status int32, headers uintptr, count uint32, body uintptr, bodyLen uint32) uintptr {
	return hooks.Modify(request, status, headers, count, body, bodyLen)
}

//go:wasmexport cabi_post_mockforge:plugin/responder@0.2.0#modify
func modifyPostReturn(uintptr) { hooks.PostReturn() }
