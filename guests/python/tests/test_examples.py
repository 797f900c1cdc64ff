"""The example plugins, over real HTTP; the introspection example against the stub endpoint
running as its own process."""

import base64
import importlib
import time

import httpx
import pytest
from fastapi.testclient import TestClient

AUTH = {"authorization": "Bearer test-secret"}


def request(headers=(), path="/orders", method="GET", query=""):
    return {"method": method, "path": path, "query": query, "headers": [list(h) for h in headers], "body": ""}


def load_introspection(monkeypatch, url, client_id="mockforge", client_secret="s3cret"):
    """The example freshly imported, configured through the environment as when deployed."""
    for key, value in (("INTROSPECTION_URL", url), ("CLIENT_ID", client_id), ("CLIENT_SECRET", client_secret)):
        if value is None:
            monkeypatch.delenv(f"MOCKFORGE_CONFIG_{key}", raising=False)
        else:
            monkeypatch.setenv(f"MOCKFORGE_CONFIG_{key}", value)
    return importlib.reload(importlib.import_module("introspection_auth"))


@pytest.fixture
def introspection(introspection_stub, monkeypatch):
    module = load_introspection(monkeypatch, introspection_stub + "/introspect")
    # One event loop for the whole test, as under uvicorn: the plugin's HTTP client is bound
    # to the loop it first ran on.
    with TestClient(module.app) as client:
        yield client


def stub_requests(base):
    return httpx.get(base + "/stats").json()["requests"]


def test_an_active_token_is_allowed_and_cached(introspection, introspection_stub):
    before = stub_requests(introspection_stub)
    for _ in range(3):
        answer = introspection.post("/authenticate", json=request([("authorization", "Bearer good-token")]), headers=AUTH).json()
        assert answer["outcome"] == "allow"
        identity = answer["identity"]
        assert identity["subject"] == "alice"
        assert identity["roles"] == ["read", "write"]
        assert ["iss", "https://issuer.test"] in identity["claims"]
    assert stub_requests(introspection_stub) - before == 1, "cached after the first call"


def test_inactive_expired_and_missing_tokens_are_denied(introspection):
    for headers in ([("authorization", "Bearer nope")], [("authorization", "Bearer expired-token")]):
        answer = introspection.post("/authenticate", json=request(headers), headers=AUTH).json()
        assert answer["denial"]["status"] == 401
        assert 'error="invalid_token"' in answer["denial"]["headers"][0][1]
    answer = introspection.post("/authenticate", json=request([("authorization", "Basic x")]), headers=AUTH).json()
    assert answer["denial"]["reason"] == "a bearer token is required"


def test_the_cache_ends_when_the_token_expires(introspection, introspection_stub):
    token = f"expires-at-{int(time.time()) + 2}"
    call = lambda: introspection.post("/authenticate", json=request([("authorization", f"Bearer {token}")]), headers=AUTH).json()
    before = stub_requests(introspection_stub)
    assert call()["outcome"] == "allow"
    assert call()["outcome"] == "allow"
    assert stub_requests(introspection_stub) - before == 1
    time.sleep(2.5)
    assert call()["outcome"] == "deny"
    assert stub_requests(introspection_stub) - before == 2


def test_an_unreachable_endpoint_is_an_internal_error(monkeypatch):
    module = load_introspection(monkeypatch, "http://127.0.0.1:9/introspect")
    answer = TestClient(module.app).post("/authenticate", json=request([("authorization", "Bearer x")]), headers=AUTH)
    assert answer.status_code == 500
    assert answer.json()["error"]["kind"] == "internal"


def test_missing_configuration_is_an_invalid_config_error(monkeypatch):
    module = load_introspection(monkeypatch, None)
    answer = TestClient(module.app).post("/authenticate", json=request([("authorization", "Bearer x")]), headers=AUTH)
    assert answer.status_code == 422
    assert answer.json()["error"] == {"kind": "invalid-config", "message": "missing config key `introspection-url`"}


def test_the_response_example_greets_declines_and_modifies():
    from hello_response import app

    client = TestClient(app)
    answer = client.post("/respond", json=request(path="/hello/ada", query="greeting=hi"), headers=AUTH).json()
    assert base64.b64decode(answer["response"]["body"]) == b'{"message": "hi, ada"}'
    assert client.post("/respond", json=request(path="/other"), headers=AUTH).json() == {"response": None}
    bad = client.post("/respond", json=request(path="/hello/"), headers=AUTH)
    assert bad.status_code == 422 and bad.json()["error"]["kind"] == "invalid-request"
    modified = client.post("/modify", json={"request": request(), "response": {"status": 204}}, headers=AUTH).json()
    assert modified["response"]["headers"] == [["x-modified-by", "hello-response"]]


def test_the_trivial_example_allows_exactly_bearer_good():
    from trivial_auth import app

    client = TestClient(app)
    assert client.post("/authenticate", json=request([("authorization", "Bearer good")]), headers=AUTH).json()["outcome"] == "allow"
    assert client.post("/authenticate", json=request([("authorization", "bearer good")]), headers=AUTH).json()["outcome"] == "deny"
    assert client.get("/describe", headers=AUTH).json()["kind"] == "auth"
