package strictjson

import "bytes"

// Walking text that is already validated: strings are skipped with IndexByte and nothing is
// checked again, so that reading a member of a parsed document costs little more than finding
// it.

// skipString is the index after the string that starts at t[i].
func skipString(t []byte, i int) int {
	j := i + 1
	for {
		q := j + bytes.IndexByte(t[j:], '"')
		backslashes := 0
		for p := q - 1; t[p] == '\\'; p-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return q + 1
		}
		j = q + 1
	}
}

// skipValue is the index after the value that starts at t[i].
func skipValue(t []byte, i int) int {
	switch t[i] {
	case '"':
		return skipString(t, i)
	case '{', '[':
		depth := 0
		for {
			switch t[i] {
			case '"':
				i = skipString(t, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
	}
	for i < len(t) {
		switch t[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

func skipSpaceIn(t []byte, i int) int {
	for i < len(t) && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r') {
		i++
	}
	return i
}

// trustedSpans are the members of the valid object t.
func trustedSpans(t []byte) []span {
	i := skipSpaceIn(t, 1)
	if t[i] == '}' {
		return nil
	}
	// Room for a typical object's members at once, rather than growing to them.
	spans := make([]span, 0, 8)
	for t[i] != '}' {
		var s span
		s.keyStart = i
		i = skipString(t, i)
		s.keyEnd = i
		s.keyEscaped = bytes.IndexByte(t[s.keyStart+1:s.keyEnd-1], '\\') >= 0
		i = skipSpaceIn(t, i) + 1 // the ':'
		i = skipSpaceIn(t, i)
		s.valueStart = i
		i = skipValue(t, i)
		s.valueEnd = i
		spans = append(spans, s)
		i = skipSpaceIn(t, i)
		if t[i] == ',' {
			i = skipSpaceIn(t, i+1)
		}
	}
	return spans
}

// trustedItems are the items of the valid array t.
func trustedItems(t []byte) []Value {
	i := skipSpaceIn(t, 1)
	if t[i] == ']' {
		return nil
	}
	// Room for a short array's items at once, rather than growing to them.
	items := make([]Value, 0, 4)
	for t[i] != ']' {
		end := skipValue(t, i)
		items = append(items, Value{text: t[i:end]})
		i = skipSpaceIn(t, end)
		if t[i] == ',' {
			i = skipSpaceIn(t, i+1)
		}
	}
	return items
}
