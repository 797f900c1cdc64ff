package main

import "mockforge.dev/component/mockforge"

// configuredKey is a configured public key and what chooses it for a token; K is the key
// itself (the host's handle; anything in tests).
type configuredKey[K any] struct {
	// kid is its kid in the JWKS, when it has one (hasKid); a PEM key has none.
	kid    string
	hasKid bool
	// alg is the one algorithm it verifies, when its JWK says (hasAlg).
	alg    string
	hasAlg bool
	// keyType is its type, read once when it was loaded.
	keyType mockforge.KeyType
	key     K
}

// selectKeys are the keys that may verify a token signed with alg whose header carries kid
// (hasKid false: none), in the order they were configured.
//
// A key is a candidate when the token has no kid, the key has none, or both are equal. No
// candidate at all: invalidSignature. Candidates, but none whose type verifies alg (or whose
// own alg is another): unsupportedAlgorithm, and nothing is tried.
func selectKeys[K any](keys []configuredKey[K], kid string, hasKid bool, alg mockforge.SignatureAlgorithm) ([]configuredKey[K], rejection) {
	candidates := 0
	var fitting []configuredKey[K]
	for _, key := range keys {
		if hasKid && key.hasKid && key.kid != kid {
			continue
		}
		candidates++
		if key.keyType == alg.KeyType() && (!key.hasAlg || key.alg == alg.Name()) {
			fitting = append(fitting, key)
		}
	}
	if candidates == 0 {
		return nil, invalidSignature
	}
	if len(fitting) == 0 {
		return nil, unsupportedAlgorithm
	}
	return fitting, accepted
}
