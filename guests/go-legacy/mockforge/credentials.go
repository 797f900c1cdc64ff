package mockforge

// Credentials are what the request's `Authorization` (or `X-Api-Key`) header carries, as the
// host derives them, in the shape of MockForge's Go SDK (`AuthCredentials`: type, token, and
// data as a map of strings):
//
//	Authorization: Bearer <t>          {Type: "bearer", Token: "<t>"}
//	Authorization: Basic <b64>         {Type: "basic", Token: "<b64>",
//	                                    Data: {"username": "<u>", "password": "<p>"}}
//	                                   (no Data unless <b64> decodes to "<u>:<p>" in UTF-8)
//	Authorization: <Scheme> <x>        {Type: "<scheme in lower case>", Token: "<x>"}
//	Authorization: <x> (no scheme)     {Type: "custom", Token: "<x>"}
//	X-Api-Key: <key>                   {Type: "api_key", Token: "<key>"} (only without Authorization)
//	neither                            {Type: "none"}
//
// They are a convenience: the headers themselves are in [Request.Headers].
type Credentials struct {
	Type  string
	Token string
	Data  map[string]string
}
