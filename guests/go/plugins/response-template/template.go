package main

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"mockforge.dev/component/mockforge"
)

// resolver gives a placeholder's value, and whether it has one.
type resolver func(name string) (string, bool, error)

// render replaces each `{{name}}` of template with its value. Inside a JSON string of the
// template the value is escaped as JSON string content (a missing value is empty); outside,
// it is written as it is (a missing value is `null`), so a template that is valid JSON stays
// valid JSON.
func render(template string, resolve resolver) (string, error) {
	var out strings.Builder
	out.Grow(len(template))
	inString, escaped := false, false
	rest := template
	for rest != "" {
		if after, ok := strings.CutPrefix(rest, "{{"); ok {
			end := strings.Index(after, "}}")
			if end < 0 {
				return "", mockforge.InvalidConfig("config key `template`: a `{{` is never closed")
			}
			value, present, err := resolve(strings.TrimSpace(after[:end]))
			if err != nil {
				return "", err
			}
			switch {
			case inString:
				escapeInto(&out, value)
			case present:
				out.WriteString(value)
			default:
				out.WriteString("null")
			}
			rest = after[end+2:]
			continue
		}
		c, size := utf8.DecodeRuneInString(rest)
		out.WriteString(rest[:size])
		switch {
		case !inString:
			inString = c == '"'
		case escaped:
			escaped = false
		case c == '\\':
			escaped = true
		case c == '"':
			inString = false
		}
		rest = rest[size:]
	}
	return out.String(), nil
}

// escapeInto writes value as the content of a JSON string.
func escapeInto(out *strings.Builder, value string) {
	for _, c := range value {
		switch {
		case c == '"':
			out.WriteString(`\"`)
		case c == '\\':
			out.WriteString(`\\`)
		case c == '\n':
			out.WriteString(`\n`)
		case c == '\r':
			out.WriteString(`\r`)
		case c == '\t':
			out.WriteString(`\t`)
		case c < ' ':
			fmt.Fprintf(out, `\u%04x`, c)
		default:
			out.WriteRune(c)
		}
	}
}
