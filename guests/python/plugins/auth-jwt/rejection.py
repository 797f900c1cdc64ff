"""Why a request's bearer token was refused: `raise Rejection(MALFORMED)`."""

from mockforge_plugin import Denial

MISSING_TOKEN = "missing bearer token"
MALFORMED = "malformed token"
UNSUPPORTED_ALGORITHM = "unsupported algorithm"
INVALID_SIGNATURE = "invalid signature"
EXPIRED = "token expired"
NOT_YET_VALID = "token not yet valid"
INVALID_ISSUER = "invalid issuer"
INVALID_AUDIENCE = "invalid audience"
MISSING_SUBJECT = "missing subject"

#: The text of each reason the host's verifier gives (`mockforge_plugin.jwt.REASONS`).
REASONS = {
    "malformed": MALFORMED,
    "unsupported-algorithm": UNSUPPORTED_ALGORITHM,
    "invalid-signature": INVALID_SIGNATURE,
    "expired": EXPIRED,
    "not-yet-valid": NOT_YET_VALID,
    "invalid-issuer": INVALID_ISSUER,
    "invalid-audience": INVALID_AUDIENCE,
}


class Rejection(Exception):
    """A refused token; `reason` is one of this module's constants, the text the client
    sees."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def denial(self) -> Denial:
        """The 401 answer, with the RFC 6750 challenge: a request that sent no token gets no
        error code, one that sent a bad token gets `invalid_token`."""
        if self.reason == MISSING_TOKEN:
            challenge = 'Bearer realm="mockforge"'
        else:
            challenge = 'Bearer realm="mockforge", error="invalid_token"'
        return Denial(401, self.reason, [("WWW-Authenticate", challenge)])
