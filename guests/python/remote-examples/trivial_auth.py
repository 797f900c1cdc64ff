"""The `auth-trivial` conformance plugin as a remote plugin, in the decorated-function style:
exactly `Bearer good` is allowed (tests/conformance/vectors/0.1/auth-trivial.json), as the
component in ../plugins/auth-trivial does.

    uvicorn --app-dir guests/python/remote-examples trivial_auth:app --port 8082
"""

from mockforge_plugin import Denial, Identity
from mockforge_plugin.remote import FunctionPlugin, create_app

plugin = FunctionPlugin("auth-trivial", description="Allows exactly `Bearer good`")


@plugin.authenticate
def authenticate(req):
    if req.header("authorization") == "Bearer good":
        return Identity("good")
    return Denial(401, "denied")


app = create_app(plugin)
