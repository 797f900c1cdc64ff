"""The protocol's JSON bodies as pydantic models, matching protocol/remote-plugin.openapi.yaml
(the WIT types of mockforge:plugin@0.1.0 in JSON). tests/test_openapi.py checks them against
the OpenAPI file."""

from __future__ import annotations

import base64
from typing import Annotated, Any, Literal, Optional
from urllib.parse import parse_qsl

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

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
    """The incoming request (WIT `request`)."""

    method: str
    path: str
    query: str = ""
    headers: list[Header] = []
    body: Base64 = b""
    client_addr: Optional[str] = None

    def header(self, name: str) -> Optional[str]:
        """The first value of header `name` (case-insensitive), or None."""
        lower = name.lower()
        return next((v for n, v in self.headers if n.lower() == lower), None)

    def header_all(self, name: str) -> list[str]:
        """Every value of header `name` (case-insensitive), in order."""
        lower = name.lower()
        return [v for n, v in self.headers if n.lower() == lower]

    def query_param(self, name: str) -> Optional[str]:
        """The first value of query parameter `name`, percent-decoded, or None."""
        return next((v for k, v in parse_qsl(self.query, keep_blank_values=True) if k == name), None)


class Identity(_Model):
    """Who a request is (WIT `identity`). Claim values are any JSON value."""

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
    def allow(cls, identity: Identity | str, **fields: Any) -> "AuthOutcome":
        """Allow as `identity` (or as a new identity with this subject and `fields`)."""
        if isinstance(identity, str):
            identity = Identity(subject=identity, **fields)
        return cls(outcome="allow", identity=identity)

    @classmethod
    def deny(cls, status: int, reason: str, headers: list[Header] | None = None) -> "AuthOutcome":
        """Refuse with `status` and `reason`, adding `headers` (such as WWW-Authenticate)."""
        return cls(outcome="deny", denial=Denial(status=status, reason=reason, headers=headers or []))


class Response(_Model):
    """An HTTP response (WIT `response`)."""

    status: Status
    headers: list[Header] = []
    body: Base64 = b""

    @classmethod
    def text(cls, status: int, text: str, content_type: str = "text/plain; charset=utf-8") -> "Response":
        return cls(status=status, headers=[("content-type", content_type)], body=text.encode())

    def header(self, name: str) -> Optional[str]:
        lower = name.lower()
        return next((v for n, v in self.headers if n.lower() == lower), None)


class RespondAnswer(_Model):
    response: Optional[Response]


class ModifyBody(_Model):
    request: Request
    response: Response


class ModifyAnswer(_Model):
    response: Response


class Health(_Model):
    status: Literal["ok"] = "ok"


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
