"""The checks of :class:`mockforge_plugin.jwt.Verifier` in Python, for a plugin served over
HTTP (no host) and for unit tests of a plugin's logic in CPython: the same order and the same
verdicts as the host's verifier, HMAC through :mod:`mockforge_plugin.crypto`."""

import binascii
import time
from typing import List, Optional

from . import crypto, strict_json
# Imported by `jwt.Verifier` only once `jwt` itself is loaded.
from .jwt import Rejected

_HMAC_HASHES = {"HS256": "sha256", "HS384": "sha384", "HS512": "sha512"}


class ServedVerifier:
    def __init__(self, algorithms, secret, keys, issuer, audience, leeway):
        if not algorithms:
            raise crypto.InvalidKey("no algorithm is accepted")
        if secret is not None and not secret:
            raise crypto.InvalidKey("the HMAC secret is empty")
        for name in algorithms:
            if name in _HMAC_HASHES:
                if secret is None:
                    raise crypto.InvalidKey(f"{name} is accepted but no secret is given")
            elif not any(k.key.fits(name) for k in keys):
                raise crypto.InvalidKey(f"{name} is accepted but no public key of its type is given")
        self.algorithms = frozenset(algorithms)
        self.secret = secret
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.leeway = float(leeway)

    def verify(self, token: str) -> str:
        signing_input, dot, signature = token.rpartition(".")
        if not dot:
            raise Rejected("malformed")
        header, dot, payload = signing_input.partition(".")
        if not dot or "." in payload:
            raise Rejected("malformed")
        fields = _object(_decode_text(header))
        alg, kid = fields.get("alg"), fields.get("kid")
        if not isinstance(alg, str) or alg not in self.algorithms:
            raise Rejected("unsupported-algorithm")
        kid = kid if isinstance(kid, str) else None
        raw = b64url_decode(signature)
        if raw is None:
            raise Rejected("malformed")
        message = signing_input.encode()
        hash_name = _HMAC_HASHES.get(alg)
        if hash_name is not None:
            if self.secret is None:
                raise Rejected("unsupported-algorithm")
            valid = crypto.hmac_verify(hash_name, self.secret, message, raw)
        else:
            valid = any(k.key.verify(alg, message, raw) for k in self._select(kid, alg))
        if not valid:
            raise Rejected("invalid-signature")
        text = _decode_text(payload)
        self._check(_object(text), time.time())
        return text

    def _select(self, kid: Optional[str], alg: str) -> List:
        candidates = [k for k in self.keys if kid is None or k.kid is None or k.kid == kid]
        if not candidates:
            raise Rejected("invalid-signature")
        fitting = [k for k in candidates if k.key.fits(alg) and (k.alg is None or k.alg == alg)]
        if not fitting:
            raise Rejected("unsupported-algorithm")
        return fitting

    def _check(self, claims: dict, now: float) -> None:
        exp = _numeric_date(claims, "exp")
        # RFC 7519 4.1.4: the token must not be accepted on or after `exp`.
        if exp is not None and now >= exp + self.leeway:
            raise Rejected("expired")
        nbf = _numeric_date(claims, "nbf")
        if nbf is not None and now + self.leeway < nbf:
            raise Rejected("not-yet-valid")
        if self.issuer is not None:
            iss = claims.get("iss")
            if not isinstance(iss, str) or iss != self.issuer:
                raise Rejected("invalid-issuer")
        if self.audience is not None:
            # RFC 7519 4.1.3: `aud` is one string or an array of them.
            aud = claims.get("aud")
            if isinstance(aud, list):
                matches = any(isinstance(a, str) and a == self.audience for a in aud)
            else:
                matches = isinstance(aud, str) and aud == self.audience
            if not matches:
                raise Rejected("invalid-audience")


def _decode_text(segment: str) -> str:
    raw = b64url_decode(segment)
    try:
        if raw is not None:
            return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    raise Rejected("malformed")


def _object(text: str) -> dict:
    value = strict_json.loads(text)
    if not isinstance(value, dict):
        raise Rejected("malformed")
    return value


def _numeric_date(claims: dict, name: str) -> Optional[float]:
    if name not in claims:
        return None
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Rejected("malformed")
    return float(value)


_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_VALUE = {chr(c): i for i, c in enumerate(_ALPHABET)}
_TO_STANDARD = bytes.maketrans(b"-_", b"+/")


def b64url_decode(text: str) -> Optional[bytes]:
    """The bytes `text` encodes in base64url, or `None` when it is not canonical base64url:
    padding is allowed, not required; symbols outside the alphabet, a lone final symbol,
    misplaced padding and non-zero trailing bits are refused, as the host refuses them."""
    if not text:
        return b""
    symbols = text.rstrip("=")
    # Padding may only end the last 1 to 4 symbols, after at least two real ones.
    tail = len(symbols) - (len(text) - (len(text) % 4 or 4))
    if tail < 2 or not symbols.isascii():
        return None
    raw = symbols.encode()
    # Deleting the alphabet leaves nothing of a valid text (a C loop, unlike a regex here).
    if raw.translate(None, _ALPHABET):
        return None
    # The bits past the last whole byte must be zero.
    if tail < 4 and _VALUE[symbols[-1]] & (0xF if tail == 2 else 0x3):
        return None
    return binascii.a2b_base64(raw.translate(_TO_STANDARD) + b"=" * (-len(raw) % 4))
