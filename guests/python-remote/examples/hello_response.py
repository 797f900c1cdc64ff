"""A response plugin: answers GET /hello/<name> with a JSON greeting, declines anything else,
and stamps every mock response it is asked to modify with `x-modified-by`.

    uvicorn examples.hello_response:app --port 8081
"""

from __future__ import annotations

import json

from mockforge_remote import InvalidRequest, Plugin, Request, Response, create_app


class Hello(Plugin):
    name = "hello-response"
    version = "0.1.0"
    description = "JSON greetings for GET /hello/<name>"

    def respond(self, request: Request):
        if request.method != "GET" or not request.path.startswith("/hello/"):
            return None
        name = request.path.removeprefix("/hello/")
        if not name or "/" in name:
            raise InvalidRequest(f"no single name in {request.path!r}")
        greeting = request.query_param("greeting") or "hello"
        body = json.dumps({"message": f"{greeting}, {name}"}).encode()
        return Response(status=200, headers=[("content-type", "application/json")], body=body)

    def modify(self, request: Request, response: Response) -> Response:
        return response.model_copy(update={"headers": [*response.headers, ("x-modified-by", self.name)]})


plugin = Hello()
app = create_app(plugin)
