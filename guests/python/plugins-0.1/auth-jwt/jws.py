"""Compact JWS verification for HS256 (RFC 7515)."""

import binascii
import hmac
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
    # an attacker could pass off as the HMAC secret. An issuer sends the same header with
    # every token, so the last one accepted is remembered.
    global _accepted_header
    if header != _accepted_header:
        if decode_object(header).get("alg") != "HS256":
            raise Rejection(UNSUPPORTED_ALGORITHM)
        _accepted_header = header

    signature = b64url_decode(signature)
    if signature is None:
        raise Rejection(MALFORMED)
    expected = hmac.digest(secret, signing_input.encode(), "sha256")
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


_accepted_header = None

# `hmac` imports modules on its first use; componentize-py snapshots the interpreter after
# import and the standard library's files are gone at run time, so use it once now.
hmac.digest(b"warm-up", b"", "sha256")

_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_VALUE = {chr(c): i for i, c in enumerate(_ALPHABET)}
_TO_STANDARD = bytes.maketrans(b"-_", b"+/")


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
