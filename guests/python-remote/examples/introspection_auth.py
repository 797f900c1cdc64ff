"""An OAuth2 token-introspection auth plugin (RFC 7662): the bearer token of each request is
sent to the introspection endpoint, and an active token's answer becomes the identity. Answers
for active tokens are cached until the token expires (at most CACHE_MAX_SECONDS).

Configuration (environment): INTROSPECTION_URL, INTROSPECTION_CLIENT_ID and
INTROSPECTION_CLIENT_SECRET (HTTP Basic client authentication, RFC 7662 section 2.1), and the
host's shared secret in MOCKFORGE_PLUGIN_SECRET. Run:

    uvicorn examples.introspection_auth:app --port 8080
"""

from __future__ import annotations

import os
import time
from typing import Any, Optional

import httpx

from mockforge_remote import AuthOutcome, Identity, Internal, InvalidConfig, Plugin, Request, create_app

#: The longest an introspection answer is trusted, even for a token that expires later, so
#: that a revoked token stops working within this time.
CACHE_MAX_SECONDS = 300
#: Cached tokens at most; the oldest entries go first.
CACHE_MAX_ENTRIES = 10_000
CHALLENGE = 'Bearer realm="mockforge"'


class Introspection(Plugin):
    name = "oauth2-introspection"
    version = "0.1.0"
    description = "Bearer tokens checked by OAuth2 token introspection (RFC 7662), cached until expiry"

    def __init__(self, url: str, client_id: str, client_secret: str, timeout: float = 2.0):
        if not url:
            raise InvalidConfig("INTROSPECTION_URL is not set")
        self.url = url
        self.client = httpx.AsyncClient(auth=(client_id, client_secret), timeout=timeout)
        self.cache: dict[str, tuple[float, dict[str, Any]]] = {}
        self.introspections = 0

    @classmethod
    def from_env(cls) -> "Introspection":
        return cls(
            os.environ.get("INTROSPECTION_URL", ""),
            os.environ.get("INTROSPECTION_CLIENT_ID", ""),
            os.environ.get("INTROSPECTION_CLIENT_SECRET", ""),
        )

    async def authenticate(self, request: Request) -> AuthOutcome:
        header = request.header("authorization") or ""
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return AuthOutcome.deny(401, "a bearer token is required", [("www-authenticate", CHALLENGE)])
        claims = await self.introspect(token.strip())
        if claims is None:
            return AuthOutcome.deny(
                401, "the token is not active",
                [("www-authenticate", f'{CHALLENGE}, error="invalid_token"')],
            )
        return AuthOutcome.allow(identity_of(claims))

    async def introspect(self, token: str) -> Optional[dict[str, Any]]:
        """The introspection answer of an active token, or None for an inactive one."""
        now = time.time()
        cached = self.cache.get(token)
        if cached is not None:
            if cached[0] > now:
                return cached[1]
            del self.cache[token]
        self.introspections += 1
        try:
            answer = await self.client.post(
                self.url,
                data={"token": token, "token_type_hint": "access_token"},
                headers={"accept": "application/json"},
            )
        except httpx.HTTPError as err:
            raise Internal(f"introspection endpoint unreachable: {err}") from err
        if answer.status_code != 200:
            raise Internal(f"introspection endpoint answered {answer.status_code}")
        claims = answer.json()
        if not isinstance(claims, dict) or not isinstance(claims.get("active"), bool):
            raise Internal("introspection answer has no boolean `active`")
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
        subject=str(subject),
        username=claims.get("username"),
        email=claims.get("email"),
        roles=scope.split() if isinstance(scope, str) else [],
        claims=[
            (name, claims[name])
            for name in ("scope", "client_id", "token_type", "exp", "iat", "nbf", "iss", "aud", "jti")
            if name in claims
        ],
    )


plugin = Introspection.from_env()
app = create_app(plugin)
