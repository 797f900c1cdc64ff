package main

import (
	"bytes"
	"unsafe"

	"mockforge.dev/guest/strictjson"
)

// Views rather than copies of bytes this plugin decoded itself: a token's header and payload
// are decoded into buffers of their own, which nothing writes once decoded, so the strings read
// from them can share their bytes (a copy is an allocation from Go's heap on every call, for
// every claim the identity carries).

// textView is the decoded text of a JSON string value (false for any other value): a view of
// the document's bytes when the string holds no escape, a decoded copy otherwise. The document
// must never be written again.
func textView(value strictjson.Value) (string, bool) {
	if value.Kind() != strictjson.KindString {
		return "", false
	}
	raw := value.Raw()
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') >= 0 {
		return value.Text()
	}
	return unsafe.String(unsafe.SliceData(inner), len(inner)), true
}

// memberText is textView of member name of obj.
func memberText(obj strictjson.Object, name string) (string, bool) {
	value, ok := obj.Get(name)
	if !ok {
		return "", false
	}
	return textView(value)
}

// bytesView is s's bytes, for a function that only reads them (the host's HMAC).
func bytesView(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
