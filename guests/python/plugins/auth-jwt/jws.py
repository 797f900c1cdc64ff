"""Compact JWS verification for HS256 (RFC 7515)."""

import base64
import hashlib
import hmac
import re
from typing import Optional

import strict_json
from rejection import INVALID_SIGNATURE, MALFORMED, UNSUPPORTED_ALGORITHM, Rejection


def verify(token: str, secret: bytes) -> dict:
    """Check that `token` is a compact JWS signed with HS256 under `secret` and return its
    claims, in token order.

    The payload is parsed only after the signature checks out, so nothing an attacker wrote
    is looked at before it is known to come from the key holder.
    """
    signing_input, dot, signature = token.rpartition(".")
    if not dot:
        raise Rejection(MALFORMED)
    header, dot, payload = signing_input.partition(".")
    if not dot or "." in payload:
        raise Rejection(MALFORMED)

    # Only HS256 is accepted: in particular `none` and the RS/ES family, whose "public key"
    # an attacker could pass off as the HMAC secret.
    if decode_object(header).get("alg") != "HS256":
        raise Rejection(UNSUPPORTED_ALGORITHM)

    signature = b64url_decode(signature)
    if signature is None:
        raise Rejection(MALFORMED)
    expected = _hmac_sha256(secret, signing_input.encode())
    if not hmac.compare_digest(expected, signature):
        raise Rejection(INVALID_SIGNATURE)

    return decode_object(payload)


def decode_object(segment: str) -> dict:
    """Decode one base64url segment holding a JSON object."""
    raw = b64url_decode(segment)
    value = None if raw is None else strict_json.loads(raw)
    if not isinstance(value, dict):
        raise Rejection(MALFORMED)
    return value


def _hmac_sha256(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


# `hmac` imports modules on its first use; componentize-py snapshots the interpreter after
# import and the standard library's files are gone at run time, so use it once now.
_hmac_sha256(b"warm-up", b"")

_SYMBOLS = re.compile(r"[A-Za-z0-9_-]*")
_VALUE = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")}


def b64url_decode(text: str) -> Optional[bytes]:
    """The bytes `text` encodes in base64url, or `None` when it is not canonical base64url.

    JWTs are unpadded (RFC 7515), but some issuers pad anyway: padding is allowed, not
    required. Symbols outside the alphabet, a lone final symbol, misplaced padding and
    non-zero trailing bits are refused, as the Rust plugin's decoder refuses them.
    """
    if not text:
        return b""
    symbols = text.rstrip("=")
    # Padding may only end the last 1 to 4 symbols, after at least two real ones.
    tail = len(symbols) - (len(text) - (len(text) % 4 or 4))
    if tail < 2 or not _SYMBOLS.fullmatch(symbols):
        return None
    # The bits past the last whole byte must be zero.
    if tail < 4 and _VALUE[symbols[-1]] & (0xF if tail == 2 else 0x3):
        return None
    return base64.urlsafe_b64decode(symbols + "=" * (-len(symbols) % 4))
