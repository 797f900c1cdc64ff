"""The benchmark auth plugin: it allows a request whose `authorization` header is exactly
`Bearer good`, denies one with any other `authorization` header and abstains when there is
none, so that a benchmark measures the plugin call itself."""

from mockforge_plugin import Abstain, AuthPlugin, Denial, Identity, register

_ABSTAIN = Abstain()


@register
class Trivial(AuthPlugin):
    def authenticate(self, req):
        value = req.header("authorization")
        if value is None:
            return _ABSTAIN
        if value == "Bearer good":
            return Identity("good")
        return Denial(401, "denied")
