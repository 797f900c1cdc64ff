"""The SDK's protocol handling, over real HTTP through Starlette's TestClient."""

import base64

import pytest
from fastapi.testclient import TestClient

from mockforge_remote import AuthOutcome, FunctionPlugin, Internal, Plugin, Request, Response, create_app

SECRET = "test-secret"
AUTH = {"authorization": f"Bearer {SECRET}"}
REQUEST = {"method": "GET", "path": "/orders", "query": "a=1", "headers": [["x-token", "t"]],
           "body": base64.b64encode(b"hi").decode(), "client_addr": None}


class Echo(Plugin):
    name = "echo"

    def authenticate(self, request: Request) -> AuthOutcome:
        if request.header("X-TOKEN") == "t" and request.body == b"hi":
            return AuthOutcome.allow("t", roles=["r"], claims=[("n", 1)])
        return AuthOutcome.deny(401, "no", [("www-authenticate", "Token")])

    async def respond(self, request: Request):
        if request.path == "/boom":
            raise Internal("it broke")
        if request.path == "/crash":
            raise ValueError("unexpected")
        return None if request.path == "/decline" else Response.text(201, request.query_param("a"))


@pytest.fixture
def client():
    return TestClient(create_app(Echo(), SECRET))


def test_authenticate_allows_and_denies(client):
    answer = client.post("/authenticate", json=REQUEST, headers=AUTH).json()
    assert answer["outcome"] == "allow"
    assert answer["identity"]["roles"] == ["r"]
    assert answer["identity"]["claims"] == [["n", 1]]
    answer = client.post("/authenticate", json={**REQUEST, "headers": []}, headers=AUTH).json()
    assert answer == {"outcome": "deny", "identity": None,
                      "denial": {"status": 401, "reason": "no", "headers": [["www-authenticate", "Token"]]}}


def test_respond_declines_answers_and_reports_errors(client):
    answer = client.post("/respond", json=REQUEST, headers=AUTH).json()
    assert answer["response"]["status"] == 201
    assert base64.b64decode(answer["response"]["body"]) == b"1"
    assert client.post("/respond", json={**REQUEST, "path": "/decline"}, headers=AUTH).json() == {"response": None}
    err = client.post("/respond", json={**REQUEST, "path": "/boom"}, headers=AUTH)
    assert err.status_code == 500
    assert err.json() == {"error": {"kind": "internal", "message": "it broke"}}


def test_an_unexpected_exception_is_an_internal_error():
    client = TestClient(create_app(Echo(), SECRET), raise_server_exceptions=False)
    err = client.post("/respond", json={**REQUEST, "path": "/crash"}, headers=AUTH)
    assert err.status_code == 500
    assert err.json()["error"] == {"kind": "internal", "message": "ValueError: unexpected"}


def test_modify_defaults_to_the_response_unchanged(client):
    response = {"status": 200, "headers": [["a", "b"]], "body": ""}
    answer = client.post("/modify", json={"request": REQUEST, "response": response}, headers=AUTH)
    assert answer.json() == {"response": response}


def test_the_secret_is_required_except_for_health(client):
    for headers in ({}, {"authorization": "Bearer wrong"}, {"authorization": SECRET}):
        refused = client.post("/authenticate", json=REQUEST, headers=headers)
        assert refused.status_code == 401
        assert refused.json()["error"]["kind"] == "unauthorized"
        assert refused.headers["www-authenticate"] == "Bearer"
    assert client.get("/health").json() == {"status": "ok"}


def test_a_plugin_without_a_secret_refuses_to_start(monkeypatch):
    monkeypatch.delenv("MOCKFORGE_PLUGIN_SECRET", raising=False)
    with pytest.raises(RuntimeError, match="shared secret"):
        create_app(Echo())


def test_a_bad_body_names_the_field(client):
    bad = client.post("/authenticate", json={**REQUEST, "headers": [["only-a-name"]]}, headers=AUTH)
    assert bad.status_code == 400
    assert bad.json()["error"]["kind"] == "bad-request"
    assert "headers.0" in bad.json()["error"]["message"]
    bad = client.post("/authenticate", json={**REQUEST, "body": "%%%"}, headers=AUTH)
    assert "body" in bad.json()["error"]["message"]


def test_describe_reports_kind_and_protocol(client):
    assert client.get("/describe", headers=AUTH).json() == {
        "name": "echo", "version": "0.1.0", "kind": "both", "protocol": "0.1.0", "description": ""}


def test_decorated_functions_make_a_plugin():
    plugin = FunctionPlugin("fn")

    @plugin.authenticate
    def authenticate(request):
        return AuthOutcome.allow(request.method)

    client = TestClient(create_app(plugin, SECRET))
    assert client.post("/authenticate", json=REQUEST, headers=AUTH).json()["identity"]["subject"] == "GET"
    assert client.get("/describe", headers=AUTH).json()["kind"] == "auth"
    assert client.post("/respond", json=REQUEST, headers=AUTH).status_code == 404
