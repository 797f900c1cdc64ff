"""Cryptography done natively by the host (the WIT ``crypto`` import): digests, HMACs, a
constant-time comparison, secure random bytes, and public keys that verify JWS signatures.
A plugin never carries its own implementation of a primitive.

    if not crypto.hmac_verify("sha256", secret, signing_input, signature):
        return Denial(401, "invalid signature")

    key = crypto.PublicKey.from_pem(config.require("public-key"))   # once; keep it
    key.verify("RS256", signing_input, signature)                   # True or False

Hash algorithms are named as :mod:`hashlib` names them (``"sha256"``, ``"sha384"``,
``"sha512"``); signature algorithms as JSON Web Algorithms name them (``"RS256"``, ``"PS256"``,
``"ES256"``, ``"EdDSA"``, ...: :data:`SIGNATURE_ALGORITHMS`). A name outside those is a
``ValueError``. A key the host refuses, an algorithm that does not fit a key, or a limit
reached raise a :class:`CryptoError`.

Served over HTTP (``mockforge_plugin.remote``) there is no host: the digests, HMACs,
comparison and random bytes come from the standard library, and :class:`PublicKey` is not
available (it raises ``RuntimeError``).
"""

from typing import Any, Dict, Mapping, Tuple, Union

from . import _bindings

#: The hash algorithms of :func:`digest` and :func:`hmac`.
HASH_ALGORITHMS: Tuple[str, ...] = ("sha256", "sha384", "sha512")

#: The JWS algorithms each key type (:attr:`PublicKey.key_type`) verifies.
ALGORITHMS_BY_KEY_TYPE: Dict[str, Tuple[str, ...]] = {
    "rsa": ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512"),
    "ec-p256": ("ES256",),
    "ec-p384": ("ES384",),
    "ed25519": ("EdDSA",),
}

#: Every signature algorithm :meth:`PublicKey.verify` knows, by its JWS name.
SIGNATURE_ALGORITHMS: Tuple[str, ...] = tuple(
    alg for algs in ALGORITHMS_BY_KEY_TYPE.values() for alg in algs
)

#: The most random bytes one :func:`random_bytes` call returns.
MAX_RANDOM_BYTES = 4096


class CryptoError(Exception):
    """Why the host could not read or use a key; ``message`` is its text."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidKey(CryptoError):
    """The key text is not a public key the host reads (bad PEM or JWK, a private key, an RSA
    key under 2048 bits, an unsupported curve)."""


class KeyMismatch(CryptoError):
    """The algorithm does not fit the key's type (``ES256`` with an RSA key): refused, never
    tried."""


class Limit(CryptoError):
    """A limit was reached: a key text over 16 KiB, too many keys held, too many random
    bytes asked for at once."""


def digest(algorithm: str, data: bytes) -> bytes:
    """The digest of ``data`` under ``algorithm`` (``"sha256"``, ``"sha384"``, ``"sha512"``)."""
    wit = _bindings.crypto
    if wit is not None:
        return wit.digest(_hash(wit, algorithm), data)
    import hashlib

    return hashlib.new(_hash_name(algorithm), data).digest()


def hmac(algorithm: str, key: bytes, data: bytes) -> bytes:
    """The HMAC of ``data`` under ``key`` with ``algorithm`` (HS256/384/512 of a JWS)."""
    wit = _bindings.crypto
    if wit is not None:
        return wit.hmac(_hash(wit, algorithm), key, data)
    import hmac as std_hmac

    return std_hmac.digest(key, data, _hash_name(algorithm))


def hmac_verify(algorithm: str, key: bytes, data: bytes, tag: bytes) -> bool:
    """Whether ``tag`` is the HMAC of ``data`` under ``key``, compared in constant time."""
    wit = _bindings.crypto
    if wit is not None:
        return wit.hmac_verify(_hash(wit, algorithm), key, data, tag)
    import hmac as std_hmac

    return std_hmac.compare_digest(std_hmac.digest(key, data, _hash_name(algorithm)), tag)


def constant_time_equal(a: bytes, b: bytes) -> bool:
    """Whether ``a`` and ``b`` are equal, in time that depends only on their lengths."""
    wit = _bindings.crypto
    if wit is not None:
        return wit.constant_time_equal(a, b)
    import hmac as std_hmac

    return std_hmac.compare_digest(bytes(a), bytes(b))


def random_bytes(n: int) -> bytes:
    """``n`` bytes from the operating system's secure random source; at most
    :data:`MAX_RANDOM_BYTES` at once (:class:`Limit` beyond)."""
    wit = _bindings.crypto
    if wit is not None:
        try:
            return wit.random_bytes(n)
        except _bindings.Err as e:
            raise _crypto_error(e.value) from None
    if not 0 <= n <= MAX_RANDOM_BYTES:
        raise Limit(f"at most {MAX_RANDOM_BYTES} random bytes at once, not {n}")
    import os

    return os.urandom(n)


class PublicKey:
    """A public key held by the host, for signature verification. Read it once (from the
    configuration, at the first call) and keep it: a warm instance keeps its keys between
    calls.

        key = PublicKey.from_jwk({"kty": "OKP", "crv": "Ed25519", "x": "..."})
        key.key_type                                   # "ed25519"
        key.verify("EdDSA", signing_input, signature)  # True or False
    """

    __slots__ = ("_key", "key_type")

    def __init__(self, key: Any):
        # The host's resource; build one with `from_pem` or `from_jwk`.
        self._key = key
        #: The key's type: ``"rsa"``, ``"ec-p256"``, ``"ec-p384"`` or ``"ed25519"``.
        self.key_type: str = _KEY_TYPE_NAMES[key.key_type().name]

    @classmethod
    def from_pem(cls, pem: str) -> "PublicKey":
        """Read a PEM public key: ``PUBLIC KEY`` (SubjectPublicKeyInfo) or ``RSA PUBLIC KEY``
        (PKCS#1). :class:`InvalidKey` when the host does not read it."""
        wit = _host_crypto("PublicKey.from_pem")
        try:
            return cls(wit.PublicKey.from_pem(pem))
        except _bindings.Err as e:
            raise _crypto_error(e.value) from None

    @classmethod
    def from_jwk(cls, jwk: Union[str, Mapping[str, Any]]) -> "PublicKey":
        """Read one JSON Web Key (RFC 7517), given as JSON text or as a dict: ``kty`` ``RSA``,
        ``EC`` (``P-256``, ``P-384``) or ``OKP`` (``Ed25519``). :class:`InvalidKey` when the
        host does not read it."""
        wit = _host_crypto("PublicKey.from_jwk")
        if not isinstance(jwk, str):
            import json

            jwk = json.dumps(dict(jwk))
        try:
            return cls(wit.PublicKey.from_jwk(jwk))
        except _bindings.Err as e:
            raise _crypto_error(e.value) from None

    def fits(self, algorithm: str) -> bool:
        """Whether ``algorithm`` (a JWS name) is one this key's type verifies."""
        return algorithm in ALGORITHMS_BY_KEY_TYPE[self.key_type]

    def verify(self, algorithm: str, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is a valid signature of ``message`` under this key with
        ``algorithm`` (a JWS name such as ``"RS256"``). :class:`KeyMismatch` when the
        algorithm does not fit the key's type."""
        wit = _bindings.crypto
        try:
            return self._key.verify(_signature(wit, algorithm), message, signature)
        except _bindings.Err as e:
            raise _crypto_error(e.value) from None

    def __repr__(self) -> str:
        return f"<PublicKey {self.key_type}>"


_KEY_TYPE_NAMES = {"RSA": "rsa", "EC_P256": "ec-p256", "EC_P384": "ec-p384", "ED25519": "ed25519"}
_SIGNATURE_ENUM_NAMES = {alg: alg.upper() for alg in SIGNATURE_ALGORITHMS}


def _hash_name(algorithm: str) -> str:
    if algorithm not in HASH_ALGORITHMS:
        raise ValueError(f"unknown hash algorithm {algorithm!r}: one of {', '.join(HASH_ALGORITHMS)}")
    return algorithm


# The bindings' enum members by name, looked up once: an `Enum` lookup by name is a few
# interpreted calls, and a digest or signature check is on a plugin's every call.
_HASH_ENUMS: Dict[str, Any] = {}
_SIGNATURE_ENUMS: Dict[str, Any] = {}


def _hash(wit, algorithm: str):
    member = _HASH_ENUMS.get(algorithm)
    if member is None:
        member = _HASH_ENUMS[algorithm] = wit.HashAlgorithm[_hash_name(algorithm).upper()]
    return member


def _signature(wit, algorithm: str):
    member = _SIGNATURE_ENUMS.get(algorithm)
    if member is not None:
        return member
    name = _SIGNATURE_ENUM_NAMES.get(algorithm)
    if name is None:
        raise ValueError(
            f"unknown signature algorithm {algorithm!r}: one of {', '.join(SIGNATURE_ALGORITHMS)}"
        )
    member = _SIGNATURE_ENUMS[algorithm] = wit.SignatureAlgorithm[name]
    return member


def _host_crypto(what: str):
    wit = _bindings.crypto
    if wit is None:
        raise RuntimeError(
            f"mockforge_plugin.crypto.{what} needs the host's crypto: public keys are only "
            "available in a component"
        )
    return wit


def _crypto_error(value) -> CryptoError:
    """The exception of a `crypto-error` case."""
    wit = _bindings.crypto
    cases = (
        (wit.CryptoError_InvalidKey, InvalidKey),
        (wit.CryptoError_KeyMismatch, KeyMismatch),
        (wit.CryptoError_Limit, Limit),
    )
    for case, error in cases:
        if isinstance(value, case):
            return error(value.value)
    return CryptoError(repr(value))
