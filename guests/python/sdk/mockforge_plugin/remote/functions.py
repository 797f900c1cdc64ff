"""A plugin made of decorated functions instead of a class, for the remote server."""

from typing import Callable, Dict


class FunctionPlugin:
    """Collects a plugin's functions; ``create_app`` serves what was given. Decorate an
    ``authenticate(req)`` for an auth plugin, ``respond(req)`` and/or ``modify(req, resp)``
    for a response plugin (the other one keeps its default: decline, or the response
    unchanged); functions may be ``async``. They return what the methods of
    :class:`~mockforge_plugin.AuthPlugin` and :class:`~mockforge_plugin.ResponsePlugin` return.

        plugin = FunctionPlugin("auth-trivial")

        @plugin.authenticate
        def authenticate(req):
            return Identity("good") if req.header("authorization") == "Bearer good" else Denial(401, "denied")
    """

    def __init__(self, name: str, version: str = "0.1.0", description: str = ""):
        self.name = name
        self.version = version
        self.description = description
        #: The decorated functions by method name: ``authenticate``, ``respond``, ``modify``.
        self.functions: Dict[str, Callable] = {}

    def authenticate(self, fn: Callable) -> Callable:
        """Use ``fn`` as the plugin's ``authenticate``; returns ``fn``."""
        return self._add("authenticate", fn)

    def respond(self, fn: Callable) -> Callable:
        """Use ``fn`` as the plugin's ``respond``; returns ``fn``."""
        return self._add("respond", fn)

    def modify(self, fn: Callable) -> Callable:
        """Use ``fn`` as the plugin's ``modify``; returns ``fn``."""
        return self._add("modify", fn)

    def _add(self, method: str, fn: Callable) -> Callable:
        if method in self.functions:
            raise ValueError(f"plugin {self.name!r} already has a {method} function")
        self.functions[method] = fn
        return fn
