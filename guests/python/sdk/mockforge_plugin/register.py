"""The registration call: it adapts a plugin class to the bindings componentize-py generates.

componentize-py calls an export through a class named after the exported interface (``Auth``,
``Responder``) in the module it builds, so :func:`register` defines those names in the plugin
class's module.
"""

import sys

from ._bindings import Err, types
from .errors import InternalError, InvalidConfig, InvalidRequest, PluginError
from .plugins import AuthPlugin, ResponsePlugin
from .values import Denial, Identity, Response


def register(cls):
    """Register ``cls``, a subclass of :class:`AuthPlugin`, :class:`ResponsePlugin` or
    both, as the component's plugin. Use it once, in the module the build names (usually as a
    class decorator); it returns ``cls``."""
    is_auth = issubclass(cls, AuthPlugin)
    is_response = issubclass(cls, ResponsePlugin)
    if not (is_auth or is_response):
        raise TypeError(f"{cls.__name__} is neither an AuthPlugin nor a ResponsePlugin")
    module = sys.modules[cls.__module__]
    # One plugin object for the instance's lifetime; the host may reuse the instance.
    plugin = cls()
    if is_auth:
        module.Auth = _auth_export(plugin)
    if is_response:
        module.Responder = _responder_export(plugin)
    return cls


def _auth_export(plugin):
    class Auth:
        def authenticate(self, req):
            outcome = _call(plugin.authenticate, req)
            if isinstance(outcome, Identity):
                return types.AuthOutcome_Allow(
                    types.Identity(
                        outcome.subject,
                        outcome.username,
                        outcome.email,
                        outcome.display_name,
                        list(outcome.roles),
                        list(outcome.groups),
                        list(outcome.claims),
                    )
                )
            if isinstance(outcome, Denial):
                return types.AuthOutcome_Deny(
                    types.Denial(outcome.status, outcome.reason, list(outcome.headers))
                )
            raise _err(InternalError(f"authenticate returned {outcome!r}, not an Identity or a Denial"))

    return Auth


def _responder_export(plugin):
    def lower(resp):
        if not isinstance(resp, Response):
            raise _err(InternalError(f"expected a Response, got {resp!r}"))
        return types.Response(resp.status, list(resp.headers), bytes(resp.body))

    class Responder:
        def respond(self, req):
            resp = _call(plugin.respond, req)
            return None if resp is None else lower(resp)

        def modify(self, req, resp):
            lifted = Response(resp.status, list(resp.headers), resp.body)
            return lower(_call(plugin.modify, req, lifted))

    return Responder


def _call(method, *args):
    try:
        return method(*args)
    except PluginError as e:
        raise _err(e) from None
    except Exception as e:
        # A bug in the plugin: report it as the plugin's internal error instead of trapping,
        # so the embedder sees what went wrong.
        raise _err(InternalError(f"{type(e).__name__}: {e}")) from None


def _err(error):
    if isinstance(error, InvalidConfig):
        return Err(types.PluginError_InvalidConfig(error.message))
    if isinstance(error, InvalidRequest):
        return Err(types.PluginError_InvalidRequest(error.message))
    return Err(types.PluginError_Internal(error.message))
