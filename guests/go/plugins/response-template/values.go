//go:build wasip1

package main

import (
	"strconv"

	"mockforge.dev/component/mockforge"
	"mockforge.dev/guest/strictjson"
)

// values resolves the placeholders of one call: the uuid is made once per call (the same in
// every place), the identity read once.
type values struct {
	req          *mockforge.Request
	now          uint64
	uuid         string
	identityRead bool
	identity     mockforge.Identity
	hasIdentity  bool
	claims       strictjson.Object
}

func (v *values) resolve(name string) (string, bool, error) {
	p, err := parsePlaceholder(name)
	if err != nil {
		return "", false, err
	}
	switch p.kind {
	case placeholderPath:
		return v.req.Path(), true, nil
	case placeholderMethod:
		return v.req.Method(), true, nil
	case placeholderNow:
		return rfc3339(v.now), true, nil
	case placeholderNowUnix:
		return strconv.FormatUint(v.now, 10), true, nil
	case placeholderUUID:
		if v.uuid == "" {
			random, err := mockforge.RandomBytes(16)
			if err != nil {
				return "", false, mockforge.Internal("random bytes for a uuid: %v", err)
			}
			if len(random) != 16 {
				return "", false, mockforge.Internal("the host gave %d random bytes, not 16", len(random))
			}
			v.uuid = formatUUIDv4([16]byte(random))
		}
		return v.uuid, true, nil
	case placeholderPathParam:
		value, ok := v.req.PathParam(p.arg)
		return value, ok, nil
	case placeholderQuery:
		value, ok := v.req.QueryParam(p.arg)
		return value, ok, nil
	case placeholderHeader:
		value, ok := v.req.Header(p.arg)
		return value, ok, nil
	}
	if err := v.readIdentity(); err != nil {
		return "", false, err
	}
	if !v.hasIdentity {
		return "", false, nil
	}
	switch p.kind {
	case placeholderSubject:
		return v.identity.Subject, true, nil
	case placeholderUsername:
		return v.identity.Username, v.identity.Username != "", nil
	}
	claim, ok := v.claims.Get(p.arg)
	if !ok {
		return "", false, nil
	}
	return claimText(claim), true, nil
}

func (v *values) readIdentity() error {
	if v.identityRead {
		return nil
	}
	v.identityRead = true
	v.identity, v.hasIdentity = v.req.Identity()
	if !v.hasIdentity || v.identity.Claims == "" {
		return nil
	}
	claims, err := strictjson.ParseObject([]byte(v.identity.Claims))
	if err != nil {
		return mockforge.InvalidRequest("the identity's claims are not a JSON object: %v", err)
	}
	v.claims = claims
	return nil
}

// claimText is a claim's text: a string's own text, any other value as compact JSON.
func claimText(value strictjson.Value) string {
	if text, ok := value.Text(); ok {
		return text
	}
	return string(value.AppendCompact(nil))
}
