"""HS256 bearer JWT authentication: see README.md for the configuration."""

import time

from mockforge_plugin import AuthPlugin, Identity, log, register
from mockforge_plugin.text import trim

import claims
import jws
from rejection import MISSING_TOKEN, Rejection
from settings import Settings, current_settings


@register
class Jwt(AuthPlugin):
    def authenticate(self, req):
        try:
            return authenticate(req, current_settings(), time.time())
        except Rejection as rejection:
            log.debug("jwt rejected", reason=rejection.reason)
            return rejection.denial()


def authenticate(req, settings: Settings, now: float) -> Identity:
    token = bearer_token(req)
    if token is None:
        raise Rejection(MISSING_TOKEN)
    verified = jws.verify(token, settings.secret)
    claims.check(verified, settings, now)
    return claims.identity(verified)


def bearer_token(req):
    """The token of an `Authorization: Bearer <token>` header; the scheme is
    case-insensitive (RFC 7235)."""
    value = req.header("authorization")
    if value is None:
        return None
    scheme, space, token = trim(value).partition(" ")
    token = trim(token)
    if space and scheme.lower() == "bearer" and scheme.isascii() and token:
        return token
    return None
