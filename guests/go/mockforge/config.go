//go:build wasip1

package mockforge

import (
	"mockforge.dev/component/internal/wit/mockforge_plugin_config"
)

// Config is the value of key in the manifest's [config] table, and whether it is set.
func Config(key string) (string, bool) {
	return configGet(key)
}

// ConfigRequired is the value of key, or a KindInvalidConfig error naming the key when it is
// not set.
func ConfigRequired(key string) (string, error) {
	value, ok := Config(key)
	if !ok {
		return "", InvalidConfig("missing config key `%s`", key)
	}
	return value, nil
}

// ConfigKeys is every configuration key that is set, sorted.
func ConfigKeys() []string {
	defer landingReset()
	return copyStrings(mockforge_plugin_config.Keys())
}
