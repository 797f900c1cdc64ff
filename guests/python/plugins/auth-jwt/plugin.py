"""Bearer JWT authentication (HS256/384/512, RS256/384/512, PS256/384/512, ES256, ES384,
EdDSA): see README.md for the configuration. The token is checked by the host's verifier
(`mockforge_plugin.jwt`, built once from the configuration); the plugin maps its verdict to a
denial and the payload to an identity."""

from mockforge_plugin import Abstain, AuthPlugin, jwt, log, register
from mockforge_plugin.text import ascii_lower, trim

import claims
from rejection import MISSING_TOKEN, REASONS, Rejection
from settings import Settings, current_settings


@register
class Jwt(AuthPlugin):
    def authenticate(self, req):
        try:
            return authenticate(req, current_settings())
        except Rejection as rejection:
            log.debug("jwt rejected", reason=rejection.reason)
            return rejection.denial()


def authenticate(req, settings: Settings):
    """The identity of the request's bearer token; `Abstain()` when it has no `Authorization:
    Bearer` credential (another scheme is another plugin's business)."""
    value = req.header("authorization")
    if value is None:
        return Abstain()
    scheme, space, token = trim(value).partition(" ")
    # The scheme is case-insensitive (RFC 7235).
    if not scheme.isascii() or ascii_lower(scheme) != "bearer":
        return Abstain()
    token = trim(token)
    if not token:
        raise Rejection(MISSING_TOKEN)
    try:
        payload = settings.verifier.verify(token)
    except jwt.Rejected as rejected:
        raise Rejection(REASONS[rejected.reason]) from None
    return claims.identity(payload)
