package main

import "strings"

// credentialKind is what the Authorization header holds, as far as this plugin is concerned.
type credentialKind uint8

const (
	// credentialAbsent: no header, an empty one, or another scheme: not this plugin's business.
	credentialAbsent credentialKind = iota
	// credentialEmpty: the Bearer scheme with no token after it.
	credentialEmpty
	// credentialToken: the token of `Bearer <token>`.
	credentialToken
)

// bearer reads the first Authorization header's value (present false when there is none).
// The value is trimmed of Unicode whitespace; the scheme is what comes before the first space,
// compared case-insensitively (RFC 7235), or the whole value when it has no space; the token
// is the rest, trimmed.
func bearer(value string, present bool) (credentialKind, string) {
	if !present {
		return credentialAbsent, ""
	}
	value = strings.TrimSpace(value)
	scheme, token, _ := strings.Cut(value, " ")
	if !strings.EqualFold(scheme, "bearer") || len(scheme) != len("bearer") {
		return credentialAbsent, ""
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return credentialEmpty, ""
	}
	return credentialToken, token
}
