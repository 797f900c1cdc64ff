package main

import (
	"strings"

	"mockforge.dev/component/mockforge"
)

// placeholderKind is what a template placeholder stands for.
type placeholderKind uint8

const (
	placeholderPath placeholderKind = iota
	placeholderMethod
	placeholderNow
	placeholderNowUnix
	placeholderUUID
	placeholderPathParam
	placeholderQuery
	placeholderHeader
	placeholderSubject
	placeholderUsername
	placeholderClaim
)

// placeholder is a parsed `{{name}}`: its kind and, for the kinds that take one, the name of
// the parameter, header or claim.
type placeholder struct {
	kind placeholderKind
	arg  string
}

// parsePlaceholder reads a placeholder's name (trimmed); an unknown one is an invalid-config
// error naming it.
func parsePlaceholder(name string) (placeholder, error) {
	switch name {
	case "path":
		return placeholder{kind: placeholderPath}, nil
	case "method":
		return placeholder{kind: placeholderMethod}, nil
	case "now":
		return placeholder{kind: placeholderNow}, nil
	case "now_unix":
		return placeholder{kind: placeholderNowUnix}, nil
	case "uuid":
		return placeholder{kind: placeholderUUID}, nil
	case "identity.subject":
		return placeholder{kind: placeholderSubject}, nil
	case "identity.username":
		return placeholder{kind: placeholderUsername}, nil
	}
	if claim, ok := strings.CutPrefix(name, "identity.claims."); ok {
		return placeholder{kind: placeholderClaim, arg: claim}, nil
	}
	if prefix, arg, ok := strings.Cut(name, "."); ok {
		switch prefix {
		case "path":
			return placeholder{kind: placeholderPathParam, arg: arg}, nil
		case "query":
			return placeholder{kind: placeholderQuery, arg: arg}, nil
		case "header":
			return placeholder{kind: placeholderHeader, arg: arg}, nil
		}
	}
	return placeholder{}, mockforge.InvalidConfig("config key `template`: {{%s}}: unknown placeholder", name)
}
