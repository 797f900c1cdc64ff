"""Write MockForge plugins in Python, and run them either way:

- as a WebAssembly component inside the host: ``build.sh`` builds the module with
  componentize-py into the ``auth-plugin`` or ``response-plugin`` world of
  ``mockforge:plugin@0.1.0``;
- as an HTTP service the host calls (``protocol/remote-plugin.openapi.yaml``):
  :func:`mockforge_plugin.remote.create_app` serves the same class with FastAPI, installed with
  the ``remote`` extra.

Subclass :class:`AuthPlugin` or :class:`ResponsePlugin`; register the class with
:func:`register` for a component, or pass an instance to ``create_app``.

    from mockforge_plugin import AuthPlugin, Denial, Identity, register

    @register
    class Knock(AuthPlugin):
        def authenticate(self, req):
            who = req.header("x-knock")
            return Identity(who) if who else Denial(401, "knock first")

This package imports nothing outside the standard library, so that componentize-py can bundle
it; only ``mockforge_plugin.remote`` needs FastAPI.
"""

from . import config, log
from .errors import InternalError, InvalidConfig, InvalidRequest, PluginError
from .plugins import AuthPlugin, ResponsePlugin
from .register import register
from .request import Request
from .values import Denial, Identity, Response

__all__ = [
    "AuthPlugin",
    "Denial",
    "Identity",
    "InternalError",
    "InvalidConfig",
    "InvalidRequest",
    "PluginError",
    "Request",
    "Response",
    "ResponsePlugin",
    "config",
    "log",
    "register",
]
