// The benchmark auth plugin: it allows a request whose `authorization` header is exactly
// `Bearer good` and denies every other, so that a benchmark measures the plugin call itself.
package main

import "mockforge.dev/guest/mockforge"

func main() {}

func init() { mockforge.RegisterAuth(trivial{}) }

type trivial struct{}

func (trivial) Authenticate(req *mockforge.Request, _ mockforge.Credentials) (mockforge.Outcome, error) {
	if value, _ := req.Headers.Get("authorization"); value == "Bearer good" {
		return mockforge.Allow(mockforge.Identity{UserID: "good"}), nil
	}
	return mockforge.Deny(401, "denied"), nil
}
