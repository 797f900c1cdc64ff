//go:build wasip1

// Package export_mockforge_plugin_responder is the `responder` export the generated glue
// calls: it hands each call to the SDK (package mockforge), which runs the registered plugin.
package export_mockforge_plugin_responder

import (
	witTypes "go.bytecodealliance.org/pkg/wit/types"
	"mockforge.dev/component/internal/hooks"
	"mockforge.dev/component/internal/wit/mockforge_plugin_types"
)

// Respond is mockforge:plugin/responder#respond.
func Respond(req *mockforge_plugin_types.Request) witTypes.Result[witTypes.Option[mockforge_plugin_types.Response], mockforge_plugin_types.PluginError] {
	return hooks.Respond(req)
}

// Modify is mockforge:plugin/responder#modify.
func Modify(req *mockforge_plugin_types.Request, resp mockforge_plugin_types.Response) witTypes.Result[mockforge_plugin_types.Response, mockforge_plugin_types.PluginError] {
	return hooks.Modify(req, resp)
}
