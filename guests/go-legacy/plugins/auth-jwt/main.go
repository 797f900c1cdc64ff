// HS256 bearer JWT authentication: see README.md for the configuration. The outcomes are
// those of the Rust reference plugin (guests/rust/plugins/auth-jwt) for every token.
package main

import (
	"strings"
	"time"

	"mockforge.dev/guest/mockforge"
)

func main() {}

func init() { mockforge.RegisterAuth(jwt{}) }

type jwt struct{}

func (jwt) Authenticate(req *mockforge.Request, _ mockforge.Credentials) (mockforge.Outcome, error) {
	s, err := loadSettings(req.Config)
	if err != nil {
		return mockforge.Outcome{}, err
	}
	identity, claims, r := authenticate(req, s, unixSeconds(time.Now()))
	if r != accepted {
		return r.denial(), nil
	}
	return mockforge.Allow(identity, claims...), nil
}

func authenticate(req *mockforge.Request, s settings, now float64) (mockforge.Identity, []mockforge.Claim, rejection) {
	token, ok := bearerToken(req.Headers.Get("authorization"))
	if !ok {
		return mockforge.Identity{}, nil, missingToken
	}
	claims, r := verify(token, s.mac)
	if r != accepted {
		return mockforge.Identity{}, nil, r
	}
	if r := check(claims, s, now); r != accepted {
		return mockforge.Identity{}, nil, r
	}
	return identity(claims)
}

// bearerToken is the token of an `Authorization: Bearer <token>` header. As in the Rust
// plugin: the value and the token are trimmed of Unicode whitespace, the scheme ends at the
// first space (not tab), and it is compared ignoring ASCII case only (RFC 7235).
func bearerToken(value string, present bool) (string, bool) {
	if !present {
		return "", false
	}
	scheme, token, ok := strings.Cut(strings.TrimSpace(value), " ")
	token = strings.TrimSpace(token)
	if !ok || !isBearer(scheme) || token == "" {
		return "", false
	}
	return token, true
}

func isBearer(scheme string) bool {
	const want = "bearer"
	if len(scheme) != len(want) {
		return false
	}
	for i := range len(want) {
		c := scheme[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != want[i] {
			return false
		}
	}
	return true
}

// unixSeconds is t in seconds since the Unix epoch, as Rust's `Duration::as_secs_f64` computes
// it, so that a token expiring this very second fares the same in both plugins.
func unixSeconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}
