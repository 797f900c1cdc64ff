package mockforge

import (
	"path"
	"runtime/debug"

	"mockforge.dev/guest/strictjson"
)

// AuthPlugin decides who a request is.
type AuthPlugin interface {
	// Authenticate allows req with [Allow] or refuses it with [Deny]. Missing or bad
	// credentials are a denial, not an error: return an error only when the plugin cannot
	// decide, such as when its configuration is wrong ([InvalidConfig]). A panic is reported to
	// the host as an internal error; the instance stays usable.
	Authenticate(req *Request, creds Credentials) (Outcome, error)
}

// registered is the plugin RegisterAuth was given.
var registered AuthPlugin

// RegisterAuth makes p the module's auth plugin. Call it once, from an init function: the host
// runs init functions (through `_initialize`) before its first call, and a c-shared module's
// main never runs.
func RegisterAuth(p AuthPlugin) {
	if p == nil {
		panic("mockforge: RegisterAuth(nil)")
	}
	if registered != nil {
		panic("mockforge: RegisterAuth called twice; a module holds one auth plugin")
	}
	registered = p
}

// The plugin's name and version, which guests/go-legacy/build.sh stamps from plugin.toml with
// `-ldflags=-X`. A module built otherwise is named after its main package's directory.
var (
	stampedName    string
	stampedVersion string
)

// capabilities is the JSON that describes the module: {"name","version","kinds","sdk"}.
func capabilities() []byte {
	name, version := stampedName, stampedVersion
	if name == "" {
		name = "unknown"
		if info, ok := debug.ReadBuildInfo(); ok {
			name = path.Base(info.Path)
		}
	}
	if version == "" {
		version = "0.0.0"
	}
	out := []byte(`{"name":`)
	out = strictjson.AppendString(out, name)
	out = append(out, `,"version":`...)
	out = strictjson.AppendString(out, version)
	out = append(out, `,"kinds":[`...)
	if registered != nil {
		out = append(out, `"auth"`...)
	}
	out = append(out, `],"sdk":`...)
	out = strictjson.AppendString(out, "mockforge-go/"+SDKVersion)
	return append(out, '}')
}

// SDKVersion is this SDK's version, reported in the module's capabilities.
const SDKVersion = "0.1.0"
