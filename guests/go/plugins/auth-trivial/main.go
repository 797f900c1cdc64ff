//go:build wasip1

// Command auth-trivial is the benchmark auth plugin: it allows a request whose
// `authorization` header is exactly `Bearer good`, denies one with any other `authorization`
// header and abstains when there is none, so that a benchmark measures the plugin call itself.
package main

import "mockforge.dev/component/mockforge"

func main() {}

func init() { mockforge.RegisterAuth(trivial{}) }

type trivial struct{}

func (trivial) Authenticate(req *mockforge.Request) (mockforge.Outcome, error) {
	value, present := req.Header("authorization")
	switch {
	case !present:
		return mockforge.Abstain(), nil
	case value == "Bearer good":
		return mockforge.Allow(mockforge.NewIdentity("good")), nil
	default:
		return mockforge.Deny(401, "denied"), nil
	}
}
