package main

import (
	"errors"
	"fmt"

	"mockforge.dev/guest/strictjson"
)

// jwkEntry is one key of a JSON Web Key Set, before the host reads it.
type jwkEntry struct {
	// kid is its kid, when it has one that is a string (hasKid).
	kid    string
	hasKid bool
	// alg is its alg, when it has one that is a string (hasAlg): the key then verifies only
	// that algorithm.
	alg    string
	hasAlg bool
	// json is the key's own JSON text, for the host's from-jwk.
	json string
}

// jwksEntries are the keys of a JWKS (RFC 7517 section 5): a JSON object whose `keys` member
// is a non-empty array of objects. Anything else is an error saying what is wrong.
func jwksEntries(text []byte) ([]jwkEntry, error) {
	set, err := strictjson.ParseObject(text)
	if err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	keys, _ := set.Get("keys")
	items, ok := keys.Elements()
	if !ok {
		return nil, errors.New("not a JWKS: no `keys` array")
	}
	if len(items) == 0 {
		return nil, errors.New("the JWKS holds no key")
	}
	entries := make([]jwkEntry, len(items))
	for i, item := range items {
		members, ok := item.Object()
		if !ok {
			return nil, fmt.Errorf("key %d is not a JSON object", i)
		}
		entry := jwkEntry{json: string(item.Raw())}
		entry.kid, entry.hasKid = members.Text("kid")
		entry.alg, entry.hasAlg = members.Text("alg")
		entries[i] = entry
	}
	return entries, nil
}
