//go:build wasip1

// Package export_mockforge_plugin_auth is the `auth` export the generated glue calls: it hands
// the call to the SDK (package mockforge), which runs the registered plugin.
package export_mockforge_plugin_auth

import (
	witTypes "go.bytecodealliance.org/pkg/wit/types"
	"mockforge.dev/component/internal/hooks"
	"mockforge.dev/component/internal/wit/mockforge_plugin_types"
)

// Authenticate is mockforge:plugin/auth#authenticate.
func Authenticate(req *mockforge_plugin_types.Request) witTypes.Result[mockforge_plugin_types.AuthOutcome, mockforge_plugin_types.PluginError] {
	return hooks.Authenticate(req)
}
