package main

import (
	"mockforge.dev/component/mockforge"
	"mockforge.dev/guest/strictjson"
)

// claimRules are the settings the registered claims are checked against.
type claimRules struct {
	// issuer is the required iss claim, when configured (hasIssuer).
	issuer    string
	hasIssuer bool
	// audience is the value aud must be or contain, when configured (hasAudience).
	audience    string
	hasAudience bool
	// leeway is the clock skew tolerated on exp and nbf, in seconds.
	leeway uint64
}

// check checks the registered claims of a verified token against the clock (now, seconds
// since the Unix epoch with their fraction) and the configured issuer and audience.
func check(claims strictjson.Object, s *claimRules, now float64) rejection {
	leeway := float64(s.leeway)
	exp, ok, r := numericDate(claims, "exp")
	if r != accepted {
		return r
	}
	// RFC 7519 4.1.4: the token must not be accepted on or after exp.
	if ok && now >= exp+leeway {
		return expired
	}
	nbf, ok, r := numericDate(claims, "nbf")
	if r != accepted {
		return r
	}
	if ok && now+leeway < nbf {
		return notYetValid
	}
	if s.hasIssuer {
		if iss, ok := memberText(claims, "iss"); !ok || iss != s.issuer {
			return invalidIssuer
		}
	}
	if s.hasAudience && !hasAudience(claims, s.audience) {
		return invalidAudience
	}
	return accepted
}

// hasAudience is whether aud (RFC 7519 4.1.3: one string or an array of them) is or holds
// audience.
func hasAudience(claims strictjson.Object, audience string) bool {
	aud, _ := claims.Get("aud")
	if text, ok := textView(aud); ok {
		return text == audience
	}
	items, _ := aud.Elements()
	for _, item := range items {
		if text, ok := textView(item); ok && text == audience {
			return true
		}
	}
	return false
}

// identity is the identity a verified token describes; its claims are the whole payload
// (payloadText, the object's own text). Its strings are views of the payload (views.go).
func identity(claims strictjson.Object, payloadText string) (mockforge.Identity, rejection) {
	subject, ok := memberText(claims, "sub")
	if !ok || subject == "" {
		return mockforge.Identity{}, missingSubject
	}
	id := mockforge.NewIdentity(subject).WithClaimsJSON(payloadText)
	id.Roles = stringItems(claims, "roles")
	id.Groups = stringItems(claims, "groups")
	id.Email = text(claims, "email")
	id.DisplayName = text(claims, "name")
	if username, ok := memberText(claims, "preferred_username"); ok {
		id.Username = username
	} else {
		id.Username = text(claims, "username")
	}
	return id, accepted
}

// numericDate is claim name as a NumericDate, and whether it is present; a claim of another
// type makes the token malformed.
func numericDate(claims strictjson.Object, name string) (float64, bool, rejection) {
	value, ok := claims.Get(name)
	if !ok {
		return 0, false, accepted
	}
	date, ok := value.Float()
	if !ok {
		return 0, false, malformed
	}
	return date, true, accepted
}

func text(claims strictjson.Object, name string) string {
	value, _ := memberText(claims, name)
	return value
}

// stringItems are the strings of a claim holding an array; anything else in it is ignored.
func stringItems(claims strictjson.Object, name string) []string {
	value, _ := claims.Get(name)
	items, _ := value.Elements()
	if len(items) == 0 {
		return nil
	}
	out := make([]string, 0, len(items))
	for _, item := range items {
		if text, ok := textView(item); ok {
			out = append(out, text)
		}
	}
	return out
}
