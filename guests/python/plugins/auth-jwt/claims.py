"""The identity a verified token's payload describes."""

from typing import Optional

from mockforge_plugin import Identity, strict_json

from rejection import MALFORMED, MISSING_SUBJECT, Rejection

# A client sends the same token with every request until it expires: the identity of the
# last payload is kept (the signature and the clock are checked on every call all the same).
_last: Optional[tuple] = None


def identity(payload: str) -> Identity:
    """The identity of a verified payload (a JSON object's text); its claims are the whole
    payload, passed on as its own text (nothing is written again)."""
    global _last
    last = _last
    if last is not None and last[0] == payload:
        return last[1]
    claims = strict_json.loads(payload)
    if not isinstance(claims, dict):
        raise Rejection(MALFORMED)
    subject = string(claims, "sub")
    if not subject:
        raise Rejection(MISSING_SUBJECT)
    username = string(claims, "preferred_username")
    found = Identity(
        subject,
        username=username if username is not None else string(claims, "username"),
        email=string(claims, "email"),
        display_name=string(claims, "name"),
        roles=strings(claims.get("roles")),
        groups=strings(claims.get("groups")),
        claims=claims,
        claims_text=payload,
    )
    _last = (payload, found)
    return found


def string(claims: dict, name: str) -> Optional[str]:
    value = claims.get(name)
    return value if isinstance(value, str) else None


def strings(claim) -> list:
    """The strings of a claim holding an array; anything else in it is ignored."""
    if not isinstance(claim, list):
        return []
    return [item for item in claim if isinstance(item, str)]
