"""An OAuth2 token-introspection auth plugin (RFC 7662): the bearer token of each request is
sent to the introspection endpoint, and an active token's answer becomes the identity. Answers
for active tokens are cached until the token expires (at most CACHE_MAX_SECONDS).

Configuration (`mockforge_plugin.config`, from the environment by default):
`introspection-url` (MOCKFORGE_CONFIG_INTROSPECTION_URL), and `client-id` and
`client-secret` (MOCKFORGE_CONFIG_CLIENT_ID, MOCKFORGE_CONFIG_CLIENT_SECRET) for HTTP Basic
client authentication (RFC 7662 section 2.1); the host's shared secret in
MOCKFORGE_PLUGIN_SECRET. A missing key is an `invalid-config` error on each call, as in a
component. Run:

    uvicorn --app-dir guests/python/remote-examples introspection_auth:app --port 8080
"""

import time
from typing import Any, Optional

import httpx

from mockforge_plugin import AuthPlugin, Denial, Identity, InternalError, config, log
from mockforge_plugin.remote import create_app

#: The longest an introspection answer is trusted, even for a token that expires later, so
#: that a revoked token stops working within this time.
CACHE_MAX_SECONDS = 300
#: Cached tokens at most; the oldest entries go first.
CACHE_MAX_ENTRIES = 10_000
#: The longest one introspection may take; the host's own deadline should allow for it.
INTROSPECTION_TIMEOUT_SECONDS = 2.0
CHALLENGE = 'Bearer realm="mockforge"'
#: The registered claims (RFC 7662 section 2.2) passed on as the identity's claims.
CLAIMS = ("scope", "client_id", "token_type", "exp", "iat", "nbf", "iss", "aud", "jti")


class Introspection(AuthPlugin):
    name = "oauth2-introspection"
    version = "0.1.0"
    description = "Bearer tokens checked by OAuth2 token introspection (RFC 7662), cached until expiry"

    def __init__(self):
        self.cache: dict[str, tuple[float, dict[str, Any]]] = {}
        self.client: Optional[httpx.AsyncClient] = None

    async def authenticate(self, req):
        scheme, _, token = (req.header("authorization") or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return Denial(401, "a bearer token is required", [("www-authenticate", CHALLENGE)])
        claims = await self.introspect(token)
        if claims is None:
            return Denial(
                401, "the token is not active",
                [("www-authenticate", f'{CHALLENGE}, error="invalid_token"')],
            )
        return identity_of(claims)

    async def introspect(self, token: str) -> Optional[dict[str, Any]]:
        """The introspection answer of an active token, or None for an inactive one."""
        now = time.time()
        cached = self.cache.get(token)
        if cached is not None:
            if cached[0] > now:
                return cached[1]
            del self.cache[token]
        url = config.require("introspection-url")
        if self.client is None:
            # Made on the first call, so that it belongs to the server's event loop.
            credentials = (config.require("client-id"), config.require("client-secret"))
            self.client = httpx.AsyncClient(auth=credentials, timeout=INTROSPECTION_TIMEOUT_SECONDS)
        try:
            answer = await self.client.post(
                url,
                data={"token": token, "token_type_hint": "access_token"},
                headers={"accept": "application/json"},
            )
        except httpx.HTTPError as err:
            raise InternalError(f"introspection endpoint unreachable: {err}") from err
        if answer.status_code != 200:
            raise InternalError(f"introspection endpoint answered {answer.status_code}")
        claims = answer.json()
        if not isinstance(claims, dict) or not isinstance(claims.get("active"), bool):
            raise InternalError("introspection answer has no boolean `active`")
        log.debug("introspected", active=claims["active"])
        exp = claims.get("exp")
        if not claims["active"] or (isinstance(exp, (int, float)) and exp <= now):
            return None
        until = now + CACHE_MAX_SECONDS
        if isinstance(exp, (int, float)):
            until = min(until, exp)
        if len(self.cache) >= CACHE_MAX_ENTRIES:
            self.cache.pop(next(iter(self.cache)))
        self.cache[token] = (until, claims)
        return claims


def identity_of(claims: dict[str, Any]) -> Identity:
    """An identity from an RFC 7662 answer: `sub` (or the username, or the client), the
    username, scopes as roles, and the registered claims that are present."""
    subject = claims.get("sub") or claims.get("username") or claims.get("client_id") or "unknown"
    scope = claims.get("scope")
    return Identity(
        str(subject),
        username=claims.get("username"),
        email=claims.get("email"),
        roles=scope.split() if isinstance(scope, str) else [],
        claims={name: claims[name] for name in CLAIMS if name in claims},
    )


app = create_app(Introspection())
