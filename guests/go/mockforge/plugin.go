//go:build wasip1

package mockforge

// AuthPlugin decides who a request is. Authenticate returns an error only when it cannot
// decide (bad configuration, an internal fault); bad credentials of its scheme are a Deny.
type AuthPlugin interface {
	Authenticate(req *Request) (Outcome, error)
}

// ResponsePlugin produces mock responses: Respond returns the response for req, or nil to
// decline so that the next plugin or the default mock answers.
type ResponsePlugin interface {
	Respond(req *Request) (*Response, error)
}

// ResponseModifier is a ResponsePlugin that also changes the response the mock produced for
// a request. A response plugin without Modify leaves every response as it is.
type ResponseModifier interface {
	Modify(req *Request, resp Response) (Response, error)
}

var (
	registeredAuth      AuthPlugin
	registeredResponder ResponsePlugin
)

// RegisterAuth makes plugin the component's auth plugin; call it from an init function. The
// manifest's kind must be "auth" (or "both").
func RegisterAuth(plugin AuthPlugin) {
	registeredAuth = plugin
}

// RegisterResponder makes plugin the component's response plugin; call it from an init
// function. The manifest's kind must be "response" (or "both").
func RegisterResponder(plugin ResponsePlugin) {
	registeredResponder = plugin
}
