"""The registered claims of a verified token, and the identity it describes."""

from typing import Optional

from mockforge_plugin import Identity

from payload import Payload
from rejection import (
    EXPIRED,
    INVALID_AUDIENCE,
    INVALID_ISSUER,
    MALFORMED,
    MISSING_SUBJECT,
    NOT_YET_VALID,
    Rejection,
)
from settings import Settings


def check(claims: dict, settings: Settings, now: float) -> None:
    """Check the claims against the clock (`now`, seconds since the Unix epoch) and the
    configured issuer and audience, in the Rust plugin's order."""
    leeway = float(settings.leeway)
    exp = numeric_date(claims, "exp")
    # RFC 7519 4.1.4: the token must not be accepted on or after `exp`.
    if exp is not None and now >= exp + leeway:
        raise Rejection(EXPIRED)
    nbf = numeric_date(claims, "nbf")
    if nbf is not None and now + leeway < nbf:
        raise Rejection(NOT_YET_VALID)
    if settings.issuer is not None and string(claims, "iss") != settings.issuer:
        raise Rejection(INVALID_ISSUER)
    if settings.audience is not None:
        # RFC 7519 4.1.3: `aud` is one string or an array of them.
        aud = claims.get("aud")
        if isinstance(aud, list):
            matches = any(isinstance(a, str) and a == settings.audience for a in aud)
        else:
            matches = isinstance(aud, str) and aud == settings.audience
        if not matches:
            raise Rejection(INVALID_AUDIENCE)


def identity(payload: Payload) -> Identity:
    """The identity a verified token describes, built once per payload; its claims are the
    whole payload, passed on as its own JSON text (nothing is written again)."""
    if payload.identity is not None:
        return payload.identity
    claims = payload.claims
    subject = string(claims, "sub")
    if not subject:
        raise Rejection(MISSING_SUBJECT)
    username = string(claims, "preferred_username")
    payload.identity = Identity(
        subject,
        username=username if username is not None else string(claims, "username"),
        email=string(claims, "email"),
        display_name=string(claims, "name"),
        roles=strings(claims.get("roles")),
        groups=strings(claims.get("groups")),
        claims=claims,
        claims_text=payload.text,
    )
    return payload.identity


def numeric_date(claims: dict, name: str) -> Optional[float]:
    """Claim `name` as a NumericDate; a claim of another type makes the token malformed."""
    if name not in claims:
        return None
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Rejection(MALFORMED)
    return float(value)


def string(claims: dict, name: str) -> Optional[str]:
    value = claims.get(name)
    return value if isinstance(value, str) else None


def strings(claim) -> list:
    """The strings of a claim holding an array; anything else in it is ignored."""
    if not isinstance(claim, list):
        return []
    return [item for item in claim if isinstance(item, str)]
