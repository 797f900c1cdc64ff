package conformance

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ManifestConfig reads the `[config]` table of a plugin.toml as the host passes it: every
// value as text. It understands what the example manifests use: `key = "string"` and bare
// integers, floats and booleans, with `#` comments.
func ManifestConfig(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	config := map[string]string{}
	inConfig := false
	scanner := bufio.NewScanner(f)
	for line := 1; scanner.Scan(); line++ {
		text := strings.TrimSpace(scanner.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if strings.HasPrefix(text, "[") {
			inConfig = text == "[config]"
			continue
		}
		if !inConfig {
			continue
		}
		key, value, ok := strings.Cut(text, "=")
		if !ok {
			return nil, fmt.Errorf("%s:%d: expected key = value", path, line)
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if strings.HasPrefix(value, `"`) {
			if value, err = strconv.Unquote(value); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, line, err)
			}
		} else if i := strings.IndexByte(value, '#'); i >= 0 {
			value = strings.TrimSpace(value[:i])
		}
		config[key] = value
	}
	return config, scanner.Err()
}
