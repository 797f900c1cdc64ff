package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"mockforge.dev/guest/mockforge"
)

// translatorDepthLimit is the nesting serde_json's default reader accepts; an answer deeper
// than that needs a translator that reads claims without the limit.
const translatorDepthLimit = 127

// TranscriptEnv names a directory: when it is set, Run writes <plugin>.json there, every call
// it made as {name, context, credentials, answer}, so that the built module can be made to
// answer the same calls (guests/go-legacy/test/wasi-smoke.mjs) and compared byte for byte.
const TranscriptEnv = "MOCKFORGE_GO_TRANSCRIPT"

// Call is one recorded call.
type Call struct {
	Name        string `json:"name"`
	Context     string `json:"context"`
	Credentials string `json:"credentials"`
	Answer      string `json:"answer"`
}

// Run checks every vector of plugin (tests/conformance/vectors/0.1/<plugin>.json) against the
// registered plugin, whose manifest is manifestPath, through mockforge.AuthenticateJSON.
func Run(t *testing.T, plugin, manifestPath string) {
	t.Helper()
	cases, err := LoadVectors(plugin)
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := ManifestConfig(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	var transcript []Call
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			context, err := ContextJSON(c.Request, c.ConfigFrom(manifest))
			if err != nil {
				t.Fatal(err)
			}
			credentials := CredentialsJSON(c.Request)
			answer := mockforge.AuthenticateJSON(context, credentials)
			transcript = append(transcript, Call{c.Name, string(context), string(credentials), string(answer)})
			if depth := Depth(answer); depth > translatorDepthLimit {
				t.Logf("the answer nests %d levels deep: the translator must read claims without serde_json's limit of %d", depth, translatorDepthLimit)
			}
			got, err := ReadAnswer(answer)
			if err != nil {
				t.Fatalf("unusable answer: %v\n%s", err, answer)
			}
			if problem := Compare(c.Expect, got); problem != "" {
				t.Errorf("%s\nanswer: %s", problem, answer)
			}
		})
	}
	if dir := os.Getenv(TranscriptEnv); dir != "" {
		data, err := json.Marshal(transcript)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, plugin+".json"), data, 0o644)
		}
		if err != nil {
			t.Fatalf("writing the transcript: %v", err)
		}
	}
}

// Compare is empty when got is the expected outcome, else what differs.
func Compare(want Expect, got Outcome) string {
	switch {
	case want.Allow != nil:
		if got.Allow == nil {
			return fmt.Sprintf("want allow %+v, got %s", *want.Allow, describe(got))
		}
		w, g := *want.Allow, *got.Allow
		if w.Subject != g.Subject || w.Username != g.Username || w.Email != g.Email ||
			w.DisplayName != g.DisplayName || !equalStrings(w.Roles, g.Roles) ||
			!equalStrings(w.Groups, g.Groups) || !equalPairs(w.Claims, g.Claims) {
			return fmt.Sprintf("want allow %+v\n got allow %+v", w, g)
		}
	case want.Deny != nil:
		if got.Deny == nil {
			return fmt.Sprintf("want deny %+v, got %s", *want.Deny, describe(got))
		}
		w, g := *want.Deny, *got.Deny
		if w.Status != g.Status || w.Reason != g.Reason || !equalPairs(w.Headers, g.Headers) {
			return fmt.Sprintf("want deny %+v\n got deny %+v", w, g)
		}
	case want.Error != nil:
		if got.Error != *want.Error {
			return fmt.Sprintf("want error %s, got %s", *want.Error, describe(got))
		}
	default:
		return "the vector expects nothing this runner knows"
	}
	return ""
}

func describe(o Outcome) string {
	switch {
	case o.Allow != nil:
		return fmt.Sprintf("allow %+v", *o.Allow)
	case o.Deny != nil:
		return fmt.Sprintf("deny %+v", *o.Deny)
	}
	return "error " + o.Error
}

// equalStrings treats absent and empty alike.
func equalStrings(a, b []string) bool { return len(a) == 0 && len(b) == 0 || slices.Equal(a, b) }

func equalPairs(a, b [][2]string) bool { return len(a) == 0 && len(b) == 0 || slices.Equal(a, b) }
