package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash"

	"mockforge.dev/guest/mockforge"
)

// settings is the plugin's configuration, read from the manifest's `[config]` table.
type settings struct {
	// mac is HMAC-SHA256 keyed with the `secret` config value.
	mac hash.Hash
	// issuer is the required `iss` claim, when hasIssuer.
	issuer    string
	hasIssuer bool
	// audience is the value the `aud` claim must be or contain, when hasAudience.
	audience    string
	hasAudience bool
	// leeway is the clock skew tolerated on `exp` and `nbf`, in seconds.
	leeway uint64
}

// keyed is the HMAC of the last secret seen: a warm instance sees the same secret on every
// call, and keying an HMAC costs two SHA-256 blocks. Instances serve one call at a time.
var keyed struct {
	secret string
	mac    hash.Hash
}

func loadSettings(config mockforge.Config) (settings, error) {
	secret, err := config.Require("secret")
	if err != nil {
		return settings{}, err
	}
	// An empty key makes every signature forgeable.
	if secret == "" {
		return settings{}, mockforge.InvalidConfig("config key `secret` is empty")
	}
	var s settings
	s.issuer, s.hasIssuer = config.Get("issuer")
	s.audience, s.hasAudience = config.Get("audience")
	if s.leeway, _, err = config.Uint("leeway-seconds"); err != nil {
		return settings{}, err
	}
	if keyed.mac == nil || keyed.secret != secret {
		keyed.secret, keyed.mac = secret, hmac.New(sha256.New, []byte(secret))
	}
	s.mac = keyed.mac
	return s, nil
}
