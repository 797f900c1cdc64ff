"""JSON Web Token verification done natively by the host (the WIT ``crypto.jwt-verifier``): one
call checks a token's signature, its ``exp`` and ``nbf``, its issuer and audience, and gives
back the payload's JSON text. A plugin makes its verifier once (at the first call, from its
configuration) and keeps it; in CPython a call costs about as much as one host call, where
parsing and checking the token in Python cost several times that.

    verifier = jwt.Verifier(["HS256"], secret=b"...", issuer="https://id.example")
    try:
        payload = verifier.verify(token)      # the payload's JSON text
    except jwt.Rejected as e:
        e.reason                              # "expired", "invalid-signature", ...

The checks and their order (each failure is one of :data:`REASONS`, the first that applies):
the token's shape (``malformed``); its header's ``alg`` among the accepted algorithms
(``unsupported-algorithm``; ``none`` never is); the keys that may verify it: by ``kid``
(none: ``invalid-signature``), then by type and pinned algorithm (none:
``unsupported-algorithm``, nothing tried, so that a public key never serves as an HMAC
secret); the signature (``invalid-signature``); the payload, a JSON object (``malformed``);
``exp`` and ``nbf`` with the leeway (``expired``, ``not-yet-valid``; not a number:
``malformed``); ``iss`` (``invalid-issuer``); ``aud`` (``invalid-audience``).

Served over HTTP (``mockforge_plugin.remote``) there is no host: the same checks run in Python
(:mod:`mockforge_plugin._jwt_served`), with HMAC from the standard library.
"""

from typing import Iterable, NamedTuple, Optional, Sequence

from . import _bindings
from .crypto import CryptoError, PublicKey, _crypto_error

#: Every reason :class:`Rejected` gives, in the order the checks run.
REASONS = (
    "malformed",
    "unsupported-algorithm",
    "invalid-signature",
    "expired",
    "not-yet-valid",
    "invalid-issuer",
    "invalid-audience",
)

#: Every algorithm a verifier may accept, by its JWS name.
ALGORITHMS = (
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
    "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA",
)


class Rejected(Exception):
    """A refused token; ``reason`` is one of :data:`REASONS`."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Key(NamedTuple):
    """One public key of a verifier, with what chooses it for a token."""

    #: Its ``kid``: a token naming another ``kid`` is not tried with it; ``None``: any token.
    kid: Optional[str]
    #: The JWS name of the one algorithm it may verify (a JWK's ``alg``); ``None``: any its
    #: type verifies.
    alg: Optional[str]
    #: The key.
    key: PublicKey


class Verifier:
    """Verifies tokens under one configuration. :class:`~mockforge_plugin.crypto.CryptoError`
    when the settings cannot verify safely (an empty secret, an algorithm with no key to
    verify it); ``ValueError`` for an algorithm name outside :data:`ALGORITHMS`."""

    __slots__ = ("_host", "_served")

    def __init__(
        self,
        algorithms: Iterable[str],
        secret: Optional[bytes] = None,
        keys: Sequence[Key] = (),
        issuer: Optional[str] = None,
        audience: Optional[str] = None,
        leeway: int = 0,
    ):
        algorithms = list(algorithms)
        for name in algorithms:
            if name not in ALGORITHMS:
                raise ValueError(f"unknown JWS algorithm {name!r}: one of {', '.join(ALGORITHMS)}")
        wit = _bindings.crypto
        host_verifier = getattr(wit, "JwtVerifier", None)
        self._host = None
        self._served = None
        if host_verifier is None:
            from ._jwt_served import ServedVerifier

            self._served = ServedVerifier(algorithms, secret, list(keys), issuer, audience, leeway)
            return
        settings = wit.JwtSettings(
            algorithms=[wit.JwsAlgorithm[name.upper()] for name in algorithms],
            secret=secret,
            keys=[wit.JwtKey(kid=k.kid, alg=k.alg, key=k.key._key) for k in keys],
            issuer=issuer,
            audience=audience,
            leeway_seconds=leeway,
        )
        try:
            self._host = host_verifier.create(settings)
        except _bindings.Err as e:
            raise _crypto_error(e.value) from None

    def verify(self, token: str) -> str:
        """The payload of ``token`` (its JSON object's text, as the token carries it) when
        every check passes; :class:`Rejected` with the first that fails."""
        host = self._host
        if host is None:
            return self._served.verify(token)
        try:
            return host.verify(token)
        except _bindings.Err as e:
            raise Rejected(_REASON_OF[e.value.name]) from None


# The WIT enum's member names to reasons.
_REASON_OF = {reason.upper().replace("-", "_"): reason for reason in REASONS}

__all__ = ["ALGORITHMS", "CryptoError", "Key", "REASONS", "Rejected", "Verifier"]
