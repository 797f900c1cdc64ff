package mockforge

// Response is an HTTP response a response plugin produces or changes.
type Response struct {
	// Status is the HTTP status code.
	Status uint16
	// Headers are the response headers in order; duplicate names are kept.
	Headers []Header
	// Body is the body bytes.
	Body []byte
}
