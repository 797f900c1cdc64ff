package strictjson

// Object is a JSON object. A name given twice keeps its first place and takes its last value,
// as in serde_json's ordered map. Looking a member up allocates nothing.
type Object struct {
	text  []byte
	spans []span // every member as written, repeated names included
}

// Member is one name and value of an object.
type Member struct {
	// Name is the decoded name.
	Name string
	// Value is the last value given for the name.
	Value Value
}

// Get is the value of member name (its last value when the name is repeated).
func (o Object) Get(name string) (Value, bool) {
	for i := len(o.spans) - 1; i >= 0; i-- {
		s := o.spans[i]
		if keyIs(o.text[s.keyStart:s.keyEnd], s.keyEscaped, name) {
			return Value{text: o.text[s.valueStart:s.valueEnd]}, true
		}
	}
	return Value{}, false
}

// Text is the decoded text of member name when it is a string.
func (o Object) Text(name string) (string, bool) {
	v, ok := o.Get(name)
	if !ok {
		return "", false
	}
	return v.Text()
}

// Each calls f with each member's raw name and value in document order, repeated names
// included, until f returns false. The raw name is the name's text with its quotes.
func (o Object) Each(f func(rawName []byte, value Value) bool) {
	for _, s := range o.spans {
		if !f(o.text[s.keyStart:s.keyEnd], Value{text: o.text[s.valueStart:s.valueEnd]}) {
			return
		}
	}
}

// linearDedupLimit is the member count up to which repeated names are found by comparing each
// name with the earlier ones, which is faster than a map for the small objects that are usual.
const linearDedupLimit = 16

// Members are the object's members in the order of their first appearance, each name once.
func (o Object) Members() []Member {
	members := make([]Member, 0, len(o.spans))
	var index map[string]int
	if len(o.spans) > linearDedupLimit {
		index = make(map[string]int, len(o.spans))
	}
	for _, s := range o.spans {
		name := unquote(o.text[s.keyStart:s.keyEnd])
		value := Value{text: o.text[s.valueStart:s.valueEnd]}
		at := -1
		if index != nil {
			if i, ok := index[name]; ok {
				at = i
			} else {
				index[name] = len(members)
			}
		} else {
			for i := range members {
				if members[i].Name == name {
					at = i
					break
				}
			}
		}
		if at >= 0 {
			members[at].Value = value
		} else {
			members = append(members, Member{Name: name, Value: value})
		}
	}
	return members
}

// keyIs says whether the raw (quoted) name decodes to name.
func keyIs(raw []byte, escaped bool, name string) bool {
	if !escaped {
		return string(raw[1:len(raw)-1]) == name
	}
	return unquote(raw) == name
}
