"""Step 3: step 2, reading the `authorization` header from the host first."""

from wit_world.imports import types

_ALLOW = types.AuthOutcome_Allow(
    types.Identity("user-42", "ada", "ada@example.com", None, ["admin", "dev"], ["eng"], "{}")
)


class Auth:
    def authenticate(self, req):
        value = req.header("authorization")
        req.__exit__(None, None, None)
        if value is None:
            raise AssertionError("the bench request has an authorization header")
        return _ALLOW
