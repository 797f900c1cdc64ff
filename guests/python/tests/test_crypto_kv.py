"""The `crypto` and `kv` wrappers: what they ask of the host's bindings (stand-ins here: the
generated ones exist only inside a component build), the errors they raise, and their
plain-Python stand-ins for a plugin served over HTTP."""

import enum
import importlib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from mockforge_plugin import _bindings, _served, crypto, kv
from mockforge_plugin.memory_kv import MemoryKv
from tests.conftest import ROOT

# RFC 4231, test case 2.
KEY, DATA = b"Jefe", b"what do ya want for nothing?"
HMAC_SHA256 = bytes.fromhex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")


class Err(Exception):
    def __init__(self, value):
        super().__init__(value)
        self.value = value


@dataclass
class Case:
    value: str


def case(name):
    return type(name, (Case,), {})


class HostKey:
    """A stand-in for the host's `public-key` resource."""

    def __init__(self, kind):
        self.kind = kind
        self.calls = []

    def key_type(self):
        return HOST_CRYPTO.KeyType[self.kind]

    def verify(self, algorithm, message, signature):
        self.calls.append((algorithm, message, signature))
        if self.kind == "RSA" and algorithm.name.startswith("ES"):
            raise Err(HOST_CRYPTO.CryptoError_KeyMismatch("es256 needs an EC P-256 key"))
        return signature == b"good"


class HostPublicKey:
    @classmethod
    def from_pem(cls, pem):
        if "BEGIN PUBLIC KEY" not in pem:
            raise Err(HOST_CRYPTO.CryptoError_InvalidKey("not a PEM public key"))
        return HostKey("RSA")

    @classmethod
    def from_jwk(cls, jwk):
        HOST_CRYPTO.jwks.append(jwk)
        return HostKey("ED25519")


HOST_CRYPTO = SimpleNamespace(
    HashAlgorithm=enum.Enum("HashAlgorithm", "SHA256 SHA384 SHA512"),
    SignatureAlgorithm=enum.Enum("SignatureAlgorithm", "RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 EDDSA"),
    KeyType=enum.Enum("KeyType", "RSA EC_P256 EC_P384 ED25519"),
    CryptoError_InvalidKey=case("CryptoError_InvalidKey"),
    CryptoError_KeyMismatch=case("CryptoError_KeyMismatch"),
    CryptoError_Limit=case("CryptoError_Limit"),
    PublicKey=HostPublicKey,
    hmac_verify=lambda algorithm, key, data, tag: ("hmac-verify", algorithm.name, key, data, tag),
    digest=lambda algorithm, data: ("digest", algorithm.name, data),
    random_bytes=lambda n: b"\0" * n if n <= 4096 else _raise(Err(HOST_CRYPTO.CryptoError_Limit("at most 4096"))),
    jwks=[],
)


def _raise(error):
    raise error


@pytest.fixture
def host_crypto(monkeypatch):
    monkeypatch.setattr(_bindings, "crypto", HOST_CRYPTO)
    monkeypatch.setattr(_bindings, "Err", Err)


def test_crypto_asks_the_host_with_its_enums(host_crypto):
    assert crypto.hmac_verify("sha384", b"k", b"d", b"t") == ("hmac-verify", "SHA384", b"k", b"d", b"t")
    assert crypto.digest("sha512", b"d") == ("digest", "SHA512", b"d")
    assert crypto.random_bytes(3) == b"\0\0\0"
    with pytest.raises(crypto.Limit, match="at most 4096"):
        crypto.random_bytes(5000)
    with pytest.raises(ValueError, match="unknown hash algorithm 'md5'"):
        crypto.hmac_verify("md5", b"k", b"d", b"t")


def test_public_keys_verify_by_jws_name_and_refuse_a_mismatch(host_crypto):
    key = crypto.PublicKey.from_pem("-----BEGIN PUBLIC KEY-----\n...")
    assert key.key_type == "rsa" and key.fits("PS256") and not key.fits("ES256")
    assert key.verify("RS256", b"m", b"good") is True
    assert key.verify("PS512", b"m", b"bad") is False
    assert [(a.name, m, s) for a, m, s in key._key.calls] == [("RS256", b"m", b"good"), ("PS512", b"m", b"bad")]
    with pytest.raises(crypto.KeyMismatch, match="needs an EC P-256 key"):
        key.verify("ES256", b"m", b"good")
    with pytest.raises(ValueError, match="unknown signature algorithm 'HS256'"):
        key.verify("HS256", b"m", b"good")
    with pytest.raises(crypto.InvalidKey, match="not a PEM public key"):
        crypto.PublicKey.from_pem("junk")
    okp = crypto.PublicKey.from_jwk({"kty": "OKP", "crv": "Ed25519", "x": "abc"})
    assert okp.key_type == "ed25519" and okp.fits("EdDSA")
    assert HOST_CRYPTO.jwks[-1] == '{"kty": "OKP", "crv": "Ed25519", "x": "abc"}'


def test_the_wrappers_names_are_those_componentize_py_generates(tmp_path, monkeypatch):
    # The stand-ins above are only as good as their names: check those against the bindings
    # componentize-py generates from wit/0.2.0.
    tool = Path(sys.executable).with_name("componentize-py")
    if not tool.exists():
        pytest.skip("componentize-py is not installed (bash guests/python/setup.sh)")
    wit = ROOT.parents[1] / "wit" / "0.2.0"
    subprocess.run([str(tool), "-d", str(wit), "-w", "plugin", "bindings", str(tmp_path)], check=True)
    monkeypatch.syspath_prepend(str(tmp_path))
    generated = {}
    try:
        for name in ("crypto", "kv", "types"):
            generated[name] = importlib.import_module(f"wit_world.imports.{name}")
    finally:
        for module in [m for m in sys.modules if m.split(".")[0] in ("wit_world", "componentize_py_types")]:
            del sys.modules[module]
    host_crypto, host_kv, types = generated["crypto"], generated["kv"], generated["types"]
    assert {crypto._signature(host_crypto, alg).name for alg in crypto.SIGNATURE_ALGORITHMS} == set(
        host_crypto.SignatureAlgorithm.__members__)
    assert {crypto._hash(host_crypto, alg).name for alg in crypto.HASH_ALGORITHMS} == set(
        host_crypto.HashAlgorithm.__members__)
    assert set(crypto._KEY_TYPE_NAMES) == set(host_crypto.KeyType.__members__)
    assert set(crypto._KEY_TYPE_NAMES.values()) == set(crypto.ALGORITHMS_BY_KEY_TYPE)
    monkeypatch.setattr(_bindings, "crypto", host_crypto)
    monkeypatch.setattr(_bindings, "kv", host_kv)
    assert type(crypto._crypto_error(host_crypto.CryptoError_KeyMismatch("m"))) is crypto.KeyMismatch
    assert type(kv._kv_error(host_kv.KvError_NotANumber("m"))) is kv.NotANumber
    for method in ("id", "route", "path_params", "path_param", "identity", "header_all", "client_addr"):
        assert callable(getattr(types.Request, method)), method
    assert types.AuthOutcome_Abstain() is not None


def test_crypto_outside_a_component_uses_the_standard_library():
    assert crypto.hmac("sha256", KEY, DATA) == HMAC_SHA256
    assert crypto.hmac_verify("sha256", KEY, DATA, HMAC_SHA256)
    assert not crypto.hmac_verify("sha256", KEY, DATA, HMAC_SHA256[:-1] + b"\0")
    assert crypto.digest("sha256", b"abc").hex().startswith("ba7816bf")
    assert crypto.constant_time_equal(b"a", b"a") and not crypto.constant_time_equal(b"a", b"b")
    assert len(crypto.random_bytes(16)) == 16
    with pytest.raises(crypto.Limit):
        crypto.random_bytes(4097)
    with pytest.raises(RuntimeError, match="only available in a component"):
        crypto.PublicKey.from_pem("-----BEGIN PUBLIC KEY-----")


HOST_KV = SimpleNamespace(
    KvError_InvalidKey=case("KvError_InvalidKey"),
    KvError_ValueTooLarge=case("KvError_ValueTooLarge"),
    KvError_QuotaExceeded=case("KvError_QuotaExceeded"),
    KvError_NotANumber=case("KvError_NotANumber"),
)


def test_kv_refusals_become_their_exceptions(monkeypatch):
    def refuse(*_args):
        raise Err(HOST_KV.KvError_QuotaExceeded("at most 100 keys"))

    stored = []
    host = SimpleNamespace(**vars(HOST_KV), set=lambda *args: stored.append(args), increment=refuse,
                           keys=lambda prefix, limit: [prefix, limit])
    monkeypatch.setattr(_bindings, "kv", host)
    monkeypatch.setattr(_bindings, "Err", Err)
    kv.set("k", "text", ttl_ms=5)
    assert stored == [("k", b"text", 5)], "text is stored as UTF-8"
    with pytest.raises(kv.QuotaExceeded, match="at most 100 keys") as refused:
        kv.increment("n")
    assert isinstance(refused.value, kv.KvError)
    assert kv.keys() == ["", kv.ALL]


def test_kv_outside_a_component_is_the_served_apps_store():
    with pytest.raises(RuntimeError, match="mockforge_plugin.kv has no host"):
        kv.get("k")
    token = _served.current.set(_served.Served({}, lambda *r: None, MemoryKv()))
    try:
        kv.set("a", b"1")
        assert (kv.get("a"), kv.increment("a", 41), kv.get("a")) == (b"1", 42, b"42")
        assert kv.delete("a") and not kv.delete("a")
    finally:
        _served.current.reset(token)


def test_the_memory_store_keeps_ttls_counts_and_lists_as_the_host_does():
    now = [100.0]
    store = MemoryKv(clock=lambda: now[0])
    store.set("s:b", b"x", ttl_ms=1500)
    store.set("s:a", b"y", None)
    store.set("t", b"z", None)
    assert store.keys("s:", 10) == ["s:a", "s:b"] and store.keys("", 1) == ["s:a"]
    assert store.increment("s:n", 5) == 5 and store.increment("s:n", -7) == -2
    now[0] += 1.5
    assert store.get("s:b") is None and store.keys("s:", 10) == ["s:a", "s:n"], "expired"
    with pytest.raises(kv.NotANumber):
        store.increment("t", 1)
    store.set("big", str((1 << 63) - 1).encode(), None)
    with pytest.raises(kv.NotANumber):
        store.increment("big", 1)
    assert store.get("big") == b"9223372036854775807", "unchanged"
    with pytest.raises(kv.InvalidKey):
        store.set("", b"", None)
    store.set("c", b"7", ttl_ms=1000)
    assert store.increment("c", 1) == 8
    now[0] += 1.0
    assert store.get("c") is None, "increment keeps the time to live"


class HostJwtVerifier:
    """A stand-in for the host's `jwt-verifier` resource: records its settings, answers by
    token."""

    made = []

    @classmethod
    def create(cls, settings):
        if settings.secret == b"":
            raise Err(HOST_CRYPTO.CryptoError_InvalidKey("the HMAC secret is empty"))
        verifier = cls()
        verifier.settings = settings
        cls.made.append(verifier)
        return verifier

    def verify(self, token):
        if token == "good":
            return '{"sub":"u"}'
        raise Err(JWT_HOST.JwtRejection[token])


JWT_HOST = SimpleNamespace(
    **vars(HOST_CRYPTO),
    JwsAlgorithm=enum.Enum("JwsAlgorithm", "HS256 HS384 HS512 RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 EDDSA"),
    JwtRejection=enum.Enum(
        "JwtRejection",
        "MALFORMED UNSUPPORTED_ALGORITHM INVALID_SIGNATURE EXPIRED NOT_YET_VALID INVALID_ISSUER INVALID_AUDIENCE",
    ),
    JwtKey=lambda kid, alg, key: SimpleNamespace(kid=kid, alg=alg, key=key),
    JwtSettings=lambda **fields: SimpleNamespace(**fields),
    JwtVerifier=HostJwtVerifier,
)


def test_the_jwt_verifier_hands_its_settings_to_the_host_and_names_each_rejection(monkeypatch):
    from mockforge_plugin import jwt

    monkeypatch.setattr(_bindings, "crypto", JWT_HOST)
    monkeypatch.setattr(_bindings, "Err", Err)
    key = crypto.PublicKey.from_pem("-----BEGIN PUBLIC KEY-----\n...")
    verifier = jwt.Verifier(["HS256", "EdDSA"], secret=b"s", keys=[jwt.Key("k1", "EdDSA", key)],
                            issuer="me", audience="api", leeway=30)
    settings = HostJwtVerifier.made[-1].settings
    assert [a.name for a in settings.algorithms] == ["HS256", "EDDSA"]
    assert (settings.secret, settings.issuer, settings.audience, settings.leeway_seconds) == (b"s", "me", "api", 30)
    assert [(k.kid, k.alg, k.key) for k in settings.keys] == [("k1", "EdDSA", key._key)]
    assert verifier.verify("good") == '{"sub":"u"}'
    for member in JWT_HOST.JwtRejection:
        with pytest.raises(jwt.Rejected) as refused:
            verifier.verify(member.name)
        assert refused.value.reason == member.name.lower().replace("_", "-")
        assert refused.value.reason in jwt.REASONS
    with pytest.raises(crypto.InvalidKey, match="empty"):
        jwt.Verifier(["HS256"], secret=b"")
    with pytest.raises(ValueError, match="unknown JWS algorithm 'none'"):
        jwt.Verifier(["none"], secret=b"s")


def test_the_served_jwt_verifier_checks_as_the_host_does():
    import base64
    import hmac
    import json
    import time

    from mockforge_plugin import jwt

    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    def token(header, payload, secret=b"s"):
        signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
        return f"{signing_input}.{b64(hmac.digest(secret, signing_input.encode(), 'sha256'))}"

    verifier = jwt.Verifier(["HS256"], secret=b"s", issuer="me", audience="api", leeway=5)
    now = int(time.time())
    good = {"sub": "u", "iss": "me", "aud": ["x", "api"], "exp": now + 60}
    assert json.loads(verifier.verify(token({"alg": "HS256"}, good))) == good
    cases = [
        ("a.b", "malformed"),
        (token({"alg": "none"}, good), "unsupported-algorithm"),
        (token({"alg": "HS256"}, good, secret=b"other"), "invalid-signature"),
        (token({"alg": "HS256"}, {**good, "exp": "soon"}), "malformed"),
        (token({"alg": "HS256"}, {**good, "exp": now - 10}), "expired"),
        (token({"alg": "HS256"}, {**good, "nbf": now + 60}), "not-yet-valid"),
        (token({"alg": "HS256"}, {**good, "iss": "you"}), "invalid-issuer"),
        (token({"alg": "HS256"}, {**good, "aud": "web"}), "invalid-audience"),
    ]
    for bad, reason in cases:
        with pytest.raises(jwt.Rejected) as refused:
            verifier.verify(bad)
        assert refused.value.reason == reason, bad
    with pytest.raises(crypto.InvalidKey, match="RS256 is accepted but no public key"):
        jwt.Verifier(["RS256"], secret=b"s")
