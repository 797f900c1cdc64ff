//go:build wasip1

// Package hooks connects the export packages the generated glue calls (internal/exports) to
// the SDK (package mockforge), which sets these functions in its init: the export packages
// cannot import the SDK's unexported functions, and the SDK's public API keeps the generated
// types out of sight.
package hooks

import (
	witTypes "go.bytecodealliance.org/pkg/wit/types"
	"mockforge.dev/component/internal/wit/mockforge_plugin_types"
)

// Authenticate runs the registered auth plugin.
var Authenticate func(req *mockforge_plugin_types.Request) witTypes.Result[mockforge_plugin_types.AuthOutcome, mockforge_plugin_types.PluginError]

// Respond runs the registered response plugin's Respond.
var Respond func(req *mockforge_plugin_types.Request) witTypes.Result[witTypes.Option[mockforge_plugin_types.Response], mockforge_plugin_types.PluginError]

// Modify runs the registered response plugin's Modify.
var Modify func(req *mockforge_plugin_types.Request, resp mockforge_plugin_types.Response) witTypes.Result[mockforge_plugin_types.Response, mockforge_plugin_types.PluginError]
