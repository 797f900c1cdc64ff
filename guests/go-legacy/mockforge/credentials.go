package mockforge

// Credentials are what the request's `Authorization` (or `X-Api-Key`) header carries, as the
// host derived them:
//
//	Authorization: Bearer <t>   {Type: "bearer", Token: "<t>"}
//	Authorization: Basic <b64>  {Type: "basic", Data: "<b64>"}
//	Authorization: <Scheme> <x> {Type: "<scheme in lower case>", Token: "<x>"}
//	X-Api-Key: <key>            {Type: "api_key", Token: "<key>"} (only without Authorization)
//	neither                     {Type: "none"}
//
// They are a convenience: the headers themselves are in [Request.Headers].
type Credentials struct {
	Type  string
	Token string
	Data  string
}
