"""The base classes a plugin subclasses: one per exported WIT interface.

``req`` is the host's request resource in a component and a :class:`~mockforge_plugin.Request`
when served over HTTP: the same methods either way. Served over HTTP, a method may also be
``async``, and a plugin may define ``healthy()`` (``/health``; default healthy) and the
attributes ``name``, ``version`` and ``description`` (``/describe``); a component ignores them
and takes its name from its manifest.
"""

from typing import Optional

from .values import Denial, Identity, Response


class AuthPlugin:
    """A plugin that decides who a request is; exported as ``mockforge:plugin/auth``."""

    def authenticate(self, req) -> "Identity | Denial":
        """Return an :class:`Identity` to allow ``req`` or a :class:`Denial` to refuse it.

        Missing or bad credentials are a denial, not an error: raise a
        :class:`~mockforge_plugin.PluginError` only when the plugin cannot decide, such as
        when its configuration is wrong.
        """
        raise NotImplementedError


class ResponsePlugin:
    """A plugin that produces or changes mock responses; exported as
    ``mockforge:plugin/responder``.

    Both methods have defaults that leave the mock alone, so override only what you need.
    """

    def respond(self, req) -> Optional[Response]:
        """Produce a response for ``req``, or return ``None`` so that the next plugin or the
        default mock answers."""
        return None

    def modify(self, req, resp: Response) -> Response:
        """Change ``resp``, the response the mock produced for ``req``, and return it."""
        return resp
