package mockforge

import (
	"encoding/json"
)

// Identity is who a request is, as an auth plugin establishes it. An empty Username, Email or
// DisplayName is not set.
type Identity struct {
	// Subject is a stable identifier of the principal (a user id, a key id, a `sub` claim).
	Subject string
	// Username is a login or user name.
	Username string
	// Email is an e-mail address.
	Email string
	// DisplayName is a human-readable name.
	DisplayName string
	// Roles are the roles granted to the principal.
	Roles []string
	// Groups are the groups the principal belongs to.
	Groups []string
	// Claims are further claims as the text of one JSON object (`{"tenant":"acme"}`); empty
	// means none. The host refuses an answer whose claims are not a JSON object.
	Claims string
}

// NewIdentity is an identity of subject with nothing else.
func NewIdentity(subject string) Identity {
	return Identity{Subject: subject}
}

// WithClaimsJSON returns the identity with claims set to objectText, the text of a JSON
// object, as it is (a plugin that already holds the object's text, such as a JWT's payload,
// passes it without decoding it).
func (id Identity) WithClaimsJSON(objectText string) Identity {
	id.Claims = objectText
	return id
}

// WithClaims returns the identity with claims set to the JSON encoding of claims.
func (id Identity) WithClaims(claims map[string]any) (Identity, error) {
	text, err := json.Marshal(claims)
	if err != nil {
		return id, Internal("claims: %v", err)
	}
	id.Claims = string(text)
	return id, nil
}
