"""Step 4: step 3, handing the bearer token to the host's `jwt-verifier` (made on the first
call from the auth-jwt example's demo secret): everything an HS256 auth plugin must ask the
host, with no SDK and no plugin logic around it."""

from wit_world.imports import crypto, types

_ALLOW = types.AuthOutcome_Allow(
    types.Identity("user-42", "ada", "ada@example.com", None, ["admin", "dev"], ["eng"], "{}")
)
_verifier = None


class Auth:
    def authenticate(self, req):
        global _verifier
        if _verifier is None:
            _verifier = crypto.JwtVerifier.create(
                crypto.JwtSettings(
                    algorithms=[crypto.JwsAlgorithm.HS256],
                    secret=b"mockforge-demo-secret",
                    keys=[],
                    issuer=None,
                    audience=None,
                    leeway_seconds=0,
                )
            )
        value = req.header("authorization")
        req.__exit__(None, None, None)
        _verifier.verify(value[len("Bearer "):])
        return _ALLOW
