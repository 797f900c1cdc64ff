"""The host's request, as a component's plugin sees it.

The host hands each call an owned ``request`` resource; the SDK wraps it in a
:class:`HostRequest` for the plugin and drops it when the call returns. Each method asks the
host for exactly what it returns, so an auth plugin reading one header never copies the body.
The methods are those of :class:`~mockforge_plugin.Request`, with the same values.
"""

import json
from typing import List, Optional, Tuple

from .values import Identity


class HostRequest:
    """The request of one call, read from the host on demand. Valid during the call only: the
    SDK drops the handle when the plugin's method returns, and a method called after that
    traps."""

    __slots__ = ("_resource",)

    def __init__(self, resource):
        self._resource = resource

    def method(self) -> str:
        """The method, upper case as sent."""
        return self._resource.method()

    def path(self) -> str:
        """The path without the query string, percent-encoding preserved."""
        return self._resource.path()

    def query(self) -> str:
        """The raw query string without the leading ``?``; empty when there is none."""
        return self._resource.query()

    def query_param(self, name: str) -> Optional[str]:
        """The first value of query parameter ``name``, percent-decoded; ``None`` when absent."""
        return self._resource.query_param(name)

    def headers(self) -> List[Tuple[str, str]]:
        """Every header in the order received."""
        return self._resource.headers()

    def header(self, name: str) -> Optional[str]:
        """The first value of header ``name`` (case-insensitive); ``None`` when absent."""
        return self._resource.header(name)

    def header_all(self, name: str) -> List[str]:
        """Every value of header ``name`` (case-insensitive), in the order received."""
        return self._resource.header_all(name)

    def body(self) -> bytes:
        """The body bytes; empty when there is none."""
        return self._resource.body()

    def client_addr(self) -> Optional[str]:
        """The client's address (``ip:port``) when the embedder knows it."""
        return self._resource.client_addr()

    def id(self) -> str:
        """The request's id; empty when the embedder has none."""
        return self._resource.id()

    def route(self) -> Optional[str]:
        """The template of the matched route (``/users/{id}``); ``None`` in auth plugins and
        when no route matched."""
        return self._resource.route()

    def path_params(self) -> List[Tuple[str, str]]:
        """The matched route's path parameters in template order, percent-decoded."""
        return self._resource.path_params()

    def path_param(self, name: str) -> Optional[str]:
        """The value of the matched route's path parameter ``name``; ``None`` when absent."""
        return self._resource.path_param(name)

    def identity(self) -> Optional[Identity]:
        """Who the auth chain said the caller is (response plugins); ``None`` in auth plugins
        and when no auth plugin allowed the request. Its claims are parsed into a dict."""
        lent = self._resource.identity()
        if lent is None:
            return None
        return Identity(
            lent.subject,
            lent.username,
            lent.email,
            lent.display_name,
            lent.roles,
            lent.groups,
            json.loads(lent.claims),
        )

    def drop(self) -> None:
        """Give the handle back to the host now (the SDK does it when the call returns)."""
        self._resource.__exit__(None, None, None)

    def __repr__(self) -> str:
        return "<HostRequest>"
