package main

import "mockforge.dev/component/mockforge"

// rejection is why a request's bearer token was refused (accepted: it was not).
type rejection uint8

const (
	accepted rejection = iota
	// missingToken: `Authorization: Bearer` with no token after the scheme.
	missingToken
	// malformed: not a compact JWS, a segment that is not base64url or JSON, or a claim of the
	// wrong type.
	malformed
	// unsupportedAlgorithm: an alg outside the accepted list (none included), or one the
	// chosen key cannot verify.
	unsupportedAlgorithm
	// invalidSignature: no configured key made the signature valid.
	invalidSignature
	// expired: exp has passed.
	expired
	// notYetValid: nbf is still ahead.
	notYetValid
	// invalidIssuer: iss is not the configured issuer.
	invalidIssuer
	// invalidAudience: aud does not hold the configured audience.
	invalidAudience
	// missingSubject: sub is absent, empty or not a string.
	missingSubject
)

// reason is the text the client sees.
func (r rejection) reason() string {
	switch r {
	case missingToken:
		return "missing bearer token"
	case malformed:
		return "malformed token"
	case unsupportedAlgorithm:
		return "unsupported algorithm"
	case invalidSignature:
		return "invalid signature"
	case expired:
		return "token expired"
	case notYetValid:
		return "token not yet valid"
	case invalidIssuer:
		return "invalid issuer"
	case invalidAudience:
		return "invalid audience"
	case missingSubject:
		return "missing subject"
	}
	return "accepted"
}

// denial is the 401 answer with the RFC 6750 challenge: a request that sent no token gets no
// error code, one that sent a bad token gets invalid_token.
func (r rejection) denial() mockforge.Outcome {
	challenge := `Bearer realm="mockforge", error="invalid_token"`
	if r == missingToken {
		challenge = `Bearer realm="mockforge"`
	}
	return mockforge.Deny(401, r.reason(), mockforge.Header{Name: "WWW-Authenticate", Value: challenge})
}
