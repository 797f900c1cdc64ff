"""What plugins return: identities, denials and responses."""

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from .text import ascii_lower

Header = Tuple[str, str]


@dataclass
class Identity:
    """Who a request is. ``claims`` are (name, JSON text) pairs: a JSON string keeps its
    quotes."""

    subject: str
    username: Optional[str] = None
    email: Optional[str] = None
    display_name: Optional[str] = None
    roles: List[str] = field(default_factory=list)
    groups: List[str] = field(default_factory=list)
    claims: List[Header] = field(default_factory=list)


@dataclass
class Denial:
    """A refusal with an HTTP ``status``, a ``reason`` the client may see, and headers to
    add to the answer (such as ``WWW-Authenticate``)."""

    status: int
    reason: str
    headers: List[Header] = field(default_factory=list)

    def with_header(self, name: str, value: str) -> "Denial":
        """Add a header and return the denial."""
        self.headers.append((name, value))
        return self


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
