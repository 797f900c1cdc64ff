package main

import (
	"mockforge.dev/guest/strictjson"
)

// withID is the compact JSON text of object with its `id` member set to id (any `id` it had
// is replaced).
func withID(object strictjson.Object, id string) []byte {
	out := []byte{'{'}
	for _, member := range object.Members() {
		if member.Name == "id" {
			continue
		}
		out = strictjson.AppendString(out, member.Name)
		out = append(out, ':')
		out = member.Value.AppendCompact(out)
		out = append(out, ',')
	}
	out = strictjson.AppendString(append(out, `"id":`...), id)
	return append(out, '}')
}

// errorBody is `{"error": message}` as compact JSON.
func errorBody(message string) []byte {
	out := strictjson.AppendString([]byte(`{"error":`), message)
	return append(out, '}')
}
