"""The 0.2 example plugins' own behaviour, in plain CPython (tests/plugin_harness.py): what
each adds in 0.2 (auth-jwt abstaining, its algorithms and keys; response-template on the host's
route and identity; kv-crud), beside the cross-language vectors."""

import ast
import base64
import enum
import hashlib
import hmac
import json
from dataclasses import dataclass

import pytest

from mockforge_plugin import Abstain, Denial, Identity, InvalidConfig, Request, Response, _bindings, crypto
from mockforge_plugin.memory_kv import MemoryKv
from tests.conftest import ROOT
from tests.plugin_harness import configured, fresh_plugin, hosted, manifest_config

SECRET = "mockforge-demo-secret"
FAR = 4102444800  # 2100
INVALID_TOKEN = [("WWW-Authenticate", 'Bearer realm="mockforge", error="invalid_token"')]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(payload, alg="HS256", secret=SECRET, sign=None, **header):
    """A compact JWS; `sign(signing_input)` makes the signature (default: HMAC with `secret`)."""
    signing_input = f"{b64url(json.dumps({'alg': alg, **header}).encode())}.{b64url(json.dumps(payload).encode())}"
    if sign is None:
        digest = {"HS256": "sha256", "HS384": "sha384", "HS512": "sha512"}[alg]
        signature = hmac.digest(secret.encode(), signing_input.encode(), digest)
    else:
        signature = sign(signing_input.encode())
    return f"{signing_input}.{b64url(signature)}"


def authenticate(headers, config=None, plugin=None):
    settings = configured(manifest_config("auth-jwt"), config)
    with hosted(settings):
        return (plugin or fresh_plugin("auth-jwt")).authenticate(Request("GET", "/", headers=headers))


def deny(reason, challenge=INVALID_TOKEN):
    return Denial(401, reason, challenge)


def test_auth_jwt_abstains_without_a_bearer_credential():
    assert authenticate([]) == Abstain()
    assert authenticate([("authorization", "Basic YWRhOnB3")]) == Abstain()
    assert authenticate([("authorization", "")]) == Abstain()
    assert authenticate([("Authorization", "Bearer")]) == deny(
        "missing bearer token", [("WWW-Authenticate", 'Bearer realm="mockforge"')])


def test_auth_jwt_passes_the_whole_payload_as_the_claims():
    payload = {"sub": "u1", "exp": FAR, "tenant": {"id": 7, "tags": ["a"]}, "ratio": 1.5, "roles": ["admin", 3]}
    identity = authenticate([("authorization", f"Bearer {token(payload)}")])
    assert identity == Identity("u1", roles=["admin"], claims=payload)


def test_auth_jwt_verifies_hmac_through_the_hosts_crypto(monkeypatch):
    asked = []
    real = crypto.hmac_verify

    def host_hmac_verify(algorithm, key, data, tag):
        asked.append((algorithm, key))
        return real(algorithm, key, data, tag)

    monkeypatch.setattr(crypto, "hmac_verify", host_hmac_verify)
    config = {"algorithms": "HS384, HS512"}
    for alg in ("HS384", "HS512"):
        assert authenticate([("authorization", f"Bearer {token({'sub': 'u'}, alg)}")], config).subject == "u"
    assert asked == [("sha384", SECRET.encode()), ("sha512", SECRET.encode())]
    forged = token({"sub": "u"}, "HS512", secret="other")
    assert authenticate([("authorization", f"Bearer {forged}")], config) == deny("invalid signature")


def test_auth_jwt_carries_no_hmac_or_hash_of_its_own():
    for module in (ROOT / "plugins" / "auth-jwt").glob("*.py"):
        imported = set()
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
        assert not imported & {"hmac", "hashlib", "secrets"}, module.name


def test_auth_jwt_accepts_only_the_configured_algorithms():
    hs384 = token({"sub": "u"}, "HS384")
    assert authenticate([("authorization", f"Bearer {hs384}")]) == deny("unsupported algorithm"), "HS256 by default"
    none = b64url(b'{"alg":"none"}') + "." + b64url(b'{"sub":"u"}') + "."
    assert authenticate([("authorization", f"Bearer {none}")], {"algorithms": "HS256"}) == deny("unsupported algorithm")
    with pytest.raises(InvalidConfig, match='"none" is not an algorithm this plugin verifies'):
        authenticate([], {"algorithms": "HS256,none"})
    with pytest.raises(InvalidConfig, match="lists no algorithm"):
        authenticate([], {"algorithms": " , "})
    with pytest.raises(InvalidConfig, match="lists RS256 but no public key of its type is configured"):
        authenticate([], {"algorithms": "HS256, RS256"})
    with pytest.raises(InvalidConfig, match="no key to verify tokens with"):
        authenticate([], {"secret": None})


# Public keys are the host's: a stand-in host whose key "x" signs `m` as sha256(x + m), of the
# JWK's type, with the host's refusal of an algorithm that does not fit the key.
KEY_TYPES = {("RSA", None): "RSA", ("EC", "P-256"): "EC_P256", ("EC", "P-384"): "EC_P384", ("OKP", "Ed25519"): "ED25519"}


def signed_by(x):
    return lambda message: hashlib.sha256(x.encode() + message).digest()


@dataclass
class HostKey:
    kind: str
    x: str

    def key_type(self):
        return HostCrypto.KeyType[self.kind]

    def verify(self, algorithm, message, signature):
        if algorithm.name not in {"RSA": "RS256 PS256", "EC_P256": "ES256", "ED25519": "EDDSA"}[self.kind].split():
            raise AssertionError(f"the plugin tried {algorithm.name} with a {self.kind} key")
        return signature == signed_by(self.x)(message)


class HostPublicKey:
    @classmethod
    def from_jwk(cls, jwk):
        jwk = json.loads(jwk)
        return HostKey(KEY_TYPES[(jwk["kty"], jwk.get("crv"))], jwk["x"])

    @classmethod
    def from_pem(cls, pem):
        return HostKey("RSA", pem.split()[1])


class HostCrypto:
    PublicKey = HostPublicKey
    KeyType = enum.Enum("KeyType", "RSA EC_P256 EC_P384 ED25519")
    SignatureAlgorithm = enum.Enum("SignatureAlgorithm", "RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 EDDSA")
    HashAlgorithm = enum.Enum("HashAlgorithm", "SHA256 SHA384 SHA512")

    @staticmethod
    def hmac_verify(algorithm, key, data, tag):
        return hmac.compare_digest(hmac.digest(key, data, algorithm.name.lower()), tag)


@pytest.fixture
def host_keys(monkeypatch):
    monkeypatch.setattr(_bindings, "crypto", HostCrypto)


def jwks(*keys):
    return json.dumps({"keys": [dict(key) for key in keys]})


RSA_A = {"kty": "RSA", "kid": "a", "x": "rsa-a"}
RSA_B = {"kty": "RSA", "kid": "b", "x": "rsa-b"}
EC = {"kty": "EC", "crv": "P-256", "kid": "e", "x": "ec"}
ED = {"kty": "OKP", "crv": "Ed25519", "x": "ed"}


def test_auth_jwt_picks_the_jwks_key_by_kid(host_keys):
    config = {"secret": None, "jwks": jwks(RSA_A, RSA_B, EC)}
    bearer = lambda t: [("authorization", f"Bearer {t}")]
    good = token({"sub": "u"}, "RS256", sign=signed_by("rsa-b"), kid="b")
    assert authenticate(bearer(good), config).subject == "u"
    wrong_key = token({"sub": "u"}, "RS256", sign=signed_by("rsa-a"), kid="b")
    assert authenticate(bearer(wrong_key), config) == deny("invalid signature")
    unknown = token({"sub": "u"}, "RS256", sign=signed_by("rsa-a"), kid="zz")
    assert authenticate(bearer(unknown), config) == deny("invalid signature")
    no_kid = token({"sub": "u"}, "ES256", sign=signed_by("ec"))
    assert authenticate(bearer(no_kid), config).subject == "u", "without a kid, any key that fits"


def test_auth_jwt_never_tries_an_algorithm_on_a_key_it_does_not_fit(host_keys):
    bearer = lambda t: [("authorization", f"Bearer {t}")]
    # The kid names the RSA key; ES256 is accepted (for the EC key) but never tried on it.
    config = {"secret": None, "jwks": jwks(RSA_A, EC), "algorithms": "RS256,ES256"}
    assert authenticate(bearer(token({"sub": "u"}, "RS256", sign=signed_by("rsa-a"), kid="a")), config).subject == "u"
    es = token({"sub": "u"}, "ES256", sign=signed_by("rsa-a"), kid="a")
    assert authenticate(bearer(es), config) == deny("unsupported algorithm")
    # The RSA key's text as an HMAC secret: HS256 is not accepted with a public key alone.
    hs = token({"sub": "u"}, "HS256", secret="PEM rsa-a")
    assert authenticate(bearer(hs), {"secret": None, "public-key": "PEM rsa-a"}) == deny("unsupported algorithm")
    with pytest.raises(InvalidConfig, match="lists HS256 but `secret` is not set"):
        authenticate(bearer(hs), {"secret": None, "public-key": "PEM rsa-a", "algorithms": "HS256"})


def test_auth_jwt_lets_a_jwk_with_its_own_alg_verify_only_that_one(host_keys):
    bearer = lambda t: [("authorization", f"Bearer {t}")]
    config = {"secret": None, "jwks": jwks({**RSA_A, "alg": "PS256"})}
    assert authenticate(bearer(token({"sub": "u"}, "PS256", sign=signed_by("rsa-a"))), config).subject == "u"
    rs = token({"sub": "u"}, "RS256", sign=signed_by("rsa-a"))
    assert authenticate(bearer(rs), config) == deny("unsupported algorithm")


def test_auth_jwt_defaults_to_the_algorithms_of_its_keys(host_keys):
    bearer = lambda t: [("authorization", f"Bearer {t}")]
    config = {"jwks": jwks(ED)}
    assert authenticate(bearer(token({"sub": "u"}, "EdDSA", sign=signed_by("ed"))), config).subject == "u"
    assert authenticate(bearer(token({"sub": "u"})), config).subject == "u", "and HS256 for the secret"
    assert authenticate(bearer(token({"sub": "u"}, "PS256", sign=signed_by("ed"))), config) == deny(
        "unsupported algorithm")


def test_auth_jwt_reads_a_jwks_file(host_keys, tmp_path):
    path = tmp_path / "jwks.json"
    path.write_text(jwks(RSA_A))
    config = {"secret": None, "jwks-file": str(path)}
    signed = token({"sub": "u"}, "PS256", sign=signed_by("rsa-a"), kid="a")
    assert authenticate([("authorization", f"Bearer {signed}")], config).subject == "u"
    with pytest.raises(InvalidConfig, match="absent.json\": No such file"):
        authenticate([], {"secret": None, "jwks-file": str(tmp_path / "absent.json")})
    for bad, why in (("[]", "no `keys` array"), ('{"keys": []}', "holds no key"), ('{"keys": [1]}', "key 0 is not")):
        with pytest.raises(InvalidConfig, match=why):
            authenticate([], {"secret": None, "jwks": bad})


def respond(req, config=None, store=None, plugin="response-template"):
    settings = configured(manifest_config(plugin), config)
    with hosted(settings, store):
        return fresh_plugin(plugin).respond(req)


def test_response_template_answers_on_the_hosts_route_with_its_parameters():
    req = Request("GET", "/users/J%C3%BCrgen", route="/users/{id}", path_params=[("id", "Jürgen")])
    body = json.loads(respond(req).body)
    assert (body["id"], body["method"]) == ("Jürgen", "GET")
    assert respond(Request("GET", "/users/42", route="/orders/{id}", path_params=[("id", "42")])) is None
    assert respond(Request("GET", "/users/42")) is None, "no route matched"
    anywhere = respond(Request("GET", "/x"), {"route": None, "template": '{"p": "{{path.id}}", "n": {{path.id}}}'})
    assert anywhere.body == b'{"p": "", "n": null}'


def test_response_template_offers_the_callers_identity():
    template = ('{"s": "{{identity.subject}}", "u": "{{identity.username}}", "t": "{{identity.claims.tenant}}", '
                '"scope": {{identity.claims.scope}}, "q": "{{identity.claims.scope}}", "none": {{identity.claims.nope}}}')
    config = {"route": None, "template": template}
    ada = Identity("ada", claims={"tenant": "acme", "scope": ["read", "wrïte"]})
    got = respond(Request("GET", "/", identity=ada), config)
    assert got.body.decode() == ('{"s": "ada", "u": "", "t": "acme", "scope": ["read","wrïte"], '
                                 '"q": "[\\"read\\",\\"wrïte\\"]", "none": null}')
    anonymous = respond(Request("GET", "/"), config)
    assert json.loads(anonymous.body) == {"s": "", "u": "", "t": "", "scope": None, "q": "", "none": None}
    with pytest.raises(InvalidConfig, match="unknown placeholder"):
        respond(Request("GET", "/"), {"route": None, "template": '"{{identity.email}}"'})


def crud(method, route=None, item=None, body=b"", store=None, config=None):
    params = [("id", item)] if item is not None else []
    path = "/items" + (f"/{item}" if item is not None else "")
    return respond(Request(method, path, body=body, route=route, path_params=params), config, store, "kv-crud")


def test_kv_crud_keeps_a_collection_in_the_store():
    store = MemoryKv()
    one = "/items/{id}"
    created = crud("POST", "/items", body=b'{"name": "a", "id": "mine"}', store=store)
    assert (created.status, created.header("location"), json.loads(created.body)) == (
        201, "/items/1", {"name": "a", "id": "1"})
    assert created.header("content-type") == "application/json"
    for n in range(2, 12):
        crud("POST", "/items", body=json.dumps({"n": n}).encode(), store=store)
    listing = crud("GET", "/items", store=store)
    assert [o["id"] for o in json.loads(listing.body)] == [str(n) for n in range(1, 12)], "id order"
    got = crud("GET", one, "1", store=store)
    assert (got.status, json.loads(got.body)) == (200, {"name": "a", "id": "1"})
    assert crud("DELETE", one, "1", store=store) == Response(204, [("content-type", "application/json")], b"")
    for method in ("GET", "DELETE"):
        missing = crud(method, one, "1", store=store)
        assert (missing.status, missing.body) == (404, b'{"error":"not found"}')
    for bad in (b"[1]", b"not json", b'{"n": NaN}', b"\xff"):
        refused = crud("POST", "/items", body=bad, store=store)
        assert (refused.status, refused.body) == (400, b'{"error":"body must be a JSON object"}'), bad
    for odd in ("01", "+1", "x", "²", "99999999999999999999999"):
        assert crud("GET", one, odd, store=store).status == 404, odd
    assert crud("GET", one, store=store).status == 404, "no id parameter names no item"
    assert store.keys("", 3) == ["item/00000000000000000002", "item/00000000000000000003",
                                 "item/00000000000000000004"], "the layout of every language"
    assert store.get("next-id") == b"11"
    assert crud("PUT", one, "2", store=store) is None
    assert crud("GET", "/other", store=store) is None
    assert crud("GET", None, store=store) is None
    elsewhere = crud("POST", "/things", body=b"{}", store=store, config={"collection": "/things"})
    assert elsewhere.header("location") == "/things/12", "one counter"
