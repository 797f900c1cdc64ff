// Package mockforge has the shapes of MockForge's published Go SDK (the JSON each export
// reads and writes), for standard Go. See ../README.md.
package mockforge

import "fmt"

// PluginContext is the request as the host describes it.
type PluginContext struct {
	Method  string            `json:"method"`
	URI     string            `json:"uri"`
	Headers map[string]string `json:"headers"`
	Body    []byte            `json:"body,omitempty"`
}

// AuthCredentials are the credentials the request carries.
type AuthCredentials struct {
	Type  string            `json:"type"`
	Token string            `json:"token,omitempty"`
	Data  map[string]string `json:"data,omitempty"`
}

// AuthResult is an auth plugin's answer.
type AuthResult struct {
	Authenticated bool                   `json:"authenticated"`
	UserID        string                 `json:"user_id"`
	Claims        map[string]interface{} `json:"claims"`
}

// PluginCapabilities is what a plugin says it needs.
type PluginCapabilities struct {
	Network    NetworkCapabilities    `json:"network"`
	Filesystem FilesystemCapabilities `json:"filesystem"`
	Resources  ResourceLimits         `json:"resources"`
}

// NetworkCapabilities is the network access a plugin asks for.
type NetworkCapabilities struct {
	AllowHTTPOutbound bool     `json:"allow_http_outbound"`
	AllowedHosts      []string `json:"allowed_hosts,omitempty"`
}

// FilesystemCapabilities is the file access a plugin asks for.
type FilesystemCapabilities struct {
	AllowRead    bool     `json:"allow_read"`
	AllowWrite   bool     `json:"allow_write"`
	AllowedPaths []string `json:"allowed_paths,omitempty"`
}

// ResourceLimits is the resources a plugin asks for.
type ResourceLimits struct {
	MaxMemoryBytes uint64 `json:"max_memory_bytes"`
	MaxCPUTimeMs   uint64 `json:"max_cpu_time_ms"`
}

// PluginError is a plugin's failure: 400 for a bad request, 500 otherwise.
type PluginError struct {
	Message string `json:"message"`
	Code    int    `json:"code"`
}

func (e *PluginError) Error() string {
	return fmt.Sprintf("plugin error [%d]: %s", e.Code, e.Message)
}

// AuthPlugin is what an auth plugin implements.
type AuthPlugin interface {
	Authenticate(ctx *PluginContext, creds *AuthCredentials) (*AuthResult, error)
	GetCapabilities() *PluginCapabilities
}

var currentAuthPlugin AuthPlugin

// ExportAuthPlugin registers the plugin the exports call.
func ExportAuthPlugin(plugin AuthPlugin) {
	currentAuthPlugin = plugin
}

// ResponseRequest is the request a response plugin answers.
type ResponseRequest struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"`
	Body    []byte            `json:"body,omitempty"`
}

// ResponseData is a response plugin's answer; Go writes Body as base64.
type ResponseData struct {
	StatusCode  int               `json:"status_code"`
	Headers     map[string]string `json:"headers"`
	Body        []byte            `json:"body"`
	ContentType string            `json:"content_type"`
}

// ResponsePlugin is what a response plugin implements. MockForge's SDK exports no entry point
// for it: a plugin exports `generate_response` itself, in the JSON host convention.
type ResponsePlugin interface {
	GenerateResponse(ctx *PluginContext, req *ResponseRequest) (*ResponseData, error)
	GetCapabilities() *PluginCapabilities
}
