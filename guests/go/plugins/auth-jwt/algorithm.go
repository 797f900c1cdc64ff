package main

import (
	"fmt"
	"slices"
	"strings"

	"mockforge.dev/component/mockforge"
)

// algorithm is a JWS algorithm this plugin verifies: an HMAC under the secret (hmac true,
// hash) or a signature verified with a public key (signature).
type algorithm struct {
	hmac      bool
	hash      mockforge.HashAlgorithm
	signature mockforge.SignatureAlgorithm
}

// algorithmNamed is the algorithm a JWS alg names, in the exact case of RFC 7518; false for
// none and every other name.
func algorithmNamed(name string) (algorithm, bool) {
	if hash, ok := mockforge.HMACAlgorithm(name); ok {
		return algorithm{hmac: true, hash: hash}, true
	}
	if signature, ok := mockforge.SignatureAlgorithmNamed(name); ok {
		return algorithm{signature: signature}, true
	}
	return algorithm{}, false
}

// name is the algorithm's JWS name.
func (a algorithm) name() string {
	if a.hmac {
		return [...]string{"HS256", "HS384", "HS512"}[a.hash]
	}
	return a.signature.Name()
}

// defaultAlgorithms are the algorithms accepted when `algorithms` is not configured: HS256
// when a secret is set, then every algorithm that a configured key's type verifies, each once.
func defaultAlgorithms(hasSecret bool, keyTypes []mockforge.KeyType) []algorithm {
	var out []algorithm
	if hasSecret {
		out = append(out, algorithm{hmac: true, hash: mockforge.SHA256})
	}
	for _, signature := range mockforge.SignatureAlgorithms {
		if slices.Contains(keyTypes, signature.KeyType()) {
			out = append(out, algorithm{signature: signature})
		}
	}
	return out
}

// parseAlgorithms reads an `algorithms` value: names separated by commas, spaces around them
// ignored, at least one; an unknown name is an error naming it.
func parseAlgorithms(list string) ([]algorithm, error) {
	var out []algorithm
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		a, ok := algorithmNamed(name)
		if !ok {
			return nil, fmt.Errorf("%q is not an algorithm this plugin verifies (HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA)", name)
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("lists no algorithm")
	}
	return out, nil
}
