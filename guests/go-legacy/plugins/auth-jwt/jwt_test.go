package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strings"
	"testing"
	"time"

	"mockforge.dev/guest/mockforge"
	"mockforge.dev/guest/strictjson"
)

const secret = "test-secret"

func sign(header, payload, key string) string {
	b64 := base64.RawURLEncoding
	input := b64.EncodeToString([]byte(header)) + "." + b64.EncodeToString([]byte(payload))
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(input))
	return input + "." + b64.EncodeToString(mac.Sum(nil))
}

func mac() settings {
	s, err := loadSettings(mockforge.ConfigOf(map[string]string{"secret": secret}))
	if err != nil {
		panic(err)
	}
	return s
}

func claims(t *testing.T, json string) strictjson.Object {
	t.Helper()
	obj, err := strictjson.ParseObject([]byte(json))
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

func TestAcceptsAGoodTokenAndKeepsClaimOrder(t *testing.T) {
	token := sign(`{"alg":"HS256","typ":"JWT"}`, `{"z":1,"sub":"u","a":[true]}`, secret)
	obj, r := verify(token, mac().mac)
	if r != accepted {
		t.Fatalf("refused: %s", r.reason())
	}
	var names []string
	for _, m := range obj.Members() {
		names = append(names, m.Name)
	}
	if !slices.Equal(names, []string{"z", "sub", "a"}) {
		t.Errorf("claims %v", names)
	}
}

func TestRefusesOtherAlgorithms(t *testing.T) {
	for _, header := range []string{`{"alg":"none"}`, `{"alg":"HS512"}`, `{"alg":"RS256"}`, `{}`, `{"alg":"hs256"}`} {
		if _, r := verify(sign(header, `{"sub":"u"}`, secret), mac().mac); r != unsupportedAlgorithm {
			t.Errorf("%s: %s", header, r.reason())
		}
	}
}

func TestRefusesAnotherKeyAndATamperedPayload(t *testing.T) {
	if _, r := verify(sign(`{"alg":"HS256"}`, `{"sub":"u"}`, "other"), mac().mac); r != invalidSignature {
		t.Errorf("another key: %s", r.reason())
	}
	parts := strings.Split(sign(`{"alg":"HS256"}`, `{"sub":"u"}`, secret), ".")
	parts[1] = strings.Split(sign(`{"alg":"HS256"}`, `{"sub":"admin"}`, secret), ".")[1]
	if _, r := verify(strings.Join(parts, "."), mac().mac); r != invalidSignature {
		t.Errorf("a tampered payload: %s", r.reason())
	}
}

func TestRefusesMalformedTokens(t *testing.T) {
	good := sign(`{"alg":"HS256"}`, `{"sub":"u"}`, secret)
	for _, token := range []string{
		"", "abc", "a.b", "a.b.c.d", "!!.e30.e30", good + ".x",
		sign(`{"alg":"HS256"}`, "[1]", secret),
		sign(`{"alg":"HS256"}`, `{"sub":"u",}`, secret),
	} {
		if _, r := verify(token, mac().mac); r != malformed {
			t.Errorf("%q: %s", token, r.reason())
		}
	}
}

func TestChecksExpiryAndNotBeforeWithLeeway(t *testing.T) {
	s := mac()
	for _, tc := range []struct {
		claims string
		leeway uint64
		now    float64
		want   rejection
	}{
		{`{"exp":100}`, 0, 99, accepted},
		{`{"exp":100}`, 0, 100, expired},
		{`{"nbf":100}`, 0, 99, notYetValid},
		{`{"nbf":100}`, 0, 100, accepted},
		{`{"exp":100}`, 5, 104, accepted},
		{`{"nbf":100}`, 5, 95, accepted},
		{`{"exp":"soon"}`, 0, 0, malformed},
		{`{"exp":null}`, 0, 0, malformed},
		{`{"nbf":true}`, 0, 0, malformed},
		{`{"exp":1,"nbf":"x"}`, 0, 5, expired},
	} {
		s.leeway = tc.leeway
		if got := check(claims(t, tc.claims), s, tc.now); got != tc.want {
			t.Errorf("%s leeway %d at %v: %s, want %s", tc.claims, tc.leeway, tc.now, got.reason(), tc.want.reason())
		}
	}
}

func TestChecksIssuerAndAudienceOnlyWhenConfigured(t *testing.T) {
	open := mac()
	if r := check(claims(t, `{"iss":"x","aud":"y"}`), open, 0); r != accepted {
		t.Errorf("open: %s", r.reason())
	}
	strict := mac()
	strict.issuer, strict.hasIssuer = "me", true
	strict.audience, strict.hasAudience = "api", true
	for json, want := range map[string]rejection{
		`{"iss":"me","aud":"api"}`:         accepted,
		`{"iss":"me","aud":["x","api"]}`:   accepted,
		`{"aud":"api"}`:                    invalidIssuer,
		`{"iss":"me"}`:                     invalidAudience,
		`{"iss":"me","aud":["x"]}`:         invalidAudience,
		`{"iss":"me","aud":[["api"]]}`:     invalidAudience,
		`{"iss":"me","aud":{"api":"api"}}`: invalidAudience,
	} {
		if got := check(claims(t, json), strict, 0); got != want {
			t.Errorf("%s: %s, want %s", json, got.reason(), want.reason())
		}
	}
}

func TestMapsClaimsToAnIdentity(t *testing.T) {
	payload := `{"sub":"42","username":"u","preferred_username":"pu",` +
		`"email":"e@x","name":"N","roles":["a",1,"b"],"groups":["g"],"n":1.5,"o":{ "k" : [ 1 ] }}`
	id, _, r := identity(claims(t, payload))
	if r != accepted {
		t.Fatal(r.reason())
	}
	want := mockforge.Identity{UserID: "42", Username: "pu", Email: "e@x", DisplayName: "N",
		Roles: []string{"a", "b"}, Groups: []string{"g"}}
	if id.UserID != want.UserID || id.Username != want.Username || id.Email != want.Email ||
		id.DisplayName != want.DisplayName || !slices.Equal(id.Roles, want.Roles) || !slices.Equal(id.Groups, want.Groups) {
		t.Errorf("got %+v, want %+v", id, want)
	}

	// Every claim reaches the answer as compact JSON, in token order.
	answer := string(mockforge.AuthenticateJSON(context(sign(`{"alg":"HS256"}`, payload, secret)), nil))
	wantClaims := `"claims":{"sub":"42","username":"u","preferred_username":"pu","email":"e@x",` +
		`"name":"N","roles":["a",1,"b"],"groups":["g"],"n":1.5,"o":{"k":[1]}}}`
	if !strings.HasSuffix(answer, wantClaims) {
		t.Errorf("answer %s\nwant claims %s", answer, wantClaims)
	}
}

// context is the host's context JSON for a request bearing token, with the test secret.
func context(token string) []byte {
	return []byte(`{"method":"GET","uri":"/","headers":{"authorization":"Bearer ` + token +
		`"},"config":{"secret":"` + secret + `"}}`)
}

func TestRequiresASubject(t *testing.T) {
	for _, json := range []string{`{}`, `{"sub":""}`, `{"sub":7}`, `{"sub":null}`} {
		if _, _, r := identity(claims(t, json)); r != missingSubject {
			t.Errorf("%s: %s", json, r.reason())
		}
	}
}

func TestBearerToken(t *testing.T) {
	for value, want := range map[string]string{
		"Bearer t":             "t",
		"bEaReR   t  ":         "t",
		"\u3000Bearer t\u00a0": "t",
		"Bearer":               "",
		"Bearer   ":            "",
		"Bearer\tt":            "",
		"Basic t":              "",
		"Bearerx t":            "",
		"":                     "",
	} {
		if got, _ := bearerToken(value, true); got != want {
			t.Errorf("%q: %q, want %q", value, got, want)
		}
	}
}

func TestUnixSecondsAsRust(t *testing.T) {
	if got := unixSeconds(time.Unix(4102444800, 500_000_000)); got != 4102444800.5 {
		t.Errorf("got %v", got)
	}
}

// BenchmarkAuthenticate is a warm call with a valid token, natively: parse the host's JSON,
// verify, check, answer.
func BenchmarkAuthenticate(b *testing.B) {
	token := sign(`{"alg":"HS256","typ":"JWT"}`,
		`{"sub":"user-42","preferred_username":"ada","roles":["admin","dev"],"exp":4102444800}`,
		"mockforge-demo-secret")
	context := []byte(`{"method":"GET","uri":"/orders","headers":{"authorization":"Bearer ` + token +
		`","accept":"*/*"},"body":"","config":{"leeway-seconds":"0","secret":"mockforge-demo-secret"}}`)
	credentials := []byte(`{"type":"bearer","token":"` + token + `"}`)
	if answer := mockforge.AuthenticateJSON(context, credentials); !strings.Contains(string(answer), `"authenticated":true`) {
		b.Fatalf("%s", answer)
	}
	b.ReportAllocs()
	for b.Loop() {
		mockforge.AuthenticateJSON(context, credentials)
	}
}
