"""The remote server's protocol handling, over real HTTP through Starlette's TestClient."""

import base64
import logging

import pytest
from fastapi.testclient import TestClient

from mockforge_plugin import (Abstain, AuthPlugin, Denial, Identity, InternalError, Response,
                              ResponsePlugin, config, kv, log)
from mockforge_plugin.remote import FunctionPlugin, config_from_env, create_app

SECRET = "test-secret"
AUTH = {"authorization": f"Bearer {SECRET}"}
REQUEST = {"method": "GET", "path": "/orders", "query": "a=1", "headers": [["x-token", "t"]],
           "body": base64.b64encode(b"hi").decode(), "client_addr": None}


class Echo(AuthPlugin, ResponsePlugin):
    name = "echo"

    def authenticate(self, req):
        if req.header("X-TOKEN") == "t" and req.body() == b"hi":
            return Identity("t", roles=["r"], claims={"n": 1, "s": "text"})
        return Denial(401, "no", [("www-authenticate", "Token")])

    async def respond(self, req):
        if req.path() == "/boom":
            raise InternalError("it broke")
        if req.path() == "/crash":
            raise ValueError("unexpected")
        if req.path() == "/bad-status":
            return Response(42)
        if req.path() == "/config":
            log.info("config read", key="greeting")
            return Response.text(200, config.require("greeting"))
        return None if req.path() == "/decline" else Response.text(201, req.query_param("a"))


@pytest.fixture
def client():
    return TestClient(create_app(Echo(), SECRET, config={"greeting": "hello"}))


def test_authenticate_allows_and_denies(client):
    answer = client.post("/authenticate", json=REQUEST, headers=AUTH).json()
    assert answer["outcome"] == "allow"
    assert answer["identity"]["roles"] == ["r"]
    assert answer["identity"]["claims"] == [["n", 1], ["s", "text"]], "the dict's members, in order"
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


def test_an_unexpected_exception_is_an_internal_error(client):
    err = client.post("/respond", json={**REQUEST, "path": "/crash"}, headers=AUTH)
    assert err.status_code == 500
    assert err.json()["error"] == {"kind": "internal", "message": "ValueError: unexpected"}


def test_an_invalid_answer_is_an_internal_error_naming_the_field(client):
    err = client.post("/respond", json={**REQUEST, "path": "/bad-status"}, headers=AUTH)
    assert err.status_code == 500
    assert err.json()["error"]["kind"] == "internal"
    assert err.json()["error"]["message"].startswith("respond returned an invalid value: status: ")


def test_a_claim_that_json_cannot_hold_is_an_internal_error():
    plugin = FunctionPlugin("claims")
    plugin.authenticate(lambda req: Identity("x", claims={"scope": {"read"}}))
    err = TestClient(create_app(plugin, SECRET)).post("/authenticate", json=REQUEST, headers=AUTH)
    assert err.status_code == 500
    assert "the identity's claims are not JSON" in err.json()["error"]["message"]


def test_an_abstention_is_an_internal_error_in_remote_protocol_0_1():
    plugin = FunctionPlugin("abstains")
    plugin.authenticate(lambda req: Abstain())
    err = TestClient(create_app(plugin, SECRET)).post("/authenticate", json=REQUEST, headers=AUTH)
    assert err.status_code == 500
    assert err.json()["error"] == {
        "kind": "internal",
        "message": "authenticate abstained, which remote protocol 0.1.0 cannot answer: allow or deny",
    }


def test_kv_is_the_apps_own_store_in_memory():
    plugin = FunctionPlugin("counter")

    @plugin.respond
    def respond(req):
        return Response.text(200, str(kv.increment("hits")))

    first, second = (TestClient(create_app(plugin, SECRET)) for _ in range(2))
    bodies = [base64.b64decode(c.post("/respond", json=REQUEST, headers=AUTH).json()["response"]["body"])
              for c in (first, first, second)]
    assert bodies == [b"1", b"2", b"1"], "one store per app, kept between calls"


def test_config_and_log_work_during_a_call(client, caplog):
    with caplog.at_level(logging.INFO, logger="mockforge_plugin.echo"):
        answer = client.post("/respond", json={**REQUEST, "path": "/config"}, headers=AUTH).json()
    assert base64.b64decode(answer["response"]["body"]) == b"hello"
    assert [r.getMessage() for r in caplog.records] == ["config read key=greeting"]
    with pytest.raises(RuntimeError, match="has no host"):
        config.get("greeting")


def test_config_comes_from_the_environment_by_default(monkeypatch):
    monkeypatch.setenv("MOCKFORGE_CONFIG_LEEWAY_SECONDS", "5")
    monkeypatch.setenv("MOCKFORGE_CONFIG_", "ignored")
    assert config_from_env()["leeway-seconds"] == "5"
    assert "" not in config_from_env()


def test_modify_defaults_to_the_response_unchanged(client):
    response = {"status": 200, "headers": [["a", "b"]], "body": base64.b64encode(b"\x00\xff").decode()}
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


def test_an_unhealthy_plugin_answers_503():
    class Sick(AuthPlugin):
        async def healthy(self):
            return False

    answer = TestClient(create_app(Sick(), SECRET)).get("/health")
    assert answer.status_code == 503
    assert answer.json()["error"]["kind"] == "unavailable"


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
    def authenticate(req):
        return Identity(req.method())

    client = TestClient(create_app(plugin, SECRET))
    assert client.post("/authenticate", json=REQUEST, headers=AUTH).json()["identity"]["subject"] == "GET"
    assert client.get("/describe", headers=AUTH).json()["kind"] == "auth"
    assert client.post("/respond", json=REQUEST, headers=AUTH).status_code == 404


def test_a_decorated_modify_alone_makes_a_response_plugin_that_declines():
    plugin = FunctionPlugin("stamp")

    @plugin.modify
    async def modify(req, resp):
        return resp.with_header("x-stamp", req.path())

    client = TestClient(create_app(plugin, SECRET))
    assert client.post("/respond", json=REQUEST, headers=AUTH).json() == {"response": None}
    answer = client.post("/modify", json={"request": REQUEST, "response": {"status": 204}}, headers=AUTH).json()
    assert answer["response"]["headers"] == [["x-stamp", "/orders"]]


def test_something_that_is_not_a_plugin_is_refused():
    with pytest.raises(TypeError, match="not an AuthPlugin"):
        create_app(object(), SECRET)
    with pytest.raises(TypeError, match="has no authenticate"):
        create_app(FunctionPlugin("empty"), SECRET)
