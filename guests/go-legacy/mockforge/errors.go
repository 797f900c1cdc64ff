package mockforge

import (
	"errors"
	"fmt"
)

// ErrorKind says why a plugin could not decide. The host reports each kind differently: a
// configuration error is the operator's to fix, a request error the client's, an internal
// error the plugin's.
type ErrorKind string

// The kinds of [PluginError], as the host names them.
const (
	KindInvalidConfig  ErrorKind = "invalid-config"
	KindInvalidRequest ErrorKind = "invalid-request"
	KindInternal       ErrorKind = "internal"
)

// PluginError is a plugin's own error: it cannot decide, as opposed to deciding to deny.
// Authenticate may return one (see [InvalidConfig], [InvalidRequest], [Internal]); any other
// error it returns is reported as an internal error with the error's text.
type PluginError struct {
	Kind    ErrorKind
	Message string
}

func (e *PluginError) Error() string { return string(e.Kind) + ": " + e.Message }

// InvalidConfig is the error for a configuration the plugin cannot work with, such as a
// missing or malformed `[config]` value.
func InvalidConfig(format string, args ...any) error {
	return &PluginError{Kind: KindInvalidConfig, Message: fmt.Sprintf(format, args...)}
}

// InvalidRequest is the error for a request the plugin cannot even judge.
func InvalidRequest(format string, args ...any) error {
	return &PluginError{Kind: KindInvalidRequest, Message: fmt.Sprintf(format, args...)}
}

// Internal is the error for a failure of the plugin itself.
func Internal(format string, args ...any) error {
	return &PluginError{Kind: KindInternal, Message: fmt.Sprintf(format, args...)}
}

// asPluginError is err as the PluginError the host receives: another error, or a kind the
// host does not know, is internal.
func asPluginError(err error) *PluginError {
	var pe *PluginError
	if !errors.As(err, &pe) {
		return &PluginError{Kind: KindInternal, Message: err.Error()}
	}
	switch pe.Kind {
	case KindInvalidConfig, KindInvalidRequest, KindInternal:
		return pe
	}
	return &PluginError{Kind: KindInternal, Message: fmt.Sprintf("%s (unknown kind %q)", pe.Message, pe.Kind)}
}
