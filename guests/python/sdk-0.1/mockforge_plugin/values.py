"""What plugins return: identities, denials and responses."""

from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Tuple

from .text import ascii_lower

Header = Tuple[str, str]


class Identity:
    """Who a request is. ``claims`` are (name, JSON text) pairs: a JSON string keeps its
    quotes.

    The sequences given are kept as lists, and each pair as a tuple, which is the shape the
    component's bindings lower without copying; keep that shape when changing an identity
    after building it (``identity.roles.append("admin")``, not ``identity.roles = ("admin",)``).
    """

    # Slots, and no dataclass: building an identity is on every call's path, and a plain
    # `__init__` over slots is the cheapest an interpreter does it.
    __slots__ = ("subject", "username", "email", "display_name", "roles", "groups", "claims")

    def __init__(
        self,
        subject: str,
        username: Optional[str] = None,
        email: Optional[str] = None,
        display_name: Optional[str] = None,
        roles: Iterable[str] = (),
        groups: Iterable[str] = (),
        claims: Iterable[Header] = (),
    ):
        self.subject = subject
        self.username = username
        self.email = email
        self.display_name = display_name
        self.roles = roles if type(roles) is list else list(roles)
        self.groups = groups if type(groups) is list else list(groups)
        self.claims = _pairs(claims)

    def __eq__(self, other):
        return type(other) is type(self) and _fields(self) == _fields(other)

    def __repr__(self):
        return _repr(self)


class Denial:
    """A refusal with an HTTP ``status``, a ``reason`` the client may see, and headers to
    add to the answer (such as ``WWW-Authenticate``), kept as a list of (name, value) tuples."""

    __slots__ = ("status", "reason", "headers")

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
    return tuple(getattr(value, name) for name in value.__slots__)


def _repr(value) -> str:
    fields = ", ".join(f"{name}={getattr(value, name)!r}" for name in value.__slots__)
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
