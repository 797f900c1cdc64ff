package mockforge

import (
	"strconv"
	"strings"

	"mockforge.dev/guest/strictjson"
)

// Config is the plugin's own configuration: the `[config]` table of its manifest, every value
// as text (the host writes `leeway = 5` as "5"). Reading a value allocates only its text.
type Config struct {
	values strictjson.Object
}

// ConfigOf is a Config holding values, for tests.
func ConfigOf(values map[string]string) Config {
	text := []byte{'{'}
	for key, value := range values {
		if len(text) > 1 {
			text = append(text, ',')
		}
		text = strictjson.AppendString(text, key)
		text = append(text, ':')
		text = strictjson.AppendString(text, value)
	}
	obj, _ := strictjson.ParseObject(append(text, '}'))
	return Config{values: obj}
}

// Get is the value of key.
func (c Config) Get(key string) (string, bool) {
	return c.values.Text(key)
}

// Require is the value of key, or an invalid-config error naming the key when it is not set.
func (c Config) Require(key string) (string, error) {
	value, ok := c.Get(key)
	if !ok {
		return "", InvalidConfig("missing config key `%s`", key)
	}
	return value, nil
}

// Uint is the value of key as an unsigned integer, false when it is not set, or an
// invalid-config error naming the key and value when it is not one. Surrounding whitespace and
// one leading `+` are accepted, as Rust's `str::trim` and `u64::from_str` accept them, so that
// a manifest means the same to a Go plugin as to a Rust one.
func (c Config) Uint(key string) (uint64, bool, error) {
	value, ok := c.Get(key)
	if !ok {
		return 0, false, nil
	}
	digits := strings.TrimSpace(value)
	if len(digits) > 1 && digits[0] == '+' {
		digits = digits[1:]
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		why := "not an unsigned integer"
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			why = "too large"
		}
		return 0, false, InvalidConfig("config key `%s` = %q: %s", key, value, why)
	}
	return n, true, nil
}
