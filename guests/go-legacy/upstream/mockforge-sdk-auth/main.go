// A MockForge auth plugin written against MockForge's published Go SDK (../mockforge), as an
// existing plugin would be. It accepts the bearer token "good", the Basic user alice with
// password secret, the API key "key-123", and any other scheme with a non-empty token; every
// answer echoes the credentials and context it received in its claims (a request that would be
// refused is allowed as "echo" when it carries `x-echo: 1`, so that every shape can be seen).
// A request with the header `x-collect: 1` runs Go's collector first.
package main

import (
	"runtime"

	"mockforge.dev/guest/upstream/mockforge"
)

type plugin struct{}

func (plugin) Authenticate(ctx *mockforge.PluginContext, creds *mockforge.AuthCredentials) (*mockforge.AuthResult, error) {
	if ctx.Headers["x-collect"] == "1" {
		runtime.GC()
	}
	user := ""
	switch creds.Type {
	case "bearer":
		if creds.Token == "good" {
			user = "bearer-user"
		}
	case "basic":
		if creds.Data["username"] == "alice" && creds.Data["password"] == "secret" {
			user = "alice"
		}
	case "api_key":
		if creds.Token == "key-123" {
			user = "api-client"
		}
	case "", "none":
	default:
		if creds.Token != "" {
			user = "custom:" + creds.Type
		}
	}
	if user == "" && ctx.Headers["x-echo"] == "1" {
		user = "echo"
	}
	return &mockforge.AuthResult{
		Authenticated: user != "",
		UserID:        user,
		Claims: map[string]interface{}{
			"type":         creds.Type,
			"token":        creds.Token,
			"data":         creds.Data,
			"method":       ctx.Method,
			"uri":          ctx.URI,
			"body_bytes":   len(ctx.Body),
			"header_count": len(ctx.Headers),
		},
	}, nil
}

func (plugin) GetCapabilities() *mockforge.PluginCapabilities {
	return &mockforge.PluginCapabilities{
		Resources: mockforge.ResourceLimits{MaxMemoryBytes: 64 << 20, MaxCPUTimeMs: 1000},
	}
}

// TinyGo runs main; a standard Go reactor runs init only.
func init() {
	mockforge.ExportAuthPlugin(plugin{})
}

func main() {}
