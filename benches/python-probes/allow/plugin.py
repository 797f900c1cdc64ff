"""Step 2: step 1, answering with an identity (one record with strings and lists, built once
and lowered on every call)."""

from wit_world.imports import types

_ALLOW = types.AuthOutcome_Allow(
    types.Identity("user-42", "ada", "ada@example.com", None, ["admin", "dev"], ["eng"], "{}")
)


class Auth:
    def authenticate(self, req):
        req.__exit__(None, None, None)
        return _ALLOW
