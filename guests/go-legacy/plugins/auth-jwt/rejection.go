package main

import "mockforge.dev/guest/mockforge"

// rejection is why a request's bearer token was refused; accepted means it was not.
type rejection uint8

const (
	accepted rejection = iota
	missingToken
	malformed
	unsupportedAlgorithm
	invalidSignature
	expired
	notYetValid
	invalidIssuer
	invalidAudience
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
	return "unauthorized"
}

// denial is the 401 answer, with the RFC 6750 challenge: a request that sent no token gets no
// error code, one that sent a bad token gets `invalid_token`.
func (r rejection) denial() mockforge.Outcome {
	challenge := `Bearer realm="mockforge", error="invalid_token"`
	if r == missingToken {
		challenge = `Bearer realm="mockforge"`
	}
	return mockforge.Deny(401, r.reason(), mockforge.Header{Name: "WWW-Authenticate", Value: challenge})
}
