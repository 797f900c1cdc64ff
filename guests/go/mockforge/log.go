//go:build wasip1

package mockforge

import (
	witTypes "go.bytecodealliance.org/pkg/wit/types"
	"mockforge.dev/component/internal/wit/mockforge_plugin_log"
)

// LogLevel is how severe a log record is.
type LogLevel uint8

// The levels, from the least severe.
const (
	LevelTrace LogLevel = LogLevel(mockforge_plugin_log.LevelTrace)
	LevelDebug LogLevel = LogLevel(mockforge_plugin_log.LevelDebug)
	LevelInfo  LogLevel = LogLevel(mockforge_plugin_log.LevelInfo)
	LevelWarn  LogLevel = LogLevel(mockforge_plugin_log.LevelWarn)
	LevelError LogLevel = LogLevel(mockforge_plugin_log.LevelError)
)

// Log emits message at level into the embedder's log, tagged with the plugin's name, with
// structured fields (name and value pairs).
func Log(level LogLevel, message string, fields ...Header) {
	pairs := make([]witTypes.Tuple2[string, string], len(fields))
	for i, field := range fields {
		pairs[i] = witTypes.Tuple2[string, string]{F0: field.Name, F1: field.Value}
	}
	mockforge_plugin_log.Log(mockforge_plugin_log.Level(level), message, pairs)
}
