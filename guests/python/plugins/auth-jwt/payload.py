"""A verified token's payload: its claims, the JSON text they were read from, and the identity
they describe once it has been built."""

from typing import Optional

from mockforge_plugin import Identity


class Payload:
    """The payload of a token whose signature holds. Its claims are checked against the clock
    on every call; the identity depends on the claims alone, so it is built once."""

    __slots__ = ("claims", "text", "identity")

    def __init__(self, claims: dict, text: str):
        #: The JSON object, as `strict_json` read it.
        self.claims = claims
        #: The object's JSON text, passed to the host as the identity's claims.
        self.text = text
        #: The identity, once `claims.identity` has built it.
        self.identity: Optional[Identity] = None
