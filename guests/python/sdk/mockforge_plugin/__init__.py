"""Write MockForge plugins in Python.

Subclass :class:`AuthPlugin` or :class:`ResponsePlugin` and register the class with
:func:`register`; ``build.sh`` turns the module into a WebAssembly component that
implements the ``auth-plugin`` or ``response-plugin`` world of ``mockforge:plugin@0.1.0``.

    from mockforge_plugin import AuthPlugin, Denial, Identity, register

    @register
    class Knock(AuthPlugin):
        def authenticate(self, req):
            who = req.header("x-knock")
            return Identity(who) if who else Denial(401, "knock first")
"""

from . import config, log
from .errors import InternalError, InvalidConfig, InvalidRequest, PluginError
from .plugins import AuthPlugin, ResponsePlugin
from .register import register
from .values import Denial, Identity, Response

__all__ = [
    "AuthPlugin",
    "Denial",
    "Identity",
    "InternalError",
    "InvalidConfig",
    "InvalidRequest",
    "PluginError",
    "Response",
    "ResponsePlugin",
    "config",
    "log",
    "register",
]
