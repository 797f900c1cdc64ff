package main

import (
	"encoding/base64"
	"slices"
	"testing"

	"mockforge.dev/component/mockforge"
	"mockforge.dev/guest/strictjson"
)

func b64(text string) string { return base64.RawURLEncoding.EncodeToString([]byte(text)) }

func object(t *testing.T, text string) strictjson.Object {
	t.Helper()
	obj, err := strictjson.ParseObject([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

func TestBearerReadsTheCredentialAsTheRustPlugin(t *testing.T) {
	for _, tc := range []struct {
		value   string
		present bool
		kind    credentialKind
		token   string
	}{
		{"", false, credentialAbsent, ""},
		{"", true, credentialAbsent, ""},
		{"   ", true, credentialAbsent, ""},
		{"Basic dXNlcjpwYXNz", true, credentialAbsent, ""},
		{"Bearer\tabc", true, credentialAbsent, ""},
		{"Bearerabc", true, credentialAbsent, ""},
		{"Bearer", true, credentialEmpty, ""},
		{" BEARER \u3000", true, credentialEmpty, ""},
		{"\u3000 bEaReR   a.b.c\u00a0", true, credentialToken, "a.b.c"},
		{"Bearer a b", true, credentialToken, "a b"},
	} {
		kind, token := bearer(tc.value, tc.present)
		if kind != tc.kind || token != tc.token {
			t.Errorf("%q: %d %q, want %d %q", tc.value, kind, token, tc.kind, tc.token)
		}
	}
}

func TestAlgorithmsByExactName(t *testing.T) {
	for _, name := range []string{"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"} {
		a, ok := algorithmNamed(name)
		if !ok || a.name() != name {
			t.Errorf("%s: %v %s", name, ok, a.name())
		}
	}
	for _, name := range []string{"none", "None", "hs256", "EDDSA", "ES512", ""} {
		if _, ok := algorithmNamed(name); ok {
			t.Errorf("%q accepted", name)
		}
	}
	names := func(list []algorithm) (out []string) {
		for _, a := range list {
			out = append(out, a.name())
		}
		return out
	}
	if got := names(defaultAlgorithms(true, nil)); !slices.Equal(got, []string{"HS256"}) {
		t.Errorf("secret only: %v", got)
	}
	got := names(defaultAlgorithms(false, []mockforge.KeyType{mockforge.KeyEd25519, mockforge.KeyRSA, mockforge.KeyRSA}))
	if !slices.Equal(got, []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA"}) {
		t.Errorf("RSA and Ed25519 keys: %v", got)
	}
	list, err := parseAlgorithms(" RS256 ,ES256,, RS256")
	if err != nil || !slices.Equal(names(list), []string{"RS256", "ES256"}) {
		t.Errorf("a list: %v %v", names(list), err)
	}
	for _, bad := range []string{"RS256,none", " , "} {
		if _, err := parseAlgorithms(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestSelectKeysByKidTypeAndAlg(t *testing.T) {
	key := func(kid string, alg string, keyType mockforge.KeyType, name string) configuredKey[string] {
		return configuredKey[string]{kid: kid, hasKid: kid != "", alg: alg, hasAlg: alg != "", keyType: keyType, key: name}
	}
	keys := []configuredKey[string]{
		key("rsa-1", "", mockforge.KeyRSA, "rsa-1"),
		key("rsa-2", "", mockforge.KeyRSA, "rsa-2"),
		key("ec", "", mockforge.KeyECP256, "ec"),
		key("ps", "PS256", mockforge.KeyRSA, "ps"),
	}
	chosen := func(kid string, alg mockforge.SignatureAlgorithm) ([]string, rejection) {
		selected, r := selectKeys(keys, kid, kid != "", alg)
		var out []string
		for _, k := range selected {
			out = append(out, k.key)
		}
		return out, r
	}
	for _, tc := range []struct {
		kid  string
		alg  mockforge.SignatureAlgorithm
		want []string
		r    rejection
	}{
		{"rsa-2", mockforge.RS256, []string{"rsa-2"}, accepted},
		{"", mockforge.RS256, []string{"rsa-1", "rsa-2"}, accepted},
		{"", mockforge.PS256, []string{"rsa-1", "rsa-2", "ps"}, accepted},
		{"nope", mockforge.RS256, nil, invalidSignature},
		{"ec", mockforge.RS256, nil, unsupportedAlgorithm},
		{"ps", mockforge.RS256, nil, unsupportedAlgorithm},
	} {
		got, r := chosen(tc.kid, tc.alg)
		if !slices.Equal(got, tc.want) || r != tc.r {
			t.Errorf("kid %q %s: %v %s, want %v %s", tc.kid, tc.alg.Name(), got, r.reason(), tc.want, tc.r.reason())
		}
	}
}

func TestParseJWSReadsTheHeaderOnly(t *testing.T) {
	token := b64(`{"alg":"none","kid":"k1","alg":"ES256"}`) + "." + b64(`{"z":1,"sub":"u"}`) + "." + b64("sig")
	jws, r := parseJWS(token)
	if r != accepted {
		t.Fatal(r.reason())
	}
	if alg, _ := jws.alg(); alg != "ES256" {
		t.Errorf("alg %q: the last one counts", alg)
	}
	if kid, _ := jws.kid(); kid != "k1" {
		t.Errorf("kid %q", kid)
	}
	if sig, r := jws.signatureBytes(); r != accepted || string(sig) != "sig" {
		t.Errorf("signature %q %s", sig, r.reason())
	}
	if _, text, r := jws.claims(); r != accepted || text != `{"z":1,"sub":"u"}` {
		t.Errorf("claims %q %s", text, r.reason())
	}
	for _, bad := range []string{"", "abc", "a.b", "a.b.c.d", "!!.e30.e30", "W10.e30.e30"} {
		if _, r := parseJWS(bad); r != malformed {
			t.Errorf("%q: %s", bad, r.reason())
		}
	}
}

func TestChecksRegisteredClaims(t *testing.T) {
	s := &claimRules{}
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
		{`{"exp":1,"nbf":"x"}`, 0, 5, expired},
	} {
		s.leeway = tc.leeway
		if got := check(object(t, tc.claims), s, tc.now); got != tc.want {
			t.Errorf("%s at %v: %s, want %s", tc.claims, tc.now, got.reason(), tc.want.reason())
		}
	}
	strict := &claimRules{issuer: "me", hasIssuer: true, audience: "api", hasAudience: true}
	for claims, want := range map[string]rejection{
		`{"iss":"me","aud":"api"}`:       accepted,
		`{"iss":"me","aud":["x","api"]}`: accepted,
		`{"aud":"api"}`:                  invalidIssuer,
		`{"iss":"me"}`:                   invalidAudience,
		`{"iss":"me","aud":[["api"]]}`:   invalidAudience,
	} {
		if got := check(object(t, claims), strict, 0); got != want {
			t.Errorf("%s: %s, want %s", claims, got.reason(), want.reason())
		}
	}
}

func TestIdentityFromClaims(t *testing.T) {
	payload := `{"sub":"42","username":"u","preferred_username":"pu","email":"e@x","name":"N","roles":["a",1,"b"],"groups":["g"]}`
	id, r := identity(object(t, payload), payload)
	if r != accepted {
		t.Fatal(r.reason())
	}
	if id.Subject != "42" || id.Username != "pu" || id.Email != "e@x" || id.DisplayName != "N" ||
		!slices.Equal(id.Roles, []string{"a", "b"}) || !slices.Equal(id.Groups, []string{"g"}) || id.Claims != payload {
		t.Errorf("%+v", id)
	}
	for _, bad := range []string{`{}`, `{"sub":""}`, `{"sub":7}`} {
		if _, r := identity(object(t, bad), bad); r != missingSubject {
			t.Errorf("%s: %s", bad, r.reason())
		}
	}
}

func TestJWKSEntries(t *testing.T) {
	entries, err := jwksEntries([]byte(`{"keys": [{"kty":"OKP","crv":"Ed25519","x":"AA","kid":"a","alg":"EdDSA"}, {"kty":"EC","kid":7}]}`))
	if err != nil || len(entries) != 2 {
		t.Fatalf("%v %v", entries, err)
	}
	if !entries[0].hasKid || entries[0].kid != "a" || !entries[0].hasAlg || entries[0].alg != "EdDSA" {
		t.Errorf("%+v", entries[0])
	}
	if entries[1].hasKid || entries[1].hasAlg {
		t.Errorf("a kid that is not a string is no kid: %+v", entries[1])
	}
	for _, bad := range []string{"", "[]", "{}", `{"keys": {}}`, `{"keys": []}`, `{"keys": [1]}`} {
		if _, err := jwksEntries([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
