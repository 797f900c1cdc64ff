"""The SDK shared by both ways of running a plugin: the component half stays free of FastAPI
and pydantic, and `Request` reads a request as the host's resource does."""

import subprocess
import sys

from mockforge_plugin import Denial, Identity, Request, Response
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


def test_identities_and_denials_keep_the_shape_the_bindings_lower():
    # componentize-py lowers a WIT list only from a `list` and a tuple only from a `tuple`; the
    # values take any sequences and keep them in that shape.
    identity = Identity("ada", roles=("admin", "dev"), groups=iter(["eng"]), claims=[["exp", "1"], ("sub", '"ada"')])
    assert identity.roles == ["admin", "dev"] and type(identity.roles) is list
    assert identity.groups == ["eng"] and type(identity.groups) is list
    assert identity.claims == [("exp", "1"), ("sub", '"ada"')]
    assert all(type(pair) is tuple for pair in identity.claims)
    denial = Denial(401, "no", (["www-authenticate", "Bearer"],)).with_header("x-why", "expired")
    assert denial.headers == [("www-authenticate", "Bearer"), ("x-why", "expired")]
    assert type(denial.headers) is list


def test_a_list_of_tuples_is_kept_as_it_is():
    claims = [("sub", '"ada"')]
    roles = ["admin"]
    identity = Identity("ada", roles=roles, claims=claims)
    assert identity.claims is claims and identity.roles is roles


def test_identities_and_denials_compare_and_print_by_their_fields():
    assert Identity("ada", email="a@example.com") == Identity("ada", email="a@example.com")
    assert Identity("ada") != Identity("bob")
    assert Denial(401, "no") == Denial(401, "no", [])
    assert repr(Denial(403, "no")) == "Denial(status=403, reason='no', headers=[])"


def test_the_export_passes_a_well_shaped_value_as_it_is_and_copies_a_changed_one(monkeypatch):
    import importlib
    from types import SimpleNamespace

    # The module, not the `register` function the package exports under the same name.
    registration = importlib.import_module("mockforge_plugin.register")

    # The generated bindings are absent outside a component build: stand-ins record what the
    # export builds.
    monkeypatch.setattr(
        registration,
        "types",
        SimpleNamespace(Identity=lambda *fields: ("wit-identity", fields), Denial=lambda *fields: ("wit-denial", fields)),
    )
    identity = Identity("ada", roles=["admin"], claims=[("sub", '"ada"')])
    assert registration._lower_identity(identity) is identity
    identity.claims.append(["exp", "1"])
    identity.roles = ("admin", "dev")
    kind, fields = registration._lower_identity(identity)
    assert kind == "wit-identity"
    assert fields[4] == ["admin", "dev"] and type(fields[4]) is list
    assert fields[6] == [("sub", '"ada"'), ("exp", "1")]
    assert all(type(pair) is tuple for pair in fields[6])
    denial = Denial(401, "no")
    assert registration._lower_denial(denial) is denial
    denial.headers.append(["www-authenticate", "Bearer"])
    assert registration._lower_denial(denial) == ("wit-denial", (401, "no", [("www-authenticate", "Bearer")]))
