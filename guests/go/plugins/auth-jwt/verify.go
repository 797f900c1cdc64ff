//go:build wasip1

package main

import (
	"mockforge.dev/component/mockforge"
	"mockforge.dev/guest/strictjson"
)

// verify checks that token is a compact JWS signed with an accepted algorithm under a
// configured key, and returns its claims with their text.
func verify(token string, s *settings) (strictjson.Object, string, rejection) {
	t, r := parseJWS(token)
	if r != accepted {
		return strictjson.Object{}, "", r
	}
	// Only the configured algorithms, by their exact names: never none, and never an
	// algorithm that no configured key is meant for.
	name, _ := t.alg()
	a, ok := algorithmNamed(name)
	if !ok || !contains(s.algorithms, a) {
		return strictjson.Object{}, "", unsupportedAlgorithm
	}
	signature, r := t.signatureBytes()
	if r != accepted {
		return strictjson.Object{}, "", r
	}
	message := bytesView(t.signingInput)
	valid := false
	if a.hmac {
		// Only the secret keys an HMAC, never a public key passed off as one.
		if !s.hasSecret {
			return strictjson.Object{}, "", unsupportedAlgorithm
		}
		valid = mockforge.HMACVerify(a.hash, s.secret, message, signature)
	} else {
		kid, hasKid := t.kid()
		keys, r := selectKeys(s.keys, kid, hasKid, a.signature)
		if r != accepted {
			return strictjson.Object{}, "", r
		}
		for _, key := range keys {
			if ok, err := key.key.Verify(a.signature, message, signature); err == nil && ok {
				valid = true
				break
			}
		}
	}
	if !valid {
		return strictjson.Object{}, "", invalidSignature
	}
	return t.claims()
}

func contains(list []algorithm, a algorithm) bool {
	for _, known := range list {
		if known == a {
			return true
		}
	}
	return false
}
