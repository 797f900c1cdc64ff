"""Serving a plugin over HTTP with FastAPI: the protocol's routes, validation, the shared
secret and health. An author writes a `Plugin` subclass or decorated functions
(`FunctionPlugin`); `create_app` turns either into an ASGI app, `serve` runs it with uvicorn."""

from __future__ import annotations

import hmac
import inspect
import os
from typing import Any, Awaitable, Callable, Optional, Union

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response as HttpResponse
from starlette.exceptions import HTTPException

from .errors import PluginError
from .models import (
    AuthOutcome,
    Description,
    ModifyAnswer,
    ModifyBody,
    PROTOCOL_VERSION,
    Request,
    RespondAnswer,
    Response,
)

#: The environment variable `create_app` reads the shared secret from when given none.
SECRET_ENV = "MOCKFORGE_PLUGIN_SECRET"

MaybeAwaitable = Union[Any, Awaitable[Any]]


class Plugin:
    """A plugin served over HTTP. Override `authenticate` for an auth plugin, `respond`
    and/or `modify` for a response plugin (both for a plugin of kind "both"); the defaults of
    the others mean "not offered". Methods may be plain or `async`."""

    name: str = "plugin"
    version: str = "0.1.0"
    description: str = ""

    def authenticate(self, request: Request) -> MaybeAwaitable:
        raise NotImplementedError

    def respond(self, request: Request) -> MaybeAwaitable:
        """Produce a response, or return None to decline. Default: decline."""
        return None

    def modify(self, request: Request, response: Response) -> MaybeAwaitable:
        """Change the mock's response. Default: return it as it is."""
        return response

    def healthy(self) -> MaybeAwaitable:
        """Whether the plugin can serve calls (a dependency is reachable, say). Default: yes."""
        return True

    def authenticates(self) -> bool:
        return type(self).authenticate is not Plugin.authenticate

    def responds(self) -> bool:
        cls = type(self)
        return cls.respond is not Plugin.respond or cls.modify is not Plugin.modify

    def kind(self) -> str:
        auth, respond = self.authenticates(), self.responds()
        if auth and respond:
            return "both"
        if auth:
            return "auth"
        if respond:
            return "response"
        raise TypeError(f"plugin {self.name!r} overrides none of authenticate, respond, modify")


class FunctionPlugin(Plugin):
    """A plugin made of decorated functions:

        plugin = FunctionPlugin("auth-trivial")

        @plugin.authenticate
        def authenticate(request): ...
    """

    def __init__(self, name: str, version: str = "0.1.0", description: str = ""):
        self.name, self.version, self.description = name, version, description
        self._auth: Optional[Callable] = None
        self._respond: Optional[Callable] = None
        self._modify: Optional[Callable] = None

    def authenticate(self, fn_or_request):  # type: ignore[override]
        if callable(fn_or_request) and not isinstance(fn_or_request, Request):
            self._auth = fn_or_request
            return fn_or_request
        if self._auth is None:
            raise NotImplementedError
        return self._auth(fn_or_request)

    def respond(self, fn_or_request):  # type: ignore[override]
        if callable(fn_or_request) and not isinstance(fn_or_request, Request):
            self._respond = fn_or_request
            return fn_or_request
        return self._respond(fn_or_request) if self._respond else None

    def modify(self, fn_or_request, response: Optional[Response] = None):  # type: ignore[override]
        if response is None and callable(fn_or_request):
            self._modify = fn_or_request
            return fn_or_request
        return self._modify(fn_or_request, response) if self._modify else response

    def authenticates(self) -> bool:
        return self._auth is not None

    def responds(self) -> bool:
        return self._respond is not None or self._modify is not None


async def _call(result: MaybeAwaitable) -> Any:
    return await result if inspect.isawaitable(result) else result


def _error(status: int, kind: str, message: str, headers: Optional[dict] = None) -> JSONResponse:
    return JSONResponse({"error": {"kind": kind, "message": message}}, status_code=status, headers=headers)


def _json(model) -> HttpResponse:
    return HttpResponse(model.model_dump_json(), media_type="application/json")


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


def create_app(plugin: Plugin, secret: Optional[str] = None, *, require_secret: bool = True) -> FastAPI:
    """The ASGI app serving `plugin`. Every route but /health requires
    `Authorization: Bearer <secret>`; `secret` defaults to $MOCKFORGE_PLUGIN_SECRET, and a
    plugin without one refuses to start unless `require_secret=False`."""
    secret = secret if secret is not None else os.environ.get(SECRET_ENV)
    if not secret and require_secret:
        raise RuntimeError(f"no shared secret: set {SECRET_ENV} or pass secret=")
    expected = f"Bearer {secret}".encode() if secret else None
    kind = plugin.kind()
    app = FastAPI(title=f"MockForge remote plugin {plugin.name}", version=plugin.version,
                  openapi_url=None, docs_url=None, redoc_url=None)

    if expected is not None:
        app.add_middleware(_SecretCheck, expected=expected)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_http, err: RequestValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in err.errors()
        )
        return _error(400, "bad-request", problems)

    @app.exception_handler(PluginError)
    async def plugin_error(_http, err: PluginError):
        return _error(err.status, err.kind, err.message)

    @app.exception_handler(HTTPException)
    async def http_error(_http, err: HTTPException):
        return _error(err.status_code, "bad-request", str(err.detail))

    @app.exception_handler(Exception)
    async def crash(_http, err: Exception):
        return _error(500, "internal", f"{type(err).__name__}: {err}")

    if plugin.authenticates():
        @app.post("/authenticate")
        async def authenticate(request: Request):
            outcome = await _call(plugin.authenticate(request))
            if not isinstance(outcome, AuthOutcome):
                raise TypeError(f"authenticate returned {type(outcome).__name__}, not AuthOutcome")
            return _json(outcome)

    if plugin.responds():
        @app.post("/respond")
        async def respond(request: Request):
            response = await _call(plugin.respond(request))
            return _json(RespondAnswer(response=response))

        @app.post("/modify")
        async def modify(body: ModifyBody):
            response = await _call(plugin.modify(body.request, body.response))
            return _json(ModifyAnswer(response=response))

    @app.get("/health")
    async def health():
        if await _call(plugin.healthy()):
            return {"status": "ok"}
        return _error(503, "unavailable", "the plugin reports itself unhealthy")

    description = Description(name=plugin.name, version=plugin.version, kind=kind,
                              protocol=PROTOCOL_VERSION, description=plugin.description)

    @app.get("/describe")
    async def describe():
        return _json(description)

    return app


def serve(plugin: Plugin, host: str = "127.0.0.1", port: int = 8080, secret: Optional[str] = None) -> None:
    """Serves `plugin` with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(plugin, secret), host=host, port=port, log_level="warning", access_log=False)
