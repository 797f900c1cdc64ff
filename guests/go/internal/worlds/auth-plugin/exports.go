//go:build wasip1

// Package authplugin is the export glue of the world `auth-plugin`: build.sh links it into a
// plugin whose manifest's kind is "auth". The SDK does the work (internal/hooks).
package authplugin

import "mockforge.dev/component/internal/hooks"

//go:wasmexport mockforge:plugin/auth@0.2.0#authenticate
func authenticate(request int32) uintptr { return hooks.Authenticate(request) }

//go:wasmexport cabi_post_mockforge:plugin/auth@0.2.0#authenticate
func authenticatePostReturn(uintptr) { hooks.PostReturn() }
