"""Serve a MockForge plugin over HTTP (protocol mockforge:plugin@0.1.0,
protocol/remote-plugin.openapi.yaml) with FastAPI and uvicorn. Needs the ``remote`` extra:
``pip install "./guests/python[remote]"``.

The plugin is what a component would register: an :class:`~mockforge_plugin.AuthPlugin` or
:class:`~mockforge_plugin.ResponsePlugin` instance (methods may be ``async`` here), or a
:class:`FunctionPlugin` of decorated functions. :func:`create_app` makes the ASGI app (for
``uvicorn module:app``), :func:`serve` runs it. The SDK validates every body, checks the shared
secret, answers ``/health`` and ``/describe``, and reports errors in the protocol's envelope.
"""

try:
    import fastapi  # noqa: F401
except ImportError as err:
    raise ImportError(
        'mockforge_plugin.remote needs FastAPI: pip install "./guests/python[remote]" '
        '(the "remote" extra of mockforge-plugin)'
    ) from err

from .functions import FunctionPlugin
from .models import PROTOCOL_VERSION
from .server import CONFIG_ENV_PREFIX, SECRET_ENV, config_from_env, create_app, serve

__all__ = [
    "CONFIG_ENV_PREFIX",
    "FunctionPlugin",
    "PROTOCOL_VERSION",
    "SECRET_ENV",
    "config_from_env",
    "create_app",
    "serve",
]
