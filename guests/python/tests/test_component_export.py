"""The adapter between a plugin class and componentize-py's bindings (register.py,
host_request.py), against stand-ins for the generated bindings, which exist only inside a
component build: what the export hands the host, and that the request's handle is dropped."""

import importlib
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Optional

import pytest

from mockforge_plugin import Abstain, AuthPlugin, Denial, Identity, InvalidConfig, Response, ResponsePlugin

# The module, not the `register` function the package exports under the same name.
registration = importlib.import_module("mockforge_plugin.register")


@dataclass
class WitIdentity:
    subject: str
    username: Optional[str]
    email: Optional[str]
    display_name: Optional[str]
    roles: list
    groups: list
    claims: str


@dataclass
class Case:
    value: object = None


class Err(Exception):
    def __init__(self, value):
        super().__init__(value)
        self.value = value


def case(name):
    return type(name, (Case,), {})


TYPES = SimpleNamespace(
    Identity=WitIdentity,
    Denial=lambda *fields: ("wit-denial", fields),
    Response=lambda *fields: ("wit-response", fields),
    AuthOutcome_Allow=case("AuthOutcome_Allow"),
    AuthOutcome_Deny=case("AuthOutcome_Deny"),
    AuthOutcome_Abstain=case("AuthOutcome_Abstain"),
    PluginError_InvalidConfig=case("PluginError_InvalidConfig"),
    PluginError_InvalidRequest=case("PluginError_InvalidRequest"),
    PluginError_Internal=case("PluginError_Internal"),
)


class Resource:
    """A stand-in for the host's `request` handle: records its drop; traps after it."""

    def __init__(self, headers=(), identity=None):
        self._headers = dict(headers)
        self._identity = identity
        self.dropped = 0

    def header(self, name):
        assert not self.dropped, "used after the drop"
        return self._headers.get(name)

    def route(self):
        return "/users/{id}"

    def path_param(self, name):
        return "42" if name == "id" else None

    def identity(self):
        return self._identity

    def __exit__(self, *exc):
        self.dropped += 1


@pytest.fixture
def bindings(monkeypatch):
    monkeypatch.setattr(registration, "types", TYPES)
    monkeypatch.setattr(registration, "Err", Err)
    monkeypatch.setattr(registration, "_ABSTAIN", TYPES.AuthOutcome_Abstain())


def export(cls, name):
    """The export class `register` defines, without a module to define it in."""
    plugin = cls()
    return getattr(registration, f"_{name}_export")(plugin)()


class Knock(AuthPlugin):
    def authenticate(self, req):
        who = req.header("x-knock")
        if who is None:
            return Abstain()
        if who == "boom":
            raise InvalidConfig("no door")
        if who == "bug":
            return 42
        if not who:
            return Denial(401, "knock first", (["www-authenticate", "Knock"],))
        return Identity(who, roles=("guest",), claims={"knocks": 3, "name": "Zoë"})


def test_an_identity_crosses_with_its_claims_as_one_json_object(bindings):
    resource = Resource({"x-knock": "ada"})
    outcome = export(Knock, "auth").authenticate(resource)
    assert isinstance(outcome, TYPES.AuthOutcome_Allow)
    assert outcome.value == WitIdentity("ada", None, None, None, ["guest"], [], '{"knocks":3,"name":"Zoë"}')
    assert resource.dropped == 1


def test_an_abstention_and_a_denial_cross_as_their_cases(bindings):
    auth = export(Knock, "auth")
    assert isinstance(auth.authenticate(Resource()), TYPES.AuthOutcome_Abstain)
    denied = auth.authenticate(Resource({"x-knock": ""}))
    assert isinstance(denied, TYPES.AuthOutcome_Deny)
    # componentize-py lowers a record by reading its fields: a well-shaped denial goes as it is.
    assert denied.value == Denial(401, "knock first", [("www-authenticate", "Knock")])


def test_a_denial_changed_out_of_shape_is_copied_into_it(bindings):
    denial = Denial(401, "no")
    assert registration._lower_denial(denial) is denial
    denial.headers.append(["www-authenticate", "Bearer"])
    assert registration._lower_denial(denial) == ("wit-denial", (401, "no", [("www-authenticate", "Bearer")]))


def test_the_request_is_dropped_when_the_plugin_fails_too(bindings):
    auth = export(Knock, "auth")
    resource = Resource({"x-knock": "boom"})
    with pytest.raises(Err) as failure:
        auth.authenticate(resource)
    assert failure.value.value == TYPES.PluginError_InvalidConfig("no door")
    assert resource.dropped == 1
    with pytest.raises(Err) as failure:
        auth.authenticate(Resource({"x-knock": "bug"}))
    assert failure.value.value == TYPES.PluginError_Internal(
        "authenticate returned 42, not an Identity, a Denial or Abstain()")


def test_claims_json_cannot_hold_are_the_plugins_internal_error(bindings):
    class Odd(AuthPlugin):
        def authenticate(self, req):
            return Identity("ada", claims={"n": float("inf")})

    with pytest.raises(Err) as failure:
        export(Odd, "auth").authenticate(Resource())
    assert isinstance(failure.value.value, TYPES.PluginError_Internal)
    assert failure.value.value.value.startswith("the identity's claims are not JSON")


class Greeter(ResponsePlugin):
    def respond(self, req):
        who = req.identity()
        if who is None:
            return None
        return Response.json(200, f'{{"id": "{req.path_param("id")}", "tenant": "{who.claims["tenant"]}"}}')

    def modify(self, req, resp):
        return resp.with_header("x-route", req.route())


def test_a_responder_reads_the_identity_with_parsed_claims_and_drops_the_request(bindings):
    owner = WitIdentity("ada", None, None, None, [], [], '{"tenant":"acme","n":1}')
    resource = Resource(identity=owner)
    status, headers, body = export(Greeter, "responder").respond(resource)[1]
    assert (status, body) == (200, b'{"id": "42", "tenant": "acme"}')
    assert resource.dropped == 1
    anonymous = Resource()
    assert export(Greeter, "responder").respond(anonymous) is None
    assert anonymous.dropped == 1
    modified = Resource()
    mock = SimpleNamespace(status=204, headers=[("a", "1")], body=b"")
    assert export(Greeter, "responder").modify(modified, mock) == (
        "wit-response", (204, [("a", "1"), ("x-route", "/users/{id}")], b""))
    assert modified.dropped == 1


def test_the_host_requests_identity_is_an_sdk_identity():
    from mockforge_plugin.host_request import HostRequest

    lent = WitIdentity("ada", "ada_l", "a@example.com", "Ada", ["admin"], ["eng"], '{"scope":["read"]}')
    assert HostRequest(Resource(identity=lent)).identity() == Identity(
        "ada", "ada_l", "a@example.com", "Ada", ["admin"], ["eng"], {"scope": ["read"]})
    assert HostRequest(Resource()).identity() is None
