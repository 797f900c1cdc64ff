"""MockForge plugins served over HTTP (protocol mockforge:plugin@0.1.0, see
protocol/remote-plugin.openapi.yaml): write a `Plugin` subclass or decorated functions of a
`FunctionPlugin`, and serve it with `create_app` (an ASGI app for uvicorn) or `serve`."""

from .errors import Internal, InvalidConfig, InvalidRequest, PluginError
from .models import (
    PROTOCOL_VERSION,
    AuthOutcome,
    Denial,
    Identity,
    Request,
    Response,
)
from .server import SECRET_ENV, FunctionPlugin, Plugin, create_app, serve

__all__ = [
    "PROTOCOL_VERSION", "AuthOutcome", "Denial", "Identity", "Request", "Response",
    "PluginError", "InvalidConfig", "InvalidRequest", "Internal",
    "Plugin", "FunctionPlugin", "create_app", "serve", "SECRET_ENV",
]
