"""The `auth-trivial` conformance plugin as a remote plugin, in the decorated-function style:
exactly `Bearer good` is allowed (tests/conformance/vectors/auth-trivial.json).

    uvicorn examples.trivial_auth:app --port 8082
"""

from mockforge_remote import AuthOutcome, FunctionPlugin, Request, create_app

plugin = FunctionPlugin("auth-trivial", description="Allows exactly `Bearer good`")


@plugin.authenticate
def authenticate(request: Request) -> AuthOutcome:
    if request.header("authorization") == "Bearer good":
        return AuthOutcome.allow("good")
    return AuthOutcome.deny(401, "denied")


app = create_app(plugin)
