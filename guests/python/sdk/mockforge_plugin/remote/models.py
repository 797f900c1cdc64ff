"""The protocol's JSON bodies as pydantic models, matching protocol/remote-plugin.openapi.yaml
(the WIT types of mockforge:plugin@0.1.0 in JSON); tests/test_openapi.py checks them against
the OpenAPI file. Each model also converts from or to the SDK's own values
(:class:`mockforge_plugin.Request`, ``Identity``, ``Denial``, ``Response``), which is all a
plugin author sees: these models validate what crosses the wire in both directions."""

from __future__ import annotations

import base64
import json
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from .. import values
from ..errors import InternalError
from ..request import Request as SdkRequest

PROTOCOL_VERSION = "0.1.0"


def _from_base64(value: Any) -> bytes:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except ValueError as err:
            raise ValueError(f"not standard base64: {err}") from err
    raise ValueError("expected a base64 string")


#: Bytes on the wire: standard base64 text.
Base64 = Annotated[
    bytes,
    BeforeValidator(_from_base64),
    PlainSerializer(lambda b: base64.b64encode(b).decode("ascii"), return_type=str),
]

#: One header: name and value. Names compare case-insensitively.
Header = tuple[str, str]
Status = Annotated[int, Field(ge=100, le=599)]


class _Model(BaseModel):
    # Answers may grow fields in a later 0.1.x; receivers ignore what they do not know.
    model_config = ConfigDict(extra="ignore")


class Request(_Model):
    """The incoming request (WIT `request`), copied whole."""

    method: str
    path: str
    query: str = ""
    headers: list[Header] = []
    body: Base64 = b""
    client_addr: Optional[str] = None

    def to_sdk(self) -> SdkRequest:
        return SdkRequest(self.method, self.path, self.query, self.headers, self.body, self.client_addr)


class Identity(_Model):
    """Who a request is (WIT 0.1 `identity`): claims as (name, JSON value) pairs."""

    subject: str
    username: Optional[str] = None
    email: Optional[str] = None
    display_name: Optional[str] = None
    roles: list[str] = []
    groups: list[str] = []
    claims: list[tuple[str, Any]] = []


class Denial(_Model):
    """Why a request was refused (WIT `denial`)."""

    status: Status
    reason: str
    headers: list[Header] = []


class AuthOutcome(_Model):
    """The verdict of an auth plugin (WIT `auth-outcome`)."""

    outcome: Literal["allow", "deny"]
    identity: Optional[Identity] = None
    denial: Optional[Denial] = None

    @classmethod
    def of(cls, outcome: Union[values.Identity, values.Denial]) -> "AuthOutcome":
        """The verdict `authenticate` returned. The SDK's claims (a dict of JSON values) travel
        as (name, value) pairs, in the dict's order. Protocol 0.1 has no `abstain`: a plugin
        that abstains is an internal error here."""
        if isinstance(outcome, values.Identity):
            identity = Identity(
                subject=outcome.subject,
                username=outcome.username,
                email=outcome.email,
                display_name=outcome.display_name,
                roles=list(outcome.roles),
                groups=list(outcome.groups),
                claims=_claim_pairs(outcome),
            )
            return cls(outcome="allow", identity=identity)
        if isinstance(outcome, values.Denial):
            denial = Denial(status=outcome.status, reason=outcome.reason, headers=list(outcome.headers))
            return cls(outcome="deny", denial=denial)
        if isinstance(outcome, values.Abstain):
            raise InternalError(
                f"authenticate abstained, which remote protocol {PROTOCOL_VERSION} cannot answer: "
                "allow or deny"
            )
        raise InternalError(f"authenticate returned {outcome!r}, not an Identity or a Denial")


def _claim_pairs(identity: values.Identity) -> list:
    try:
        # Through JSON text, as a component sends them: a value JSON cannot hold is refused.
        claims = json.loads(identity.claims_json())
    except (TypeError, ValueError) as err:
        raise InternalError(f"the identity's claims are not JSON: {err}") from None
    return list(claims.items())


class Response(_Model):
    """An HTTP response (WIT `response`)."""

    status: Status
    headers: list[Header] = []
    body: Base64 = b""

    @classmethod
    def of(cls, response: values.Response) -> "Response":
        if not isinstance(response, values.Response):
            raise InternalError(f"expected a Response, got {response!r}")
        return cls(status=response.status, headers=list(response.headers), body=bytes(response.body))

    def to_sdk(self) -> values.Response:
        return values.Response(self.status, list(self.headers), self.body)


class RespondAnswer(_Model):
    response: Optional[Response]


class ModifyBody(_Model):
    request: Request
    response: Response


class ModifyAnswer(_Model):
    response: Response


class Description(_Model):
    name: str
    version: str
    kind: Literal["auth", "response", "both"]
    protocol: str = PROTOCOL_VERSION
    description: str = ""


ErrorKind = Literal[
    "invalid-config", "invalid-request", "internal", "unauthorized", "bad-request", "unavailable"
]


class ErrorBody(_Model):
    kind: ErrorKind
    message: str


class ErrorEnvelope(_Model):
    error: ErrorBody
