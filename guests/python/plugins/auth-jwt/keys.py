"""The public keys a token may be signed with, read from the configuration through the
host's crypto: one PEM (`public-key`), an inline JWKS (`jwks`) or a JWKS file (`jwks-file`)."""

import json
from typing import List, NamedTuple, Optional

from mockforge_plugin import InvalidConfig, crypto
from mockforge_plugin.text import debug_str


class Key(NamedTuple):
    """One verification key: the host's key, and what chooses it for a token."""

    #: Its `kid` in the JWKS; `None` for the PEM key or a JWK without one.
    kid: Optional[str]
    #: The one algorithm it verifies, when its JWK says (`alg`).
    alg: Optional[str]
    #: The key itself, held by the host.
    key: crypto.PublicKey


def from_pem(pem: str) -> Key:
    """The key of `public-key`, a PEM public key."""
    try:
        return Key(None, None, crypto.PublicKey.from_pem(pem))
    except crypto.CryptoError as e:
        raise InvalidConfig(f"config key `public-key`: {e.message}") from None


def from_jwks(text: str, source: str) -> List[Key]:
    """The keys of a JWK Set (RFC 7517 section 5): a JSON object whose `keys` member is a
    non-empty array of objects, each handed to the host as its own JSON text (its `kid` and
    `alg`, when strings, kept here). `source` names where it came from, for messages; anything
    else, or a key the host does not read, is a configuration error."""
    try:
        jwks = json.loads(text)
    except ValueError as e:
        raise InvalidConfig(f"{source}: not JSON: {e}") from None
    members = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(members, list):
        raise InvalidConfig(f"{source}: not a JWKS: no `keys` array")
    if not members:
        raise InvalidConfig(f"{source}: the JWKS holds no key")
    keys = []
    for index, jwk in enumerate(members):
        if not isinstance(jwk, dict):
            raise InvalidConfig(f"{source}: key {index} is not a JSON object")
        try:
            key = crypto.PublicKey.from_jwk(json.dumps(jwk))
        except crypto.CryptoError as e:
            raise InvalidConfig(f"{source}: key {index}: {e.message}") from None
        keys.append(Key(text_member(jwk, "kid"), text_member(jwk, "alg"), key))
    return keys


def text_member(jwk: dict, name: str) -> Optional[str]:
    value = jwk.get(name)
    return value if isinstance(value, str) else None


def from_jwks_file(path: str) -> List[Key]:
    """The keys of the JWKS file at `path` (inside a folder the manifest's
    `[capabilities] dirs` grants)."""
    source = f"config key `jwks-file` = {debug_str(path)}"
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError) as e:
        why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise InvalidConfig(f"{source}: {why}") from None
    return from_jwks(text, source)

