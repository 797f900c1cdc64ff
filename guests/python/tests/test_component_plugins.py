"""One SDK, two ways to run: the component plugins in ../plugins, their modules unchanged, run in
plain CPython against the cross-language conformance vectors (tests/conformance/vectors/0.2) that
the built components pass in the host, and served over HTTP by the remote server."""

import base64
import calendar
import json
import re
import time

import pytest
from fastapi.testclient import TestClient

from mockforge_plugin import (
    Abstain,
    AuthPlugin,
    Denial,
    Identity,
    PluginError,
    Response,
    strict_json,
)
from mockforge_plugin.memory_kv import MemoryKv
from mockforge_plugin.remote import create_app
from tests.conftest import ROOT
from tests.plugin_harness import configured, fresh_plugin, hosted, manifest_config, request_of

VECTORS = ROOT.parents[1] / "tests" / "conformance" / "vectors"
SECRET = "test-secret"
AUTH = {"authorization": f"Bearer {SECRET}"}
# As tests/conformance.rs: generous, for a loaded machine.
CLOCK_TOLERANCE_SECS = 600
UUID_V4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
# Public keys are read and used by the host alone (crypto.public-key): plain CPython has none,
# so the cases configuring one are the conformance suite's (the built component in the host).
HOST_KEY_CONFIG = ("public-key", "jwks", "jwks-file")


def vectors(version, plugin):
    """The cases of `vectors/<version>/<plugin>.json` (the 0.1 ones may still be at the top)."""
    path = VECTORS / version / f"{plugin}.json"
    if not path.exists() and version == "0.1":
        path = VECTORS / f"{plugin}.json"
    return json.loads(path.read_text()) if path.exists() else None


def plugins_with_vectors():
    names = sorted(p.name for p in (ROOT / "plugins").iterdir() if (p / "plugin.toml").exists())
    return [pytest.param(name, id=name) for name in names if vectors("0.2", name) is not None]


@pytest.mark.parametrize("plugin", plugins_with_vectors())
def test_the_component_plugin_in_plain_python_meets_the_0_2_vectors(plugin):
    # The cases of a file run in order on one store, as on one loaded plugin in the host.
    store, base, failures, ran = MemoryKv(), manifest_config(plugin), [], 0
    for case in vectors("0.2", plugin):
        settings = configured(base, case.get("config"))
        if any(key in settings for key in HOST_KEY_CONFIG):
            continue
        ran += 1
        with hosted(settings, store):
            got = call(fresh_plugin(plugin), case)
        try:
            meets(case["expect"], got)
        except AssertionError as mismatch:
            failures.append(f"{case['name']}: {mismatch}\n    got {got!r}")
    assert ran, f"every case of {plugin} needs the host's public keys"
    assert not failures, "\n".join(failures)


def call(plugin, case):
    """What the plugin answers to the case: its outcome, or the kind of its error."""
    req = request_of(case["request"])
    try:
        if "response" in case:
            mock = case["response"]
            body = base64.b64decode(mock["body_base64"]) if "body_base64" in mock else mock.get("body", "").encode()
            return plugin.modify(req, Response(mock["status"], [tuple(h) for h in mock.get("headers", [])], body))
        if isinstance(plugin, AuthPlugin):
            return plugin.authenticate(req)
        return plugin.respond(req)
    except PluginError as e:
        return ("error", e.kind)
    except Exception as e:  # the SDK reports any other exception as the plugin's internal error
        return ("error", "internal", f"{type(e).__name__}: {e}")


def meets(expect, got):
    if "error" in expect:
        assert got[:2] == ("error", expect["error"])
    elif "abstain" in expect:
        assert isinstance(got, Abstain)
    elif "allow" in expect:
        want = expect["allow"]
        assert isinstance(got, Identity)
        for field in ("subject", "username", "email", "display_name", "roles", "groups"):
            assert (getattr(got, field) or None) == (want.get(field) or None), field
        # Read as the host reads the text (serde_json's integers and floats): a plugin may pass
        # a token's payload on as it is, `-0` and integers past 64 bits included.
        assert strict_json.loads(got.claims_json()) == want.get("claims", {}), "claims"
    elif "deny" in expect:
        assert isinstance(got, Denial)
        want = expect["deny"]
        assert (got.status, got.reason, [list(h) for h in got.headers]) == (
            want["status"], want["reason"], want.get("headers", []))
    else:
        want = expect.get("respond", expect.get("modify"))
        if want is None:
            assert got is None
            return
        assert isinstance(got, Response)
        assert got.status == want["status"]
        assert [list(h) for h in got.headers] == want.get("headers", [])
        if "body_json" in want:
            match_json(want["body_json"], json.loads(got.body), {})
        elif "body_base64" in want:
            assert got.body == base64.b64decode(want["body_base64"])
        else:
            assert got.body == want.get("body", "").encode()


def wire_body(spec):
    if "body_base64" in spec:
        return spec["body_base64"]
    if "body_repeat" in spec:
        repeat = spec["body_repeat"]
        return base64.b64encode(bytes([repeat["byte"]]) * repeat["count"]).decode()
    return base64.b64encode(spec.get("body", "").encode()).decode()


def remote_cases():
    return [pytest.param(case, id=case["name"]) for case in vectors("0.1", "auth-trivial")]


@pytest.mark.parametrize("case", remote_cases())
def test_the_component_auth_trivial_served_over_http_meets_its_vectors(case):
    # The remote protocol is 0.1; auth-trivial answers 0.1's cases the same in 0.2 but for a
    # request without the header, which it abstains on.
    plugin = fresh_plugin("auth-trivial")
    client = TestClient(create_app(plugin, SECRET, config=manifest_config("auth-trivial")))
    spec = case["request"]
    request = {"method": spec["method"], "path": spec["path"], "query": spec.get("query", ""),
               "headers": spec.get("headers", []), "body": wire_body(spec), "client_addr": spec.get("client_addr")}
    answer = client.post("/authenticate", json=request, headers=AUTH)
    if not any(name.lower() == "authorization" for name, _ in request["headers"]):
        # 0.2 abstains without the header, which remote protocol 0.1 cannot carry.
        assert answer.status_code == 500 and "abstained" in answer.json()["error"]["message"]
        return
    assert answer.status_code == 200, answer.text
    got, expect = answer.json(), case["expect"]
    if "allow" in expect:
        assert got["outcome"] == "allow" and got["identity"]["subject"] == expect["allow"]["subject"]
        assert got["identity"]["claims"] == [[n, json.loads(text)] for n, text in expect["allow"].get("claims", [])]
    else:
        assert got == {"outcome": "deny", "identity": None, "denial": {"headers": [], **expect["deny"]}}


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
