//go:build wasip1

package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"mockforge.dev/component/mockforge"
)

// settings is the plugin's configuration, read from the manifest's [config] table.
type settings struct {
	// secret is the HMAC key of HS256/384/512, when configured (hasSecret).
	secret    []byte
	hasSecret bool
	// keys are the public keys (public-key, then jwks, then jwks-file), held by the host.
	keys []configuredKey[*mockforge.PublicKey]
	// algorithms are the algorithms a token may use.
	algorithms []algorithm
	// claimRules are what the registered claims are checked against.
	claimRules
}

// loaded are this instance's settings, read on its first call. A plugin's configuration is
// fixed for an instance's lifetime (a changed manifest is a reload, with new instances), so
// a warm instance keeps its keys, read by the host once. A configuration error is returned
// on every call (nothing is kept).
var loaded *settings

func currentSettings() (*settings, error) {
	if loaded != nil {
		return loaded, nil
	}
	s, err := loadSettings()
	if err != nil {
		return nil, err
	}
	loaded = s
	return s, nil
}

func loadSettings() (s *settings, err error) {
	s = &settings{}
	// Keys read before an error are given back to the host.
	defer func() {
		if err != nil {
			for _, key := range s.keys {
				key.key.Close()
			}
		}
	}()
	secret, hasSecret := mockforge.Config("secret")
	// An empty key makes every HMAC forgeable.
	if hasSecret && secret == "" {
		return s, mockforge.InvalidConfig("config key `secret` is empty")
	}
	s.secret, s.hasSecret = []byte(secret), hasSecret
	if pem, ok := mockforge.Config("public-key"); ok {
		key, err := mockforge.PublicKeyFromPEM(pem)
		if err != nil {
			return s, mockforge.InvalidConfig("config key `public-key`: %v", err)
		}
		s.keys = append(s.keys, configuredKey[*mockforge.PublicKey]{keyType: key.Type(), key: key})
	}
	if text, ok := mockforge.Config("jwks"); ok {
		if err := s.addJWKS("config key `jwks`", []byte(text)); err != nil {
			return s, err
		}
	}
	if path, ok := mockforge.Config("jwks-file"); ok {
		what := fmt.Sprintf("config key `jwks-file` = %q", path)
		text, err := os.ReadFile(path)
		if err != nil {
			return s, mockforge.InvalidConfig("%s: %v", what, err)
		}
		if err := s.addJWKS(what, text); err != nil {
			return s, err
		}
	}
	if !s.hasSecret && len(s.keys) == 0 {
		return s, mockforge.InvalidConfig("no key to verify tokens with: set `secret`, `public-key`, `jwks` or `jwks-file`")
	}
	if list, ok := mockforge.Config("algorithms"); ok {
		if s.algorithms, err = parseAlgorithms(list); err != nil {
			return s, mockforge.InvalidConfig("config key `algorithms`: %v", err)
		}
		for _, a := range s.algorithms {
			if err := s.checkVerifiable(a); err != nil {
				return s, err
			}
		}
	} else {
		types := make([]mockforge.KeyType, len(s.keys))
		for i, key := range s.keys {
			types[i] = key.keyType
		}
		s.algorithms = defaultAlgorithms(s.hasSecret, types)
	}
	s.issuer, s.hasIssuer = mockforge.Config("issuer")
	s.audience, s.hasAudience = mockforge.Config("audience")
	if value, ok := mockforge.Config("leeway-seconds"); ok {
		if s.leeway, err = parseU64(value); err != nil {
			return s, mockforge.InvalidConfig("config key `leeway-seconds` = %q: %v", value, err)
		}
	}
	return s, nil
}

// addJWKS reads the keys of a JWKS (what names where it came from) into s.keys.
func (s *settings) addJWKS(what string, text []byte) error {
	entries, err := jwksEntries(text)
	if err != nil {
		return mockforge.InvalidConfig("%s: %v", what, err)
	}
	for i, entry := range entries {
		key, err := mockforge.PublicKeyFromJWK(entry.json)
		if err != nil {
			return mockforge.InvalidConfig("%s: key %d: %v", what, i, err)
		}
		s.keys = append(s.keys, configuredKey[*mockforge.PublicKey]{
			kid: entry.kid, hasKid: entry.hasKid, alg: entry.alg, hasAlg: entry.hasAlg,
			keyType: key.Type(), key: key,
		})
	}
	return nil
}

// checkVerifiable: an algorithm listed in `algorithms` must have a key to verify it, HMAC the
// secret, a signature a public key of its type.
func (s *settings) checkVerifiable(a algorithm) error {
	if a.hmac {
		if !s.hasSecret {
			return mockforge.InvalidConfig("config key `algorithms` lists %s but `secret` is not set", a.name())
		}
		return nil
	}
	for _, key := range s.keys {
		if key.keyType == a.signature.KeyType() {
			return nil
		}
	}
	return mockforge.InvalidConfig("config key `algorithms` lists %s but no public key of its type is configured", a.name())
}

// parseU64 reads a u64 as Rust's `str::parse` does after trimming: an optional `+`, then
// decimal digits.
func parseU64(value string) (uint64, error) {
	value = strings.TrimSpace(value)
	digits := strings.TrimPrefix(value, "+")
	if digits == "" || digits[0] == '+' || digits[0] == '-' {
		return 0, fmt.Errorf("invalid digit found in string")
	}
	return strconv.ParseUint(digits, 10, 64)
}
