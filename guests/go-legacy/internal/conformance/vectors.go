package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Case is one vector: a request and the outcome expected for it.
type Case struct {
	Name    string             `json:"name"`
	Config  map[string]*string `json:"config"`
	Request Request            `json:"request"`
	Expect  Expect             `json:"expect"`
}

// Request is a vector's HTTP request.
type Request struct {
	Method     string      `json:"method"`
	Path       string      `json:"path"`
	Query      string      `json:"query"`
	Headers    [][2]string `json:"headers"`
	BodyText   *string     `json:"body"`
	BodyBase64 *string     `json:"body_base64"`
	BodyRepeat *Repeat     `json:"body_repeat"`
	ClientAddr string      `json:"client_addr"`
}

// Repeat is a body of Count copies of Byte.
type Repeat struct {
	Byte  byte `json:"byte"`
	Count int  `json:"count"`
}

// Expect is one of the outcome forms; exactly one field is set.
type Expect struct {
	Allow *Allow  `json:"allow"`
	Deny  *Deny   `json:"deny"`
	Error *string `json:"error"`
}

// Allow is an expected identity; fields left out must be absent or empty.
type Allow struct {
	Subject     string      `json:"subject"`
	Username    string      `json:"username"`
	Email       string      `json:"email"`
	DisplayName string      `json:"display_name"`
	Roles       []string    `json:"roles"`
	Groups      []string    `json:"groups"`
	Claims      [][2]string `json:"claims"`
}

// Deny is an expected denial.
type Deny struct {
	Status  int         `json:"status"`
	Reason  string      `json:"reason"`
	Headers [][2]string `json:"headers"`
}

// LoadVectors reads tests/conformance/vectors/0.1/<plugin>.json (legacy Go modules are adapted
// into contract-0.1 components), found from the working directory upwards.
func LoadVectors(plugin string) ([]Case, error) {
	path, err := findUp(filepath.Join("tests", "conformance", "vectors", "0.1", plugin+".json"))
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cases []Case
	if err := json.Unmarshal(data, &cases); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cases, nil
}

func findUp(rel string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(dir, rel)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s not found above the working directory", rel)
		}
		dir = parent
	}
}
