package mockforge

// AuthenticateJSON runs the registered plugin on the two JSON texts the host sends (the
// request context and the credentials) and returns the answer JSON. The module's
// `plugin_auth_authenticate` export calls it; tests can call it directly, natively.
func AuthenticateJSON(context, credentials []byte) []byte {
	return appendAnswer(nil, context, credentials)
}

// appendAnswer appends the answer to dst. Every failure, a panic of the plugin included,
// becomes a plugin_error answer.
func appendAnswer(dst, context, credentials []byte) (answer []byte) {
	base := len(dst)
	defer func() {
		if r := recover(); r != nil {
			answer = appendError(dst[:base], Internal("the plugin panicked: %v", r))
		}
	}()
	if registered == nil {
		return appendError(dst, Internal("no auth plugin is registered: call mockforge.RegisterAuth from an init function"))
	}
	req, err := decodeRequest(context)
	if err != nil {
		return appendError(dst, err)
	}
	creds, err := decodeCredentials(credentials)
	if err != nil {
		return appendError(dst, err)
	}
	outcome, err := registered.Authenticate(req, creds)
	if err != nil {
		return appendError(dst, err)
	}
	return appendOutcome(dst, outcome)
}
