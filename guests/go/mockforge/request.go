//go:build wasip1

package mockforge

import (
	witTypes "go.bytecodealliance.org/pkg/wit/types"
	"mockforge.dev/component/internal/wit/mockforge_plugin_types"
)

// Request is the HTTP request of one plugin call. Each method asks the host for what it
// returns (an auth plugin that reads one header never copies the body), and returns a copy
// the plugin may keep. A Request is valid only during its call: the SDK drops the host's
// handle when the call returns, and a method called after that panics.
type Request struct {
	// handle is the host's handle of the request; 0 once the call has returned.
	handle int32
}

// use is the request's handle; it panics once the call has returned.
func (r *Request) use() int32 {
	if r.handle == 0 {
		panic("mockforge: a Request used after its call returned")
	}
	return r.handle
}

// bindings is the request as the generated bindings' type, for the methods that call the host
// through them (lists and records: headers, path parameters, identity). The wrapper is
// borrowed for one method call: it registers no cleanup, and the SDK drops the handle itself.
func (r *Request) bindings() *mockforge_plugin_types.Request {
	return mockforge_plugin_types.RequestFromBorrowHandle(r.use())
}

// drop gives the handle back to the host: contract 0.2 hands it over owned, and a handle
// still held when the call returns is revoked by the host.
func (r *Request) drop() {
	if r.handle != 0 {
		importRequestDrop(r.handle)
		r.handle = 0
	}
}

// Method is the method, upper case as sent (GET, POST, ...).
func (r *Request) Method() string {
	return requestString(r, importRequestMethod)
}

// Path is the path without the query string, as sent (percent-encoding preserved).
func (r *Request) Path() string {
	return requestString(r, importRequestPath)
}

// Query is the raw query string without the leading `?`; empty when there is none.
func (r *Request) Query() string {
	return requestString(r, importRequestQuery)
}

// QueryParam is the first value of query parameter name, percent-decoded, and whether it is
// present.
func (r *Request) QueryParam(name string) (string, bool) {
	return requestNamed(r, importRequestQueryParam, name)
}

// Headers are every header in the order received; duplicate names are kept.
func (r *Request) Headers() []Header {
	defer landingReset()
	return copyPairs(r.bindings().Headers())
}

// Header is the first value of header name (case-insensitive), and whether it is present.
func (r *Request) Header(name string) (string, bool) {
	return requestNamed(r, importRequestHeader, name)
}

// HeaderAll is every value of header name (case-insensitive), in the order received.
func (r *Request) HeaderAll(name string) []string {
	defer landingReset()
	return copyStrings(r.bindings().HeaderAll(name))
}

// Body is the body bytes; empty when there is none.
func (r *Request) Body() []byte {
	return requestBody(r)
}

// ClientAddr is the client's address (ip:port), when the embedder knows it.
func (r *Request) ClientAddr() (string, bool) {
	return requestOptionalString(r, importRequestClientAddr)
}

// ID is the request's id (from x-request-id or made by the embedder); empty when the
// embedder has none.
func (r *Request) ID() string {
	return requestString(r, importRequestID)
}

// Route is the template of the route the request matched (/users/{id}), when one matched;
// never in auth plugins, which run before routing.
func (r *Request) Route() (string, bool) {
	return requestOptionalString(r, importRequestRoute)
}

// PathParams are the matched route's path parameters in template order, percent-decoded.
func (r *Request) PathParams() []Header {
	defer landingReset()
	return copyPairs(r.bindings().PathParams())
}

// PathParam is the value of path parameter name of the matched route, and whether it is
// present.
func (r *Request) PathParam(name string) (string, bool) {
	return requestNamed(r, importRequestPathParam, name)
}

// Identity is who the auth chain said the caller is, for response plugins; absent in auth
// plugins and when no auth plugin allowed the request.
func (r *Request) Identity() (Identity, bool) {
	defer landingReset()
	found := r.bindings().Identity()
	if found.IsNone() {
		return Identity{}, false
	}
	id := found.Some()
	return Identity{
		Subject:     copyString(id.Subject),
		Username:    copyString(id.Username.SomeOr("")),
		Email:       copyString(id.Email.SomeOr("")),
		DisplayName: copyString(id.DisplayName.SomeOr("")),
		Roles:       copyStrings(id.Roles),
		Groups:      copyStrings(id.Groups),
		Claims:      copyString(id.Claims),
	}, true
}

func optionalString(value witTypes.Option[string]) (string, bool) {
	if value.IsNone() {
		return "", false
	}
	return copyString(value.Some()), true
}

func copyPairs(pairs []witTypes.Tuple2[string, string]) []Header {
	out := make([]Header, len(pairs))
	for i, pair := range pairs {
		out[i] = Header{Name: copyString(pair.F0), Value: copyString(pair.F1)}
	}
	return out
}
