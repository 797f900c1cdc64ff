package mockforge

import "mockforge.dev/guest/strictjson"

// Outcome is an auth plugin's decision: [Allow] or [Deny]. The zero Outcome denies with the
// host's defaults (401, "unauthorized").
type Outcome struct {
	allowed  bool
	identity Identity
	claims   []Claim
	denial   denial
}

// Identity is who an allowed request is. Only UserID is required; empty fields are left out.
type Identity struct {
	// UserID is the stable subject identifier, such as a JWT's `sub`.
	UserID      string
	Username    string
	Email       string
	DisplayName string
	Roles       []string
	Groups      []string
}

// Claim is one named fact about the identity, passed on to the host as JSON.
type Claim struct {
	Name string
	// JSON is the claim's value as JSON text: `"ada"` (quotes included) for a string,
	// `42`, `{"id":7}`. Text that is not JSON makes the call fail with an internal error.
	JSON string

	// value is set by ClaimValue instead of JSON.
	value strictjson.Value
}

// ClaimValue is a claim whose value is v, as strictjson read it (a member of a token's
// payload, say): it is sent as its own text, compacted, without being read again.
func ClaimValue(name string, v strictjson.Value) Claim {
	return Claim{Name: name, value: v}
}

// Header is one HTTP header of a denial, such as `WWW-Authenticate`.
type Header struct {
	Name  string
	Value string
}

type denial struct {
	status  int
	reason  string
	headers []Header
}

// Allow lets the request through as identity, with claims in the order given.
func Allow(identity Identity, claims ...Claim) Outcome {
	return Outcome{allowed: true, identity: identity, claims: claims}
}

// Deny refuses the request with HTTP status (0 means 401), reason (the text the client may
// see; empty means "unauthorized") and response headers. Headers are sent as a JSON object:
// give each name once.
func Deny(status int, reason string, headers ...Header) Outcome {
	return Outcome{denial: denial{status: status, reason: reason, headers: headers}}
}
