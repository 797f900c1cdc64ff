"""A response plugin: answers GET /hello/<name> with a JSON greeting, declines anything else,
and stamps every mock response it is asked to modify with `x-modified-by`.

    uvicorn --app-dir guests/python/remote-examples hello_response:app --port 8081
"""

import json

from mockforge_plugin import InvalidRequest, Response, ResponsePlugin
from mockforge_plugin.remote import create_app


class Hello(ResponsePlugin):
    name = "hello-response"
    version = "0.1.0"
    description = "JSON greetings for GET /hello/<name>"

    def respond(self, req):
        path = req.path()
        if req.method() != "GET" or not path.startswith("/hello/"):
            return None
        name = path.removeprefix("/hello/")
        if not name or "/" in name:
            raise InvalidRequest(f"no single name in {path!r}")
        greeting = req.query_param("greeting") or "hello"
        return Response.json(200, json.dumps({"message": f"{greeting}, {name}"}))

    def modify(self, req, resp):
        return resp.with_header("x-modified-by", self.name)


app = create_app(Hello())
