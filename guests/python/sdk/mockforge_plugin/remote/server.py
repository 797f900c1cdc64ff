"""Serving a plugin over HTTP with FastAPI: the protocol's routes, validation, the shared
secret, health, and the plugin's configuration and log while it runs."""

from __future__ import annotations

import hmac
import inspect
import logging
import os
from typing import Any, Callable, Mapping, NamedTuple, Optional

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response as HttpResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from .. import _served, log
from ..memory_kv import MemoryKv
from ..errors import InternalError, PluginError
from ..plugins import AuthPlugin, ResponsePlugin
from .functions import FunctionPlugin
from .models import (
    PROTOCOL_VERSION,
    AuthOutcome,
    Description,
    ModifyAnswer,
    ModifyBody,
    Request,
    RespondAnswer,
    Response,
)

#: The environment variable `create_app` reads the shared secret from when given none.
SECRET_ENV = "MOCKFORGE_PLUGIN_SECRET"
#: `config_from_env` turns `MOCKFORGE_CONFIG_LEEWAY_SECONDS` into the key `leeway-seconds`.
CONFIG_ENV_PREFIX = "MOCKFORGE_CONFIG_"

# The plugin's own errors answer 422 when the host's input is at fault, else 500
# (protocol/remote-plugin.openapi.yaml); `kind` is the WIT plugin-error case.
_PLUGIN_ERROR_STATUS = {"invalid-config": 422, "invalid-request": 422}

logging.addLevelName(5, "TRACE")
_LOGGING_LEVELS = {
    log.TRACE: 5,
    log.DEBUG: logging.DEBUG,
    log.INFO: logging.INFO,
    log.WARN: logging.WARNING,
    log.ERROR: logging.ERROR,
}


class _Handlers(NamedTuple):
    """What a plugin offers, whatever its style; a method it does not offer is None."""

    name: str
    version: str
    description: str
    authenticate: Optional[Callable]
    respond: Optional[Callable]
    modify: Optional[Callable]
    healthy: Callable[[], Any]


def _healthy() -> bool:
    return True


def _decline(_req) -> None:
    return None


def _unchanged(_req, resp):
    return resp


def _handlers(plugin: Any) -> _Handlers:
    if isinstance(plugin, FunctionPlugin):
        functions = plugin.functions
        responds = "respond" in functions or "modify" in functions
        return _Handlers(
            plugin.name,
            plugin.version,
            plugin.description,
            functions.get("authenticate"),
            functions.get("respond", _decline) if responds else None,
            functions.get("modify", _unchanged) if responds else None,
            _healthy,
        )
    authenticates = isinstance(plugin, AuthPlugin)
    responds = isinstance(plugin, ResponsePlugin)
    if not (authenticates or responds):
        raise TypeError(f"{plugin!r} is not an AuthPlugin, a ResponsePlugin or a FunctionPlugin")
    return _Handlers(
        getattr(plugin, "name", type(plugin).__name__),
        getattr(plugin, "version", "0.1.0"),
        getattr(plugin, "description", ""),
        plugin.authenticate if authenticates else None,
        plugin.respond if responds else None,
        plugin.modify if responds else None,
        getattr(plugin, "healthy", _healthy),
    )


def config_from_env(prefix: str = CONFIG_ENV_PREFIX) -> dict[str, str]:
    """The plugin's configuration from environment variables named `prefix` + key, the key
    upper-cased with `-` as `_` (`MOCKFORGE_CONFIG_INTROSPECTION_URL` is `introspection-url`)."""
    return {
        name[len(prefix):].lower().replace("_", "-"): value
        for name, value in os.environ.items()
        if name.startswith(prefix) and len(name) > len(prefix)
    }


def _error(status: int, kind: str, message: str, headers: Optional[dict] = None) -> JSONResponse:
    return JSONResponse({"error": {"kind": kind, "message": message}}, status_code=status, headers=headers)


def _json(model) -> HttpResponse:
    return HttpResponse(model.model_dump_json(), media_type="application/json")


def _problems(errors: list[dict], skip: int = 0) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'][skip:]) or 'body'}: {e['msg']}" for e in errors)


class _SecretCheck:
    """Refuses every request but /health without the shared secret. A plain ASGI middleware:
    it runs on every call, so it stays off FastAPI's slower middleware path."""

    def __init__(self, app, expected: bytes):
        self.app, self.expected = app, expected

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"] != "/health":
            given = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
            if not hmac.compare_digest(given, self.expected):
                refusal = _error(401, "unauthorized", "missing or wrong shared secret",
                                 {"www-authenticate": "Bearer"})
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(
    plugin: Any,
    secret: Optional[str] = None,
    *,
    config: Optional[Mapping[str, str]] = None,
    require_secret: bool = True,
) -> FastAPI:
    """The ASGI app serving `plugin`: an AuthPlugin and/or ResponsePlugin instance, or a
    FunctionPlugin. `/describe` names it by its `name`, `version` and `description`
    attributes when it has them.

    Every route but /health requires `Authorization: Bearer <secret>`; `secret` defaults to
    $MOCKFORGE_PLUGIN_SECRET, and an app without one refuses to start unless
    `require_secret=False`. `config` is what `mockforge_plugin.config` returns during a call;
    by default `config_from_env()`, read once here. `mockforge_plugin.log` records go to the
    logger `mockforge_plugin.<name>`; `mockforge_plugin.kv` is a store in this process's
    memory, one per app.
    """
    handlers = _handlers(plugin)
    secret = secret if secret is not None else os.environ.get(SECRET_ENV)
    if not secret and require_secret:
        raise RuntimeError(f"no shared secret: set {SECRET_ENV} or pass secret=")
    settings = {str(k): str(v) for k, v in (config_from_env() if config is None else config).items()}
    logger = logging.getLogger(f"mockforge_plugin.{handlers.name}")

    def log_record(level: int, message: str, fields: list[tuple[str, str]]) -> None:
        level = _LOGGING_LEVELS.get(level, logging.INFO)
        if logger.isEnabledFor(level):
            logger.log(level, "%s%s", message, "".join(f" {n}={v}" for n, v in fields))

    # The app's own store for `mockforge_plugin.kv`, in memory, for as long as the app lives.
    served = _served.Served(settings, log_record, MemoryKv())

    async def call(method: Callable, *args: Any) -> Any:
        token = _served.current.set(served)
        try:
            result = method(*args)
            return await result if inspect.isawaitable(result) else result
        except PluginError:
            raise
        except Exception as err:
            # A bug in the plugin: the plugin's internal error, as in a component, with the
            # traceback in the server's log.
            logger.exception("%s raised", getattr(method, "__name__", "the plugin"))
            raise InternalError(f"{type(err).__name__}: {err}") from err
        finally:
            _served.current.reset(token)

    def answer(what: str, build: Callable[[], Any]) -> HttpResponse:
        try:
            return _json(build())
        except ValidationError as err:
            raise InternalError(f"{what} returned an invalid value: {_problems(err.errors())}") from None

    kinds = {(True, True): "both", (True, False): "auth", (False, True): "response"}
    kind = kinds.get((handlers.authenticate is not None, handlers.respond is not None))
    if kind is None:
        raise TypeError(f"plugin {handlers.name!r} has no authenticate, respond or modify function")
    app = FastAPI(title=f"MockForge remote plugin {handlers.name}", version=handlers.version,
                  openapi_url=None, docs_url=None, redoc_url=None)

    if secret:
        app.add_middleware(_SecretCheck, expected=f"Bearer {secret}".encode())

    @app.exception_handler(RequestValidationError)
    async def bad_request(_http, err: RequestValidationError):
        return _error(400, "bad-request", _problems(err.errors(), skip=1))

    @app.exception_handler(PluginError)
    async def plugin_error(_http, err: PluginError):
        return _error(_PLUGIN_ERROR_STATUS.get(err.kind, 500), err.kind, err.message)

    @app.exception_handler(HTTPException)
    async def http_error(_http, err: HTTPException):
        return _error(err.status_code, "bad-request", str(err.detail))

    @app.exception_handler(Exception)
    async def crash(_http, err: Exception):
        return _error(500, "internal", f"{type(err).__name__}: {err}")

    if handlers.authenticate:
        @app.post("/authenticate")
        async def authenticate(request: Request):
            outcome = await call(handlers.authenticate, request.to_sdk())
            return answer("authenticate", lambda: AuthOutcome.of(outcome))

    if handlers.respond:
        @app.post("/respond")
        async def respond(request: Request):
            response = await call(handlers.respond, request.to_sdk())
            return answer("respond", lambda: RespondAnswer(
                response=None if response is None else Response.of(response)))

        @app.post("/modify")
        async def modify(body: ModifyBody):
            response = await call(handlers.modify, body.request.to_sdk(), body.response.to_sdk())
            return answer("modify", lambda: ModifyAnswer(response=Response.of(response)))

    @app.get("/health")
    async def health():
        if await call(handlers.healthy):
            return {"status": "ok"}
        return _error(503, "unavailable", "the plugin reports itself unhealthy")

    description = Description(name=handlers.name, version=handlers.version, kind=kind,
                              protocol=PROTOCOL_VERSION, description=handlers.description)

    @app.get("/describe")
    async def describe():
        return _json(description)

    return app


def serve(
    plugin: Any,
    host: str = "127.0.0.1",
    port: int = 8080,
    secret: Optional[str] = None,
    *,
    config: Optional[Mapping[str, str]] = None,
) -> None:
    """Serves `plugin` with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(plugin, secret, config=config), host=host, port=port,
                log_level="warning", access_log=False)
