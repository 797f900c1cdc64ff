//go:build wasip1

package mockforge

import (
	"time"

	witTypes "go.bytecodealliance.org/pkg/wit/types"
	"mockforge.dev/component/internal/wit/mockforge_plugin_kv"
)

// KVErrorKind says why the host refused a key-value write.
type KVErrorKind uint8

const (
	// KVInvalidKey: the key is empty or longer than the plugin's key cap.
	KVInvalidKey KVErrorKind = KVErrorKind(mockforge_plugin_kv.KvErrorInvalidKey)
	// KVValueTooLarge: the value is longer than the plugin's value cap.
	KVValueTooLarge KVErrorKind = KVErrorKind(mockforge_plugin_kv.KvErrorValueTooLarge)
	// KVQuotaExceeded: storing it would pass the plugin's cap on keys or total bytes.
	KVQuotaExceeded KVErrorKind = KVErrorKind(mockforge_plugin_kv.KvErrorQuotaExceeded)
	// KVNotANumber: Increment found a value that is not a decimal 64-bit integer, or the sum
	// overflows.
	KVNotANumber KVErrorKind = KVErrorKind(mockforge_plugin_kv.KvErrorNotANumber)
)

// KVError is the host's refusal of a write, with its reason.
type KVError struct {
	// Kind is why.
	Kind KVErrorKind
	// Message is the host's text (it gives the cap that was reached).
	Message string
}

// Error returns the kind and the host's text.
func (e *KVError) Error() string {
	names := [...]string{"invalid key", "value too large", "quota exceeded", "not a number"}
	name := "kv error"
	if int(e.Kind) < len(names) {
		name = names[e.Kind]
	}
	return name + ": " + e.Message
}

func kvError(err mockforge_plugin_kv.KvError) *KVError {
	out := &KVError{Kind: KVErrorKind(err.Tag())}
	switch err.Tag() {
	case mockforge_plugin_kv.KvErrorInvalidKey:
		out.Message = copyString(err.InvalidKey())
	case mockforge_plugin_kv.KvErrorValueTooLarge:
		out.Message = copyString(err.ValueTooLarge())
	case mockforge_plugin_kv.KvErrorQuotaExceeded:
		out.Message = copyString(err.QuotaExceeded())
	default:
		out.Message = copyString(err.NotANumber())
	}
	return out
}

// KVGet is the value of key in the plugin's store, and whether it is there (absent, or its
// time to live has passed: false).
func KVGet(key string) ([]byte, bool) {
	defer landingReset()
	value := mockforge_plugin_kv.Get(key)
	if value.IsNone() {
		return nil, false
	}
	return copyBytes(value.Some()), true
}

// KVSet stores value under key, replacing any value; a positive ttl makes it expire after
// that long (rounded down to milliseconds), zero never.
func KVSet(key string, value []byte, ttl time.Duration) error {
	defer landingReset()
	expiry := witTypes.None[uint64]()
	if ttl > 0 {
		expiry = witTypes.Some(uint64(ttl.Milliseconds()))
	}
	result := mockforge_plugin_kv.Set(key, value, expiry)
	if result.IsErr() {
		return kvError(result.Err())
	}
	return nil
}

// KVDelete removes key; whether it was there.
func KVDelete(key string) bool {
	return mockforge_plugin_kv.Delete(key)
}

// KVIncrement adds delta to the decimal integer stored under key (0 when absent) atomically,
// stores the sum and returns it. The key keeps its time to live.
func KVIncrement(key string, delta int64) (int64, error) {
	defer landingReset()
	result := mockforge_plugin_kv.Increment(key, delta)
	if result.IsErr() {
		return 0, kvError(result.Err())
	}
	return result.Ok(), nil
}

// KVKeys are the live keys that start with prefix, sorted, at most limit of them.
func KVKeys(prefix string, limit uint32) []string {
	defer landingReset()
	return copyStrings(mockforge_plugin_kv.Keys(prefix, limit))
}
