"""One SDK, two ways to run: the component plugins in ../plugins, their modules unchanged,
served over HTTP by the remote server with their manifests' configuration, pass the
cross-language conformance vectors (tests/conformance/vectors) that the built components pass
in the host."""

import base64
import calendar
import functools
import importlib.util
import json
import re
import sys
import time

import pytest
from fastapi.testclient import TestClient

from mockforge_plugin import AuthPlugin, ResponsePlugin
from mockforge_plugin.remote import create_app
from tests.conftest import ROOT

tomllib = pytest.importorskip("tomllib")

VECTORS = ROOT.parents[1] / "tests" / "conformance" / "vectors"
SECRET = "test-secret"
AUTH = {"authorization": f"Bearer {SECRET}"}
# As tests/conformance.rs: generous, for a loaded machine.
CLOCK_TOLERANCE_SECS = 600
UUID_V4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@functools.cache
def load(name):
    """The plugin class that `plugins/<name>/plugin.py` registers, and its manifest's config
    as the host passes it (text; booleans as `true`/`false`)."""
    folder = ROOT / "plugins" / name
    sys.path.insert(0, str(folder))
    try:
        spec = importlib.util.spec_from_file_location(f"component_{name.replace('-', '_')}", folder / "plugin.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(folder))
    [cls] = [c for c in vars(module).values()
             if isinstance(c, type) and issubclass(c, (AuthPlugin, ResponsePlugin)) and c.__module__ == spec.name]
    manifest = tomllib.loads((folder / "plugin.toml").read_text())
    settings = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in manifest.get("config", {}).items()}
    return cls, settings


def wire_body(spec):
    if "body_base64" in spec:
        return spec["body_base64"]
    if "body_repeat" in spec:
        repeat = spec["body_repeat"]
        return base64.b64encode(bytes([repeat["byte"]]) * repeat["count"]).decode()
    return base64.b64encode(spec.get("body", "").encode()).decode()


def wire_request(spec):
    return {"method": spec["method"], "path": spec["path"], "query": spec.get("query", ""),
            "headers": spec.get("headers", []), "body": wire_body(spec), "client_addr": spec.get("client_addr")}


def cases(plugin):
    return [pytest.param(plugin, case, id=case["name"])
            for case in json.loads((VECTORS / f"{plugin}.json").read_text())]


@pytest.mark.parametrize("plugin,case", cases("auth-trivial") + cases("response-template"))
def test_the_component_plugin_served_over_http_meets_the_vector(plugin, case):
    cls, manifest_settings = load(plugin)
    settings = dict(manifest_settings)
    for key, value in case.get("config", {}).items():
        if value is None:
            settings.pop(key, None)
        else:
            settings[key] = value
    client = TestClient(create_app(cls(), SECRET, config=settings))
    request = wire_request(case["request"])
    expect = case["expect"]
    if "response" in case:
        mock = case["response"]
        body = {"request": request, "response": {"status": mock["status"], "headers": mock.get("headers", []),
                                                 "body": wire_body(mock)}}
        answer = client.post("/modify", json=body, headers=AUTH)
    elif issubclass(cls, AuthPlugin):
        answer = client.post("/authenticate", json=request, headers=AUTH)
    else:
        answer = client.post("/respond", json=request, headers=AUTH)

    if "error" in expect:
        assert answer.status_code in (422, 500), answer.text
        assert answer.json()["error"]["kind"] == expect["error"]
        return
    assert answer.status_code == 200, answer.text
    got = answer.json()
    if "allow" in expect:
        assert got["outcome"] == "allow", got
        identity, want = got["identity"], expect["allow"]
        for field in ("subject", "username", "email", "display_name", "roles", "groups"):
            assert (identity.get(field) or None) == (want.get(field) or None), field
        assert identity["claims"] == [[n, json.loads(text)] for n, text in want.get("claims", [])]
    elif "deny" in expect:
        assert got == {"outcome": "deny", "identity": None, "denial": {"headers": [], **expect["deny"]}}
    else:
        want = expect.get("respond", expect.get("modify"))
        if want is None:
            assert got == {"response": None}
            return
        response = got["response"]
        assert response["status"] == want["status"]
        assert response["headers"] == want.get("headers", [])
        body = base64.b64decode(response["body"])
        if "body_json" in want:
            match_json(want["body_json"], json.loads(body), {})
        else:
            assert body == (base64.b64decode(want["body_base64"]) if "body_base64" in want else want["body"].encode())


def match_json(pattern, got, seen):
    """`got` against `pattern` with the vectors' wildcards, as tests/conformance.rs matches."""
    now = time.time()
    if pattern == "<uuid>":
        assert isinstance(got, str) and UUID_V4.match(got), got
        assert seen.setdefault("uuid", got) == got, "the same UUID throughout a body"
    elif pattern == "<rfc3339>":
        assert isinstance(got, str) and RFC3339.match(got), got
        at = calendar.timegm(time.strptime(got, "%Y-%m-%dT%H:%M:%SZ"))
        assert abs(at - now) <= CLOCK_TOLERANCE_SECS, got
    elif pattern == "<unix>":
        assert str(got).isdigit() and abs(int(got) - now) <= CLOCK_TOLERANCE_SECS, got
    elif isinstance(pattern, dict):
        assert isinstance(got, dict) and set(got) == set(pattern), got
        for key in pattern:
            match_json(pattern[key], got[key], seen)
    elif isinstance(pattern, list):
        assert isinstance(got, list) and len(got) == len(pattern), got
        for p, g in zip(pattern, got):
            match_json(p, g, seen)
    else:
        assert got == pattern
