"""The request as a plain Python object, with the methods of the WIT ``request`` resource.

A plugin built as a component is lent the host's resource instead (it copies into the
plugin's memory only what a method returns); a plugin served over HTTP gets this class, and a
test builds one to call a plugin's methods directly:

    Request("GET", "/orders", headers=[("authorization", "Bearer good")])

Either way ``req`` answers the same calls with the same values.
"""

from typing import Iterable, List, Optional, Tuple
from urllib.parse import unquote_plus

from .text import ascii_lower


class Request:
    """An incoming HTTP request. Headers are kept in order; duplicate names are allowed."""

    __slots__ = ("_method", "_path", "_query", "_headers", "_body", "_client_addr")

    def __init__(
        self,
        method: str,
        path: str,
        query: str = "",
        headers: Iterable[Tuple[str, str]] = (),
        body: bytes = b"",
        client_addr: Optional[str] = None,
    ):
        self._method = method
        self._path = path
        self._query = query
        self._headers = [(str(n), str(v)) for n, v in headers]
        self._body = bytes(body)
        self._client_addr = client_addr

    def method(self) -> str:
        """The method, upper case as sent."""
        return self._method

    def path(self) -> str:
        """The path without the query string, percent-encoding preserved."""
        return self._path

    def query(self) -> str:
        """The raw query string without the leading ``?``; empty when there is none."""
        return self._query

    def query_param(self, name: str) -> Optional[str]:
        """The first value of query parameter ``name``, percent-decoded (``+`` reads as a
        space, a bad escape stays as written); ``None`` when absent. As the host decodes it."""
        for pair in self._query.split("&"):
            if not pair:
                continue
            key, _, value = pair.partition("=")
            if unquote_plus(key, errors="replace") == name:
                return unquote_plus(value, errors="replace")
        return None

    def headers(self) -> List[Tuple[str, str]]:
        """Every header in the order received."""
        return list(self._headers)

    def header(self, name: str) -> Optional[str]:
        """The first value of header ``name`` (ASCII case-insensitive); ``None`` when absent."""
        name = ascii_lower(name)
        return next((v for n, v in self._headers if ascii_lower(n) == name), None)

    def header_all(self, name: str) -> List[str]:
        """Every value of header ``name`` (ASCII case-insensitive), in the order received."""
        name = ascii_lower(name)
        return [v for n, v in self._headers if ascii_lower(n) == name]

    def body(self) -> bytes:
        """The body bytes; empty when there is none."""
        return self._body

    def client_addr(self) -> Optional[str]:
        """The client's address (``ip:port``) when the embedder knows it."""
        return self._client_addr

    def __repr__(self) -> str:
        query = f"?{self._query}" if self._query else ""
        return f"<Request {self._method} {self._path}{query}>"
