"""The SDK shared by both ways of running a plugin: the component half stays free of FastAPI
and pydantic, and `Request` reads a request as the host's resource does."""

import subprocess
import sys

import pytest

from mockforge_plugin import Abstain, Denial, Identity, Request, Response
from tests.conftest import ROOT


def test_the_component_sdk_imports_nothing_outside_the_standard_library():
    # componentize-py bundles `mockforge_plugin` into every component: the remote server's
    # dependencies must stay out of it.
    probe = (
        "import sys, mockforge_plugin\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'fastapi', 'pydantic', 'starlette', 'uvicorn', 'httpx'})\n"
        "assert not loaded, loaded\n"
        "assert 'mockforge_plugin.remote' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", probe], cwd=ROOT / "sdk", check=True)


def test_query_parameters_are_decoded_as_the_host_decodes_them():
    req = Request("GET", "/", "a=1&b=x+y%21&a=2&flag&bad=%zz%4&&utf=%C3%BC&broken=%C3")
    assert req.query_param("a") == "1", "the first value"
    assert req.query_param("b") == "x y!"
    assert req.query_param("flag") == ""
    assert req.query_param("bad") == "%zz%4", "bad escapes stay as written"
    assert req.query_param("utf") == "ü"
    assert req.query_param("broken") == "\ufffd", "invalid UTF-8 is replaced"
    assert req.query_param("missing") is None


def test_headers_compare_ascii_case_insensitively_and_keep_duplicates():
    req = Request("GET", "/", headers=[("X-A", "1"), ("x-a", "2"), ("K", "3")])
    assert req.header("x-A") == "1"
    assert req.header_all("X-a") == ["1", "2"]
    # U+212A KELVIN SIGN lower-cases to "k" in Unicode, not in ASCII.
    assert req.header("\u212a") is None
    assert req.headers() == [("X-A", "1"), ("x-a", "2"), ("K", "3")]
    assert Response(200, [("Content-Type", "a")]).header("content-type") == "a"


def test_a_request_holds_what_it_was_given():
    req = Request("POST", "/p", body=b"\x00\xff", client_addr="127.0.0.1:9")
    assert (req.method(), req.path(), req.query(), req.body(), req.client_addr()) == (
        "POST", "/p", "", b"\x00\xff", "127.0.0.1:9")


def test_a_request_holds_its_route_context():
    owner = Identity("ada", claims={"tenant": "acme"})
    req = Request("GET", "/users/42", id="req-1", route="/users/{id}",
                  path_params=[("id", "42"), ("tab", "a b")], identity=owner)
    assert (req.id(), req.route(), req.identity()) == ("req-1", "/users/{id}", owner)
    assert req.path_params() == [("id", "42"), ("tab", "a b")]
    assert (req.path_param("tab"), req.path_param("missing")) == ("a b", None)
    bare = Request("GET", "/")
    assert (bare.id(), bare.route(), bare.path_params(), bare.identity()) == ("", None, [], None)


def test_identities_keep_lists_and_claims_as_a_dict():
    # componentize-py lowers a WIT list only from a `list`; the values take any sequences.
    identity = Identity("ada", roles=("admin", "dev"), groups=iter(["eng"]), claims={"exp": 1, "sub": "ada"})
    assert identity.roles == ["admin", "dev"] and type(identity.roles) is list
    assert identity.groups == ["eng"] and type(identity.groups) is list
    assert identity.claims == {"exp": 1, "sub": "ada"}
    assert Identity("ada").claims == {}
    claims = {"sub": "ada"}
    assert Identity("ada", claims=claims).claims is claims
    denial = Denial(401, "no", (["www-authenticate", "Bearer"],)).with_header("x-why", "expired")
    assert denial.headers == [("www-authenticate", "Bearer"), ("x-why", "expired")]
    assert type(denial.headers) is list


def test_claims_given_as_the_0_1_pairs_are_refused_not_quoted_twice():
    with pytest.raises(TypeError, match="a dict of JSON values"):
        Identity("ada", claims=[("sub", '"ada"')])


def test_claims_are_written_by_json_dumps_as_one_compact_object():
    identity = Identity("ada", claims={"name": "Zoë", "n": 1.0, "big": 10**20, "tags": ["a"], "x": None})
    assert identity.claims_json() == '{"name":"Zoë","n":1.0,"big":100000000000000000000,"tags":["a"],"x":null}'
    with pytest.raises(ValueError):
        Identity("ada", claims={"n": float("nan")}).claims_json()


def test_claims_text_is_passed_on_as_it_is_until_the_claims_are_read_or_replaced():
    text = '{ "sub": "ada", "n": 1e3 }'
    identity = Identity("ada", claims={"sub": "ada", "n": 1000.0}, claims_text=text)
    assert identity.claims_json() is text
    # Comparing and printing keep the text; reading the claims hands out the dict, which may
    # change, so the dict is written from then on.
    assert identity == Identity("ada", claims={"sub": "ada", "n": 1000.0})
    assert "claims={'sub': 'ada', 'n': 1000.0}" in repr(identity)
    assert identity.claims_json() is text
    identity.claims["n"] = 2
    assert identity.claims_json() == '{"sub":"ada","n":2}'
    replaced = Identity("ada", claims={"a": 1}, claims_text='{"a":1}')
    replaced.claims = {"b": 2}
    assert replaced.claims_json() == '{"b":2}'
    with pytest.raises(TypeError, match="JSON text"):
        Identity("ada", claims={}, claims_text=b"{}")


def test_abstentions_are_all_the_same_answer():
    assert Abstain() == Abstain() and Abstain() != Denial(401, "no")
    assert repr(Abstain()) == "Abstain()"


def test_identities_and_denials_compare_and_print_by_their_fields():
    assert Identity("ada", email="a@example.com") == Identity("ada", email="a@example.com")
    assert Identity("ada") != Identity("bob")
    assert Denial(401, "no") == Denial(401, "no", [])
    assert repr(Denial(403, "no")) == "Denial(status=403, reason='no', headers=[])"


def test_strict_json_refuses_what_the_host_refuses():
    from mockforge_plugin import strict_json

    assert strict_json.loads(b' {"a": [1, -2, 1.5, "\\u00e9"]} ') == {"a": [1, -2, 1.5, "é"]}
    deepest = b"[" * 127 + b"]" * 127
    assert strict_json.loads(deepest) is not None
    for refused in (b"NaN", b'{"n": Infinity}', b"1e400", b'"\\ud800"', b"[" * 128 + b"]" * 128,
                    b"\xef\xbb\xbf{}", b"{} x", b'{"a":1,}', b"01", b"\xff"):
        assert strict_json.loads(refused) is None, refused
    big = strict_json.loads(b"18446744073709551616")
    assert type(big) is float, "beyond a u64: a double, as the host reads it"
    assert type(strict_json.loads(b"18446744073709551615")) is int
