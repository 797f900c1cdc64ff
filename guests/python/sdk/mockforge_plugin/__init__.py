"""Write MockForge plugins in Python, and run them either way:

- as a WebAssembly component inside the host: ``build.sh`` builds the module with
  componentize-py into the ``auth-plugin``, ``response-plugin`` or ``plugin`` world of
  ``mockforge:plugin@0.2.0`` (the SDK of 0.1 is frozen in ``sdk-0.1/``);
- as an HTTP service the host calls (``protocol/remote-plugin.openapi.yaml``, protocol 0.1):
  :func:`mockforge_plugin.remote.create_app` serves the same class with FastAPI, installed with
  the ``remote`` extra.

Subclass :class:`AuthPlugin` or :class:`ResponsePlugin`; register the class with
:func:`register` for a component, or pass an instance to ``create_app``.

    from mockforge_plugin import AuthPlugin, Denial, Identity, register

    @register
    class Knock(AuthPlugin):
        def authenticate(self, req):
            who = req.header("x-knock")
            if who is None:
                return Abstain()  # not this plugin's scheme: the next auth plugin decides
            return Identity(who, claims={"knocks": 1}) if who else Denial(401, "knock first")

Besides ``config`` and ``log``, a plugin uses the host's ``crypto`` (digests, HMACs, public
keys verifying signatures), ``jwt`` (JSON Web Tokens verified in one call) and ``kv`` (a
key-value store private to the plugin).

This package imports nothing outside the standard library, so that componentize-py can bundle
it; only ``mockforge_plugin.remote`` needs FastAPI.
"""

from . import config, crypto, jwt, kv, log
from .errors import InternalError, InvalidConfig, InvalidRequest, PluginError
from .plugins import AuthPlugin, ResponsePlugin
from .register import register
from .request import Request
from .values import Abstain, Denial, Identity, Response

__all__ = [
    "Abstain",
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
    "crypto",
    "jwt",
    "kv",
    "log",
    "register",
]
