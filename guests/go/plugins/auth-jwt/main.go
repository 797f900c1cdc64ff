//go:build wasip1

// Command auth-jwt is Bearer JWT authentication (HS256/384/512 through the host's HMAC,
// RS/PS/ES/EdDSA through the host's public keys): see README.md for the configuration.
package main

import "mockforge.dev/component/mockforge"

func main() {}

func init() { mockforge.RegisterAuth(jwt{}) }

type jwt struct{}

func (jwt) Authenticate(req *mockforge.Request) (mockforge.Outcome, error) {
	s, err := currentSettings()
	if err != nil {
		return mockforge.Outcome{}, err
	}
	kind, token := bearer(req.Header("authorization"))
	switch kind {
	case credentialAbsent:
		return mockforge.Abstain(), nil
	case credentialEmpty:
		return reject(missingToken), nil
	}
	now := wallClock()
	id, r := authenticate(token, s, now)
	if r != accepted {
		return reject(r), nil
	}
	return mockforge.Allow(id), nil
}

func reject(r rejection) mockforge.Outcome {
	mockforge.Log(mockforge.LevelDebug, "jwt rejected", mockforge.Header{Name: "reason", Value: r.reason()})
	return r.denial()
}

func authenticate(token string, s *settings, now float64) (mockforge.Identity, rejection) {
	claims, payloadText, r := verify(token, s)
	if r != accepted {
		return mockforge.Identity{}, r
	}
	if r := check(claims, &s.claimRules, now); r != accepted {
		return mockforge.Identity{}, r
	}
	return identity(claims, payloadText)
}
