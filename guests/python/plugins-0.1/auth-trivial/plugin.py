"""The benchmark auth plugin: it allows a request whose `authorization` header is exactly
`Bearer good` and denies every other, so that a benchmark measures the plugin call itself."""

from mockforge_plugin import AuthPlugin, Denial, Identity, register


@register
class Trivial(AuthPlugin):
    def authenticate(self, req):
        if req.header("authorization") == "Bearer good":
            return Identity("good")
        return Denial(401, "denied")
