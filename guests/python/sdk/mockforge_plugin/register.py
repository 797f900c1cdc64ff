"""The registration call: it adapts a plugin class to the bindings componentize-py generates.

componentize-py calls an export through a class named after the exported interface (``Auth``,
``Responder``) in the module it builds, so :func:`register` defines those names in the plugin
class's module. Each call wraps the host's request in a
:class:`~mockforge_plugin.host_request.HostRequest` for the plugin and drops the handle when
the plugin's method returns (the request is an owned handle in ``mockforge:plugin@0.2.0``).
"""

import difflib
import sys

from ._bindings import Err, types
from .errors import InternalError, InvalidConfig, InvalidRequest, PluginError
from .host_request import HostRequest
from .plugins import AuthPlugin, ResponsePlugin
from .values import Abstain, Denial, Identity, Response, is_pair_list


def register(cls):
    """Register ``cls``, a subclass of :class:`AuthPlugin`, :class:`ResponsePlugin` or
    both, as the component's plugin. Use it once, in the module the build names (usually as a
    class decorator); it returns ``cls``."""
    is_auth = issubclass(cls, AuthPlugin)
    is_response = issubclass(cls, ResponsePlugin)
    if not (is_auth or is_response):
        raise TypeError(
            f"@register: {cls.__name__} is neither an AuthPlugin nor a ResponsePlugin: "
            f"subclass one (class {cls.__name__}(AuthPlugin): ...)"
        )
    check_methods(cls)
    module = sys.modules[cls.__module__]
    # One plugin object for the instance's lifetime; the host may reuse the instance.
    plugin = cls()
    if is_auth:
        module.Auth = _auth_export(plugin)
    if is_response:
        module.Responder = _responder_export(plugin)
    return cls


def check_methods(cls):
    """Refuse a class whose plugin methods cannot be what its author meant: an auth plugin
    without ``authenticate``, a response plugin with neither ``respond`` nor ``modify``, or a
    method whose name is a near miss of one the SDK calls (``authenticat``, ``repsond``),
    which would otherwise be ignored and fail or decline at call time."""
    expected = []
    if issubclass(cls, AuthPlugin):
        expected.append((AuthPlugin, "authenticate"))
    if issubclass(cls, ResponsePlugin):
        expected += [(ResponsePlugin, "respond"), (ResponsePlugin, "modify")]
    own = sorted(
        {
            name
            for klass in cls.__mro__
            if klass not in (AuthPlugin, ResponsePlugin, object)
            for name in vars(klass)
            if not name.startswith("_")
        }
    )
    for base, method in expected:
        if getattr(cls, method) is not getattr(base, method):
            continue
        near = difflib.get_close_matches(method, own, n=1, cutoff=0.75)
        if near and near[0] != method:
            raise TypeError(
                f"@register: {cls.__name__} defines {near[0]}() but {base.__name__} calls "
                f"{method}(): rename it to {method}"
            )
    if issubclass(cls, AuthPlugin) and cls.authenticate is AuthPlugin.authenticate:
        raise TypeError(
            f"@register: {cls.__name__} is an AuthPlugin but does not define "
            f"authenticate(self, req)"
        )
    if (
        issubclass(cls, ResponsePlugin)
        and cls.respond is ResponsePlugin.respond
        and cls.modify is ResponsePlugin.modify
    ):
        raise TypeError(
            f"@register: {cls.__name__} is a ResponsePlugin but defines neither "
            f"respond(self, req) nor modify(self, req, resp)"
        )


def _auth_export(plugin):
    authenticate = plugin.authenticate

    class Auth:
        def authenticate(self, req):
            request = HostRequest(req)
            try:
                outcome = authenticate(request)
            except Exception as e:
                raise _failure(e) from None
            finally:
                request.drop()
            if isinstance(outcome, Identity):
                return types.AuthOutcome_Allow(_lower_identity(outcome))
            if isinstance(outcome, Denial):
                return types.AuthOutcome_Deny(_lower_denial(outcome))
            if isinstance(outcome, Abstain):
                return _ABSTAIN
            raise _err(
                InternalError(f"authenticate returned {outcome!r}, not an Identity, a Denial or Abstain()")
            )

    return Auth


def _lower_identity(identity):
    """The generated record of an identity; its claims become one JSON object's text."""
    try:
        claims = identity.claims_json()
    except (TypeError, ValueError) as e:
        raise _err(InternalError(f"the identity's claims are not JSON: {e}")) from None
    return types.Identity(
        identity.subject,
        identity.username,
        identity.email,
        identity.display_name,
        list(identity.roles),
        list(identity.groups),
        claims,
    )


# componentize-py lowers a record by reading its fields as attributes, so a `Denial` is passed
# as it is, without building the generated twin (a few microseconds per call in the
# interpreter). Lowering insists on exact types (a tuple where the WIT has a list traps the
# instance): a denial keeps its headers as a list of tuples from construction on, and a
# subclass, or one changed since into another shape, is copied into that shape.
def _lower_denial(denial):
    if type(denial) is Denial and is_pair_list(denial.headers):
        return denial
    return types.Denial(denial.status, denial.reason, [tuple(pair) for pair in denial.headers])


def _lower_response(resp):
    if not isinstance(resp, Response):
        raise _err(InternalError(f"expected a Response, got {resp!r}"))
    headers = [tuple(pair) for pair in resp.headers]
    return types.Response(resp.status, headers, bytes(resp.body))


def _responder_export(plugin):
    class Responder:
        def respond(self, req):
            resp = _call(plugin.respond, HostRequest(req))
            return None if resp is None else _lower_response(resp)

        def modify(self, req, resp):
            lifted = Response(resp.status, list(resp.headers), resp.body)
            return _lower_response(_call(plugin.modify, HostRequest(req), lifted))

    return Responder


def _call(method, request, *args):
    try:
        return method(request, *args)
    except Exception as e:
        raise _failure(e) from None
    finally:
        request.drop()


def _failure(e):
    """The `Err` a plugin's exception becomes: its own error, or a bug in the plugin reported
    as the plugin's internal error instead of trapping, so the embedder sees what went wrong."""
    if isinstance(e, PluginError):
        return _err(e)
    return _err(InternalError(f"{type(e).__name__}: {e}"))


def _err(error):
    if isinstance(error, InvalidConfig):
        return Err(types.PluginError_InvalidConfig(error.message))
    if isinstance(error, InvalidRequest):
        return Err(types.PluginError_InvalidRequest(error.message))
    return Err(types.PluginError_Internal(error.message))


# One value for every abstention; none outside a component build.
_ABSTAIN = types.AuthOutcome_Abstain() if types is not None else None
