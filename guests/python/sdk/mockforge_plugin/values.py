"""What plugins return: identities, denials, abstentions and responses."""

import json
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from .text import ascii_lower

Header = Tuple[str, str]


class Identity:
    """Who a request is. ``claims`` is a dict of further claims, each a JSON value (a string,
    a number, a list, a dict, ...): it crosses to the host as one JSON object, written by
    :func:`json.dumps`; ``{}`` when there are none.

    A plugin that holds the JSON text the claims were read from (a verified token's payload,
    checked by :mod:`~mockforge_plugin.strict_json`) may pass it as ``claims_text`` with the
    dict: the host then gets that text as it is, and nothing is written again (the host parses
    it as it parses any claims). The text is the claims' only while ``claims`` is not read or
    replaced: reading ``identity.claims`` hands out the dict, which may be changed, so the
    text is dropped then and the dict written as usual.

    ``roles`` and ``groups`` are kept as lists; keep that shape when changing an identity after
    building it (``identity.roles.append("admin")``).
    """

    # Slots, and no dataclass: building an identity is on every call's path, and a plain
    # `__init__` over slots is the cheapest an interpreter does it.
    __slots__ = (
        "subject",
        "username",
        "email",
        "display_name",
        "roles",
        "groups",
        "_claims",
        "_claims_text",
    )

    def __init__(
        self,
        subject: str,
        username: Optional[str] = None,
        email: Optional[str] = None,
        display_name: Optional[str] = None,
        roles: Iterable[str] = (),
        groups: Iterable[str] = (),
        claims: Optional[Mapping[str, Any]] = None,
        *,
        claims_text: Optional[str] = None,
    ):
        self.subject = subject
        self.username = username
        self.email = email
        self.display_name = display_name
        self.roles = roles if type(roles) is list else list(roles)
        self.groups = groups if type(groups) is list else list(groups)
        self._claims = _claims(claims)
        if claims_text is not None and type(claims_text) is not str:
            raise TypeError(
                f"Identity claims_text is the claims' JSON text, not {type(claims_text).__name__}"
            )
        self._claims_text = claims_text

    @property
    def claims(self) -> Dict[str, Any]:
        """The claims; reading them drops a ``claims_text`` (the dict may be changed after)."""
        self._claims_text = None
        return self._claims

    @claims.setter
    def claims(self, claims: Optional[Mapping[str, Any]]) -> None:
        self._claims = _claims(claims)
        self._claims_text = None

    def claims_json(self) -> str:
        """The claims as the JSON object text the host receives: ``claims_text`` when it is
        still theirs, else the compact text :func:`json.dumps` writes. A value JSON cannot hold
        (a set, ``float("nan")``) raises ``TypeError`` or ``ValueError``."""
        if self._claims_text is not None:
            return self._claims_text
        return json.dumps(self._claims, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    def __eq__(self, other):
        return type(other) is type(self) and _fields(self) == _fields(other)

    def __repr__(self):
        return _repr(self)

    #: What equality and ``repr`` compare and show.
    _FIELDS = ("subject", "username", "email", "display_name", "roles", "groups", "claims")


def _claims(claims: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    if claims is None:
        return {}
    if type(claims) is dict:
        return claims
    if isinstance(claims, Mapping):
        return dict(claims)
    # The 0.1 SDK took (name, JSON text) pairs; converting those silently would quote every
    # value a second time.
    raise TypeError(
        f"Identity claims are a dict of JSON values ({{'tenant': 'acme'}}), not {type(claims).__name__}"
    )


class Abstain:
    """An auth plugin's answer for a request that carries no credential of its scheme (no
    ``Authorization: Bearer`` for a bearer-token plugin): the next auth plugin decides, and
    when every plugin abstains, the embedder does. Return ``Abstain()``; every instance is
    the same answer."""

    __slots__ = ()

    def __eq__(self, other):
        return type(other) is type(self)

    def __hash__(self):
        return hash(Abstain)

    def __repr__(self):
        return "Abstain()"


class Denial:
    """A refusal with an HTTP ``status``, a ``reason`` the client may see, and headers to
    add to the answer (such as ``WWW-Authenticate``), kept as a list of (name, value) tuples."""

    __slots__ = ("status", "reason", "headers")
    _FIELDS = __slots__

    def __init__(self, status: int, reason: str, headers: Iterable[Header] = ()):
        self.status = status
        self.reason = reason
        self.headers = _pairs(headers)

    def with_header(self, name: str, value: str) -> "Denial":
        """Add a header and return the denial."""
        self.headers.append((name, value))
        return self

    def __eq__(self, other):
        return type(other) is type(self) and _fields(self) == _fields(other)

    def __repr__(self):
        return _repr(self)


_TUPLE = frozenset((tuple,))


def is_pair_list(pairs) -> bool:
    """Whether `pairs` is a list of tuples, the shape the component's bindings lower. Checked
    in C: no Python frame per pair."""
    return type(pairs) is list and _TUPLE.issuperset(map(type, pairs))


def _pairs(pairs: Iterable[Header]) -> List[Header]:
    return pairs if is_pair_list(pairs) else [tuple(pair) for pair in pairs]


def _fields(value) -> tuple:
    # `claims` is read through `_claims`: comparing or showing an identity keeps its text.
    return tuple(getattr(value, "_claims" if name == "claims" else name) for name in value._FIELDS)


def _repr(value) -> str:
    fields = ", ".join(f"{name}={v!r}" for name, v in zip(value._FIELDS, _fields(value)))
    return f"{type(value).__name__}({fields})"


@dataclass
class Response:
    """An HTTP response. Headers are kept in order; duplicate names are allowed."""

    status: int
    headers: List[Header] = field(default_factory=list)
    body: bytes = b""

    @classmethod
    def json(cls, status: int, body: "str | bytes") -> "Response":
        """A response with ``content-type: application/json`` and the JSON text ``body``."""
        return cls(status, [("content-type", "application/json")], _bytes(body))

    @classmethod
    def text(cls, status: int, body: "str | bytes") -> "Response":
        """A response with ``content-type: text/plain; charset=utf-8`` and ``body``."""
        return cls(status, [("content-type", "text/plain; charset=utf-8")], _bytes(body))

    def with_header(self, name: str, value: str) -> "Response":
        """Add a header after those present (an existing one of that name stays) and return
        the response."""
        self.headers.append((name, value))
        return self

    def header(self, name: str) -> Optional[str]:
        """The first value of header ``name``, compared case-insensitively."""
        name = ascii_lower(name)
        return next((v for n, v in self.headers if ascii_lower(n) == name), None)


def _bytes(body: "str | bytes") -> bytes:
    return body.encode() if isinstance(body, str) else bytes(body)
