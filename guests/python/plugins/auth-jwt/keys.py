"""The public keys a token may be signed with, read from the configuration through the
host's crypto: one PEM (`public-key`), an inline JWKS (`jwks`) or a JWKS file (`jwks-file`)."""

import json
from typing import List, NamedTuple, Optional

from mockforge_plugin import InvalidConfig, crypto
from mockforge_plugin.text import debug_str


class Key(NamedTuple):
    """One verification key: the host's key, and its JWK `kid` when it has one."""

    kid: Optional[str]
    key: crypto.PublicKey


def from_pem(pem: str) -> Key:
    """The key of `public-key`, a PEM public key."""
    try:
        return Key(None, crypto.PublicKey.from_pem(pem))
    except crypto.CryptoError as e:
        raise InvalidConfig(f"config key `public-key`: {e.message}") from None


def from_jwks(text: str, source: str) -> List[Key]:
    """The signature keys of a JWK Set (RFC 7517 section 5); `source` names the config key
    for messages. Keys marked for encryption (`"use": "enc"`) are left out; a key the host
    does not read is a configuration error naming it."""
    try:
        jwks = json.loads(text)
    except ValueError as e:
        raise InvalidConfig(f"{source}: not JSON: {e}") from None
    members = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(members, list):
        raise InvalidConfig(f"{source}: not a JWK Set (an object with a `keys` array)")
    keys = []
    for index, jwk in enumerate(members):
        if not isinstance(jwk, dict):
            raise InvalidConfig(f"{source}: key {index} is not a JSON object")
        if jwk.get("use") == "enc":
            continue
        kid = jwk.get("kid")
        kid = kid if isinstance(kid, str) else None
        try:
            keys.append(Key(kid, crypto.PublicKey.from_jwk(json.dumps(jwk))))
        except crypto.CryptoError as e:
            name = f"`{kid}`" if kid is not None else str(index)
            raise InvalidConfig(f"{source}: key {name}: {e.message}") from None
    if not keys:
        raise InvalidConfig(f"{source}: the JWK Set holds no signature key")
    return keys


def from_jwks_file(path: str) -> List[Key]:
    """The keys of the JWKS file at `path` (inside a folder the manifest's
    `[capabilities] dirs` grants)."""
    source = f"config key `jwks-file` = {debug_str(path)}"
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError) as e:
        why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise InvalidConfig(f"{source}: cannot read it: {why}") from None
    return from_jwks(text, source)


def candidates(keys: List[Key], kid: Optional[str]) -> List[Key]:
    """The keys a token may be signed with: when it names a `kid`, the keys with that `kid`
    and those without one (a lone PEM key has none); otherwise every key."""
    if kid is None:
        return keys
    return [key for key in keys if key.kid is None or key.kid == kid]
