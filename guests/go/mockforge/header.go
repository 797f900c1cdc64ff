package mockforge

// Header is one HTTP header (or any name and value pair, such as a path parameter).
type Header struct {
	// Name is the header's name; names compare case-insensitively.
	Name string
	// Value is the header's value.
	Value string
}
