package mockforge

import (
	"errors"
	"fmt"
	"testing"
)

func TestAnyErrorIsAPluginError(t *testing.T) {
	wrapped := fmt.Errorf("loading: %w", InvalidConfig("missing config key `%s`", "secret"))
	if got := AsPluginError(wrapped); got.Kind != KindInvalidConfig || got.Message != "missing config key `secret`" {
		t.Errorf("%+v", got)
	}
	if got := AsPluginError(errors.New("boom")); got.Kind != KindInternal || got.Message != "boom" {
		t.Errorf("%+v", got)
	}
	if got := InvalidRequest("bad").Error(); got != "invalid-request: bad" {
		t.Errorf("%s", got)
	}
}

func TestOutcomesAndClaims(t *testing.T) {
	if Abstain().Kind != OutcomeAbstain || (Outcome{}).Kind != OutcomeAbstain {
		t.Error("the zero Outcome must abstain")
	}
	deny := Deny(401, "no", Header{"WWW-Authenticate", "Bearer"})
	if deny.Kind != OutcomeDeny || deny.Denial.Status != 401 || len(deny.Denial.Headers) != 1 {
		t.Errorf("%+v", deny)
	}
	id, err := NewIdentity("s").WithClaims(map[string]any{"tenant": "acme", "n": 1})
	if err != nil || id.Claims != `{"n":1,"tenant":"acme"}` {
		t.Errorf("%q %v", id.Claims, err)
	}
	if _, err := NewIdentity("s").WithClaims(map[string]any{"f": func() {}}); err == nil {
		t.Error("a claim JSON cannot hold was accepted")
	}
}

func TestAlgorithmNames(t *testing.T) {
	for _, a := range SignatureAlgorithms {
		if got, ok := SignatureAlgorithmNamed(a.Name()); !ok || got != a {
			t.Errorf("%s", a.Name())
		}
	}
	if EdDSA.KeyType() != KeyEd25519 || ES384.KeyType() != KeyECP384 || PS512.KeyType() != KeyRSA {
		t.Error("key types")
	}
	if hash, ok := HMACAlgorithm("HS384"); !ok || hash != SHA384 {
		t.Error("HS384")
	}
}
