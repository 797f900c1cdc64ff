package mockforge

import (
	"errors"
	"fmt"
)

// ErrorKind says which of the contract's plugin errors a PluginError is.
type ErrorKind uint8

const (
	// KindInternal is any other failure inside the plugin.
	KindInternal ErrorKind = iota
	// KindInvalidConfig: the plugin's configuration is missing a value or holds a bad one.
	KindInvalidConfig
	// KindInvalidRequest: the request cannot be processed by this plugin (as opposed to
	// being refused, which is a denial).
	KindInvalidRequest
)

// String names the kind as the contract does.
func (k ErrorKind) String() string {
	switch k {
	case KindInvalidConfig:
		return "invalid-config"
	case KindInvalidRequest:
		return "invalid-request"
	default:
		return "internal"
	}
}

// PluginError is a failure the plugin reports to the embedder with its own message. A plugin
// may return any error: one that is not a PluginError (nor wraps one) is reported as
// KindInternal with its Error text.
type PluginError struct {
	// Kind is which error of the contract this is.
	Kind ErrorKind
	// Message says what went wrong.
	Message string
}

// Error returns the kind and the message.
func (e *PluginError) Error() string {
	return e.Kind.String() + ": " + e.Message
}

// InvalidConfig is a KindInvalidConfig error with a formatted message.
func InvalidConfig(format string, args ...any) *PluginError {
	return &PluginError{Kind: KindInvalidConfig, Message: fmt.Sprintf(format, args...)}
}

// InvalidRequest is a KindInvalidRequest error with a formatted message.
func InvalidRequest(format string, args ...any) *PluginError {
	return &PluginError{Kind: KindInvalidRequest, Message: fmt.Sprintf(format, args...)}
}

// Internal is a KindInternal error with a formatted message.
func Internal(format string, args ...any) *PluginError {
	return &PluginError{Kind: KindInternal, Message: fmt.Sprintf(format, args...)}
}

// AsPluginError returns err as a PluginError: itself, the PluginError it wraps, or a
// KindInternal error with its text.
func AsPluginError(err error) *PluginError {
	var pluginError *PluginError
	if errors.As(err, &pluginError) {
		return pluginError
	}
	return &PluginError{Kind: KindInternal, Message: err.Error()}
}
