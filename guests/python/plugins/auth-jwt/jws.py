"""Compact JWS verification (RFC 7515): HS256/384/512 through the host's HMAC, RS/PS/ES/EdDSA
through the host's public keys. No primitive runs in the guest."""

import binascii
from typing import NamedTuple, Optional

from mockforge_plugin import crypto, strict_json

import keys
from payload import Payload
from rejection import INVALID_SIGNATURE, MALFORMED, UNSUPPORTED_ALGORITHM, Rejection
from settings import HMAC_HASHES, Settings


class Header(NamedTuple):
    """What the protected header says about the signature."""

    #: The JWS `alg`, `None` when absent or not a string.
    alg: Optional[str]
    #: The JWK `kid`, `None` when absent or not a string.
    kid: Optional[str]


class LastToken(NamedTuple):
    """The last token whose signature held, with what was decoded from it: a client sends the
    same token with every request until it expires."""

    token: str
    signature: bytes
    payload: Payload


def verify(token: str, settings: Settings) -> Payload:
    """Check that `token` is a compact JWS signed with an accepted algorithm under a
    configured key and return its payload, claims in token order.

    The payload is parsed only after the signature checks out, so nothing an attacker wrote
    is looked at before it is known to come from the key holder. The signature is checked on
    every call; only the decoding of the last token that passed is kept.
    """
    global _last_token
    signing_input, dot, signature = token.rpartition(".")
    if not dot:
        raise Rejection(MALFORMED)
    header, dot, payload = signing_input.partition(".")
    if not dot or "." in payload:
        raise Rejection(MALFORMED)

    alg, kid = read_header(header)
    # `none`, a lower-case name, or an algorithm not configured: refused before any key is
    # chosen, so that a public key is never used as an HMAC secret.
    if alg not in settings.algorithms:
        raise Rejection(UNSUPPORTED_ALGORITHM)
    last = _last_token
    known = last is not None and last.token == token
    signature = last.signature if known else b64url_decode(signature)
    if signature is None:
        raise Rejection(MALFORMED)
    message = signing_input.encode()

    hash_name = HMAC_HASHES.get(alg)
    if hash_name is not None:
        if settings.secret is None:
            raise Rejection(UNSUPPORTED_ALGORITHM)
        valid = crypto.hmac_verify(hash_name, settings.secret, message, signature)
    else:
        fitting = keys.select(settings.keys, kid, alg)
        valid = any(k.key.verify(alg, message, signature) for k in fitting)
    if not valid:
        raise Rejection(INVALID_SIGNATURE)

    if known:
        return last.payload
    verified = decode_payload(payload)
    _last_token = LastToken(token, signature, verified)
    return verified


def read_header(segment: str) -> Header:
    """The `alg` and `kid` of the protected header. An issuer sends the same header with
    every token, so the last one read is remembered."""
    global _last_header
    if _last_header is not None and _last_header[0] == segment:
        return _last_header[1]
    fields = decode_object(segment)
    alg, kid = fields.get("alg"), fields.get("kid")
    header = Header(alg if isinstance(alg, str) else None, kid if isinstance(kid, str) else None)
    _last_header = (segment, header)
    return header


def decode_object(segment: str) -> dict:
    """Decode one base64url segment holding a JSON object."""
    return decode_payload(segment).claims


def decode_payload(segment: str) -> Payload:
    """Decode one base64url segment holding a JSON object, kept with its text."""
    raw = b64url_decode(segment)
    try:
        text = None if raw is None else raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    value = None if text is None else strict_json.loads(text)
    if not isinstance(value, dict):
        raise Rejection(MALFORMED)
    return Payload(value, text)


_last_header = None
_last_token: Optional[LastToken] = None

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
